//! The `philtre` binary itself: its arguments, exit codes and messages.

#![allow(missing_docs)]

use std::process::Command;

fn philtre(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_philtre"))
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn print_schema_writes_table_code_for_an_sqlite_file() {
    let dir = std::env::temp_dir().join(format!("philtre_cli_bin_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a directory");
    let db = dir.join("shop.db");
    let url = format!("sqlite:///{}", db.display());
    {
        let mut conn = philtre_engine::AnyConnection::open(&url).expect("creates the file");
        conn.batch_execute(
            "CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR(60) NOT NULL);
             CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id));",
        )
        .expect("tables");
    }
    let (code, stdout, stderr) = philtre(&["print-schema", "--url", &url, "--except", "orders"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("customers (id) {"), "{stdout}");
    assert!(
        !stdout.contains("orders (id)"),
        "--except leaves it out: {stdout}"
    );
    assert!(stderr.contains("read 1 tables"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unreachable_server_is_a_clear_error_with_exit_code_2() {
    // Nothing listens on port 1 of the loopback address.
    let (code, _, stderr) = philtre(&[
        "print-schema",
        "--url",
        "postgres://app:secret@127.0.0.1:1/shop",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("cannot connect to postgres://app:***@127.0.0.1:1/shop"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("secret"),
        "the password is not printed: {stderr}"
    );
}

#[test]
fn a_missing_url_and_a_missing_schema_file_are_explained() {
    let (code, _, stderr) = philtre(&["diff"]);
    assert_eq!(code, 2, "clap's usage error: {stderr}");
    assert!(stderr.contains("--url"), "{stderr}");
    let (code, _, stderr) = philtre(&[
        "diff",
        "--url",
        "sqlite://",
        "--schema-file",
        "/nonexistent/philtre-schema.json",
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("SchemaFile::write"),
        "says how to make one: {stderr}"
    );
}
