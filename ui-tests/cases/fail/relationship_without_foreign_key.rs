use philtre::orm::children;
use philtre_ui_tests::schema::*;

fn main() {
    // `posts.title` references nothing: there is no relationship along it.
    let _ = children(posts::title);
}
