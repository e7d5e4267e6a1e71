/// What a table looks like, known at compile time and readable at run time.
///
/// `table!` builds one `const` per table; DDL, reflection and the ORM read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableDescription {
    /// The table's SQL name.
    pub name: &'static str,
    /// The columns, in declaration order.
    pub columns: &'static [ColumnDescription],
    /// SQL names of the primary key columns.
    pub primary_key: &'static [&'static str],
    /// Foreign keys declared with `references`.
    pub foreign_keys: &'static [ForeignKeyDescription],
}

impl TableDescription {
    /// The column with SQL name `name`.
    pub fn column(&self, name: &str) -> Option<&ColumnDescription> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// One column of a [`TableDescription`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnDescription {
    /// The column's SQL name.
    pub name: &'static str,
    /// The Rust name of the column type in the `table!` module.
    pub rust_name: &'static str,
    /// The SQL type's name, e.g. `INTEGER`.
    pub sql_type: &'static str,
    /// Whether the column admits NULL.
    pub nullable: bool,
    /// Whether the column is part of the primary key.
    pub primary_key: bool,
}

/// A `references other(col)` declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForeignKeyDescription {
    /// The referencing column's SQL name.
    pub column: &'static str,
    /// The referenced table's SQL name.
    pub foreign_table: &'static str,
    /// The referenced column's SQL name.
    pub foreign_column: &'static str,
}
