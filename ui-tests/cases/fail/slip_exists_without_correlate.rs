use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// The subquery uses `users.id` of the outer query without saying so.
fn authors(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    users::table
        .filter(exists(posts::table.filter(posts::user_id.eq(users::id))))
        .select(users::name)
        .load(conn)
}

fn main() {
    let _ = authors;
}
