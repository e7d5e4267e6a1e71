//! philtre, with statically typed queries and with boxed (dynamic) ones.

use philtre::prelude::*;

use crate::{
    Comment, Contender, NewUser, Post, User, UserTree, associations_of, comments, posts, users,
};

/// philtre with static queries: the SQL of each query type is rendered once per connection.
pub struct Philtre<C>(pub C);

/// philtre with boxed queries (`into_boxed`): rendered on every run.
pub struct PhiltreBoxed<C>(pub C);

/// The static contender for connection `$conn`: one backend's, or `AnyConnection` (the
/// backend chosen at run time).
macro_rules! philtre_static {
    ($conn:ty) => {
        impl Contender for Philtre<$conn> {
            fn run_sql(&mut self, sql: &str) {
                self.0.batch_execute(sql).expect("set-up SQL");
            }
            fn trivial(&mut self) -> Vec<User> {
                users::table
                    .select(User::as_select())
                    .load(&mut self.0)
                    .expect("trivial")
            }
            fn medium(&mut self) -> Vec<(User, Option<Post>)> {
                users::table
                    .left_join(posts::table)
                    .filter(users::hair_color.eq("black"))
                    .select((User::as_select(), Post::as_select()))
                    .load(&mut self.0)
                    .expect("medium")
            }
            fn insert(&mut self, new: &[NewUser]) -> usize {
                insert_into(users::table)
                    .values(new)
                    .execute(&mut self.0)
                    .expect("insert")
            }
            fn associations(&mut self) -> UserTree {
                associations_of(
                    &mut self.0,
                    |conn| {
                        users::table
                            .select(User::as_select())
                            .load(conn)
                            .expect("users")
                    },
                    |conn, ids| {
                        posts::table
                            .filter(posts::user_id.eq_any(ids))
                            .select(Post::as_select())
                            .load(conn)
                            .expect("posts")
                    },
                    |conn, ids| {
                        comments::table
                            .filter(comments::post_id.eq_any(ids))
                            .select(Comment::as_select())
                            .load(conn)
                            .expect("comments")
                    },
                )
            }
        }
    };
}

macro_rules! philtre_contenders {
    ($conn:ty, $db:ty) => {
        philtre_static!($conn);

        // Boxed forms of the reads. An INSERT has no boxed form: it is the static statement.
        impl Contender for PhiltreBoxed<$conn> {
            fn run_sql(&mut self, sql: &str) {
                self.0.batch_execute(sql).expect("set-up SQL");
            }
            fn trivial(&mut self) -> Vec<User> {
                users::table
                    .select(User::as_select())
                    .into_boxed::<$db>()
                    .load(&mut self.0)
                    .expect("trivial")
            }
            fn medium(&mut self) -> Vec<(User, Option<Post>)> {
                users::table
                    .left_join(posts::table)
                    .select((User::as_select(), Post::as_select()))
                    .into_boxed::<$db>()
                    .filter(users::hair_color.eq("black"))
                    .load(&mut self.0)
                    .expect("medium")
            }
            fn insert(&mut self, new: &[NewUser]) -> usize {
                insert_into(users::table)
                    .values(new)
                    .execute(&mut self.0)
                    .expect("insert")
            }
            fn associations(&mut self) -> UserTree {
                associations_of(
                    &mut self.0,
                    |conn| {
                        users::table
                            .select(User::as_select())
                            .into_boxed::<$db>()
                            .load(conn)
                            .expect("users")
                    },
                    |conn, ids| {
                        posts::table
                            .select(Post::as_select())
                            .into_boxed::<$db>()
                            .filter(posts::user_id.eq_any(ids))
                            .load(conn)
                            .expect("posts")
                    },
                    |conn, ids| {
                        comments::table
                            .select(Comment::as_select())
                            .into_boxed::<$db>()
                            .filter(comments::post_id.eq_any(ids))
                            .load(conn)
                            .expect("comments")
                    },
                )
            }
        }
    };
}

philtre_contenders!(philtre_sqlite::SqliteConnection, philtre_sqlite::Sqlite);
philtre_contenders!(philtre_postgres::PgConnection, philtre_postgres::Pg);
philtre_contenders!(philtre_mysql::MysqlConnection, philtre_mysql::Mysql);
philtre_static!(philtre_engine::AnyConnection);
