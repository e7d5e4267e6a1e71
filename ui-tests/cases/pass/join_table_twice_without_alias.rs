use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let rival = alias!(users as rival);
    let _ = users::table
        .inner_join(rival.on(rival.column(users::score).gt(users::score)))
        .select((users::name, rival.column(users::name)));
}
