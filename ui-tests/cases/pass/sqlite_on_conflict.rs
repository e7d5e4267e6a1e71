use philtre::prelude::*;

philtre::table! {
    #[sqlite_on_conflict(primary_key = "replace", unique = "ignore", not_null = "fail")]
    settings (key) {
        key -> Text,
        #[unique]
        label -> Text,
    }
}

fn main() {
    let clauses = settings::table.description().sqlite_on_conflict;
    assert_eq!(clauses.unique, Some(philtre::schema::ConflictResolution::Ignore));
}
