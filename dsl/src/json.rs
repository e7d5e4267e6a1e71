//! [`Json<T>`]: any serde type stored in a `Json` or `Jsonb` column.

use crate::expression::{AsExpression, Bound};
use crate::types::{self, HoldsSqlType, Nullable};

/// A serde value stored as JSON: `Json<Settings>` reads and writes a `Json` or `Jsonb` column
/// through `serde`. For untyped JSON, use `serde_json::Value`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Json<T>(pub T);

macro_rules! json_sql_type {
    ($st:ty) => {
        impl<T> HoldsSqlType<$st> for Json<T> {}

        #[diagnostic::do_not_recommend]
        impl<T> AsExpression<$st> for Json<T> {
            type Expression = Bound<$st, Json<T>>;
            fn into_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }

        #[diagnostic::do_not_recommend]
        impl<'x, T> AsExpression<$st> for &'x Json<T> {
            type Expression = Bound<$st, &'x Json<T>>;
            fn into_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }

        #[diagnostic::do_not_recommend]
        impl<T> AsExpression<Nullable<$st>> for Json<T> {
            type Expression = Bound<$st, Json<T>>;
            fn into_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }

        #[diagnostic::do_not_recommend]
        impl<T> AsExpression<Nullable<$st>> for Option<Json<T>> {
            type Expression = Bound<Nullable<$st>, Option<Json<T>>>;
            fn into_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }
    };
}

json_sql_type!(types::Json);
json_sql_type!(types::Jsonb);
