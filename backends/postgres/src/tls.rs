//! TLS to PostgreSQL: libpq's `sslmode` and `sslrootcert`, on rustls.
//!
//! | `sslmode` | encrypted | certificate checked | host name checked |
//! | --- | --- | --- | --- |
//! | `disable` | no | — | — |
//! | `allow`, `prefer` (default) | if the server offers it (and the `tls` feature is on) | only with `sslrootcert` | no |
//! | `require` | yes, or the connect fails | only with `sslrootcert` (as libpq) | no |
//! | `verify-ca` | yes | against `sslrootcert`, else `~/.postgresql/root.crt`, else the Mozilla roots | no |
//! | `verify-full` | yes | as `verify-ca` | yes |
//!
//! Without the `tls` feature every mode that needs encryption fails with a clear error, and
//! `prefer` connects unencrypted.

use std::path::PathBuf;

use philtre::{Error, ErrorKind, QueryResult};

/// libpq's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SslMode {
    /// Never encrypt.
    Disable,
    /// Encrypt if the server insists (philtre: as `Prefer`).
    Allow,
    /// Encrypt when the server offers it; libpq's default.
    #[default]
    Prefer,
    /// Always encrypt; check the certificate only when a root certificate is given.
    Require,
    /// Always encrypt and check the certificate chain.
    VerifyCa,
    /// Always encrypt, check the chain and that the certificate names the host.
    VerifyFull,
}

impl SslMode {
    fn parse(text: &str) -> QueryResult<Self> {
        Ok(match text {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            other => {
                return Err(Error::new(
                    ErrorKind::Connection,
                    format!(
                        "invalid sslmode `{other}`: expected disable, allow, prefer, require, \
                         verify-ca or verify-full"
                    ),
                ));
            }
        })
    }

    /// What tokio-postgres is told: it knows only whether TLS is off, tried, or required.
    pub(crate) fn driver_mode(self) -> tokio_postgres::config::SslMode {
        use tokio_postgres::config::SslMode as Driver;
        match self {
            SslMode::Disable => Driver::Disable,
            SslMode::Allow | SslMode::Prefer => Driver::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => Driver::Require,
        }
    }
}

/// The TLS settings read from a connection string.
#[derive(Debug, Clone, Default)]
pub(crate) struct TlsSettings {
    pub(crate) mode: SslMode,
    pub(crate) root_cert: Option<PathBuf>,
}

impl TlsSettings {
    /// Reads `key` when it is `sslmode` or `sslrootcert` (returns whether it was one).
    pub(crate) fn take(&mut self, key: &str, value: &str) -> QueryResult<bool> {
        match key {
            "sslmode" => self.mode = SslMode::parse(value)?,
            "sslrootcert" => self.root_cert = Some(PathBuf::from(value)),
            _ => return Ok(false),
        }
        Ok(true)
    }
}

#[cfg(not(feature = "tls"))]
pub(crate) fn connector(settings: &TlsSettings) -> QueryResult<Option<std::convert::Infallible>> {
    match settings.mode {
        SslMode::Disable | SslMode::Allow | SslMode::Prefer => Ok(None),
        mode => Err(Error::new(
            ErrorKind::Connection,
            format!(
                "sslmode={} needs TLS, which this build of philtre-postgres does not have: enable \
                 its `tls` feature (or philtre-engine's)",
                match mode {
                    SslMode::Require => "require",
                    SslMode::VerifyCa => "verify-ca",
                    _ => "verify-full",
                }
            ),
        )),
    }
}

#[cfg(feature = "tls")]
pub(crate) use with_rustls::connector;

#[cfg(feature = "tls")]
mod with_rustls {
    use std::sync::Arc;

    use philtre::{Error, ErrorKind, QueryResult};
    use rustls::client::WebPkiServerVerifier;
    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::crypto::CryptoProvider;
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
    use rustls::{
        CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
    };
    use tokio_postgres_rustls::MakeRustlsConnect;

    use super::{SslMode, TlsSettings};

    /// The rustls connector for `settings`, or `None` for `sslmode=disable`.
    pub(crate) fn connector(settings: &TlsSettings) -> QueryResult<Option<MakeRustlsConnect>> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier: Arc<dyn ServerCertVerifier> = match (settings.mode, &settings.root_cert) {
            (SslMode::Disable, _) => return Ok(None),
            // libpq: without a root certificate, require (and prefer) encrypt without checking.
            (SslMode::Allow | SslMode::Prefer | SslMode::Require, None) => {
                Arc::new(EncryptOnly(Arc::clone(&provider)))
            }
            (SslMode::Allow | SslMode::Prefer | SslMode::Require | SslMode::VerifyCa, root) => {
                Arc::new(ChainOnly(webpki_verifier(root.as_deref(), &provider)?))
            }
            (SslMode::VerifyFull, root) => webpki_verifier(root.as_deref(), &provider)?,
        };
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(tls_error)?
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        Ok(Some(MakeRustlsConnect::new(config)))
    }

    fn webpki_verifier(
        root_cert: Option<&std::path::Path>,
        provider: &Arc<CryptoProvider>,
    ) -> QueryResult<Arc<WebPkiServerVerifier>> {
        let mut roots = RootCertStore::empty();
        let default_file = std::env::var_os("HOME")
            .map(|home| std::path::Path::new(&home).join(".postgresql/root.crt"))
            .filter(|path| path.exists());
        match root_cert.map(std::path::Path::to_path_buf).or(default_file) {
            Some(path) if path.as_os_str() != "system" => {
                let certificates = CertificateDer::pem_file_iter(&path)
                    .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                    .map_err(|e| {
                        Error::new(
                            ErrorKind::Connection,
                            format!("cannot read sslrootcert `{}`: {e}", path.display()),
                        )
                    })?;
                let (added, _ignored) = roots.add_parsable_certificates(certificates);
                if added == 0 {
                    return Err(Error::new(
                        ErrorKind::Connection,
                        format!(
                            "sslrootcert `{}` holds no usable certificate",
                            path.display()
                        ),
                    ));
                }
            }
            _ => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        }
        WebPkiServerVerifier::builder_with_provider(Arc::new(roots), Arc::clone(provider))
            .build()
            .map_err(tls_error)
    }

    fn tls_error(e: impl std::fmt::Display) -> Error {
        Error::new(ErrorKind::Connection, format!("cannot set up TLS: {e}"))
    }

    /// `sslmode=require` without a root certificate: the session is encrypted, and the
    /// server's signature over the handshake is checked, but not who the certificate names or
    /// who issued it (libpq's behaviour).
    #[derive(Debug)]
    struct EncryptOnly(Arc<CryptoProvider>);

    impl ServerCertVerifier for EncryptOnly {
        fn verify_server_cert(
            &self,
            _end_entity: &CertificateDer<'_>,
            _intermediates: &[CertificateDer<'_>],
            _server_name: &ServerName<'_>,
            _ocsp_response: &[u8],
            _now: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            Ok(ServerCertVerified::assertion())
        }
        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls12_signature(
                message,
                cert,
                dss,
                &self.0.signature_verification_algorithms,
            )
        }
        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls13_signature(
                message,
                cert,
                dss,
                &self.0.signature_verification_algorithms,
            )
        }
        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.0.signature_verification_algorithms.supported_schemes()
        }
    }

    /// `sslmode=verify-ca`: the chain must lead to a trusted root; the name is not checked.
    #[derive(Debug)]
    struct ChainOnly(Arc<WebPkiServerVerifier>);

    impl ServerCertVerifier for ChainOnly {
        fn verify_server_cert(
            &self,
            end_entity: &CertificateDer<'_>,
            intermediates: &[CertificateDer<'_>],
            server_name: &ServerName<'_>,
            ocsp_response: &[u8],
            now: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            match self.0.verify_server_cert(
                end_entity,
                intermediates,
                server_name,
                ocsp_response,
                now,
            ) {
                Err(rustls::Error::InvalidCertificate(
                    CertificateError::NotValidForName
                    | CertificateError::NotValidForNameContext { .. },
                )) => Ok(ServerCertVerified::assertion()),
                other => other,
            }
        }
        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            self.0.verify_tls12_signature(message, cert, dss)
        }
        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            self.0.verify_tls13_signature(message, cert, dss)
        }
        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.0.supported_verify_schemes()
        }
    }
}
