//! The async baselines: `tokio-postgres` and `mysql_async` used directly, statements prepared
//! once and kept, columns read by index, each call awaited on a current-thread runtime.

use std::collections::HashMap;

use mysql_async::prelude::Queryable;
use tokio::runtime::Runtime;
use tokio_postgres::types::ToSql;

use crate::mysql_raw as my_rows;
use crate::philtre_async::async_runtime;
// tokio-postgres' and mysql_async's rows are the blocking drivers' own types: one reader each.
use crate::postgres_raw as pg_rows;
use crate::{Comment, Contender, NewUser, Post, User, UserTree, placeholders, regroup};

/// `tokio-postgres` used directly.
pub struct TokioPostgresRaw {
    rt: Runtime,
    client: tokio_postgres::Client,
    statements: HashMap<String, tokio_postgres::Statement>,
}

impl TokioPostgresRaw {
    pub fn open(url: &str) -> Self {
        let rt = async_runtime();
        let client = rt.block_on(async {
            let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                .await
                .expect("postgres");
            tokio::spawn(connection);
            client
        });
        TokioPostgresRaw {
            rt,
            client,
            statements: HashMap::new(),
        }
    }

    fn query(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Vec<tokio_postgres::Row> {
        let client = &self.client;
        let statements = &mut self.statements;
        self.rt.block_on(async {
            if !statements.contains_key(sql) {
                let statement = client.prepare(sql).await.expect("prepare");
                statements.insert(sql.to_owned(), statement);
            }
            client.query(&statements[sql], params).await.expect("query")
        })
    }
}

impl Contender for TokioPostgresRaw {
    fn run_sql(&mut self, sql: &str) {
        self.rt
            .block_on(self.client.batch_execute(sql))
            .expect("set-up SQL");
        self.statements.clear();
    }

    fn trivial(&mut self) -> Vec<User> {
        self.query("SELECT id, name, hair_color FROM users", &[])
            .iter()
            .map(pg_rows::user)
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
            let post = row.get::<_, Option<i32>>(3).map(|_| pg_rows::post_at(row, 3));
            (pg_rows::user(row), post)
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
        let params: Vec<&(dyn ToSql + Sync)> = new
            .iter()
            .flat_map(|u| [&u.name as &(dyn ToSql + Sync), &u.hair_color])
            .collect();
        let client = &self.client;
        let statements = &mut self.statements;
        self.rt.block_on(async {
            if !statements.contains_key(&sql) {
                let statement = client.prepare(&sql).await.expect("prepare");
                statements.insert(sql.clone(), statement);
            }
            client
                .execute(&statements[&sql], &params)
                .await
                .expect("insert") as usize
        })
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
            .map(|r| pg_rows::post_at(r, 0))
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

/// `mysql_async` used directly (its own statement cache, by SQL text).
pub struct MysqlAsyncRaw {
    rt: Runtime,
    conn: mysql_async::Conn,
}

impl MysqlAsyncRaw {
    pub fn open(url: &str) -> Self {
        let rt = async_runtime();
        let opts = mysql_async::Opts::from_url(url).expect("url");
        let conn = rt.block_on(mysql_async::Conn::new(opts)).expect("mysql");
        MysqlAsyncRaw { rt, conn }
    }

    fn rows(&mut self, sql: &str, params: Vec<mysql_async::Value>) -> Vec<mysql_async::Row> {
        let conn = &mut self.conn;
        self.rt
            .block_on(async {
                let params = if params.is_empty() {
                    mysql_async::Params::Empty
                } else {
                    mysql_async::Params::Positional(params)
                };
                conn.exec(sql, params).await
            })
            .expect("query")
    }
}

impl Contender for MysqlAsyncRaw {
    fn run_sql(&mut self, sql: &str) {
        let conn = &mut self.conn;
        self.rt
            .block_on(async {
                for statement in sql.split(';').map(str::trim).filter(|s| !s.is_empty()) {
                    conn.query_drop(statement).await?;
                }
                Ok::<_, mysql_async::Error>(())
            })
            .expect("set-up SQL");
    }

    fn trivial(&mut self) -> Vec<User> {
        self.rows("SELECT id, name, hair_color FROM users", Vec::new())
            .iter()
            .map(my_rows::user)
            .collect()
    }

    fn medium(&mut self) -> Vec<(User, Option<Post>)> {
        self.rows(
            "SELECT users.id, users.name, users.hair_color, posts.id, posts.user_id, posts.title, posts.body \
             FROM users LEFT OUTER JOIN posts ON posts.user_id = users.id WHERE users.hair_color = ?",
            vec!["black".into()],
        )
        .iter()
        .map(|row| {
            let post = row
                .get::<Option<i32>, _>(3)
                .flatten()
                .map(|_| my_rows::post_at(row, 3));
            (my_rows::user(row), post)
        })
        .collect()
    }

    fn insert(&mut self, new: &[NewUser]) -> usize {
        let sql = format!(
            "INSERT INTO users (name, hair_color) VALUES {}",
            vec!["(?, ?)"; new.len()].join(", ")
        );
        let params: Vec<mysql_async::Value> = new
            .iter()
            .flat_map(|u| [u.name.clone().into(), u.hair_color.clone().into()])
            .collect();
        let conn = &mut self.conn;
        self.rt
            .block_on(async {
                conn.exec_drop(sql, mysql_async::Params::Positional(params))
                    .await?;
                Ok::<_, mysql_async::Error>(conn.affected_rows() as usize)
            })
            .expect("insert")
    }

    fn associations(&mut self) -> UserTree {
        let users = self.trivial();
        let ids: Vec<mysql_async::Value> = users.iter().map(|u| u.id.into()).collect();
        let sql = format!(
            "SELECT id, user_id, title, body FROM posts WHERE user_id IN ({})",
            placeholders(ids.len(), false, 0)
        );
        let posts: Vec<Post> = self
            .rows(&sql, ids)
            .iter()
            .map(|r| my_rows::post_at(r, 0))
            .collect();
        let ids: Vec<mysql_async::Value> = posts.iter().map(|p| p.id.into()).collect();
        let sql = format!(
            "SELECT id, post_id, text FROM comments WHERE post_id IN ({})",
            placeholders(ids.len(), false, 0)
        );
        let comments: Vec<Comment> = self
            .rows(&sql, ids)
            .iter()
            .map(|row| Comment {
                id: row.get(0).expect("id"),
                post_id: row.get(1).expect("post_id"),
                text: row.get(2).expect("text"),
            })
            .collect();
        regroup(users, posts, comments)
    }
}
