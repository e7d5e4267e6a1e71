use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    // `users.name` is NOT NULL, `users.email` nullable: the rows differ without `.nullable()`.
    let _ = users::table
        .select(users::name)
        .union(users::table.select(users::email));
}
