//! `alias!(users as manager)`: a second name for a table, as a value.

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, Path, Token};

struct AliasInput {
    table: Path,
    name: Ident,
}

impl Parse for AliasInput {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let table = input.parse()?;
        input.parse::<Token![as]>()?;
        let name = input.parse()?;
        Ok(AliasInput { table, name })
    }
}

pub fn expand(input: TokenStream) -> TokenStream {
    let AliasInput { table, name } = match syn::parse2(input) {
        Ok(parsed) => parsed,
        Err(e) => return e.to_compile_error(),
    };
    let sql = name.to_string();
    let id = crate::source_id::tokens(&sql);
    quote! {{
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy, Default)]
        struct #name;
        impl ::philtre::__private::AliasName for #name {
            const NAME: &'static str = #sql;
            type Id = #id;
        }
        ::philtre::__private::Alias::<#table::table, #name>::new()
    }}
}
