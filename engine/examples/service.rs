//! A small service: one engine from `DATABASE_URL` (default: an embedded SQLite file), a pool
//! shared by 4 worker threads, SQL logging on, one transaction per request, and a clean
//! shutdown. Run it with
//!
//! ```text
//! cargo run --example service
//! DATABASE_URL=postgres://postgres@127.0.0.1/test cargo run --example service
//! DATABASE_URL=mysql://root@127.0.0.1/test cargo run --example service
//! ```
//!
//! Each request orders a quantity of a product: the stock is checked and lowered and the order
//! written in one transaction, so an order the stock cannot cover leaves nothing behind.
//! `RUST_LOG`-style filtering is left out to keep the example short: every statement is logged
//! at INFO (`echo`), and statements slower than 100 ms at WARN.

use std::sync::mpsc;
use std::time::Duration;

use philtre::prelude::*;
use philtre_engine::Engine;

philtre::table! {
    products (id) {
        id -> Integer,
        #[max_length = 100]
        name -> Text,
        stock -> Integer,
    }
    orders (id) {
        #[auto_increment]
        id -> Integer,
        product_id -> Integer references products(id),
        quantity -> Integer,
    }
}

/// One request: order `quantity` of product `product`.
struct Request {
    product: i32,
    quantity: i32,
}

/// What a request came to.
enum Reply {
    Ordered,
    OutOfStock,
    Failed(philtre::Error),
}

fn handle(engine: &Engine, request: &Request) -> Reply {
    let outcome = engine.begin(|conn| {
        // Check and take the stock in one statement: a SELECT then an UPDATE would let two
        // requests both see enough stock and sell it twice.
        let taken = update(
            products::table
                .filter(products::id.eq(request.product))
                .filter(products::stock.ge(request.quantity)),
        )
        .set(products::stock.eq(products::stock - request.quantity))
        .execute(conn)?;
        if taken == 0 {
            return Ok(false);
        }
        insert_into(orders::table)
            .values((
                orders::product_id.eq(request.product),
                orders::quantity.eq(request.quantity),
            ))
            .execute(conn)?;
        Ok(true)
    });
    match outcome {
        Ok(true) => Reply::Ordered,
        Ok(false) => Reply::OutOfStock,
        Err(e) => Reply::Failed(e),
    }
}

fn main() -> Result<(), philtre::Error> {
    tracing_subscriber::fmt().with_target(true).init();

    let url =
        std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite:///philtre-service.db".to_owned());
    let engine = Engine::builder(&url)
        .pool_size(4)
        .max_overflow(2)
        .pool_timeout(Duration::from_secs(10))
        .pool_pre_ping(true)
        .echo(true)
        .slow_statement_threshold(Duration::from_millis(100))
        .build()?;
    println!("serving from {} ({})", engine.url(), engine.backend());

    // Set-up: the tables, and stock to sell.
    {
        let mut conn = engine.connect()?;
        let schema = philtre::schema::Schema::new()
            .table(products::table)
            .table(orders::table);
        conn.drop_all_if_exists(&schema)?;
        conn.create_all(&schema)?;
        let stock: Vec<_> = [(1, "tea", 30), (2, "coffee", 20), (3, "cocoa", 5)]
            .into_iter()
            .map(|(id, name, stock)| {
                (
                    products::id.eq(id),
                    products::name.eq(name),
                    products::stock.eq(stock),
                )
            })
            .collect();
        insert_into(products::table)
            .values(stock)
            .execute(&mut *conn)?;
    }

    // 4 workers share the engine; requests arrive on a channel, replies go back on another.
    let (requests, inbox) = mpsc::channel::<Request>();
    let inbox = std::sync::Arc::new(std::sync::Mutex::new(inbox));
    let (reply_to, replies) = mpsc::channel::<Reply>();
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let engine = engine.clone();
            let inbox = std::sync::Arc::clone(&inbox);
            let reply_to = reply_to.clone();
            std::thread::spawn(move || {
                loop {
                    // The lock is held only while taking the next request.
                    let next = inbox.lock().map(|inbox| inbox.recv());
                    let Ok(Ok(request)) = next else { break };
                    if reply_to.send(handle(&engine, &request)).is_err() {
                        break;
                    }
                }
            })
        })
        .collect();
    drop(reply_to);

    for n in 0..40 {
        let request = Request {
            product: n % 3 + 1,
            quantity: n % 4 + 1,
        };
        if requests.send(request).is_err() {
            break;
        }
    }
    // Clean shutdown: no more requests; the workers finish what they took and stop.
    drop(requests);
    let (mut ordered, mut out_of_stock, mut failed) = (0, 0, 0);
    for reply in replies {
        match reply {
            Reply::Ordered => ordered += 1,
            Reply::OutOfStock => out_of_stock += 1,
            Reply::Failed(e) => {
                eprintln!("request failed: {e}");
                failed += 1;
            }
        }
    }
    for worker in workers {
        worker.join().expect("a worker panicked");
    }

    let mut conn = engine.connect()?;
    let sold: Option<i64> = orders::table
        .select(sum(orders::quantity))
        .get_result(&mut *conn)?;
    let left: Option<i64> = products::table
        .select(sum(products::stock))
        .get_result(&mut *conn)?;
    let lowest: Option<i32> = products::table
        .select(min(products::stock))
        .get_result(&mut *conn)?;
    drop(conn);
    println!(
        "{ordered} orders, {out_of_stock} out of stock, {failed} failed; {} sold, {} left",
        sold.unwrap_or(0),
        left.unwrap_or(0)
    );
    let (sold, left) = (sold.unwrap_or(0), left.unwrap_or(0));
    assert_eq!(sold + left, 55, "every unit is sold or in stock");
    assert!(lowest.unwrap_or(0) >= 0, "no stock was sold twice");
    println!("pool at shutdown: {:?}", engine.status());
    engine.dispose();
    if failed > 0 {
        return Err(philtre::Error::new(
            philtre::ErrorKind::Other,
            format!("{failed} requests failed"),
        ));
    }
    Ok(())
}
