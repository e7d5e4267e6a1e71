//! `philtre-print-schema-check URL SCHEMA_FILE`: writes the generated schema's schema file and
//! prints `table count` for each query the test asked for.

#[allow(missing_docs, dead_code, clippy::all)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/generated.rs"));
}

#[allow(missing_docs, unused_imports)]
mod queries {
    use super::generated;
    use philtre::prelude::*;
    include!(concat!(env!("OUT_DIR"), "/queries.rs"));
}

fn main() -> Result<(), philtre::Error> {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, schema_file] = args.as_slice() else {
        eprintln!("usage: philtre-print-schema-check URL SCHEMA_FILE");
        std::process::exit(2);
    };
    philtre_engine::SchemaFile::write(&generated::schema(), schema_file)?;
    let mut conn = philtre_engine::AnyConnection::open(url)?;
    for (table, count) in queries::run(&mut conn)? {
        println!("{table} {count}");
    }
    Ok(())
}
