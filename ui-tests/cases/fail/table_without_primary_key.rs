
philtre::table! {
    things {
        id -> Integer,
    }
}
fn main() {}
