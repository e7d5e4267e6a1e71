use philtre::prelude::*;
use philtre_dialects::{Mssql, render};
use philtre_ui_tests::schema::*;

fn main() {
    let _ = render::<Mssql, _>(&docs::table.select(docs::data.get("name").as_text()));
}
