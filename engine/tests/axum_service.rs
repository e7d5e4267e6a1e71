//! The axum example under load: 64 concurrent HTTP requests (reads and writes) against the
//! service on PostgreSQL, each answer checked, then the database checked against what the
//! answers said.

#![allow(missing_docs)]

#[path = "../examples/axum_service.rs"]
mod service;

use std::time::Duration;

use philtre::async_prelude::*;
use philtre_engine::EngineBuilder;
use philtre_postgres::AsyncPgConnection;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use service::{Post, UserWithPosts, users};

const USERS: i32 = 8;
const REQUESTS: usize = 64;

/// Sends one HTTP/1.1 request and returns the status and the body.
async fn request(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    body: &str,
) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("the service listens");
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("sends");
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .await
        .expect("reads the answer");
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn sixty_four_concurrent_requests_each_get_their_own_right_answer() {
    let Some(url) = std::env::var("PHILTRE_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        assert!(
            std::env::var_os("PHILTRE_REQUIRE_ALL_BACKENDS").is_none(),
            "PostgreSQL tests are required but PHILTRE_POSTGRES_URL is not set"
        );
        println!("axum service test skipped: PHILTRE_POSTGRES_URL is not set");
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime starts");
    runtime.block_on(async {
        let schema = format!("philtre_axum_{}", std::process::id());
        let mut admin = AsyncPgConnection::open(&url)
            .await
            .expect("the server answers");
        admin
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
            ))
            .await
            .expect("a schema of its own");
        let separator = if url.contains('?') { '&' } else { '?' };
        let engine_url = format!("{url}{separator}options=-c%20search_path%3D{schema}");
        let outcome = tokio::time::timeout(Duration::from_secs(60), exercise(&engine_url)).await;
        admin
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
            .await
            .expect("cleans up");
        outcome.expect("the load test ends within a minute");
    });
}

async fn exercise(engine_url: &str) {
    let engine: service::Db = EngineBuilder::new(engine_url)
        .pool_size(5)
        .max_overflow(5)
        .build_async()
        .expect("builds");
    service::set_up(&engine).await.expect("creates the tables");
    engine
        .begin(async |conn| {
            for i in 1..=USERS {
                insert_into(users::table)
                    .values(users::name.eq(format!("user{i}")))
                    .execute(conn)
                    .await?;
            }
            Ok::<_, philtre::Error>(())
        })
        .await
        .expect("seeds the users");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let addr = listener.local_addr().expect("has an address");
    let server = tokio::spawn(async move {
        axum::serve(listener, service::app(engine))
            .await
            .expect("serves");
    });

    let mut requests = Vec::new();
    for n in 0..REQUESTS {
        let user = (n as i32 % USERS) + 1;
        requests.push(tokio::spawn(async move {
            if n % 2 == 0 {
                let title = format!("post {n} by {user}");
                let (status, body) = request(
                    addr,
                    "POST",
                    &format!("/users/{user}/posts"),
                    &format!(r#"{{"title":"{title}"}}"#),
                )
                .await;
                assert_eq!(status, 201, "POST {n}: {body}");
                let post: Post = serde_json::from_str(&body).expect("a post as JSON");
                assert_eq!((post.user_id, post.title.as_str()), (user, title.as_str()));
                Some(post)
            } else {
                let (status, body) = request(addr, "GET", &format!("/users/{user}"), "").await;
                assert_eq!(status, 200, "GET {n}: {body}");
                let answer: UserWithPosts = serde_json::from_str(&body).expect("JSON");
                assert_eq!(answer.user.id, user);
                assert_eq!(answer.user.name, format!("user{user}"));
                assert!(
                    answer.posts.iter().all(|p| p.user_id == user),
                    "only their posts"
                );
                assert!(
                    answer.posts.windows(2).all(|w| w[0].id < w[1].id),
                    "oldest first"
                );
                None
            }
        }));
    }
    let mut created = Vec::new();
    for task in requests {
        if let Some(post) = task.await.expect("every request is answered and checked") {
            created.push(post);
        }
    }
    assert_eq!(created.len(), REQUESTS / 2);

    // An unknown user is a 404, on both routes, and writes nothing.
    assert_eq!(request(addr, "GET", "/users/999", "").await.0, 404);
    assert_eq!(
        request(addr, "POST", "/users/999/posts", r#"{"title":"x"}"#)
            .await
            .0,
        404
    );

    // What the answers said is what the database kept.
    for user in 1..=USERS {
        let (status, body) = request(addr, "GET", &format!("/users/{user}"), "").await;
        assert_eq!(status, 200);
        let answer: UserWithPosts = serde_json::from_str(&body).expect("JSON");
        let mut expected: Vec<i32> = created
            .iter()
            .filter(|p| p.user_id == user)
            .map(|p| p.id)
            .collect();
        expected.sort_unstable();
        let kept: Vec<i32> = answer.posts.iter().map(|p| p.id).collect();
        assert_eq!(kept, expected, "user {user}'s posts");
    }
    server.abort();
}
