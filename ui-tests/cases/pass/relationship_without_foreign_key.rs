use philtre::orm::{Relation, children, parent};
use philtre_ui_tests::schema::*;

fn from_users_to_posts<R: Relation<From = users::table, To = posts::table>>(_: R) {}
fn from_posts_to_users<R: Relation<From = posts::table, To = users::table>>(_: R) {}

fn main() {
    // `posts.user_id references users(id)`: a user's posts, and a post's user.
    from_users_to_posts(children(posts::user_id));
    from_posts_to_users(parent(posts::user_id));
}
