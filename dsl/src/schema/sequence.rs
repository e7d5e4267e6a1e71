//! Sequences: `CREATE SEQUENCE`, `DROP SEQUENCE` and `next_value` (SQLAlchemy's `Sequence`).
//!
//! PostgreSQL and MariaDB have them; SQLite does not, and a query that takes a value from one
//! does not compile for it.

use crate::backend::{Backend, BindSink, SqlWriter, SupportsSequences};
use crate::error::{Error, ErrorKind, QueryResult};
use crate::expression::{Expression, QueryFragment};
use crate::types::BigInt;

use super::ddl::SchemaDialect;
use super::naming::check_name_length;

/// A named sequence of `BIGINT` values, declared once as a `static`:
///
/// ```
/// use philtre::schema::Sequence;
/// static INVOICE_NO: Sequence = Sequence::new("invoice_no_seq").start(1000);
/// assert_eq!(INVOICE_NO.name(), "invoice_no_seq");
/// ```
///
/// Add it to a [`super::Schema`] with [`super::Schema::sequence`] so `create_all` creates it
/// before the tables and `drop_all` drops it after them; take values with
/// [`Sequence::next_value`] in a SELECT, an INSERT's values or a column's
/// `#[default_sql = "nextval('invoice_no_seq')"]` (PostgreSQL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sequence {
    name: &'static str,
    start: i64,
    increment: i64,
}

impl Sequence {
    /// A sequence that starts at 1 and counts up by 1.
    pub const fn new(name: &'static str) -> Self {
        Sequence {
            name,
            start: 1,
            increment: 1,
        }
    }

    /// The first value it gives.
    pub const fn start(self, start: i64) -> Self {
        Sequence { start, ..self }
    }

    /// The step between values (negative to count down; never 0).
    pub const fn increment(self, increment: i64) -> Self {
        Sequence { increment, ..self }
    }

    /// The sequence's SQL name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The next value, as an SQL expression: `nextval('name')` on PostgreSQL,
    /// `NEXTVAL(name)` on MariaDB. Each evaluation takes a new value, even in a transaction
    /// that rolls back.
    pub const fn next_value(&self) -> NextValue {
        NextValue { name: self.name }
    }

    /// `CREATE SEQUENCE [IF NOT EXISTS] name START WITH … INCREMENT BY …`.
    pub fn create_sql<DB: SchemaDialect>(&self, if_not_exists: bool) -> QueryResult<String> {
        self.supported::<DB>()?;
        if self.increment == 0 {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                format!("sequence `{}` has an increment of 0", self.name),
            ));
        }
        check_name_length(self.name, DB::MAX_NAME_LENGTH, DB::DATABASE)?;
        Ok(format!(
            "CREATE SEQUENCE {}{} START WITH {} INCREMENT BY {}",
            if if_not_exists { "IF NOT EXISTS " } else { "" },
            identifier::<DB>(self.name),
            self.start,
            self.increment
        ))
    }

    /// `DROP SEQUENCE [IF EXISTS] name`.
    pub fn drop_sql<DB: SchemaDialect>(&self, if_exists: bool) -> QueryResult<String> {
        self.supported::<DB>()?;
        Ok(format!(
            "DROP SEQUENCE {}{}",
            if if_exists { "IF EXISTS " } else { "" },
            identifier::<DB>(self.name)
        ))
    }

    fn supported<DB: SchemaDialect>(&self) -> QueryResult<()> {
        if DB::SEQUENCES {
            Ok(())
        } else {
            Err(Error::new(
                ErrorKind::InvalidQuery,
                format!(
                    "{} has no sequences (`{}`); use an auto-increment column or a counter table",
                    DB::DATABASE,
                    self.name
                ),
            ))
        }
    }
}

fn identifier<DB: Backend>(name: &str) -> String {
    let mut out = String::new();
    DB::push_identifier(&mut out, name);
    out
}

/// The next value of a [`Sequence`], a `BIGINT`: see [`Sequence::next_value`].
#[derive(Debug, Clone, Copy)]
pub struct NextValue {
    name: &'static str,
}

impl Expression for NextValue {
    type SqlType = BigInt;
}

crate::__impl_constant_appears_in!([] NextValue);

impl<DB: SupportsSequences> QueryFragment<DB> for NextValue {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        DB::push_next_value(out, self.name);
    }
    fn collect_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn has_static_sql(&self) -> bool {
        true
    }
}

crate::__impl_arithmetic!([] NextValue);
crate::__impl_as_expression!([] NextValue);
