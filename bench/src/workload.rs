//! The workloads' tables, rows, data and the [`Contender`] trait: shared by this crate and by
//! `sqlite-peers/` (which includes this file), so both builds do the same work.

use std::collections::HashMap;

philtre::table! {
    users (id) {
        #[auto_increment]
        id -> Integer,
        name -> Text,
        hair_color -> Nullable<Text>,
    }
    posts (id) {
        #[auto_increment]
        id -> Integer,
        user_id -> Integer references users(id),
        title -> Text,
        body -> Nullable<Text>,
    }
    comments (id) {
        #[auto_increment]
        id -> Integer,
        post_id -> Integer references posts(id),
        text -> Text,
    }
}

/// A row of `users`.
#[derive(Debug, Clone, PartialEq, philtre::Queryable, philtre::Selectable)]
#[philtre(table = users)]
pub struct User {
    pub id: i32,
    pub name: String,
    pub hair_color: Option<String>,
}

/// A row of `posts`.
#[derive(Debug, Clone, PartialEq, philtre::Queryable, philtre::Selectable)]
#[philtre(table = posts)]
pub struct Post {
    pub id: i32,
    pub user_id: i32,
    pub title: String,
    pub body: Option<String>,
}

/// A row of `comments`.
#[derive(Debug, Clone, PartialEq, philtre::Queryable, philtre::Selectable)]
#[philtre(table = comments)]
pub struct Comment {
    pub id: i32,
    pub post_id: i32,
    pub text: String,
}

/// A user to insert.
#[derive(Debug, Clone, philtre::Insertable)]
#[philtre(table = users)]
pub struct NewUser {
    pub name: String,
    pub hair_color: Option<String>,
}

/// Users with their posts, each with its comments.
pub type UserTree = Vec<(User, Vec<(Post, Vec<Comment>)>)>;

/// The work every contender does.
pub trait Contender {
    /// Runs SQL statements separated by `;` (set-up, outside the timed part).
    fn run_sql(&mut self, sql: &str);
    /// `SELECT * FROM users` into `Vec<User>`.
    fn trivial(&mut self) -> Vec<User>;
    /// `users LEFT JOIN posts … WHERE hair_color = 'black'`.
    fn medium(&mut self) -> Vec<(User, Option<Post>)>;
    /// One multi-row INSERT of `users`; returns the rows inserted.
    fn insert(&mut self, users: &[NewUser]) -> usize;
    /// Users, their posts, and those posts' comments, in three queries, regrouped.
    fn associations(&mut self) -> UserTree;
}

/// The three tables in each dialect (`serial` is the dialect's auto-increment key).
pub fn ddl(serial: &str) -> String {
    format!(
        "DROP TABLE IF EXISTS comments; DROP TABLE IF EXISTS posts; DROP TABLE IF EXISTS users;
         CREATE TABLE users (id {serial}, name VARCHAR(100) NOT NULL, hair_color VARCHAR(100));
         CREATE TABLE posts (id {serial}, user_id INTEGER NOT NULL, title VARCHAR(200) NOT NULL, body TEXT);
         CREATE TABLE comments (id {serial}, post_id INTEGER NOT NULL, text TEXT NOT NULL);"
    )
}

/// `n` users, every second one with black hair, the others with none.
pub fn users_sql(n: usize) -> String {
    if n == 0 {
        return String::new();
    }
    let rows: Vec<String> = (0..n)
        .map(|i| {
            let hair = if i % 2 == 0 { "'black'" } else { "NULL" };
            format!("('User {i}', {hair})")
        })
        .collect();
    format!(
        "INSERT INTO users (name, hair_color) VALUES {};",
        rows.join(", ")
    )
}

/// `users` users with `per` posts each and `per` comments per post (ids from 1, in order).
pub fn associations_sql(users: usize, per: usize) -> String {
    let mut sql = users_sql(users);
    let posts: Vec<String> = (0..users * per)
        .map(|i| format!("({}, 'Post {i}', NULL)", i / per + 1))
        .collect();
    sql.push_str(&format!(
        "INSERT INTO posts (user_id, title, body) VALUES {};",
        posts.join(", ")
    ));
    let comments: Vec<String> = (0..users * per * per)
        .map(|i| format!("({}, 'Comment {i}')", i / per + 1))
        .collect();
    sql.push_str(&format!(
        "INSERT INTO comments (post_id, text) VALUES {};",
        comments.join(", ")
    ));
    sql
}

/// The users to insert in the *insert* workload.
pub fn new_users(n: usize) -> Vec<NewUser> {
    (0..n)
        .map(|i| NewUser {
            name: format!("User {i}"),
            hair_color: Some("hair_color".to_owned()),
        })
        .collect()
}

/// Regroups three flat results into users → posts → comments, keeping each list's order.
pub fn regroup(users: Vec<User>, posts: Vec<Post>, comments: Vec<Comment>) -> UserTree {
    let mut comments_by_post: HashMap<i32, Vec<Comment>> = HashMap::new();
    for comment in comments {
        comments_by_post
            .entry(comment.post_id)
            .or_default()
            .push(comment);
    }
    let mut posts_by_user: HashMap<i32, Vec<(Post, Vec<Comment>)>> = HashMap::new();
    for post in posts {
        let comments = comments_by_post.remove(&post.id).unwrap_or_default();
        posts_by_user
            .entry(post.user_id)
            .or_default()
            .push((post, comments));
    }
    users
        .into_iter()
        .map(|user| {
            let posts = posts_by_user.remove(&user.id).unwrap_or_default();
            (user, posts)
        })
        .collect()
}

/// The *associations* workload from a contender's three loads: the users, the posts of the
/// given users, the comments of the given posts; then regrouped.
pub fn associations_of<C: ?Sized>(
    conn: &mut C,
    users: impl FnOnce(&mut C) -> Vec<User>,
    posts_of: impl FnOnce(&mut C, Vec<i32>) -> Vec<Post>,
    comments_of: impl FnOnce(&mut C, Vec<i32>) -> Vec<Comment>,
) -> UserTree {
    let users = users(conn);
    let posts = posts_of(conn, users.iter().map(|u| u.id).collect());
    let comments = comments_of(conn, posts.iter().map(|p| p.id).collect());
    regroup(users, posts, comments)
}

/// A placeholder list `?, ?, …` or `$1, $2, …` for `n` values starting after `skip`.
pub fn placeholders(n: usize, numbered: bool, skip: usize) -> String {
    (0..n)
        .map(|i| {
            if numbered {
                format!("${}", skip + i + 1)
            } else {
                "?".to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The URL of a bench database for the server at `url` (its last path segment replaced).
pub fn bench_database_url(url: &str) -> String {
    match url.rfind('/') {
        Some(slash) if slash > url.find("://").map_or(0, |p| p + 2) => {
            format!("{}/philtre_bench", &url[..slash])
        }
        _ => format!("{url}/philtre_bench"),
    }
}

/// The data of `shared/anchors/sqlalchemy13_orm_bench.py`: `users` users × `posts` posts ×
/// `comments` comments per post, ids from 1 in order (the ORM benchmarks).
pub fn anchor_data_sql(users: usize, posts: usize, comments: usize) -> String {
    let user_rows: Vec<String> = (0..users).map(|i| format!("('u{i}', 'e{i}')")).collect();
    let post_rows: Vec<String> = (0..users * posts)
        .map(|i| format!("({}, 't{i}', 'b')", i / posts + 1))
        .collect();
    let comment_rows: Vec<String> = (0..users * posts * comments)
        .map(|i| format!("({}, 'c')", i / comments + 1))
        .collect();
    let mut sql = format!(
        "INSERT INTO users (name, hair_color) VALUES {};
         INSERT INTO posts (user_id, title, body) VALUES {};",
        user_rows.join(", "),
        post_rows.join(", ")
    );
    if !comment_rows.is_empty() {
        sql.push_str(&format!(
            "INSERT INTO comments (post_id, text) VALUES {};",
            comment_rows.join(", ")
        ));
    }
    sql
}

/// One timed step of an interleaved benchmark.
pub type Step<'a> = (&'static str, Box<dyn FnMut() + 'a>);

/// Runs each step `batch` times per round after a warm-up, in rotating order so that drift
/// reaches every step alike; the median time of one run of each.
pub fn median_rounds(
    steps: &mut [Step<'_>],
    rounds: usize,
    batch: u32,
) -> Vec<(&'static str, std::time::Duration)> {
    let mut times: Vec<Vec<std::time::Duration>> = vec![Vec::new(); steps.len()];
    for step in steps.iter_mut() {
        (step.1)();
    }
    for round in 0..rounds {
        for turn in 0..steps.len() {
            let slot = (round + turn) % steps.len();
            let start = std::time::Instant::now();
            for _ in 0..batch {
                (steps[slot].1)();
            }
            times[slot].push(start.elapsed() / batch);
        }
    }
    steps
        .iter()
        .zip(times)
        .map(|((name, _), mut t)| {
            t.sort();
            (*name, t[t.len() / 2])
        })
        .collect()
}
