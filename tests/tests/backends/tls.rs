//! TLS: PostgreSQL with each `sslmode` against the local server's own certificate, and what a
//! MySQL server without TLS answers to `ssl-mode=REQUIRED`.

use std::sync::Once;

use philtre::prelude::*;
use philtre_mysql::MysqlConnection;
use philtre_postgres::PgConnection;
use philtre_tests::harness::server_url;

fn postgres_url() -> Option<String> {
    static SKIP: Once = Once::new();
    server_url("PHILTRE_POSTGRES_URL", "PostgreSQL", &SKIP)
}

fn with_params(url: &str, params: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{params}")
}

/// Whether this session is encrypted, as the server sees it.
fn encrypted(conn: &mut PgConnection) -> QueryResult<bool> {
    conn.run_async(async |c| {
        c.query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .await?
        .try_get(0)
    })
}

/// The certificate the server presents: its own `ssl_cert_file`, readable here (Debian's
/// snakeoil certificate, self-signed, for `localhost`).
fn server_certificate(url: &str) -> QueryResult<String> {
    let mut conn = PgConnection::open(url)?;
    conn.run_async(async |c| c.query_one("SHOW ssl_cert_file", &[]).await?.try_get(0))
}

#[test]
fn sslmode_require_encrypts_the_session() -> QueryResult<()> {
    let Some(url) = postgres_url() else {
        return Ok(());
    };
    let mut conn = PgConnection::open(&with_params(&url, "sslmode=require"))?;
    assert!(
        encrypted(&mut conn)?,
        "pg_stat_ssl shows the session encrypted"
    );
    let mut plain = PgConnection::open(&with_params(&url, "sslmode=disable"))?;
    assert!(!encrypted(&mut plain)?);
    Ok(())
}

#[test]
fn sslmode_verify_ca_accepts_the_servers_own_root() -> QueryResult<()> {
    let Some(url) = postgres_url() else {
        return Ok(());
    };
    let root = server_certificate(&url)?;
    let mut conn = PgConnection::open(&with_params(
        &url,
        &format!("sslmode=verify-ca&sslrootcert={root}"),
    ))?;
    assert!(encrypted(&mut conn)?);
    Ok(())
}

#[test]
fn sslmode_verify_full_refuses_a_certificate_for_another_host() -> QueryResult<()> {
    let Some(url) = postgres_url() else {
        return Ok(());
    };
    let root = server_certificate(&url)?;
    // The certificate names `localhost`; the URL's host is 127.0.0.1.
    let e = PgConnection::open(&with_params(
        &url,
        &format!("sslmode=verify-full&sslrootcert={root}"),
    ))
    .expect_err("the certificate does not name 127.0.0.1");
    assert_eq!(e.kind(), ErrorKind::Connection, "{e}");
    assert!(e.message().contains("not valid for name"), "{e}");
    eprintln!("verify-full, wrong host: {e}");
    // Without a root that vouches for it, even the chain is refused.
    let e = PgConnection::open(&with_params(&url, "sslmode=verify-ca"))
        .expect_err("a self-signed certificate without its root");
    assert_eq!(e.kind(), ErrorKind::Connection, "{e}");
    assert!(
        e.message().contains("UnknownIssuer") || e.message().contains("unknown issuer"),
        "{e}"
    );
    Ok(())
}

#[test]
fn bad_tls_settings_are_refused_clearly() -> QueryResult<()> {
    let Some(url) = postgres_url() else {
        return Ok(());
    };
    let e = PgConnection::open(&with_params(&url, "sslmode=always")).expect_err("no such mode");
    assert!(e.message().contains("invalid sslmode `always`"), "{e}");
    let e = PgConnection::open(&with_params(
        &url,
        "sslmode=verify-ca&sslrootcert=/no/such.pem",
    ))
    .expect_err("no such file");
    assert!(
        e.message()
            .contains("cannot read sslrootcert `/no/such.pem`"),
        "{e}"
    );
    Ok(())
}

/// Whether the MySQL server at `url` offers TLS (`have_ssl` is `YES`).
fn mysql_has_tls(url: &str) -> QueryResult<bool> {
    use philtre_mysql::mysql::prelude::Queryable;
    let mut plain = MysqlConnection::open(url)?;
    let have_ssl: Vec<(String, String)> = plain
        .raw()
        .query("SHOW VARIABLES LIKE 'have_ssl'")
        .map_err(|e| philtre::Error::new(ErrorKind::Other, e.to_string()))?;
    Ok(have_ssl.first().is_some_and(|(_, v)| v == "YES"))
}

#[test]
fn mysql_ssl_mode_required_against_a_server_without_tls_fails_clearly() -> QueryResult<()> {
    static SKIP: Once = Once::new();
    let Some(url) = server_url("PHILTRE_MYSQL_URL", "MySQL", &SKIP) else {
        return Ok(());
    };
    let has_tls = mysql_has_tls(&url)?;
    let required = MysqlConnection::open(&with_params(&url, "ssl-mode=REQUIRED"));
    if has_tls {
        let mut conn = required?;
        use philtre_mysql::mysql::prelude::Queryable;
        let cipher: Option<(String, String)> = conn
            .raw()
            .query_first("SHOW SESSION STATUS LIKE 'Ssl_cipher'")
            .map_err(|e| philtre::Error::new(ErrorKind::Other, e.to_string()))?;
        assert!(
            cipher.is_some_and(|(_, c)| !c.is_empty()),
            "the session is encrypted"
        );
    } else {
        let e = required.expect_err("the server has no TLS");
        assert_eq!(e.kind(), ErrorKind::Connection, "{e}");
        assert!(e.message().contains("requires secure connection"), "{e}");
    }
    let e = MysqlConnection::open(&with_params(&url, "ssl-mode=SOMETIMES")).expect_err("bad mode");
    assert!(e.message().contains("invalid ssl-mode `SOMETIMES`"), "{e}");
    Ok(())
}

/// A runtime for the async connections' TLS tests.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime starts")
}

#[test]
fn async_postgres_sslmode_require_encrypts_the_session_and_verify_ca_checks_the_root()
-> QueryResult<()> {
    let Some(url) = postgres_url() else {
        return Ok(());
    };
    let root = server_certificate(&url)?;
    runtime().block_on(async {
        use philtre_postgres::AsyncPgConnection;
        let encrypted = async |conn: &mut AsyncPgConnection| -> QueryResult<bool> {
            conn.client()
                .query_one(
                    "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                    &[],
                )
                .await
                .map_err(|e| philtre::Error::new(ErrorKind::Other, e.to_string()))?
                .try_get(0)
                .map_err(|e| philtre::Error::new(ErrorKind::Other, e.to_string()))
        };
        let mut conn = AsyncPgConnection::open(&with_params(&url, "sslmode=require")).await?;
        assert!(
            encrypted(&mut conn).await?,
            "pg_stat_ssl shows the session encrypted"
        );
        let mut plain = AsyncPgConnection::open(&with_params(&url, "sslmode=disable")).await?;
        assert!(!encrypted(&mut plain).await?);
        let mut checked = AsyncPgConnection::open(&with_params(
            &url,
            &format!("sslmode=verify-ca&sslrootcert={root}"),
        ))
        .await?;
        assert!(encrypted(&mut checked).await?);
        let e = AsyncPgConnection::open(&with_params(&url, "sslmode=verify-ca"))
            .await
            .expect_err("a self-signed certificate without its root");
        assert_eq!(e.kind(), ErrorKind::Connection, "{e}");
        Ok(())
    })
}

#[test]
fn async_mysql_ssl_mode_required_against_a_server_without_tls_fails_clearly() -> QueryResult<()> {
    static SKIP: Once = Once::new();
    let Some(url) = server_url("PHILTRE_MYSQL_URL", "MySQL", &SKIP) else {
        return Ok(());
    };
    let has_tls = mysql_has_tls(&url)?;
    runtime().block_on(async {
        use philtre_mysql::AsyncMysqlConnection;
        let required = AsyncMysqlConnection::open(&with_params(&url, "ssl-mode=REQUIRED")).await;
        if has_tls {
            // A server with TLS: the session opens (the blocking test checks the cipher).
            let mut conn = required?;
            philtre::connection::AsyncConnection::ping(&mut conn).await?;
        } else {
            let e = required.expect_err("the server has no TLS");
            assert_eq!(e.kind(), ErrorKind::Connection, "{e}");
            // mysql_async's words: "Client asked for SSL but server does not have this
            // capability".
            assert!(e.message().contains("asked for SSL"), "{e}");
        }
        let e = AsyncMysqlConnection::open(&with_params(&url, "ssl-mode=SOMETIMES"))
            .await
            .expect_err("bad mode");
        assert!(e.message().contains("invalid ssl-mode `SOMETIMES`"), "{e}");
        Ok(())
    })
}
