//! The type-level id of a FROM entry's SQL name (see `philtre::schema::NamedSource`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// 32-bit FNV-1a: small, stable across builds and platforms.
fn fnv1a(name: &str) -> u32 {
    name.bytes().fold(0x811c_9dc5, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

/// `(H?, (H?, … ()))`: the hash of `name` as eight hexadecimal digit types.
pub fn tokens(name: &str) -> TokenStream {
    let hex = format!("{:08X}", fnv1a(name));
    hex.chars().rev().fold(quote!(()), |tail, digit| {
        let digit = format_ident!("H{}", digit);
        quote!((::philtre::__private::digits::#digit, #tail))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_values() {
        assert_eq!(fnv1a(""), 0x811c_9dc5);
        assert_eq!(fnv1a("a"), 0xe40c_292c);
        assert_ne!(fnv1a("users"), fnv1a("posts"));
    }
}
