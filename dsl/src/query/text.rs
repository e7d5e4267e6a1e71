//! `text("SELECT … WHERE id = :id")`: a whole statement written in SQL, with named bind
//! parameters and typed result columns — SQLAlchemy's `text()`.
//!
//! The statement is sent as written except for its `:name` parameters, each replaced by the
//! backend's placeholder (`?`, `$1`) and its value sent apart, never spliced into the text.
//! Nothing else is checked by the compiler: this is the escape hatch for a statement the DSL
//! cannot say. A name used in the text without a value, a value whose name the text does not
//! use, and a name bound twice are errors of kind [`ErrorKind::InvalidQuery`] when the statement
//! runs, before anything reaches the database.

use std::borrow::Cow;
use std::marker::PhantomData;
use std::ops::Range;

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::{Error, ErrorKind, QueryResult};
use crate::expression::{AsExpression, LiteralType, QueryFragment};
use crate::types::SqlType;

use super::Query;

/// A statement written in SQL; see [`text`].
#[derive(Debug, Clone)]
pub struct TextQuery<Binds = (), Row = UndeclaredColumns> {
    sql: Cow<'static, str>,
    pieces: Vec<Piece>,
    binds: Binds,
    _row: PhantomData<fn() -> Row>,
}

/// A [`TextQuery`] whose result columns are not declared: it can be executed, not loaded.
#[derive(Debug, Clone, Copy)]
pub struct UndeclaredColumns;

/// A [`TextQuery`]'s result columns, of SQL types `Row` (a tuple, or one type).
#[derive(Debug, Clone, Copy)]
pub struct Columns<Row>(PhantomData<Row>);

/// A piece of the text: SQL sent as is, or a `:name` parameter.
#[derive(Debug, Clone)]
enum Piece {
    Sql(Range<usize>),
    /// `\:` in the text: a colon that does not start a parameter.
    Colon,
    Param(Range<usize>),
}

/// A whole statement in SQL with `:name` parameters: SQLAlchemy's `text()`.
///
/// Bind each name with [`TextQuery::bind`]; declare the result columns' SQL types with
/// [`TextQuery::columns`] to read rows (`load`, `get_result`); or just `execute` it. A colon
/// that is not a parameter: `::` (PostgreSQL's cast; `:n::int` is parameter `n`, cast), a colon
/// inside quotes, after a letter or digit (`10:30`), or written `\:`.
///
/// ```
/// use philtre::prelude::*;
/// use philtre::query::text;
/// # fn show<DB: philtre::backend::Backend>()
/// # where i32: philtre::types::ToSql<Integer, DB>, str: philtre::types::ToSql<Text, DB> {
/// let q = text("SELECT id, name FROM users WHERE score > :min AND name <> :name")
///     .bind("min", 10)
///     .bind("name", "root")
///     .columns::<(Integer, Text)>();
/// println!("{}", debug_query::<DB, _>(&q));
/// # }
/// ```
pub fn text(sql: impl Into<Cow<'static, str>>) -> TextQuery {
    let sql = sql.into();
    let pieces = split(&sql);
    TextQuery {
        sql,
        pieces,
        binds: (),
        _row: PhantomData,
    }
}

/// Splits the text into SQL and `:name` parameters, skipping quoted text and `::` casts.
fn split(sql: &str) -> Vec<Piece> {
    let bytes = sql.as_bytes();
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let mut quote: Option<u8> = None;
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    while i < bytes.len() {
        let b = bytes[i];
        if let Some(q) = quote {
            if b == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        match b {
            b'\'' | b'"' | b'`' => quote = Some(b),
            b'\\' if bytes.get(i + 1) == Some(&b':') => {
                pieces.push(Piece::Sql(start..i));
                pieces.push(Piece::Colon);
                i += 2;
                start = i;
                continue;
            }
            b':' => {
                let after_colon = i > 0 && bytes[i - 1] == b':';
                let after_word = i > 0 && is_word(bytes[i - 1]);
                let name_len = bytes[i + 1..].iter().take_while(|&&c| is_word(c)).count();
                // `:a:b` is not a parameter; `:n::int` is one, cast (PostgreSQL).
                let end = i + 1 + name_len;
                let before_colon =
                    bytes.get(end) == Some(&b':') && bytes.get(end + 1) != Some(&b':');
                let starts_word = bytes
                    .get(i + 1)
                    .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_');
                if !after_colon && !after_word && !before_colon && starts_word && name_len > 0 {
                    pieces.push(Piece::Sql(start..i));
                    pieces.push(Piece::Param(i + 1..i + 1 + name_len));
                    i += 1 + name_len;
                    start = i;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    pieces.push(Piece::Sql(start..bytes.len()));
    pieces
}

/// A value bound to a name in a [`TextQuery`].
#[derive(Debug, Clone)]
pub struct NamedBind<E> {
    name: Cow<'static, str>,
    value: E,
}

impl<Binds, Row> TextQuery<Binds, Row> {
    /// Binds `value` to `:name`, as the SQL type its Rust type maps to (`i32` an `Integer`,
    /// `&str` a `Text`, …; see [`LiteralType`]). Every use of `:name` in the text gets it.
    pub fn bind<V>(
        self,
        name: impl Into<Cow<'static, str>>,
        value: V,
    ) -> TextQuery<
        (
            Binds,
            NamedBind<<V as AsExpression<V::SqlType>>::Expression>,
        ),
        Row,
    >
    where
        V: LiteralType + AsExpression<<V as LiteralType>::SqlType>,
    {
        self.bind_as::<V::SqlType, V>(name, value)
    }

    /// Binds `value` to `:name` as SQL type `ST`, for a value whose SQL type is not the one
    /// its Rust type maps to (`bind_as::<Jsonb, _>("doc", json)`).
    pub fn bind_as<ST: SqlType, V: AsExpression<ST>>(
        self,
        name: impl Into<Cow<'static, str>>,
        value: V,
    ) -> TextQuery<(Binds, NamedBind<V::Expression>), Row> {
        TextQuery {
            sql: self.sql,
            pieces: self.pieces,
            binds: (
                self.binds,
                NamedBind {
                    name: name.into(),
                    value: value.into_expression(),
                },
            ),
            _row: PhantomData,
        }
    }

    /// Declares the SQL types of the result columns, in order (`.columns::<(Integer, Text)>()`,
    /// or one type for one column), so that rows can be read: into a tuple of Rust types, or a
    /// `Queryable` struct of them. Nullable columns are `Nullable<…>`.
    pub fn columns<R>(self) -> TextQuery<Binds, Columns<R>> {
        TextQuery {
            sql: self.sql,
            pieces: self.pieces,
            binds: self.binds,
            _row: PhantomData,
        }
    }

    /// The names used in the text, in order, a name once per use.
    fn parameters(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|piece| match piece {
            Piece::Param(range) => Some(&self.sql[range.clone()]),
            _ => None,
        })
    }
}

impl<Binds, Row> super::ReadOnlyQuery for TextQuery<Binds, Row> {}

impl<Binds, Row> Query for TextQuery<Binds, Columns<Row>> {
    type SqlRow = Row;
}

/// The values bound to a [`TextQuery`], found by name.
pub trait NamedBinds<DB: Backend> {
    /// Sends the value bound to `name`; `false` when there is none.
    fn collect_named<'a>(&'a self, name: &str, out: &mut dyn BindSink<'a, DB>)
    -> QueryResult<bool>;
    /// Calls `f` with every bound name.
    fn for_each_name<'s>(&'s self, f: &mut dyn FnMut(&'s str));
}

impl<DB: Backend> NamedBinds<DB> for () {
    fn collect_named<'a>(&'a self, _: &str, _: &mut dyn BindSink<'a, DB>) -> QueryResult<bool> {
        Ok(false)
    }
    fn for_each_name<'s>(&'s self, _: &mut dyn FnMut(&'s str)) {}
}

impl<DB: Backend, Prev: NamedBinds<DB>, E: QueryFragment<DB>> NamedBinds<DB>
    for (Prev, NamedBind<E>)
{
    fn collect_named<'a>(
        &'a self,
        name: &str,
        out: &mut dyn BindSink<'a, DB>,
    ) -> QueryResult<bool> {
        if self.1.name == name {
            self.1.value.collect_binds(out)?;
            return Ok(true);
        }
        self.0.collect_named(name, out)
    }
    fn for_each_name<'s>(&'s self, f: &mut dyn FnMut(&'s str)) {
        self.0.for_each_name(f);
        f(&self.1.name);
    }
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidQuery, message)
}

impl<DB: Backend, Binds: NamedBinds<DB>, Row> QueryFragment<DB> for TextQuery<Binds, Row> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        for piece in &self.pieces {
            match piece {
                Piece::Sql(range) => out.push_sql(&self.sql[range.clone()]),
                Piece::Colon => out.push_sql(":"),
                Piece::Param(_) => out.push_bind_param(),
            }
        }
    }

    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        // Every bound name once, and used by the text: a typo is an error, not a silently
        // ignored value.
        let mut bound: Vec<&str> = Vec::new();
        let mut problem = None;
        self.binds.for_each_name(&mut |name| {
            if problem.is_none() {
                if bound.contains(&name) {
                    problem = Some(format!("text(): `:{name}` is bound twice"));
                } else if !self.parameters().any(|used| used == name) {
                    problem = Some(format!(
                        "text(): a value is bound to `:{name}`, which the text does not use"
                    ));
                }
            }
            bound.push(name);
        });
        if let Some(message) = problem {
            return Err(invalid(message));
        }
        for name in self.parameters() {
            if !self.binds.collect_named(name, out)? {
                return Err(invalid(format!(
                    "text(): no value is bound to `:{name}`; add `.bind(\"{name}\", value)`"
                )));
            }
        }
        Ok(())
    }

    fn has_static_sql(&self) -> bool {
        // The text is a value, not part of the type: never cached by type.
        false
    }
}

/// A borrowed text query is a query too: the form a derived table holds
/// ([`TextQuery::as_table`]), since a FROM source is copied and the text's bound values are not.
impl<Binds, Row> super::ReadOnlyQuery for &TextQuery<Binds, Row> {}

#[diagnostic::do_not_recommend]
impl<Binds, Row> Query for &TextQuery<Binds, Columns<Row>> {
    type SqlRow = Row;
}

impl<Binds, Row> TextQuery<Binds, Columns<Row>> {
    /// The text as a table in FROM — SQLAlchemy's `text(…).columns(…).alias()`: named and typed
    /// as table `T` (declared with `table!`, never created), filtered, joined and selected from
    /// through `T`'s columns. Borrows the text, which stays where it is while the query runs:
    ///
    /// ```
    /// use philtre::prelude::*;
    /// # philtre::table! { adults (id) { id -> Integer, name -> Text, } }
    /// let text = text("SELECT id, name FROM users WHERE age >= :age")
    ///     .bind("age", 18)
    ///     .columns::<(Integer, Text)>();
    /// let names = text.as_table(adults::table).filter(adults::id.lt(100)).select(adults::name);
    /// # let _ = names;
    /// ```
    pub fn as_table<T>(&self, table: T) -> super::DerivedTable<T, &Self>
    where
        T: crate::schema::Table,
        Row: super::MatchesColumns<T::AllColumnsSqlType>,
    {
        use super::DerivedTableDsl;
        self.into_table(table)
    }
}

impl<Binds, Row> super::AsQuery for TextQuery<Binds, Row> {
    type Query = Self;
    fn into_query(self) -> Self {
        self
    }
    fn with_query<Out>(&self, f: impl FnOnce(&Self) -> Out) -> Out {
        f(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(sql: &str) -> Vec<String> {
        let q = text(sql.to_owned());
        q.parameters().map(str::to_owned).collect()
    }

    #[test]
    fn parameters_are_found_outside_quotes_and_casts() {
        assert_eq!(
            names("SELECT :a, :b_2 FROM t WHERE x = :a"),
            ["a", "b_2", "a"]
        );
        assert_eq!(
            names("SELECT x::int, ':no', \"a:b\", '10:30' FROM t"),
            Vec::<String>::new()
        );
        assert_eq!(
            names("SELECT 10:30, a:b, :1, :x:y FROM t"),
            Vec::<String>::new()
        );
        assert_eq!(names("SELECT :n::int"), ["n"]);
        assert_eq!(names(r"SELECT '\:x', \:y, :z"), ["z"]);
    }
}
