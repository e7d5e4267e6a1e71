use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = posts::table.group_by(posts::user_id).select((posts::title, count_star()));
}
