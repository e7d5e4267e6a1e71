philtre::table! {
    #[index(nmae)]
    things (id) {
        id -> Integer,
        name -> Text,
    }
}
fn main() {}
