use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    // `name` and `email` are grouped, but not `id`: `score` is not determined by them.
    let _ = users::table
        .group_by((users::name, users::email))
        .select((users::name, users::score));
}
