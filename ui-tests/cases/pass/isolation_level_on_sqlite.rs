use philtre::prelude::*;
use philtre_mysql::MysqlConnection;
use philtre_postgres::PgConnection;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn serializable_pg(conn: &mut PgConnection) -> QueryResult<usize> {
    conn.transaction_with(IsolationLevel::Serializable, |conn| {
        insert_into(users::table).values(users::name.eq("x")).execute(conn)
    })
}

fn repeatable_read_mysql(conn: &mut MysqlConnection) -> QueryResult<usize> {
    conn.transaction_with(IsolationLevel::RepeatableRead, |conn| {
        insert_into(users::table).values(users::name.eq("x")).execute(conn)
    })
}

fn sqlite_is_always_serializable(conn: &mut SqliteConnection) -> QueryResult<usize> {
    conn.transaction(|conn| insert_into(users::table).values(users::name.eq("x")).execute(conn))
}

fn main() {
    let _ = (serializable_pg, repeatable_read_mysql, sqlite_is_always_serializable);
}
