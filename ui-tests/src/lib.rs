//! The schema the compile-fail and compile-pass cases share.

/// Two related tables.
pub mod schema {
    philtre::table! {
        users (id) {
            id -> Integer,
            name -> Text,
            email -> Nullable<Text>,
            #[default = 0]
            score -> Integer,
        }
        posts (id) {
            id -> Integer,
            user_id -> Integer references users(id),
            title -> Text,
        }
        reviews (id) {
            id -> Integer,
            author_id -> Integer references users(id),
            reviewer_id -> Integer references users(id),
        }
        post_tags (post_id, tag) {
            post_id -> Integer,
            tag -> Text,
        }
        docs (id) {
            id -> Integer,
            data -> Json,
            body -> Jsonb,
            labels -> Array<Text>,
        }
        lines (id) {
            id -> Integer,
            qty -> Integer,
            #[generated = "qty * 2"]
            doubled -> Integer,
        }
        visits (id) {
            id -> Integer,
            at -> Timestamp,
            day -> Date,
            length -> Interval,
        }
    }
}
