use philtre::prelude::*;
use philtre::query::lateral;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

philtre::table! {
    top (id) {
        id -> Integer,
        title -> Text,
    }
}

fn latest(conn: &mut SqliteConnection) -> QueryResult<Vec<(String, String)>> {
    let best = lateral(
        posts::table
            .correlate(users::table)
            .filter(posts::user_id.eq(users::id))
            .select((posts::id, posts::title))
            .limit(1),
        top::table,
    );
    users::table.cross_join_lateral(best).select((users::name, top::title)).load(conn)
}

fn main() {
    let _ = latest;
}
