use philtre::prelude::*;
use philtre_dialects::{Mssql, render};
use philtre_ui_tests::schema::*;

fn main() {
    let _ = render::<Mssql, _>(
        &users::table
            .inner_join(posts::table)
            .select((users::id, posts::id))
            .for_update()
            .of(users::table),
    );
}
