//! The baseline on SQLite: rusqlite, statements from its prepared-statement cache (prepared
//! once), columns read by index.

use rusqlite::{Connection, Row, params_from_iter};

use crate::{Comment, Contender, NewUser, Post, User, UserTree, placeholders, regroup};

/// rusqlite used directly.
pub struct SqliteRaw(pub Connection);

fn user(row: &Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: row.get(0)?,
        name: row.get(1)?,
        hair_color: row.get(2)?,
    })
}

fn post_at(row: &Row<'_>, at: usize) -> rusqlite::Result<Post> {
    Ok(Post {
        id: row.get(at)?,
        user_id: row.get(at + 1)?,
        title: row.get(at + 2)?,
        body: row.get(at + 3)?,
    })
}

impl Contender for SqliteRaw {
    fn run_sql(&mut self, sql: &str) {
        self.0.execute_batch(sql).expect("set-up SQL");
    }

    fn trivial(&mut self) -> Vec<User> {
        let mut stmt = self
            .0
            .prepare_cached("SELECT id, name, hair_color FROM users")
            .expect("prepare");
        stmt.query_map([], user)
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    }

    fn medium(&mut self) -> Vec<(User, Option<Post>)> {
        let mut stmt = self
            .0
            .prepare_cached(
                "SELECT users.id, users.name, users.hair_color, posts.id, posts.user_id, posts.title, posts.body \
                 FROM users LEFT OUTER JOIN posts ON posts.user_id = users.id WHERE users.hair_color = ?",
            )
            .expect("prepare");
        stmt.query_map(["black"], |row| {
            let post = match row.get::<_, Option<i32>>(3)? {
                Some(_) => Some(post_at(row, 3)?),
                None => None,
            };
            Ok((user(row)?, post))
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
    }

    fn insert(&mut self, new: &[NewUser]) -> usize {
        let values = vec!["(?, ?)"; new.len()].join(", ");
        let sql = format!("INSERT INTO users (name, hair_color) VALUES {values}");
        let mut stmt = self.0.prepare_cached(&sql).expect("prepare");
        let params = new
            .iter()
            .flat_map(|u| [Some(u.name.as_str()), u.hair_color.as_deref()]);
        stmt.execute(params_from_iter(params)).expect("insert")
    }

    fn associations(&mut self) -> UserTree {
        let users: Vec<User> = self.trivial();
        let ids: Vec<i32> = users.iter().map(|u| u.id).collect();
        let sql = format!(
            "SELECT id, user_id, title, body FROM posts WHERE user_id IN ({})",
            placeholders(ids.len(), false, 0)
        );
        let mut stmt = self.0.prepare_cached(&sql).expect("prepare");
        let posts: Vec<Post> = stmt
            .query_map(params_from_iter(&ids), |row| post_at(row, 0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        let post_ids: Vec<i32> = posts.iter().map(|p| p.id).collect();
        let sql = format!(
            "SELECT id, post_id, text FROM comments WHERE post_id IN ({})",
            placeholders(post_ids.len(), false, 0)
        );
        let mut stmt = self.0.prepare_cached(&sql).expect("prepare");
        let comments: Vec<Comment> = stmt
            .query_map(params_from_iter(&post_ids), |row| {
                Ok(Comment {
                    id: row.get(0)?,
                    post_id: row.get(1)?,
                    text: row.get(2)?,
                })
            })
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        drop(stmt);
        regroup(users, posts, comments)
    }
}
