//! sqlx's row structs and contender macro, shared by this crate and by `sqlite-peers/` (which
//! includes this file), so every sqlx backend runs the same code.

use sqlx::{FromRow, Row};
use tokio::runtime::Runtime;

use crate::{Comment, Post, User};

#[derive(FromRow)]
pub struct SqlxUser {
    pub id: i32,
    pub name: String,
    pub hair_color: Option<String>,
}

#[derive(FromRow)]
pub struct SqlxPost {
    pub id: i32,
    pub user_id: i32,
    pub title: String,
    pub body: Option<String>,
}

#[derive(FromRow)]
pub struct SqlxComment {
    pub id: i32,
    pub post_id: i32,
    pub text: String,
}

impl From<SqlxUser> for User {
    fn from(u: SqlxUser) -> Self {
        User {
            id: u.id,
            name: u.name,
            hair_color: u.hair_color,
        }
    }
}

impl From<SqlxPost> for Post {
    fn from(p: SqlxPost) -> Self {
        Post {
            id: p.id,
            user_id: p.user_id,
            title: p.title,
            body: p.body,
        }
    }
}

impl From<SqlxComment> for Comment {
    fn from(c: SqlxComment) -> Self {
        Comment {
            id: c.id,
            post_id: c.post_id,
            text: c.text,
        }
    }
}

pub const USERS: &str = "SELECT id, name, hair_color FROM users";

pub fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .expect("tokio runtime")
}

pub fn medium_row<R: Row>(row: &R) -> (User, Option<Post>)
where
    for<'r> i32: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<i32>: sqlx::Decode<'r, R::Database>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database>,
    usize: sqlx::ColumnIndex<R>,
{
    let user = User {
        id: row.get(0),
        name: row.get(1),
        hair_color: row.get(2),
    };
    let post = row.get::<Option<i32>, _>(3).map(|id| Post {
        id,
        user_id: row.get(4),
        title: row.get(5),
        body: row.get(6),
    });
    (user, post)
}

/// Defines a sqlx contender over one connection type.
macro_rules! sqlx_contender {
    ($name:ident, $conn:ty, $db:ty, $param:literal, $numbered:literal) => {
        /// sqlx on one database.
        pub struct $name {
            rt: Runtime,
            conn: $conn,
        }

        impl $name {
            pub fn open(url: &str) -> Self {
                let rt = runtime();
                let conn = rt.block_on(<$conn>::connect(url)).expect("sqlx connect");
                $name { rt, conn }
            }
        }

        impl Contender for $name {
            fn run_sql(&mut self, sql: &str) {
                for statement in sql.split(';').map(str::trim).filter(|s| !s.is_empty()) {
                    self.rt
                        .block_on(sqlx::raw_sql(AssertSqlSafe(statement.to_owned())).execute(&mut self.conn))
                        .expect("set-up SQL");
                }
            }

            fn trivial(&mut self) -> Vec<User> {
                let rows: Vec<SqlxUser> = self
                    .rt
                    .block_on(sqlx::query_as(USERS).fetch_all(&mut self.conn))
                    .expect("trivial");
                rows.into_iter().map(Into::into).collect()
            }

            fn medium(&mut self) -> Vec<(User, Option<Post>)> {
                let sql = concat!(
                    "SELECT users.id, users.name, users.hair_color, posts.id AS post_id, posts.user_id, posts.title, posts.body ",
                    "FROM users LEFT OUTER JOIN posts ON posts.user_id = users.id WHERE users.hair_color = ",
                    $param
                );
                let rows = self
                    .rt
                    .block_on(sqlx::query(sql).bind("black").fetch_all(&mut self.conn))
                    .expect("medium");
                rows.iter().map(medium_row).collect()
            }

            fn insert(&mut self, new: &[NewUser]) -> usize {
                let mut builder: QueryBuilder<$db> =
                    QueryBuilder::new("INSERT INTO users (name, hair_color) ");
                builder.push_values(new, |mut row, user| {
                    row.push_bind(&user.name).push_bind(&user.hair_color);
                });
                let done = self
                    .rt
                    .block_on(builder.build().execute(&mut self.conn))
                    .expect("insert");
                done.rows_affected() as usize
            }

            fn associations(&mut self) -> UserTree {
                let users = self.trivial();
                let ids: Vec<i32> = users.iter().map(|u| u.id).collect();
                let sql = format!(
                    "SELECT id, user_id, title, body FROM posts WHERE user_id IN ({})",
                    placeholders(ids.len(), $numbered, 0)
                );
                let mut query = sqlx::query_as::<_, SqlxPost>(AssertSqlSafe(sql));
                for id in &ids {
                    query = query.bind(id);
                }
                let posts: Vec<Post> = self
                    .rt
                    .block_on(query.fetch_all(&mut self.conn))
                    .expect("posts")
                    .into_iter()
                    .map(Into::into)
                    .collect();
                let post_ids: Vec<i32> = posts.iter().map(|p| p.id).collect();
                let sql = format!(
                    "SELECT id, post_id, text FROM comments WHERE post_id IN ({})",
                    placeholders(post_ids.len(), $numbered, 0)
                );
                let mut query = sqlx::query_as::<_, SqlxComment>(AssertSqlSafe(sql));
                for id in &post_ids {
                    query = query.bind(id);
                }
                let comments: Vec<Comment> = self
                    .rt
                    .block_on(query.fetch_all(&mut self.conn))
                    .expect("comments")
                    .into_iter()
                    .map(Into::into)
                    .collect();
                regroup(users, posts, comments)
            }
        }
    };
}

pub(crate) use sqlx_contender;
