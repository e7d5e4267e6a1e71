use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = insert_into(posts::table).values((posts::title.eq("x"), posts::user_id.eq(1)));
}
