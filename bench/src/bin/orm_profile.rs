//! Runs one ORM load many times, for a profiler: `orm_profile selectin|hand [postgres-url]`
//! (SQLite in memory without a URL).

use philtre::prelude::*;
use philtre_bench::philtre_orm::{OrmLoads, PhiltreOrm};
use philtre_bench::{Post, User, anchor_data_sql, ddl, posts, users};

/// 50 loads of users with their posts, by the ORM or by hand, on connection `$conn`.
macro_rules! profile {
    ($which:expr, $conn:expr) => {{
        let mut orm = PhiltreOrm($conn);
        let mut total = 0;
        for _ in 0..50 {
            total += if $which == "selectin" {
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
        total
    }};
}

fn main() {
    let which = std::env::args().nth(1).unwrap_or_default();
    let total = match std::env::args().nth(2) {
        Some(url) => {
            let mut conn = philtre_postgres::PgConnection::open(&url).expect("postgres");
            conn.batch_execute(&ddl("SERIAL PRIMARY KEY")).expect("ddl");
            conn.batch_execute(&anchor_data_sql(500, 10, 0))
                .expect("data");
            profile!(which, conn)
        }
        None => {
            let mut conn = philtre_sqlite::SqliteConnection::open(":memory:").expect("sqlite");
            conn.batch_execute(&ddl("INTEGER PRIMARY KEY"))
                .expect("ddl");
            conn.batch_execute(&anchor_data_sql(500, 10, 0))
                .expect("data");
            profile!(which, conn)
        }
    };
    println!("{total}");
}
