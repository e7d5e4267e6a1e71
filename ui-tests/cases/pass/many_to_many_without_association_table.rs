use philtre::orm::{Relation, many_to_many};
use philtre_ui_tests::schema::*;

fn from_users_to_users<R: Relation<From = users::table, To = users::table>>(_: R) {}

fn main() {
    // `reviews` references users twice: the users a user has reviewed, through `reviews`.
    from_users_to_users(many_to_many(reviews::reviewer_id, reviews::author_id));
}
