
philtre::table! {
    things (id) {
        id -> Integer,
        name -> Text,
        name -> Text,
    }
}
fn main() {}
