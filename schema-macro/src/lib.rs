//! Procedural macros for philtre: `table!` and the `Queryable`, `Selectable`, `Insertable`,
//! `AsChangeset` and `Identifiable` derives. Use them through the `philtre` crate.

mod alias;
mod attrs;
mod derives;
mod source_id;
mod sql_enum;
mod table;

use proc_macro::TokenStream;

/// Declares one or more tables. See the `philtre` crate documentation and the book.
///
/// ```text
/// table! {
///     users (id) {
///         id -> Integer,
///         #[sql_name = "type"]
///         kind -> Text,
///         email -> Nullable<Text>,
///     }
///     posts (id) {
///         id -> Integer,
///         user_id -> Integer references users(id),
///     }
/// }
/// ```
#[proc_macro]
pub fn table(input: TokenStream) -> TokenStream {
    table::expand(input.into()).into()
}

/// A second name for a table: `let manager = alias!(employees as manager);` gives a FROM
/// source rendered `employees AS manager`, whose columns are `manager.column(employees::id)`.
#[proc_macro]
pub fn alias(input: TokenStream) -> TokenStream {
    alias::expand(input.into()).into()
}

/// Reads a row positionally: fields in order, one per selected column.
#[proc_macro_derive(Queryable, attributes(philtre))]
pub fn derive_queryable(input: TokenStream) -> TokenStream {
    derives::run(input, derives::queryable)
}

/// Selects a struct's own columns by name: `query.select(User::as_select())`.
#[proc_macro_derive(Selectable, attributes(philtre))]
pub fn derive_selectable(input: TokenStream) -> TokenStream {
    derives::run(input, derives::selectable)
}

/// Inserts a struct as a row; `Option` fields left `None` take the column default.
#[proc_macro_derive(Insertable, attributes(philtre))]
pub fn derive_insertable(input: TokenStream) -> TokenStream {
    derives::run(input, derives::insertable)
}

/// Uses a struct as the SET clause of an UPDATE; `None` fields are left unchanged.
#[proc_macro_derive(AsChangeset, attributes(philtre))]
pub fn derive_as_changeset(input: TokenStream) -> TokenStream {
    derives::run(input, derives::into_changeset)
}

/// `#[derive(Entity)]`: a struct mapped to a whole table row, for the ORM's session
/// (`philtre::orm::Session`). Implies `Selectable`; the primary key is the field `id` unless
/// `#[philtre(primary_key(a, b))]` names the key fields, and must be the table's primary key.
#[proc_macro_derive(Entity, attributes(philtre))]
pub fn derive_entity(input: TokenStream) -> TokenStream {
    derives::run(input, derives::entity)
}

/// Gives a struct its primary key value: `#[philtre(table = users, primary_key(id))]`.
#[proc_macro_derive(Identifiable, attributes(philtre))]
pub fn derive_identifiable(input: TokenStream) -> TokenStream {
    derives::run(input, derives::identifiable)
}

/// A unit-only Rust enum stored as labels: `#[philtre(sql_name = "mood")]` on the enum,
/// `#[philtre(label = "…")]` on a variant (both default to snake case). A column holding it is
/// `mood -> Enum<Mood>`.
#[proc_macro_derive(SqlEnum, attributes(philtre))]
pub fn derive_sql_enum(input: TokenStream) -> TokenStream {
    derives::run(input, sql_enum::sql_enum)
}
