//! The baseline on MySQL/MariaDB: the `mysql` crate, statements prepared once and kept,
//! columns read by index.

use std::collections::HashMap;

use mysql::prelude::Queryable;
use mysql::{Conn, Row, Statement, Value};

use crate::{Comment, Contender, NewUser, Post, User, UserTree, placeholders, regroup};

/// `mysql` used directly.
pub struct MysqlRaw {
    conn: Conn,
    statements: HashMap<String, Statement>,
}

impl MysqlRaw {
    pub fn new(conn: Conn) -> Self {
        MysqlRaw {
            conn,
            statements: HashMap::new(),
        }
    }

    fn statement(&mut self, sql: &str) -> Statement {
        if let Some(statement) = self.statements.get(sql) {
            return statement.clone();
        }
        let statement = self.conn.prep(sql).expect("prepare");
        self.statements.insert(sql.to_owned(), statement.clone());
        statement
    }
}

pub(crate) fn user(row: &Row) -> User {
    User {
        id: row.get(0).expect("id"),
        name: row.get(1).expect("name"),
        hair_color: row.get(2).expect("hair_color"),
    }
}

pub(crate) fn post_at(row: &Row, at: usize) -> Post {
    Post {
        id: row.get(at).expect("id"),
        user_id: row.get(at + 1).expect("user_id"),
        title: row.get(at + 2).expect("title"),
        body: row.get(at + 3).expect("body"),
    }
}

impl Contender for MysqlRaw {
    fn run_sql(&mut self, sql: &str) {
        for statement in sql.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            self.conn.query_drop(statement).expect("set-up SQL");
        }
        self.statements.clear();
    }

    fn trivial(&mut self) -> Vec<User> {
        let statement = self.statement("SELECT id, name, hair_color FROM users");
        self.conn
            .exec_map(&statement, (), |row: Row| user(&row))
            .expect("query")
    }

    fn medium(&mut self) -> Vec<(User, Option<Post>)> {
        let statement = self.statement(
            "SELECT users.id, users.name, users.hair_color, posts.id, posts.user_id, posts.title, posts.body \
             FROM users LEFT OUTER JOIN posts ON posts.user_id = users.id WHERE users.hair_color = ?",
        );
        self.conn
            .exec_map(&statement, ("black",), |row: Row| {
                let post = row
                    .get::<Option<i32>, _>(3)
                    .flatten()
                    .map(|_| post_at(&row, 3));
                (user(&row), post)
            })
            .expect("query")
    }

    fn insert(&mut self, new: &[NewUser]) -> usize {
        let values = vec!["(?, ?)"; new.len()].join(", ");
        let statement = self.statement(&format!(
            "INSERT INTO users (name, hair_color) VALUES {values}"
        ));
        let params: Vec<Value> = new
            .iter()
            .flat_map(|u| [Value::from(&u.name), Value::from(&u.hair_color)])
            .collect();
        self.conn.exec_drop(&statement, params).expect("insert");
        self.conn.affected_rows() as usize
    }

    fn associations(&mut self) -> UserTree {
        let users = self.trivial();
        let ids: Vec<Value> = users.iter().map(|u| Value::from(u.id)).collect();
        let statement = self.statement(&format!(
            "SELECT id, user_id, title, body FROM posts WHERE user_id IN ({})",
            placeholders(ids.len(), false, 0)
        ));
        let posts: Vec<Post> = self
            .conn
            .exec_map(&statement, ids, |row: Row| post_at(&row, 0))
            .expect("posts");
        let post_ids: Vec<Value> = posts.iter().map(|p| Value::from(p.id)).collect();
        let statement = self.statement(&format!(
            "SELECT id, post_id, text FROM comments WHERE post_id IN ({})",
            placeholders(post_ids.len(), false, 0)
        ));
        let comments: Vec<Comment> = self
            .conn
            .exec_map(&statement, post_ids, |row: Row| Comment {
                id: row.get(0).expect("id"),
                post_id: row.get(1).expect("post_id"),
                text: row.get(2).expect("text"),
            })
            .expect("comments");
        regroup(users, posts, comments)
    }
}
