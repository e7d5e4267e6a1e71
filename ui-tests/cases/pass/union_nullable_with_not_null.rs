use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    // `users.name` is NOT NULL, `users.email` nullable: `.nullable()` makes the sides agree.
    let _ = users::table
        .select(users::name.nullable())
        .union(users::table.select(users::email));
}
