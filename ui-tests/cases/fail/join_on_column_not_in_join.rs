use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = users::table.inner_join(posts::table.on(post_tags::tag.eq(posts::title)));
}
