//! Enumerated types: a Rust enum stored as one of a fixed set of labels
//! (`#[derive(SqlEnum)]`), SQLAlchemy's `Enum`. PostgreSQL gets a type of its own
//! (`CREATE TYPE mood AS ENUM (…)`), MySQL an `ENUM(…)` column, SQLite text with a CHECK; a
//! label the Rust enum does not have is an error when read, never a default.

use std::marker::PhantomData;

use crate::backend::Backend;
use crate::schema::{EnumDescription, TypeKind};

use super::{NotNullable, SqlType};

/// A Rust enum whose values are stored as labels. Derive it:
///
/// ```
/// #[derive(Debug, Clone, Copy, PartialEq, philtre::SqlEnum)]
/// #[philtre(sql_name = "mood")]
/// enum Mood {
///     Happy,
///     Sad,
///     #[philtre(label = "so-so")]
///     SoSo,
/// }
/// use philtre::types::SqlEnum;
/// assert_eq!(Mood::SoSo.label(), "so-so");
/// assert_eq!(Mood::from_label("happy"), Some(Mood::Happy));
/// assert_eq!(Mood::DESCRIPTION.labels, ["happy", "sad", "so-so"]);
/// ```
///
/// Labels are the variants' names in snake case unless `#[philtre(label = "…")]` says
/// otherwise; the SQL type's name is the enum's in snake case unless
/// `#[philtre(sql_name = "…")]`. A column holding it is declared `mood -> Enum<Mood>`.
pub trait SqlEnum: Sized + Copy + Send + Sync + 'static {
    /// The SQL type's name and labels.
    const DESCRIPTION: &'static EnumDescription;
    /// This value's label.
    fn label(&self) -> &'static str;
    /// The value with label `label`, if there is one.
    fn from_label(label: &str) -> Option<Self>;
}

/// The SQL type of a column holding [`SqlEnum`] `E`: `mood -> Enum<Mood>`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Enum<E>(PhantomData<E>);

impl<E: SqlEnum> SqlType for Enum<E> {
    type Nullability = NotNullable;
    type NotNull = Enum<E>;
    const KIND: TypeKind = TypeKind::Enum(E::DESCRIPTION);
    const NAME: &'static str = E::DESCRIPTION.name;
}

/// How a backend sends and reads an enum's label (implemented by each backend).
pub trait BindsEnums: Backend {
    /// The label as a bound value of the enum's type.
    fn bind_label<'a>(label: &'static str) -> Self::BindValue<'a>;
    /// The label a stored value holds.
    fn read_label<'a>(
        value: Self::RawValue<'a>,
    ) -> Result<&'a str, Box<dyn std::error::Error + Send + Sync>>;
}

/// The error for a label the Rust enum does not have.
pub fn unknown_label<E: SqlEnum>(label: &str) -> Box<dyn std::error::Error + Send + Sync> {
    format!(
        "{label:?} is not a label of `{}` ({}): the database holds a value the Rust enum does not have",
        std::any::type_name::<E>(),
        E::DESCRIPTION.labels.join(", ")
    )
    .into()
}

/// What `#[derive(SqlEnum)]` implements beside [`SqlEnum`]: the value conversions, written
/// for the concrete type (generic impls over every `SqlEnum` would overlap with the others).
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_sql_enum {
    ($ty:ty) => {
        impl<__DB: $crate::types::BindsEnums> $crate::types::ToSql<$crate::types::Enum<$ty>, __DB> for $ty {
            fn to_sql(&self) -> $crate::QueryResult<__DB::BindValue<'_>> {
                Ok(__DB::bind_label($crate::types::SqlEnum::label(self)))
            }
        }
        impl<__DB: $crate::types::BindsEnums> $crate::types::FromSql<$crate::types::Enum<$ty>, __DB> for $ty {
            fn from_sql(
                value: __DB::RawValue<'_>,
            ) -> ::std::result::Result<Self, ::std::boxed::Box<dyn ::std::error::Error + Send + Sync>> {
                let label = __DB::read_label(value)?;
                <$ty as $crate::types::SqlEnum>::from_label(label)
                    .ok_or_else(|| $crate::types::unknown_label::<$ty>(label))
            }
        }
        impl $crate::types::HoldsSqlType<$crate::types::Enum<$ty>> for $ty {}
        impl $crate::expression::LiteralType for $ty {
            type SqlType = $crate::types::Enum<$ty>;
        }
        impl $crate::expression::AsExpression<$crate::types::Enum<$ty>> for $ty {
            type Expression = $crate::expression::Bound<$crate::types::Enum<$ty>, $ty>;
            fn into_expression(self) -> Self::Expression {
                $crate::expression::Bound::new(self)
            }
        }
        impl $crate::expression::AsExpression<$crate::types::Nullable<$crate::types::Enum<$ty>>> for $ty {
            type Expression = $crate::expression::Bound<$crate::types::Enum<$ty>, $ty>;
            fn into_expression(self) -> Self::Expression {
                $crate::expression::Bound::new(self)
            }
        }
    };
}

/// `Some(label)` or NULL for a nullable enum column (written here: a user's crate may not
/// implement a foreign trait for `Option`).
#[diagnostic::do_not_recommend]
impl<E: SqlEnum> crate::expression::AsExpression<super::Nullable<Enum<E>>> for Option<E> {
    type Expression = crate::expression::Bound<super::Nullable<Enum<E>>, Option<E>>;
    fn into_expression(self) -> Self::Expression {
        crate::expression::Bound::new(self)
    }
}
