use philtre::prelude::*;
use philtre_sqlite::{Sqlite, SqliteConnection};

philtre::table! {
    users (id) {
        id -> Integer,
        name -> Text,
        email -> Nullable<Text>,
        score -> Integer,
    }
    posts (id) {
        id -> Integer,
        user_id -> Integer references users(id),
        title -> Text,
    }
}

#[derive(Debug, Queryable, Selectable, Identifiable)]
#[philtre(table = users)]
struct User { id: i32, name: String, email: Option<String>, score: i32 }

#[derive(Insertable)]
#[philtre(table = users)]
struct NewUser<'a> { name: &'a str, email: Option<&'a str>, score: i32 }

fn main() -> Result<(), philtre::Error> {
    let mut conn = SqliteConnection::open(":memory:")?;
    conn.batch_execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, score INTEGER NOT NULL DEFAULT 0); CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), title TEXT NOT NULL)")?;
    let n = insert_into(users::table).values(&NewUser { name: "Ann", email: None, score: 3 }).execute(&mut conn)?;
    println!("inserted {n}");
    insert_into(users::table).values(&vec![NewUser { name: "Bob", email: Some("b@x"), score: 1 }, NewUser { name: "Cy", email: Some("c@x"), score: 2 }]).execute(&mut conn)?;
    let q = users::table.filter(users::name.like("A%").or(users::email.is_not_null())).order(users::name.asc()).limit(10);
    println!("{}", debug_query::<Sqlite, _>(&q));
    let all: Vec<User> = q.select(User::as_select()).load(&mut conn)?;
    println!("{all:?}");
    let t: Vec<(i32, String)> = users::table.select((users::id, users::name)).load(&mut conn)?;
    println!("{t:?}");
    let c: i64 = users::table.count().get_result(&mut conn)?;
    println!("count {c}");
    let u: (i32, String, Option<String>, i32) = users::table.find(2).first(&mut conn)?;
    println!("{u:?}");
    update(users::table.filter(users::id.eq(1))).set(users::score.eq(users::score + 10)).execute(&mut conn)?;
    let s: i32 = users::table.find(1).select(users::score).first(&mut conn)?;
    println!("score {s}");
    let r: (i32, String) = insert_into(users::table).values((users::name.eq("Dee"), users::score.eq(5))).returning((users::id, users::name)).get_result(&mut conn)?;
    println!("{r:?}");
    let d = delete(users::table.filter(users::id.eq_any(Vec::<i32>::new()))).execute(&mut conn)?;
    println!("deleted {d}");
    let mut cur = users::table.select(users::name).order(users::id.desc()).cursor::<String>(&mut conn)?;
    for n in cur.iter() { println!("- {}", n?); }
    Ok(())
}
