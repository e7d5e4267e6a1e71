use philtre::prelude::*;
use philtre_postgres::PgConnection;
use philtre_ui_tests::schema::*;

// Ordering by a selected column, or a column of `SELECT DISTINCT *`, or after DISTINCT ON.
fn names(conn: &mut PgConnection) -> QueryResult<Vec<(String, i32)>> {
    let _all = users::table.distinct().order(users::score.desc());
    let _by_name = users::table
        .select((users::name, users::score))
        .distinct_on(users::name)
        .order((users::name, users::score.desc()));
    let _ungrouped = users::table.select(users::name).order(users::score);
    users::table
        .select((users::name, users::score))
        .distinct()
        .order((users::score.desc().nulls_last(), users::name))
        .load(conn)
}

fn main() {
    let _ = names;
}
