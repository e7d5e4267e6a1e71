use philtre::prelude::*;

struct Money(i64);

fn main() {
    // A type of the user's own: `lit` cannot tell which SQL type it is.
    let _ = lit(Money(5));
}
