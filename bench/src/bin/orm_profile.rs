//! Runs one ORM load many times on SQLite, for a profiler: `orm_profile selectin|hand`.

use philtre::prelude::*;
use philtre_bench::philtre_orm::{OrmLoads, PhiltreOrm};
use philtre_bench::{Post, User, anchor_data_sql, ddl, posts, users};

fn main() {
    let which = std::env::args().nth(1).unwrap_or_default();
    let mut conn = philtre_sqlite::SqliteConnection::open(":memory:").expect("sqlite");
    conn.batch_execute(&ddl("INTEGER PRIMARY KEY"))
        .expect("ddl");
    conn.batch_execute(&anchor_data_sql(500, 10, 0))
        .expect("data");
    let mut orm = PhiltreOrm(conn);
    let mut total = 0;
    for _ in 0..50 {
        total += if which == "selectin" {
            orm.users_with_posts().len()
        } else {
            let users: Vec<User> = users::table
                .select(User::as_select())
                .load(&mut orm.0)
                .expect("users");
            let ids: Vec<i32> = users.iter().map(|u| u.id).collect();
            let posts: Vec<Post> = posts::table
                .filter(posts::user_id.eq_any(ids))
                .select(Post::as_select())
                .load(&mut orm.0)
                .expect("posts");
            let mut by_user: std::collections::HashMap<i32, Vec<Post>> = Default::default();
            for post in posts {
                by_user.entry(post.user_id).or_default().push(post);
            }
            users
                .into_iter()
                .map(|u| (by_user.remove(&u.id).unwrap_or_default(), u))
                .count()
        };
    }
    println!("{total}");
}
