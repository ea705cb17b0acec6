//! Certificates on disk (pyzmq's zmq.auth.certs, CZMQ's zcert): NAME.key and NAME.key_secret,
//! the secret file mode 0600, loading either, a folder of public certificates, and malformed
//! files giving errors.

mod security_util;

use security_util::*;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;
use zmq::{Certificate, ErrorKind};

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn create_load_and_modes() {
    if !curve_available() {
        return;
    }
    let dir = temp_dir("certs");
    let (public, secret) = zmq::create_certificates(
        &dir,
        "server",
        &[("name", "server"), ("email", "ops@example.org")],
    )
    .unwrap();
    assert_eq!(public, dir.join("server.key"));
    assert_eq!(secret, dir.join("server.key_secret"));
    assert_eq!(mode(&secret), 0o600, "the secret file is the owner's only");
    let pub_text = std::fs::read_to_string(&public).unwrap();
    assert!(pub_text.contains("curve\n    public-key = \""));
    assert!(!pub_text.contains("secret-key"));

    let p = Certificate::load(&public).unwrap();
    let s = zmq::load_certificate(&secret).unwrap();
    assert_eq!(p.public(), s.public());
    assert!(p.secret().is_none());
    let pair = s.keypair().unwrap();
    assert_eq!(zmq::curve_public(&pair.secret).unwrap(), pair.public);
    assert_eq!(s.meta("email"), Some("ops@example.org"));
    assert_eq!(p.meta("name"), Some("server"));

    // Saving over an existing, world-readable file narrows it to 0600.
    let again = dir.join("again.key_secret");
    std::fs::write(&again, "old").unwrap();
    std::fs::set_permissions(&again, std::fs::Permissions::from_mode(0o644)).unwrap();
    s.save_secret(&again).unwrap();
    assert_eq!(mode(&again), 0o600);
    assert_eq!(Certificate::load(&again).unwrap(), s);

    // save() writes both, CZMQ style.
    let cert = Certificate::new().unwrap();
    cert.save(dir.join("client.key")).unwrap();
    assert_eq!(mode(&dir.join("client.key_secret")), 0o600);
    assert_eq!(
        Certificate::load(dir.join("client.key_secret")).unwrap(),
        cert
    );
    assert_eq!(
        p.save_secret(dir.join("nope")).unwrap_err().kind(),
        ErrorKind::InvalidArgument,
        "a public certificate has no secret to save"
    );

    // A folder of public certificates: every *.key, not the secret files.
    let all = zmq::load_certificates(&dir).unwrap();
    assert_eq!(all.len(), 2);
    assert!(all.iter().all(|c| c.secret().is_none()));
    assert!(all.iter().any(|c| c.public() == cert.public()));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn reads_what_pyzmq_and_czmq_write() {
    let dir = temp_dir("foreign-certs");
    // pyzmq's layout: unquoted metadata values.
    let pyzmq = "#   ****  Generated on 2024-05-01 12:00:00 by pyzmq  ****\n\
                 #   ZeroMQ CURVE **Secret** Certificate\n\
                 #   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n\n\
                 metadata\n    name = client one\ncurve\n\
                 \x20   public-key = \"Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID\"\n\
                 \x20   secret-key = \"D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs\"\n";
    std::fs::write(dir.join("py.key_secret"), pyzmq).unwrap();
    let c = Certificate::load(dir.join("py.key_secret")).unwrap();
    assert_eq!(
        c.public().to_z85(),
        "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"
    );
    assert_eq!(
        c.secret().unwrap().to_z85(),
        "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs"
    );
    assert_eq!(
        c.meta("name"),
        Some("client one"),
        "pyzmq's unquoted values keep their spaces"
    );
    // CZMQ's layout: quoted values, a comment after a value.
    let czmq =
        "#   ZeroMQ CURVE Public Certificate\n\nmetadata\n    name = \"a b\"   # who\ncurve\n\
                \x20   public-key = \"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\"\n";
    std::fs::write(dir.join("cz.key"), czmq).unwrap();
    let c = Certificate::load(dir.join("cz.key")).unwrap();
    assert_eq!(c.meta("name"), Some("a b"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn malformed_and_missing_files_are_errors() {
    let dir = temp_dir("bad-certs");
    let cases: [(&str, &[u8]); 6] = [
        ("empty.key", b""),
        ("nokey.key", b"metadata\ncurve\n"),
        ("short.key", b"curve\n    public-key = \"abc\"\n"),
        ("binary.key", &[0xff, 0xfe, 0x00, 0x01]),
        (
            "badz85.key",
            b"curve\n    public-key = \"Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hI~\"\n",
        ),
        (
            "indent.key",
            b"curve\n   public-key = \"Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID\"\n",
        ),
    ];
    for (name, bytes) in cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let err = Certificate::load(&path).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Malformed, "{name}: {err}");
        assert!(
            err.to_string().contains(name),
            "the error names the file: {err}"
        );
        std::fs::remove_file(&path).unwrap();
    }
    // The secret key of another pair.
    if zmq::has("curve") {
        let text = "curve\n    public-key = \"Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID\"\n    \
                    secret-key = \"JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6\"\n";
        let err = Certificate::from_text(text).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Malformed);
        assert!(err.to_string().contains("does not match"), "{err}");
    }
    assert_eq!(
        Certificate::load(dir.join("missing.key"))
            .unwrap_err()
            .kind(),
        ErrorKind::Io
    );
    assert_eq!(
        zmq::load_certificates(dir.join("missing"))
            .unwrap_err()
            .kind(),
        ErrorKind::Io
    );
    // One bad file in a folder makes the folder an error (no silent partial allow-list).
    std::fs::write(dir.join("bad.key"), "garbage = \"").unwrap();
    assert_eq!(
        zmq::load_certificates(&dir).unwrap_err().kind(),
        ErrorKind::Malformed
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Runs `f` on its own thread and fails the test if it has not returned within `limit` (a
/// blocked thread is left behind, so the test never hangs).
fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(limit) {
        Ok(value) => value,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("did not return within {limit:?}")
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => panic!("panicked (see above)"),
    }
}

fn mkfifo(path: &std::path::Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: `c` is a NUL-terminated path that lives across the call.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

/// A FIFO (nobody writing) and a device are refused at once with an I/O error naming the path,
/// instead of blocking forever in open() or reading without end.
#[test]
fn fifo_certificate_or_password_file_is_refused_without_blocking() {
    let dir = temp_dir("fifo-certs");
    let fifo = dir.join("server.key");
    mkfifo(&fifo);
    let path = fifo.clone();
    let err = within(Duration::from_secs(5), move || Certificate::load(path)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io, "{err}");
    assert!(err.to_string().contains("not a regular file"), "{err}");
    assert!(err.to_string().contains("server.key"), "{err}");

    let path = fifo.clone();
    let err = within(Duration::from_secs(5), move || {
        let ctx = zmq::Context::new();
        let auth = zmq::Authenticator::new(&ctx).unwrap();
        auth.configure_plain_file("*", path)
    })
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io, "{err}");
    // A FIFO named *.key in a certificate folder is not a certificate: left out.
    assert!(zmq::load_certificates(&dir).unwrap().is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn device_and_oversized_files_are_refused() {
    let err = within(Duration::from_secs(5), || Certificate::load("/dev/zero")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io, "{err}");
    assert!(err.to_string().contains("not a regular file"), "{err}");

    let dir = temp_dir("big-certs");
    let big = dir.join("big.key");
    std::fs::write(&big, vec![b'#'; 64 * 1024 + 1]).unwrap();
    let err = Certificate::load(&big).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Malformed, "{err}");
    assert!(err.to_string().contains("larger than"), "{err}");
    // Exactly the limit is still read (and then found not to be a certificate).
    std::fs::write(&big, vec![b'#'; 64 * 1024]).unwrap();
    let err = Certificate::load(&big).unwrap_err();
    assert!(err.to_string().contains("no curve/public-key"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
