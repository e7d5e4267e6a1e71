//! An axum service on philtre's async engine: a PostgreSQL pool on deadpool, SQL logged through
//! `tracing`, one handler that reads a user with their posts, one that writes a post through
//! the ORM's session. Run it with
//!
//! ```text
//! cargo run -p philtre-engine --example axum_service
//! DATABASE_URL=postgres://postgres@127.0.0.1/test cargo run -p philtre-engine --example axum_service
//! curl localhost:3000/users/1
//! curl -X POST localhost:3000/users/1/posts -H 'content-type: application/json' -d '{"title":"Hi"}'
//! ```
//!
//! Every future here is `Send`, so the handlers run on any worker; a request that is dropped
//! mid-query (the client went away) leaves its connection rolled back or closed, never handed
//! to the next request half-read. `engine/tests/axum_service.rs` sends it 64 requests at once.

#![allow(dead_code)] // `main` is not used where the test includes this file.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use philtre::async_prelude::*;
use philtre::orm::{AsyncLoadWithDsl, AsyncSession, LoadDsl, Registry, RelationDsl, children};
use philtre_engine::{AsyncEngine, EngineBuilder};
use philtre_postgres::AsyncPgConnection;
use serde::{Deserialize, Serialize};

philtre::table! {
    users (id) {
        #[auto_increment]
        id -> Integer,
        #[max_length = 100]
        name -> Text,
    }
    posts (id) {
        #[auto_increment]
        id -> Integer,
        user_id -> Integer references users(id),
        #[max_length = 200]
        title -> Text,
    }
}

/// A row of `users`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Entity)]
#[philtre(table = users)]
pub struct User {
    /// Key.
    pub id: i32,
    /// Name.
    pub name: String,
}

/// A row of `posts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Entity)]
#[philtre(table = posts)]
pub struct Post {
    /// Key.
    pub id: i32,
    /// Author.
    pub user_id: i32,
    /// Title.
    pub title: String,
}

/// `GET /users/{id}`'s answer.
#[derive(Debug, Serialize, Deserialize)]
pub struct UserWithPosts {
    /// The user.
    pub user: User,
    /// Their posts, oldest first.
    pub posts: Vec<Post>,
}

/// `POST /users/{id}/posts`'s body.
#[derive(Debug, Serialize, Deserialize)]
pub struct NewPost {
    /// Title.
    pub title: String,
}

/// The engine every handler shares (cheap to clone).
pub type Db = AsyncEngine<AsyncPgConnection>;

/// What the handlers share: the pool, and the ORM's registry (flush order, cascades).
#[derive(Clone)]
pub struct AppState {
    engine: Db,
    registry: Registry,
}

/// The tables.
pub fn schema() -> Schema {
    Schema::new().table(users::table).table(posts::table)
}

/// The service's routes.
pub fn app(engine: Db) -> Router {
    let registry = Registry::new(&schema());
    Router::new()
        .route("/users/{id}", get(user_with_posts))
        .route("/users/{id}/posts", post(add_post))
        .with_state(AppState { engine, registry })
}

/// Creates the tables if they are not there.
pub async fn set_up(engine: &Db) -> Result<(), philtre::Error> {
    let mut conn = engine.connect().await?;
    for sql in schema().create_sql::<philtre_postgres::Pg>(true)? {
        conn.batch_execute(&sql).await?;
    }
    Ok(())
}

async fn user_with_posts(
    State(AppState { engine, .. }): State<AppState>,
    Path(id): Path<i32>,
) -> Result<Json<UserWithPosts>, ApiError> {
    let mut conn = engine.connect().await?;
    // The user and, in one more query, their posts (selectin loading; the loaded shape is in
    // the type, so nothing is fetched behind the handler's back).
    let their_posts = children(posts::user_id).order_by(posts::id);
    let found = users::table
        .filter(users::id.eq(id))
        .select(User::as_select())
        .load_with::<User>(their_posts.selectin::<Post>(), &mut conn)
        .await?;
    let Some(loaded) = found.into_iter().next() else {
        return Err(philtre::Error::not_found().into());
    };
    let (user, posts) = loaded.into_parts();
    Ok(Json(UserWithPosts {
        user,
        posts: posts.into_inner(),
    }))
}

async fn add_post(
    State(AppState { engine, registry }): State<AppState>,
    Path(user_id): Path<i32>,
    Json(new): Json<NewPost>,
) -> Result<(StatusCode, Json<Post>), ApiError> {
    let mut conn = engine.connect().await?;
    let mut session = AsyncSession::new(&registry, &mut conn);
    // 404 for an unknown user, rather than a foreign-key error.
    let user = session
        .find::<User>(user_id)
        .await?
        .ok_or_else(philtre::Error::not_found)?;
    let post = Post {
        id: 0, // the database makes the key
        user_id: 0,
        title: new.title,
    };
    let post = session.add_child(user, posts::user_id, post)?;
    // INSERT … RETURNING id (the user's key copied into the post), then COMMIT. A request
    // dropped before this line leaves nothing behind.
    session.commit().await?;
    Ok((StatusCode::CREATED, Json(session.get(post)?.clone())))
}

/// A database error as an HTTP answer: 404 for a missing row, 503 when the pool is exhausted,
/// 500 otherwise (logged; the client sees no SQL).
pub struct ApiError(philtre::Error);

impl From<philtre::Error> for ApiError {
    fn from(e: philtre::Error) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match self.0.kind() {
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::PoolTimeout => StatusCode::SERVICE_UNAVAILABLE,
            _ => {
                tracing::error!(error = %self.0, "request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        (status, status.canonical_reason().unwrap_or("error")).into_response()
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt().with_target(true).init();
    let url = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let engine: Db = EngineBuilder::new(&url)
        .pool_size(10)
        .echo(true)
        .build_async()?;
    set_up(&engine).await?;
    engine
        .begin(async |conn| {
            let known: i64 = users::table.count().get_result(conn).await?;
            if known == 0 {
                insert_into(users::table)
                    .values(users::name.eq("Ada"))
                    .execute(conn)
                    .await?;
            }
            Ok::<_, philtre::Error>(())
        })
        .await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    tracing::info!("listening on http://127.0.0.1:3000");
    axum::serve(listener, app(engine)).await?;
    Ok(())
}
