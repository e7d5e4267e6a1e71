//! Reading NUMERIC / DECIMAL text into `rust_decimal::Decimal` without rounding.

use rust_decimal::Decimal;

/// The most digits after the point a `Decimal` keeps.
const MAX_SCALE: usize = 28;

/// Reads a decimal number as a database writes it (`-12.340`, `0.000…01`) into a `Decimal`,
/// exactly or not at all: a value with more than 28 significant decimal places, or beyond
/// `Decimal`'s 96 bits, is an error naming it, never a rounded number. Trailing zeros past
/// the 28th place carry no value and are dropped.
pub fn decimal_from_text(text: &str) -> Result<Decimal, Box<dyn std::error::Error + Send + Sync>> {
    let trimmed = match text.split_once('.') {
        Some((whole, fraction)) if fraction.len() > MAX_SCALE => {
            let kept = fraction.trim_end_matches('0');
            let kept = &fraction[..kept.len().max(MAX_SCALE)];
            std::borrow::Cow::Owned(format!("{whole}.{kept}"))
        }
        _ => std::borrow::Cow::Borrowed(text),
    };
    Decimal::from_str_exact(&trimmed).map_err(|e| {
        format!(
            "the value {} has no exact rust_decimal::Decimal (at most 28 decimal places and 96 \
             bits): {e}",
            crate::error::sql_for_message(text)
        )
        .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_or_an_error() {
        let read = |t: &str| decimal_from_text(t).map(|d| d.to_string()).ok();
        assert_eq!(read("-12.340").as_deref(), Some("-12.340"));
        assert_eq!(
            read("0.1000000000000000000000000000000000").as_deref(),
            Some("0.1000000000000000000000000000")
        );
        assert_eq!(read("0.000000000000000000000000000001"), None);
        assert_eq!(read("-0.000000000000000000000000000001"), None);
        assert_eq!(read("123456789012345678901234567890.5"), None);
        assert_eq!(
            read("79228162514264337593543950335").as_deref(),
            Some("79228162514264337593543950335")
        );
        assert_eq!(read("79228162514264337593543950336"), None);
    }
}
