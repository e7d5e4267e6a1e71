//! A checked-out connection runs statements itself: `query.load(&mut conn)` works on the guard
//! as on the connection inside it (as with diesel's r2d2 `PooledConnection`), so forgetting
//! the `&mut *conn` is not an error.

use philtre::QueryResult;
use philtre::connection::{
    AnyOf3, Blocking, Connection, Instrumented, OneOf3, QueryConnection, Split3, TransactionDepth,
};
use philtre::expression::QueryFragment;
use philtre::query::{
    BatchInsert, ColumnAssignments, InsertStatement, InsertsRows, NoReturning, Query,
};
use philtre::types::FromSqlRow;
use philtre_mysql::{Mysql, MysqlConnection};
use philtre_postgres::{Pg, PgConnection};
use philtre_sqlite::{Sqlite, SqliteConnection};

use crate::any::AnyConnection;
use crate::connect::EngineConnection;
use crate::engine::PooledConnection;

/// The guard of a single-backend engine is that backend's connection.
impl<C: EngineConnection + Connection> Connection for PooledConnection<C> {
    type Backend = C::Backend;
    type Cursor<'c, ST, U>
        = C::Cursor<'c, ST, U>
    where
        Self: 'c;

    fn batch_execute(&mut self, sql: &str) -> QueryResult<()> {
        (**self).batch_execute(sql)
    }
    fn execute_query<Q: QueryFragment<Self::Backend>>(&mut self, query: &Q) -> QueryResult<usize> {
        (**self).execute_query(query)
    }
    fn load_query<Q, U>(&mut self, query: &Q) -> QueryResult<Vec<U>>
    where
        Q: Query + QueryFragment<Self::Backend>,
        U: FromSqlRow<Q::SqlRow, Self::Backend>,
    {
        (**self).load_query(query)
    }
    fn load_first<Q, U>(&mut self, query: &Q) -> QueryResult<U>
    where
        Q: Query + QueryFragment<Self::Backend>,
        U: FromSqlRow<Q::SqlRow, Self::Backend>,
    {
        (**self).load_first(query)
    }
    fn cursor<Q, U>(&mut self, query: &Q) -> QueryResult<Self::Cursor<'_, Q::SqlRow, U>>
    where
        Q: Query + QueryFragment<Self::Backend>,
        U: FromSqlRow<Q::SqlRow, Self::Backend>,
    {
        (**self).cursor(query)
    }
    fn transaction_depth(&mut self) -> &mut TransactionDepth {
        (**self).transaction_depth()
    }
    fn instrumentation(&mut self) -> &mut Instrumented {
        (**self).instrumentation()
    }
    fn is_broken(&self) -> bool {
        (**self).is_broken()
    }
    fn ping(&mut self) -> QueryResult<()> {
        (**self).ping()
    }
    fn reset(&mut self) -> QueryResult<()> {
        (**self).reset()
    }
    fn string_escapes(&self) -> philtre::backend::StringEscapes {
        (**self).string_escapes()
    }
    fn last_insert_id(&self) -> Option<u64> {
        (**self).last_insert_id()
    }
    fn auto_increment_step(&mut self) -> QueryResult<u64> {
        (**self).auto_increment_step()
    }
    fn last_insert_rowid(&self) -> Option<i64> {
        (**self).last_insert_rowid()
    }
    fn execute_control(&mut self, sql: &str) -> QueryResult<()> {
        (**self).execute_control(sql)
    }
    fn begin_transaction(&mut self) -> QueryResult<()> {
        (**self).begin_transaction()
    }
    fn commit_transaction(&mut self, savepoint: Option<&str>) -> QueryResult<()> {
        (**self).commit_transaction(savepoint)
    }
    fn rollback_transaction(&mut self, savepoint: Option<&str>) -> QueryResult<()> {
        (**self).rollback_transaction(savepoint)
    }
}

/// The guard of an any-backend engine runs what an [`AnyConnection`] runs.
impl QueryConnection for PooledConnection<AnyConnection> {
    type Backends = AnyOf3<SqliteConnection, PgConnection, MysqlConnection>;
    fn key_list_limit(&self) -> philtre::connection::KeyListLimit {
        (**self).key_list_limit()
    }
}

impl Split3<SqliteConnection, PgConnection, MysqlConnection> for PooledConnection<AnyConnection> {
    #[inline]
    fn split(&mut self) -> OneOf3<&mut SqliteConnection, &mut PgConnection, &mut MysqlConnection> {
        (**self).split()
    }
}

impl<T, X, C> InsertsRows<T, X, C, Blocking> for PooledConnection<AnyConnection>
where
    T: philtre::schema::Table,
    C: Clone,
    X: ColumnAssignments<Sqlite> + ColumnAssignments<Pg> + ColumnAssignments<Mysql>,
    InsertStatement<T, BatchInsert<X>, NoReturning, C>:
        QueryFragment<Sqlite> + QueryFragment<Pg> + QueryFragment<Mysql>,
{
    type Output<'c>
        = QueryResult<usize>
    where
        Self: 'c,
        T: 'c,
        X: 'c,
        C: 'c;

    fn insert_rows<'c>(
        &'c mut self,
        statement: InsertStatement<T, BatchInsert<X>, NoReturning, C>,
    ) -> QueryResult<usize>
    where
        T: 'c,
        X: 'c,
        C: 'c,
    {
        (**self).insert_rows(statement)
    }
}
