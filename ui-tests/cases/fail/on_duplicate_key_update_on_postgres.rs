use philtre::prelude::*;
use philtre_postgres::PgConnection;
use philtre_ui_tests::schema::*;

fn upsert(conn: &mut PgConnection) -> QueryResult<usize> {
    insert_into(users::table)
        .values((users::id.eq(1), users::name.eq("x")))
        .on_duplicate_key_update(users::name.eq(excluded(users::name)))
        .execute(conn)
}

fn main() {
    let _ = upsert;
}
