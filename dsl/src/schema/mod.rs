//! Tables and columns as types, their runtime description, and the FROM clause as a
//! type-level list.

pub mod ddl;
mod description;
mod from_list;
mod naming;
mod registry;
mod sequence;
mod source_id;
mod translate;

pub use ddl::{AutoIncrement, CommentStyle, IndexUsing, SchemaDialect};
pub use description::{
    CheckDescription, ColumnDefault, ColumnDescription, ConflictResolution, Deferrable,
    EnumDescription, ForeignKeyDescription, Generated, IndexDescription, ReferentialAction,
    SqliteOnConflict, TableDescription, TypeKind,
};
pub use from_list::{
    AppendFromList, Entry, Here, NullableFromList, SingleFrom, TableInFrom, There,
};
pub use naming::NamingConvention;
pub use registry::{CreationPlan, Schema, create_index, create_table, drop_index, drop_table};
pub use sequence::{NextValue, Sequence};
pub use source_id::{
    Differs, LacksSource, NamedSource, NewSources, No, SameDigits, Truth, Yes, digits,
};
pub use translate::{SchemaTranslateMap, SharedSchemaMap};

use crate::expression::Expression;

/// A table declared with `table!`: a zero-sized value standing for the table in queries.
pub trait Table: Copy + Default + Send + Sync + 'static {
    /// The primary key column, or a tuple of them for a composite key.
    type PrimaryKey: Copy + Default;
    /// All columns, in declaration order (nested in groups of 12 for wide tables).
    type AllColumns: Copy + Default;
    /// The SQL types of `AllColumns`, shaped the same way.
    type AllColumnsSqlType;
    /// The columns an INSERT must give a value, as a cons list `(a, (b, ()))`: NOT NULL, with
    /// no default, not generated, not auto-incremented (a single integer primary key counts as
    /// auto-incremented, as in SQLAlchemy).
    type Required;
    /// The table itself (`Self`). Generic code that takes "a table or something built on one"
    /// names the table through it, so that a thing that is no table is reported once, as not
    /// being a table, and not again by every later use of the statement.
    type Itself: Table;
    /// The table's runtime description: names, SQL types, keys.
    const DESCRIPTION: &'static TableDescription;

    /// The runtime description.
    fn description(&self) -> &'static TableDescription {
        Self::DESCRIPTION
    }
}

/// A column declared with `table!`.
pub trait Column: Expression + Copy + Default + Send + Sync + 'static {
    /// The table the column belongs to.
    type Table: Table;
    /// The column's SQL name.
    const NAME: &'static str;
}

/// Rule: INSERT and UPDATE may only name columns of the table they write to.
#[diagnostic::on_unimplemented(
    message = "column `{Self}` does not belong to table `{T}`",
    label = "this column is from another table",
    note = "INSERT and UPDATE can only assign columns of the table they write to"
)]
pub trait ColumnOf<T> {
    /// The column itself. INSERT values name their columns through it, so that a column of
    /// another table is reported once, by this rule, and not again as a required column the
    /// INSERT leaves out.
    type Column: Column;
}

/// Rule: a generated (computed) column is read, never written — the database computes it.
///
/// `table!` implements this for every column without `#[generated = "…"]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is a generated column: the database computes it, so INSERT and UPDATE cannot assign it",
    label = "computed by the database",
    note = "write the columns it is computed from; read it in a SELECT or with RETURNING"
)]
pub trait WritableColumn {}
