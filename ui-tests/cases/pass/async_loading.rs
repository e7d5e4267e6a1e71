use philtre::async_prelude::*;
use philtre::orm::{AsyncLoadWithDsl, LoadDsl, Loaded, RelationDsl, With, children, parent};
use philtre_ui_tests::schema::*;

#[derive(Clone, Queryable, Selectable)]
#[philtre(table = users)]
struct User {
    name: String,
}

#[derive(Clone, Queryable, Selectable)]
#[philtre(table = posts)]
struct Post {
    title: String,
}

// Users with their posts, loaded on an async connection; the future is `Send`.
async fn users_with_posts(
    conn: &mut philtre_postgres::AsyncPgConnection,
) -> QueryResult<Vec<String>> {
    let posts = children(posts::user_id).order_by(posts::id);
    let users = users::table
        .select(User::as_select())
        .load_with::<User>(posts.selectin::<Post>(), conn)
        .await?;
    Ok(users
        .iter()
        .flat_map(|user| user.related(posts).iter().map(|post| post.title.clone()))
        .collect())
}

// A post with its author, joined, on MySQL: the shape is in the type.
async fn posts_with_authors(
    conn: &mut philtre_mysql::AsyncMysqlConnection,
) -> QueryResult<Vec<Loaded<Post, With<philtre::orm::Parent<posts::user_id>, std::sync::Arc<User>>>>>
{
    posts::table
        .select(Post::as_select())
        .load_with::<Post>(parent(posts::user_id).joined::<User>(), conn)
        .await
}

fn assert_send<T: Send>(_: T) {}

fn main() {
    let _ = |conn: &'static mut philtre_postgres::AsyncPgConnection| {
        assert_send(users_with_posts(conn))
    };
    let _ = |conn: &'static mut philtre_mysql::AsyncMysqlConnection| {
        assert_send(posts_with_authors(conn))
    };
}
