use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = users::table.inner_join(post_tags::table.on(post_tags::post_id.eq(users::id)));
}
