use philtre::expression::coalesce;
use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    // Compared, a nullable column meets a non-null one; assigned, it needs a default.
    let _ = users::table.filter(users::email.eq(users::name));
    let _ = update(users::table).set(users::name.eq(coalesce(users::email, "none")));
    let _ = update(users::table).set(users::email.eq(users::name));
}
