use philtre::prelude::*;
use philtre_engine::AnyConnection;
use philtre_ui_tests::schema::*;

// What every backend can run compiles against the any-backend connection; RETURNING is one
// `match` away, on the backends that have it.
fn insert_then_read_id(conn: &mut AnyConnection) -> QueryResult<i32> {
    match conn {
        AnyConnection::Postgres(pg) => insert_into(users::table)
            .values(users::name.eq("x"))
            .returning(users::id)
            .get_result(pg),
        other => {
            insert_into(users::table).values(users::name.eq("x")).execute(other)?;
            users::table.select(users::id).order(users::id.desc()).first(other)
        }
    }
}

fn main() {
    let _ = insert_then_read_id;
}
