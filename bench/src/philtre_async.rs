//! philtre's async connections (tokio-postgres, mysql_async), each call awaited on a
//! current-thread runtime of the contender's own — as the sqlx and sea-orm contenders run.

use philtre::async_prelude::*;
use tokio::runtime::Runtime;

use crate::{Comment, Contender, NewUser, Post, User, UserTree, comments, posts, regroup, users};

/// A current-thread runtime with I/O and timers (the connections bound their waits).
pub fn async_runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// philtre on an async connection.
pub struct PhiltreAsync<C> {
    rt: Runtime,
    conn: C,
}

impl PhiltreAsync<philtre_postgres::AsyncPgConnection> {
    pub fn postgres(url: &str) -> Self {
        let rt = async_runtime();
        let conn = rt
            .block_on(philtre_postgres::AsyncPgConnection::open(url))
            .expect("postgres");
        PhiltreAsync { rt, conn }
    }
}

impl PhiltreAsync<philtre_mysql::AsyncMysqlConnection> {
    pub fn mysql(url: &str) -> Self {
        let rt = async_runtime();
        let conn = rt
            .block_on(philtre_mysql::AsyncMysqlConnection::open(url))
            .expect("mysql");
        PhiltreAsync { rt, conn }
    }
}

macro_rules! philtre_async {
    ($conn:ty) => {
        impl Contender for PhiltreAsync<$conn> {
            fn run_sql(&mut self, sql: &str) {
                self.rt
                    .block_on(self.conn.batch_execute(sql))
                    .expect("set-up SQL");
            }
            fn trivial(&mut self) -> Vec<User> {
                self.rt
                    .block_on(users::table.select(User::as_select()).load(&mut self.conn))
                    .expect("trivial")
            }
            fn medium(&mut self) -> Vec<(User, Option<Post>)> {
                self.rt
                    .block_on(
                        users::table
                            .left_join(posts::table)
                            .filter(users::hair_color.eq("black"))
                            .select((User::as_select(), Post::as_select()))
                            .load(&mut self.conn),
                    )
                    .expect("medium")
            }
            fn insert(&mut self, new: &[NewUser]) -> usize {
                self.rt
                    .block_on(
                        insert_into(users::table)
                            .values(new)
                            .execute(&mut self.conn),
                    )
                    .expect("insert")
            }
            fn associations(&mut self) -> UserTree {
                let conn = &mut self.conn;
                self.rt.block_on(async {
                    let users: Vec<User> = users::table
                        .select(User::as_select())
                        .load(conn)
                        .await
                        .expect("users");
                    let ids: Vec<i32> = users.iter().map(|u| u.id).collect();
                    let posts: Vec<Post> = posts::table
                        .filter(posts::user_id.eq_any(ids))
                        .select(Post::as_select())
                        .load(conn)
                        .await
                        .expect("posts");
                    let ids: Vec<i32> = posts.iter().map(|p| p.id).collect();
                    let comments: Vec<Comment> = comments::table
                        .filter(comments::post_id.eq_any(ids))
                        .select(Comment::as_select())
                        .load(conn)
                        .await
                        .expect("comments");
                    regroup(users, posts, comments)
                })
            }
        }
    };
}

philtre_async!(philtre_postgres::AsyncPgConnection);
philtre_async!(philtre_mysql::AsyncMysqlConnection);
