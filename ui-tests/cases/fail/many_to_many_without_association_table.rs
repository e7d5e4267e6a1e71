use philtre::orm::many_to_many;
use philtre_ui_tests::schema::*;

fn main() {
    // `posts.user_id` and `reviews.author_id` are foreign keys of two different tables: no
    // association table links users to users through them.
    let _ = many_to_many(posts::user_id, reviews::author_id);
}
