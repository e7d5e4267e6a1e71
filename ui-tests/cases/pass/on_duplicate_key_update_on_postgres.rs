use philtre::prelude::*;
use philtre_mysql::MysqlConnection;
use philtre_postgres::PgConnection;
use philtre_ui_tests::schema::*;

// On PostgreSQL the same update names the conflicting key.
fn upsert_pg(conn: &mut PgConnection) -> QueryResult<usize> {
    insert_into(users::table)
        .values((users::id.eq(1), users::name.eq("x")))
        .on_conflict(users::id)
        .do_update()
        .set(users::name.eq(excluded(users::name)))
        .execute(conn)
}

// ON DUPLICATE KEY UPDATE is MySQL's own spelling.
fn upsert_mysql(conn: &mut MysqlConnection) -> QueryResult<usize> {
    insert_into(users::table)
        .values((users::id.eq(1), users::name.eq("x")))
        .on_duplicate_key_update(users::name.eq(excluded(users::name)))
        .execute(conn)
}

fn main() {
    let _ = (upsert_pg, upsert_mysql);
}
