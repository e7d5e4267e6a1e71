use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = users::table.inner_join(reviews::table.on(reviews::author_id.eq(users::id)));
}
