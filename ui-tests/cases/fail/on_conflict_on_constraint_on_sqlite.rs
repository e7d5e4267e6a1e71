use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn upsert(conn: &mut SqliteConnection) -> QueryResult<usize> {
    insert_into(users::table)
        .values((users::id.eq(1), users::name.eq("x")))
        .on_conflict_on_constraint("users_pkey")
        .do_nothing()
        .execute(conn)
}

fn main() {
    let _ = upsert;
}
