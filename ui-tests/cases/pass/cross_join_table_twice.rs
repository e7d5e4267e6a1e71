use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    // With an alias, every pair of users.
    let other = alias!(users as other);
    let _ = users::table
        .cross_join(other)
        .filter(users::id.lt(other.column(users::id)))
        .select((users::name, other.column(users::name)));
    let _ = users::table.cross_join(posts::table).select((users::name, posts::title));
}
