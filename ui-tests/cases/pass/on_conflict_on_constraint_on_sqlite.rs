use philtre::prelude::*;
use philtre_postgres::PgConnection;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn upsert(conn: &mut PgConnection) -> QueryResult<usize> {
    insert_into(users::table)
        .values((users::id.eq(1), users::name.eq("x")))
        .on_conflict_on_constraint("users_pkey")
        .do_nothing()
        .execute(conn)
}

// SQLite names the constraint's columns.
fn upsert_sqlite(conn: &mut SqliteConnection) -> QueryResult<usize> {
    insert_into(users::table)
        .values((users::id.eq(1), users::name.eq("x")))
        .on_conflict(users::id)
        .do_nothing()
        .execute(conn)
}

fn main() {
    let _ = (upsert, upsert_sqlite);
}
