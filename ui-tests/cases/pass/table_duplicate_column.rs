philtre::table! {
    things (id) {
        id -> Integer,
        name -> Text,
        #[sql_name = "name"]
        name_again -> Text,
    }
}
fn main() {
    let _ = things::table;
}
