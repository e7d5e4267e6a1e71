use philtre::prelude::*;
use philtre_ui_tests::schema::*;

// `post_tags`' primary key is (post_id, tag); the entity names only `post_id`.
#[derive(Clone, PartialEq, Entity)]
#[philtre(table = post_tags, primary_key(post_id))]
struct PostTag {
    post_id: i32,
    tag: String,
}

fn main() {}
