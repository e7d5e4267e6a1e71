//! Reading NUMERIC / DECIMAL text into `rust_decimal::Decimal` without rounding.

use rust_decimal::Decimal;

/// Reads a decimal number as a database writes it (`-12.340`, `0.000…01`) into a `Decimal`,
/// exactly or not at all: a value with more than 28 significant decimal places, or beyond
/// `Decimal`'s 96 bits, is an error naming it, never a rounded number. The scale is kept
/// (`12.340` stays `12.340`) unless only dropping trailing zeros makes the value fit.
pub fn decimal_from_text(text: &str) -> Result<Decimal, Box<dyn std::error::Error + Send + Sync>> {
    if let Ok(exact) = Decimal::from_str_exact(text) {
        return Ok(exact);
    }
    // Trailing zeros of the fraction carry no value (a DECIMAL(65, 30) column writes 30
    // places): without them the value may fit, at a smaller scale.
    let trimmed = match text.split_once('.') {
        Some((whole, fraction)) => {
            let fraction = fraction.trim_end_matches('0');
            if fraction.is_empty() {
                std::borrow::Cow::Borrowed(whole)
            } else {
                std::borrow::Cow::Owned(format!("{whole}.{fraction}"))
            }
        }
        None => std::borrow::Cow::Borrowed(text),
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

/// Reads a floating-point value (a REAL column) into a `Decimal`: the shortest decimal that
/// reads back as the same float, or an error where there is none (`1e-30` would become 0).
pub fn decimal_from_f64(value: f64) -> Result<Decimal, Box<dyn std::error::Error + Send + Sync>> {
    use rust_decimal::prelude::ToPrimitive;
    // Rust writes a float as the shortest decimal that reads back as it (`3.3333333333333335`,
    // an AVG on SQLite), never in exponent form; `Decimal::try_from` would cut it to 15 digits.
    match Decimal::from_str_exact(&value.to_string()) {
        Ok(decimal) if decimal.to_f64() == Some(value) => Ok(decimal),
        _ => Err(
            format!("the float {value:e} has no rust_decimal::Decimal that keeps its value").into(),
        ),
    }
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
            Some("0.1")
        );
        assert_eq!(
            read("12.340000000000000000000000000000").as_deref(),
            Some("12.34")
        );
        assert_eq!(read("0.000000000000000000000000000001"), None);
        assert_eq!(read("-0.000000000000000000000000000001"), None);
        assert_eq!(read("123456789012345678901234567890.5"), None);
        assert_eq!(
            read("79228162514264337593543950335").as_deref(),
            Some("79228162514264337593543950335")
        );
        assert_eq!(read("79228162514264337593543950336"), None);
        assert_eq!(
            decimal_from_f64(0.1).map(|d| d.to_string()).ok().as_deref(),
            Some("0.1")
        );
        // Every digit of the shortest round-trip form (`try_from` would keep 15).
        assert_eq!(
            decimal_from_f64(10.0 / 3.0)
                .map(|d| d.to_string())
                .ok()
                .as_deref(),
            Some("3.3333333333333335")
        );
        assert!(decimal_from_f64(1e-30).is_err());
        assert!(decimal_from_f64(1e30).is_err());
        assert!(decimal_from_f64(f64::NAN).is_err());
    }
}
