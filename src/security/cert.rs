//! CURVE certificates on disk, in the ZPL text format CZMQ's `zcert` and pyzmq's
//! `zmq.auth.create_certificates` write: `NAME.key` (public) and `NAME.key_secret` (public and
//! secret, mode 0600).
//!
//! ```text
//! #   ZeroMQ CURVE Public Certificate
//!
//! metadata
//!     name = "server"
//! curve
//!     public-key = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"
//! ```

use super::curve::{curve_keypair, curve_public, CurveKeyPair, CurvePublicKey, CurveSecretKey};
use crate::error::{Error, Result};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use zeroize::{Zeroize, Zeroizing};

/// Largest certificate file read: real ones are a few hundred bytes.
const MAX_FILE: u64 = 64 * 1024;

/// A CURVE certificate: a public key, maybe the secret key, and metadata (name/value pairs).
///
/// ```
/// # if !zmq::has("curve") { return Ok(()); }
/// let dir = std::env::temp_dir().join(format!("zmq-doc-cert-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let (public_file, secret_file) = zmq::create_certificates(&dir, "server", &[("name", "server")])?;
/// let public = zmq::Certificate::load(&public_file)?;
/// let secret = zmq::Certificate::load(&secret_file)?;
/// assert_eq!(public.public(), secret.public());
/// assert!(public.secret().is_none() && secret.secret().is_some());
/// assert_eq!(secret.meta("name"), Some("server"));
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), zmq::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Certificate {
    public: CurvePublicKey,
    secret: Option<CurveSecretKey>,
    metadata: Vec<(String, String)>,
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Certificate")
            .field("public", &self.public)
            .field("secret", &self.secret.as_ref().map(|_| "<hidden>"))
            .field("metadata", &self.metadata)
            .finish()
    }
}

impl Certificate {
    /// A certificate with a new random key pair.
    pub fn new() -> Result<Certificate> {
        Ok(Certificate::from_keypair(curve_keypair()?))
    }

    /// A certificate holding `pair`.
    pub fn from_keypair(pair: CurveKeyPair) -> Certificate {
        Certificate {
            public: pair.public,
            secret: Some(pair.secret),
            metadata: Vec::new(),
        }
    }

    /// A public certificate (no secret key).
    pub fn from_public(public: CurvePublicKey) -> Certificate {
        Certificate {
            public,
            secret: None,
            metadata: Vec::new(),
        }
    }

    /// The public key.
    pub fn public(&self) -> &CurvePublicKey {
        &self.public
    }

    /// The secret key, if the certificate has one.
    pub fn secret(&self) -> Option<&CurveSecretKey> {
        self.secret.as_ref()
    }

    /// The key pair, if the certificate has the secret key.
    pub fn keypair(&self) -> Option<CurveKeyPair> {
        self.secret.as_ref().map(|secret| CurveKeyPair {
            public: self.public,
            secret: secret.clone(),
        })
    }

    /// Every metadata entry, in file order.
    pub fn metadata(&self) -> &[(String, String)] {
        &self.metadata
    }

    /// The value of the metadata entry `name`.
    pub fn meta(&self, name: &str) -> Option<&str> {
        self.metadata
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sets a metadata entry (replacing one of the same name). Names are ZPL names (letters,
    /// digits and `$-_@.&+/`); values are one line and cannot hold both kinds of quote.
    pub fn set_meta(&mut self, name: &str, value: &str) -> Result<()> {
        if !is_meta_name(name) {
            return Err(Error::InvalidArgument(
                "a certificate metadata name is 1 to 255 letters, digits or $-_@.&+/",
            ));
        }
        quote(value)?;
        match self.metadata.iter_mut().find(|(n, _)| n == name) {
            Some(entry) => entry.1 = value.to_owned(),
            None => self.metadata.push((name.to_owned(), value.to_owned())),
        }
        Ok(())
    }

    /// Reads a certificate file (public or secret). A missing file, or one that is not a
    /// regular file (a FIFO, a device: refused without blocking or reading), is an
    /// [`ErrorKind::Io`](crate::ErrorKind::Io) error; a file larger than 64 KiB, one that is not
    /// a certificate, or one that holds a bad key is
    /// [`ErrorKind::Malformed`](crate::ErrorKind::Malformed), with the path (and line).
    pub fn load(path: impl AsRef<Path>) -> Result<Certificate> {
        let path = path.as_ref();
        let text = read_small(path)?;
        Certificate::parse(&text).map_err(|why| {
            Error::Malformed(format!("certificate {}: {why}", path.display()).into())
        })
    }

    /// Reads a certificate from its text.
    pub fn from_text(text: &str) -> Result<Certificate> {
        Certificate::parse(text)
            .map_err(|why| Error::Malformed(format!("certificate: {why}").into()))
    }

    fn parse(text: &str) -> std::result::Result<Certificate, String> {
        let entries = parse_zpl(text)?;
        let find = |key: &str| entries.iter().find(|e| e.path == key);
        let public = find("curve/public-key").ok_or("no curve/public-key entry")?;
        let public_key = CurvePublicKey::from_z85(&public.value).map_err(|_| {
            format!(
                "line {}: public-key is not a 40-character Z85 key",
                public.line
            )
        })?;
        let secret = match find("curve/secret-key") {
            Some(e) => Some(CurveSecretKey::from_z85(&e.value).map_err(|_| {
                format!("line {}: secret-key is not a 40-character Z85 key", e.line)
            })?),
            None => None,
        };
        if let Some(secret) = &secret {
            // When libzmq can derive it, the public key must be the secret key's.
            if let Ok(derived) = curve_public(secret) {
                if derived != public_key {
                    return Err("public-key does not match secret-key".into());
                }
            }
        }
        // Only what `set_meta` accepts, so that what was read can be written back the same:
        // an empty name (a top-level `metadata/` line) or a value with a NUL, a CR or both kinds
        // of quote would otherwise be written as a line that does not parse, or as "".
        let mut metadata = Vec::new();
        for e in &entries {
            let Some(name) = e.path.strip_prefix("metadata/") else {
                continue;
            };
            if name.contains('/') {
                continue;
            }
            if !is_meta_name(name) {
                return Err(format!(
                    "line {}: metadata name {name:?} is not a ZPL name",
                    e.line
                ));
            }
            if quote(&e.value).is_err() {
                return Err(format!(
                    "line {}: metadata value holds a NUL, a CR or both kinds of quote",
                    e.line
                ));
            }
            metadata.push((name.to_owned(), e.value.clone()));
        }
        Ok(Certificate {
            public: public_key,
            secret,
            metadata,
        })
    }

    /// The public certificate's text (no secret key).
    pub fn public_text(&self) -> String {
        self.text(false).to_string()
    }

    /// The secret certificate's text (public and secret keys), if there is a secret key. The
    /// text is wiped from memory when the returned value is dropped.
    pub fn secret_text(&self) -> Option<Zeroizing<String>> {
        self.secret.as_ref().map(|_| self.text(true))
    }

    fn text(&self, with_secret: bool) -> Zeroizing<String> {
        let mut out = Zeroizing::new(String::new());
        if with_secret {
            out.push_str(
                "#   ****  Generated by the zmq Rust crate  ****\n\
                 #   ZeroMQ CURVE **Secret** Certificate\n\
                 #   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n\n",
            );
        } else {
            out.push_str(
                "#   ****  Generated by the zmq Rust crate  ****\n\
                 #   ZeroMQ CURVE Public Certificate\n\
                 #   Exchange securely, or use a secure mechanism to verify the contents\n\
                 #   of this file after exchange. Store public certificates in your home\n\
                 #   directory, in the .curve subdirectory.\n\n",
            );
        }
        out.push_str("metadata\n");
        for (name, value) in &self.metadata {
            // set_meta and the parser only let in values that quote() accepts.
            let quoted = quote(value).unwrap_or_default();
            out.push_str(&format!("    {name} = {quoted}\n"));
        }
        out.push_str("curve\n");
        out.push_str(&format!("    public-key = \"{}\"\n", self.public.to_z85()));
        if with_secret {
            if let Some(secret) = &self.secret {
                // Room for the whole line first: growing the string after the key is in it
                // would leave an unwiped copy of the key behind in the old buffer.
                out.reserve(64);
                out.push_str("    secret-key = \"");
                out.push_str(&secret.to_z85_zeroizing());
                out.push_str("\"\n");
            }
        }
        out
    }

    /// Writes the public certificate to `path` and, if there is a secret key, the secret one to
    /// `path` + `"_secret"` (CZMQ's `zcert_save`): `dir/NAME.key` and `dir/NAME.key_secret`.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        self.save_public(path)?;
        if self.secret.is_some() {
            let mut secret_path = path.as_os_str().to_owned();
            secret_path.push("_secret");
            self.save_secret(PathBuf::from(secret_path))?;
        }
        Ok(())
    }

    /// Writes the public certificate to `path`.
    pub fn save_public(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        std::fs::write(path, self.public_text()).map_err(|e| io_error("writing", path, e))
    }

    /// Writes the secret certificate to `path`, readable by its owner only (mode 0600 from the
    /// moment it is created). Fails with [`ErrorKind::InvalidArgument`](crate::ErrorKind) when
    /// the certificate has no secret key.
    pub fn save_secret(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let text = self
            .secret_text()
            .ok_or(Error::InvalidArgument("the certificate has no secret key"))?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options
            .open(path)
            .map_err(|e| io_error("creating", path, e))?;
        // An existing file keeps its old mode through open(): narrow it as well.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(|e| io_error("setting the mode of", path, e))?;
        }
        file.write_all(text.as_bytes())
            .map_err(|e| io_error("writing", path, e))
    }
}

/// Creates a new key pair and writes `dir/NAME.key` and `dir/NAME.key_secret` (pyzmq's
/// `zmq.auth.create_certificates`); `metadata` goes in both. Returns both paths.
pub fn create_certificates(
    dir: impl AsRef<Path>,
    name: &str,
    metadata: &[(&str, &str)],
) -> Result<(PathBuf, PathBuf)> {
    if name.is_empty() || name.contains('/') || name.contains('\0') {
        return Err(Error::InvalidArgument(
            "a certificate name is a non-empty file name",
        ));
    }
    let mut cert = Certificate::new()?;
    for (k, v) in metadata {
        cert.set_meta(k, v)?;
    }
    let dir = dir.as_ref();
    let public = dir.join(format!("{name}.key"));
    let secret = dir.join(format!("{name}.key_secret"));
    cert.save_public(&public)?;
    cert.save_secret(&secret)?;
    Ok((public, secret))
}

/// Reads one certificate file (pyzmq's `zmq.auth.load_certificate`): see [`Certificate::load`].
pub fn load_certificate(path: impl AsRef<Path>) -> Result<Certificate> {
    Certificate::load(path)
}

/// Reads every public certificate (`*.key`) in `dir` (pyzmq's `zmq.auth.load_certificates`),
/// sorted by file name. A missing directory or a malformed `.key` file is an error (the first
/// one, by file name); entries that are not regular files are left out.
///
/// The [`Authenticator`](crate::Authenticator) reading a certificate folder is more lenient:
/// it skips a malformed file and keeps the others.
pub fn load_certificates(dir: impl AsRef<Path>) -> Result<Vec<Certificate>> {
    let (certificates, skipped) = scan_certificates(dir.as_ref())?;
    match skipped.into_iter().next() {
        Some((_, error)) => Err(error),
        None => Ok(certificates),
    }
}

/// Files left out of a certificate folder, each with the reason.
pub(crate) type Skipped = Vec<(PathBuf, Error)>;

/// Reads every public certificate (`*.key`, regular files only) in `dir`, sorted by file name,
/// and the files that could not be read or parsed, each with its error. Only a directory that
/// cannot be listed is an error.
pub(crate) fn scan_certificates(dir: &Path) -> Result<(Vec<Certificate>, Skipped)> {
    let entries = std::fs::read_dir(dir).map_err(|e| io_error("reading the directory", dir, e))?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io_error("reading the directory", dir, e))?;
        let path = entry.path();
        if path.extension().is_some_and(|ext| ext == "key") && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    let mut certificates = Vec::with_capacity(paths.len());
    let mut skipped = Vec::new();
    for path in paths {
        match Certificate::load(&path) {
            Ok(cert) => certificates.push(cert),
            Err(e) => skipped.push((path, e)),
        }
    }
    Ok((certificates, skipped))
}

pub(crate) fn io_error(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::Io {
        kind: e.kind(),
        message: format!("{what} {}: {e}", path.display()).into(),
    }
}

/// Reads a small text file (a certificate or a password file) with a size bound: at most
/// [`MAX_FILE`] bytes, from a regular file only. A FIFO, a device or a socket is refused before
/// anything is read (it is opened non-blocking, so a FIFO with no writer cannot block the open),
/// and a file that grows past the bound while it is read is refused too.
pub(crate) fn read_small(path: &Path) -> Result<Zeroizing<String>> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options
        .open(path)
        .map_err(|e| io_error("reading", path, e))?;
    let meta = file.metadata().map_err(|e| io_error("reading", path, e))?;
    if !meta.is_file() {
        return Err(io_error(
            "reading",
            path,
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file"),
        ));
    }
    let too_big =
        || Error::Malformed(format!("{}: larger than {MAX_FILE} bytes", path.display()).into());
    if meta.len() > MAX_FILE {
        return Err(too_big());
    }
    let mut bytes = Zeroizing::new(Vec::with_capacity(meta.len() as usize));
    file.take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error("reading", path, e))?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(too_big());
    }
    match std::str::from_utf8(&bytes) {
        Ok(text) => Ok(Zeroizing::new(text.to_owned())),
        Err(_) => Err(Error::Malformed(
            format!("{}: not UTF-8 text", path.display()).into(),
        )),
    }
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"$-_@.&+/".contains(&b)
}

/// A ZPL value in quotes.
/// A metadata name: 1 to 255 ZPL name bytes.
fn is_meta_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 255 && name.bytes().all(is_name_byte)
}

fn quote(value: &str) -> Result<String> {
    if value.contains(['\n', '\r', '\0']) {
        return Err(Error::InvalidArgument(
            "a certificate metadata value is one line",
        ));
    }
    if !value.contains('"') {
        Ok(format!("\"{value}\""))
    } else if !value.contains('\'') {
        Ok(format!("'{value}'"))
    } else {
        Err(Error::InvalidArgument(
            "a certificate metadata value cannot hold both kinds of quote",
        ))
    }
}

struct Entry {
    path: String,
    value: String,
    line: usize,
}

impl Drop for Entry {
    /// A value may be a secret key: it is wiped.
    fn drop(&mut self) {
        self.value.zeroize();
    }
}

/// The deepest nesting [`parse_zpl`] accepts (certificates use 2).
const MAX_DEPTH: usize = 16;

/// Parses ZPL (ZeroMQ RFC 4): one `name [= value]` per line, nesting by 4-space indentation,
/// `#` comments. Values are quoted with `"` or `'`, or bare up to the end of the line or a
/// ` #` comment.
fn parse_zpl(text: &str) -> std::result::Result<Vec<Entry>, String> {
    let mut stack: Vec<String> = Vec::new();
    let mut entries = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let err = |why: &str| format!("line {line_no}: {why}");
        let line = raw.trim_end();
        let body = line.trim_start_matches(' ');
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        if body.starts_with('\t') {
            return Err(err("indentation must be spaces"));
        }
        let indent = line.len() - body.len();
        if indent % 4 != 0 {
            return Err(err("indentation is not a multiple of 4 spaces"));
        }
        let depth = indent / 4;
        if depth > stack.len() {
            return Err(err("indented deeper than its parent"));
        }
        // A certificate nests two levels; each entry keeps its whole path, so deep nesting
        // would cost memory and time quadratic in the depth.
        if depth >= MAX_DEPTH {
            return Err(err("nested deeper than 16 levels"));
        }
        stack.truncate(depth);
        let name_len = body.bytes().take_while(|&b| is_name_byte(b)).count();
        if name_len == 0 {
            return Err(err("expected a name"));
        }
        let name = &body[..name_len];
        let rest = body[name_len..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, tail) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = &after[1..];
                    let end = inner
                        .find(q)
                        .ok_or_else(|| err("unterminated quoted value"))?;
                    (&inner[..end], &inner[end + 1..])
                }
                _ => {
                    // Unquoted: the rest of the line, up to a comment. Strict ZPL ends it at a
                    // space, but pyzmq writes metadata values unquoted, spaces and all.
                    let end = after
                        .char_indices()
                        .find(|&(i, c)| c == '#' && (i == 0 || after[..i].ends_with(' ')))
                        .map_or(after.len(), |(i, _)| i);
                    (after[..end].trim_end(), "")
                }
            };
            let tail = tail.trim_start();
            if !(tail.is_empty() || tail.starts_with('#')) {
                return Err(err("unexpected text after the value"));
            }
            value.to_owned()
        } else if rest.is_empty() || rest.starts_with('#') {
            String::new()
        } else {
            return Err(err("expected `=` after the name"));
        };
        stack.push(name.to_owned());
        entries.push(Entry {
            path: stack.join("/"),
            value,
            line: line_no,
        });
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUBLIC: &str = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID";

    /// Found by the cert_parse fuzz target: what is read must be written back the same.
    #[test]
    fn metadata_that_cannot_be_written_back_is_refused() {
        let key = format!("curve\n    public-key = \"{PUBLIC}\"\n");
        for bad in [
            "metadata/\n",
            "metadata\n    name = a\0b\n",
            "metadata\n    name = a'b\"c\n",
            "metadata\n    name = a\rb\n",
        ] {
            let e = Certificate::from_text(&format!("{bad}{key}")).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::Malformed, "{bad:?}");
            assert!(e.to_string().contains("line "), "{e}");
        }
        let ok = Certificate::from_text(&format!("metadata\n    name = it's\n{key}")).unwrap();
        let again = Certificate::from_text(&ok.public_text()).unwrap();
        assert_eq!(again.metadata(), ok.metadata());
    }

    #[test]
    fn deep_nesting_is_refused_at_once() {
        let mut text = String::new();
        for depth in 0..=MAX_DEPTH {
            text.push_str(&" ".repeat(depth * 4));
            text.push_str("a\n");
        }
        let e = parse_zpl(&text).err().expect("refused");
        assert!(e.contains("line 17") && e.contains("16 levels"), "{e}");
        text.truncate(text.len() - (MAX_DEPTH * 4 + 2));
        assert_eq!(parse_zpl(&text).unwrap().len(), MAX_DEPTH);
    }

    #[test]
    fn parses_pyzmq_and_czmq_layouts() {
        let pyzmq = format!(
            "#   ****  Generated on 2024 by pyzmq  ****\n#   ZeroMQ CURVE Public Certificate\n\n\
             metadata\n    name = alice\n    email = \"a@example.org\" # comment\ncurve\n    public-key = \"{PUBLIC}\"\n"
        );
        let cert = Certificate::from_text(&pyzmq).unwrap();
        assert_eq!(cert.public().to_z85(), PUBLIC);
        assert!(cert.secret().is_none());
        assert_eq!(cert.meta("name"), Some("alice"));
        assert_eq!(cert.meta("email"), Some("a@example.org"));
        let round = Certificate::from_text(&cert.public_text()).unwrap();
        assert_eq!(round, cert);
    }

    #[test]
    fn malformed_text_is_an_error_not_a_panic() {
        let cases = [
            String::new(),
            "curve\n".into(),
            "curve\n    public-key = \"short\"\n".into(),
            format!("curve\n  public-key = \"{PUBLIC}\"\n"),
            format!("curve\n        public-key = \"{PUBLIC}\"\n"),
            format!("curve\n    public-key = \"{PUBLIC}\n"),
            format!("curve\n    public-key = \"{PUBLIC}\" junk\n"),
            format!("curve\n\tpublic-key = \"{PUBLIC}\"\n"),
            "curve\n    public-key = \"Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hI\\\"\"\n".into(),
            "= x\n".into(),
            "é\n".into(),
        ];
        for text in &cases {
            let e = Certificate::from_text(text).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::Malformed, "{text:?}: {e}");
        }
    }

    #[test]
    fn metadata_values_are_checked() {
        let mut cert = Certificate::from_public(PUBLIC.parse().unwrap());
        assert!(cert.set_meta("name", "it's \"quoted\"").is_err());
        assert!(cert.set_meta("name", "two\nlines").is_err());
        assert!(cert.set_meta("bad name", "x").is_err());
        cert.set_meta("name", "say \"hi\"").unwrap();
        let round = Certificate::from_text(&cert.public_text()).unwrap();
        assert_eq!(round.meta("name"), Some("say \"hi\""));
    }
}
