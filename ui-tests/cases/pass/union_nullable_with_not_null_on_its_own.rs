use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// `users.name` is NOT NULL, `users.email` nullable: the union's column is nullable, in either
// order, without `.nullable()`.
fn names_and_emails(conn: &mut SqliteConnection) -> QueryResult<Vec<Option<String>>> {
    users::table
        .select(users::name)
        .union(users::table.select(users::email))
        .load(conn)
}

fn emails_and_names(conn: &mut SqliteConnection) -> QueryResult<Vec<(i32, Option<String>)>> {
    users::table
        .select((users::id, users::email))
        .union_all(users::table.select((users::id, users::name)))
        .load(conn)
}

fn main() {
    let _ = (names_and_emails, emails_and_names);
}
