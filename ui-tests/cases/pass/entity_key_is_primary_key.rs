use philtre::orm::Entity;
use philtre::prelude::*;
use philtre_ui_tests::schema::*;

#[derive(Clone, PartialEq, Entity)]
#[philtre(table = post_tags, primary_key(post_id, tag))]
struct PostTag {
    post_id: i32,
    tag: String,
}

#[derive(Clone, PartialEq, Entity)]
#[philtre(table = users)]
struct User {
    id: i32,
    name: String,
    email: Option<String>,
    score: i32,
}

fn main() {
    let tag = PostTag { post_id: 1, tag: "a".into() };
    let _: (i32, String) = tag.primary_key();
    let user = User { id: 1, name: "a".into(), email: None, score: 0 };
    let _: i32 = user.primary_key();
}
