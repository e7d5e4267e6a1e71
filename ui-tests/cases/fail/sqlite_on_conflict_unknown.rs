philtre::table! {
    #[sqlite_on_conflict(unique = "skip")]
    settings (key) {
        key -> Text,
        #[unique]
        label -> Text,
    }
}

fn main() {}
