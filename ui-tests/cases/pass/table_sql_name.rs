use philtre::prelude::*;

philtre::table! {
    #[sql_name = "thing list"]
    things (id) {
        id -> Integer,
        #[sql_name = "type"]
        kind -> Text,
    }
}
fn main() {
    let _ = things::table.select(things::kind);
}
