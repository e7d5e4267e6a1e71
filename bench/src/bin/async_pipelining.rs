//! Times one async load on PostgreSQL with two sibling relationships — posts with their author
//! and their comments — with pipelining on (the two relationships' queries go out together, on
//! lanes of one session) and off (one after the other), alternating on two connections to the
//! same database, and prints the medians. `PHILTRE_POSTGRES_URL` names the server; the tables
//! are made in the bench database.

use std::time::{Duration, Instant};

use philtre::async_prelude::*;
use philtre::orm::{AsyncLoadWithDsl, LoadDsl, children, parent};
use philtre_bench::philtre_async::async_runtime;
use philtre_bench::{Comment, Post, User, bench_database_url, comments, posts};
use philtre_postgres::AsyncPgConnection;

const SETUP: &str = "
DROP TABLE IF EXISTS comments; DROP TABLE IF EXISTS posts; DROP TABLE IF EXISTS users;
CREATE TABLE users (id SERIAL PRIMARY KEY, name TEXT NOT NULL, hair_color TEXT);
CREATE TABLE posts (id SERIAL PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id),
                    title TEXT NOT NULL, body TEXT);
CREATE TABLE comments (id SERIAL PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES posts (id),
                       text TEXT NOT NULL);
CREATE INDEX ON posts (user_id); CREATE INDEX ON comments (post_id);
INSERT INTO users (name) SELECT 'user ' || i FROM generate_series(1, 20) i;
INSERT INTO posts (user_id, title) SELECT 1 + i % 20, 'post ' || i FROM generate_series(1, 100) i;
INSERT INTO comments (post_id, text) SELECT 1 + i % 100, 'comment ' || i FROM generate_series(1, 300) i;
";

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let url =
        bench_database_url(&std::env::var("PHILTRE_POSTGRES_URL").expect("PHILTRE_POSTGRES_URL"));
    let rt = async_runtime();
    rt.block_on(async {
        let mut piped = AsyncPgConnection::open(&url).await.expect("connects");
        let mut serial = AsyncPgConnection::open(&url).await.expect("connects");
        serial.set_pipelining(false);
        piped.batch_execute(SETUP).await.expect("sets up");
        let author = parent(posts::user_id);
        let replies = children(comments::post_id);
        let plan = (author.selectin::<User>(), replies.selectin::<Comment>());
        let load = async |conn: &mut AsyncPgConnection| {
            let rows = posts::table
                .select(Post::as_select())
                .load_with::<Post>(plan.clone(), conn)
                .await
                .expect("loads");
            assert_eq!(rows.len(), 100);
            assert_eq!(
                rows.iter().map(|p| p.related(replies).len()).sum::<usize>(),
                300
            );
        };
        for _ in 0..50 {
            load(&mut piped).await;
            load(&mut serial).await;
        }
        let (mut on, mut off) = (Vec::new(), Vec::new());
        for _ in 0..2000 {
            let start = Instant::now();
            load(&mut piped).await;
            on.push(start.elapsed());
            let start = Instant::now();
            load(&mut serial).await;
            off.push(start.elapsed());
        }
        let (on, off) = (median(on), median(off));
        println!(
            "posts (100) with author and comments (300), 3 statements, medians of 2000: \
             pipelined {on:?}, one after another {off:?}, ratio {:.2}",
            on.as_secs_f64() / off.as_secs_f64()
        );
    });
}
