//! Copies the generated schema and the queries to run on it into `OUT_DIR`: the files the
//! round-trip test names in `PHILTRE_GENERATED_FILE` and `PHILTRE_QUERIES_FILE`, or, when the
//! crate is built on its own (`cargo test --workspace`), an empty schema and no queries.

use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    for (var, file, default) in [
        (
            "PHILTRE_GENERATED_FILE",
            "generated.rs",
            "pub fn schema() -> philtre::schema::Schema { philtre::schema::Schema::new() }\n",
        ),
        (
            "PHILTRE_QUERIES_FILE",
            "queries.rs",
            "pub fn run(_: &mut philtre_engine::AnyConnection) -> philtre::QueryResult<Vec<(String, i64)>> { Ok(Vec::new()) }\n",
        ),
    ] {
        println!("cargo:rerun-if-env-changed={var}");
        let text = match std::env::var(var) {
            Ok(path) => {
                println!("cargo:rerun-if-changed={path}");
                std::fs::read_to_string(&path).expect("the generated file can be read")
            }
            Err(_) => default.to_owned(),
        };
        std::fs::write(out.join(file), text).expect("OUT_DIR is writable");
    }
}
