//! The baseline on PostgreSQL: the `postgres` crate, statements prepared once and kept,
//! columns read by index.

use std::collections::HashMap;

use postgres::types::ToSql;
use postgres::{Client, Row, Statement};

use crate::{Comment, Contender, NewUser, Post, User, UserTree, placeholders, regroup};

/// `postgres` used directly.
pub struct PostgresRaw {
    client: Client,
    statements: HashMap<String, Statement>,
}

impl PostgresRaw {
    pub fn new(client: Client) -> Self {
        PostgresRaw {
            client,
            statements: HashMap::new(),
        }
    }

    fn query(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Vec<Row> {
        if !self.statements.contains_key(sql) {
            let statement = self.client.prepare(sql).expect("prepare");
            self.statements.insert(sql.to_owned(), statement);
        }
        let statement = &self.statements[sql];
        self.client.query(statement, params).expect("query")
    }
}

pub(crate) fn user(row: &Row) -> User {
    User {
        id: row.get(0),
        name: row.get(1),
        hair_color: row.get(2),
    }
}

pub(crate) fn post_at(row: &Row, at: usize) -> Post {
    Post {
        id: row.get(at),
        user_id: row.get(at + 1),
        title: row.get(at + 2),
        body: row.get(at + 3),
    }
}

impl Contender for PostgresRaw {
    fn run_sql(&mut self, sql: &str) {
        self.client.batch_execute(sql).expect("set-up SQL");
        // Table OIDs change when tables are recreated.
        self.statements.clear();
    }

    fn trivial(&mut self) -> Vec<User> {
        self.query("SELECT id, name, hair_color FROM users", &[])
            .iter()
            .map(user)
            .collect()
    }

    fn medium(&mut self) -> Vec<(User, Option<Post>)> {
        self.query(
            "SELECT users.id, users.name, users.hair_color, posts.id, posts.user_id, posts.title, posts.body \
             FROM users LEFT OUTER JOIN posts ON posts.user_id = users.id WHERE users.hair_color = $1",
            &[&"black"],
        )
        .iter()
        .map(|row| {
            let post = row.get::<_, Option<i32>>(3).map(|_| post_at(row, 3));
            (user(row), post)
        })
        .collect()
    }

    fn insert(&mut self, new: &[NewUser]) -> usize {
        let values: Vec<String> = (0..new.len())
            .map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2))
            .collect();
        let sql = format!(
            "INSERT INTO users (name, hair_color) VALUES {}",
            values.join(", ")
        );
        if !self.statements.contains_key(&sql) {
            let statement = self.client.prepare(&sql).expect("prepare");
            self.statements.insert(sql.clone(), statement);
        }
        let params: Vec<&(dyn ToSql + Sync)> = new
            .iter()
            .flat_map(|u| [&u.name as &(dyn ToSql + Sync), &u.hair_color])
            .collect();
        let statement = &self.statements[&sql];
        self.client.execute(statement, &params).expect("insert") as usize
    }

    fn associations(&mut self) -> UserTree {
        let users = self.trivial();
        let ids: Vec<i32> = users.iter().map(|u| u.id).collect();
        let sql = format!(
            "SELECT id, user_id, title, body FROM posts WHERE user_id IN ({})",
            placeholders(ids.len(), true, 0)
        );
        let params: Vec<&(dyn ToSql + Sync)> =
            ids.iter().map(|i| i as &(dyn ToSql + Sync)).collect();
        let posts: Vec<Post> = self
            .query(&sql, &params)
            .iter()
            .map(|r| post_at(r, 0))
            .collect();
        let post_ids: Vec<i32> = posts.iter().map(|p| p.id).collect();
        let sql = format!(
            "SELECT id, post_id, text FROM comments WHERE post_id IN ({})",
            placeholders(post_ids.len(), true, 0)
        );
        let params: Vec<&(dyn ToSql + Sync)> =
            post_ids.iter().map(|i| i as &(dyn ToSql + Sync)).collect();
        let comments: Vec<Comment> = self
            .query(&sql, &params)
            .iter()
            .map(|row| Comment {
                id: row.get(0),
                post_id: row.get(1),
                text: row.get(2),
            })
            .collect();
        regroup(users, posts, comments)
    }
}
