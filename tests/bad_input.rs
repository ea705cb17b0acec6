//! Bad input at every public entry point (issue 16): each case is one named test and one row of
//! RELIABILITY.md's table. A case passes only if the call returns an error of the expected
//! [`ErrorKind`] whose text names what was wrong, within a few seconds, without a panic; the
//! cases that are not errors by design (a ZAP reply, a dropped oversized message) check what
//! happens instead.

mod common;

use std::io::Write;
use std::sync::mpsc;
use std::time::Duration;
use zmq::{Context, Error, ErrorKind, Result, SocketType};

/// How long one case may take before it counts as a hang.
const LIMIT: Duration = Duration::from_secs(10);

/// Runs `f` on its own thread (so a hang fails the case instead of the suite), then checks it
/// failed with `kind` and that the error's text holds every `needle`.
fn run(
    name: &str,
    kind: ErrorKind,
    needles: &[&str],
    f: impl FnOnce() -> Result<String> + Send + 'static,
) {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)));
    });
    let outcome = match rx.recv_timeout(LIMIT) {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(_)) => panic!("{name}: the call panicked"),
        Err(_) => panic!("{name}: no answer within {LIMIT:?} (hang)"),
    };
    let error = match outcome {
        Ok(value) => panic!("{name}: accepted bad input silently (gave {value})"),
        Err(e) => e,
    };
    let text = error.to_string();
    let debug = format!("{error:?}");
    assert_eq!(error.kind(), kind, "{name}: wrong kind: {debug}");
    assert!(!text.is_empty(), "{name}: empty error text");
    for needle in needles {
        assert!(
            text.contains(needle),
            "{name}: the error {text:?} does not name {needle:?}"
        );
    }
}

/// One test per case: `name => Kind, "text the error must hold"...: { body returning a Result }`.
/// `CASES` lists the names, for the check that RELIABILITY.md's table has a row for each.
macro_rules! cases {
    ($( $name:ident => $kind:ident $(, $needle:literal)* : $body:block )*) => {
        $(
            #[test]
            fn $name() {
                run(stringify!($name), ErrorKind::$kind, &[$($needle),*], move || {
                    let r = $body;
                    r.map(|v| format!("{v:?}")).map_err(Error::from)
                });
            }
        )*
        const CASES: &[&str] = &[$(stringify!($name)),*];
    };
}

fn ctx() -> Context {
    Context::new()
}

/// A socket of a kind chosen at run time, with zero linger and bounded waits.
fn dyn_socket(ctx: &Context, kind: SocketType) -> zmq::Socket<SocketType> {
    let s = ctx.socket(kind).expect("socket");
    common::bounded(&s);
    s
}

fn req() -> (Context, zmq::Socket<SocketType>) {
    let c = ctx();
    let s = dyn_socket(&c, SocketType::Req);
    (c, s)
}

/// A file in the temp dir holding `bytes`, removed when dropped.
struct TempFile(std::path::PathBuf);
impl TempFile {
    fn new(name: &str, bytes: &[u8]) -> TempFile {
        let path = temp_path(name);
        std::fs::File::create(&path)
            .and_then(|mut f| f.write_all(bytes))
            .expect("write temp file");
        TempFile(path)
    }
}
impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn temp_path(name: &str) -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    std::env::temp_dir().join(format!(
        "zmq-bad-input-{}-{}-{name}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ))
}

/// A certificate's text with `public` and optional `secret` key lines.
fn cert_text(public: &str, secret: Option<&str>) -> String {
    let mut t = format!("metadata\ncurve\n    public-key = \"{public}\"\n");
    if let Some(s) = secret {
        t.push_str(&format!("    secret-key = \"{s}\"\n"));
    }
    t
}

const GOOD_PUBLIC: &str = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";

cases! {
    // ---- endpoints: malformed, or meaning something other than what is written ----
    bind_tcp_port_above_65535 => Invalid, "99999": { let (_c, s) = req(); s.bind("tcp://127.0.0.1:99999") }
    bind_tcp_negative_port => Invalid, "-1": { let (_c, s) = req(); s.bind("tcp://127.0.0.1:-1") }
    bind_tcp_port_with_trailing_text => Invalid, "5555abc": { let (_c, s) = req(); s.bind("tcp://127.0.0.1:5555abc") }
    bind_tcp_port_with_plus_sign => Invalid: { let (_c, s) = req(); s.bind("tcp://127.0.0.1:+80") }
    bind_tcp_hex_port => Invalid: { let (_c, s) = req(); s.bind("tcp://127.0.0.1:0x10") }
    bind_tcp_without_port => Invalid: { let (_c, s) = req(); s.bind("tcp://127.0.0.1") }
    bind_tcp_empty_address => Invalid: { let (_c, s) = req(); s.bind("tcp://") }
    bind_tcp_unclosed_ipv6_bracket => NoDevice, "[::1:5555": { let (_c, s) = req(); s.bind("tcp://[::1:5555") }
    bind_tcp_unknown_interface => NoDevice, "no-such-if0": { let (_c, s) = req(); s.bind("tcp://no-such-if0:5555") }
    bind_tcp_ipv4_octet_above_255 => NoDevice: { let (_c, s) = req(); s.bind("tcp://256.1.1.1:5555") }
    connect_tcp_wildcard_port => Invalid, "127.0.0.1:*": { let (_c, s) = req(); s.connect("tcp://127.0.0.1:*") }
    connect_tcp_port_65536 => Invalid: { let (_c, s) = req(); s.connect("tcp://127.0.0.1:65536") }
    connect_tcp_huge_port => Invalid: { let (_c, s) = req(); s.connect("tcp://127.0.0.1:18446744073709551617") }
    connect_tcp_source_port_out_of_range => Invalid: { let (_c, s) = req(); s.connect("tcp://127.0.0.1:70000;127.0.0.1:5555") }
    connect_tcp_no_host => Invalid: { let (_c, s) = req(); s.connect("tcp://:5555") }
    bind_without_scheme => Invalid, "just-text": { let (_c, s) = req(); s.bind("just-text") }
    bind_empty_endpoint => Invalid: { let (_c, s) = req(); s.bind("") }
    bind_unknown_transport => ProtocolNotSupported, "foo://bar": { let (_c, s) = req(); s.bind("foo://bar") }
    connect_http_transport => ProtocolNotSupported, "http://": { let (_c, s) = req(); s.connect("http://127.0.0.1:80") }
    bind_uppercase_scheme => ProtocolNotSupported: { let (_c, s) = req(); s.bind("TCP://127.0.0.1:*") }
    bind_endpoint_with_interior_nul => InteriorNul, "position 11": { let (_c, s) = req(); s.bind("inproc://ab\0cd") }
    connect_endpoint_with_interior_nul => InteriorNul: { let (_c, s) = req(); s.connect("tcp://127.0.\x001:5555") }
    connect_port_with_trailing_nul => Invalid: { let (_c, s) = req(); s.connect("tcp://127.0.0.1:5555\0") }
    bind_tcp_no_host => Invalid: { let (_c, s) = req(); s.bind("tcp://:5555") }
    connect_ws_no_host => Invalid: { let (_c, s) = req(); s.connect("ws://:5555/path") }
    bind_inproc_empty_name => Invalid: { let (_c, s) = req(); s.bind("inproc://") }
    connect_inproc_empty_name => Invalid: { let (_c, s) = req(); s.connect("inproc://") }
    bind_inproc_name_in_use => AddrInUse, "inproc://": {
        let (c, s) = req();
        let name = common::inproc("in-use");
        s.bind(&name).unwrap();
        let other = dyn_socket(&c, SocketType::Rep);
        other.bind(&name)
    }
    bind_tcp_port_in_use => AddrInUse: {
        let (c, s) = req();
        let ep = common::bind_loopback(&s);
        dyn_socket(&c, SocketType::Rep).bind(&ep)
    }
    bind_ipc_path_too_long => NameTooLong: {
        let (_c, s) = req();
        s.bind(&format!("ipc:///tmp/{}", "x".repeat(200)))
    }
    bind_ipc_missing_directory => NotFound: { let (_c, s) = req(); s.bind("ipc:///nonexistent-zmq-dir/x.ipc") }
    bind_udp_on_req_socket => IncompatibleProtocol: { let (_c, s) = req(); s.bind("udp://127.0.0.1:5555") }
    bind_udp_port_out_of_range => Invalid: { let (_c, s) = req(); s.bind("udp://127.0.0.1:65536") }

    bind_pgm_wildcard_port => Invalid: { let (_c, s) = req(); s.bind("pgm://eth0;239.192.1.1:*") }
    bind_ws_port_out_of_range => Invalid: { let (_c, s) = req(); s.bind("ws://127.0.0.1:70000/path") }
    unbind_endpoint_never_bound => NotFound, "tcp://127.0.0.1:1": { let (_c, s) = req(); s.unbind("tcp://127.0.0.1:1") }
    disconnect_endpoint_never_connected => NotFound: { let (_c, s) = req(); s.disconnect("tcp://127.0.0.1:1") }
    unbind_port_alias_of_bound_endpoint => Invalid: {
        // :65536+N would wrap to the bound port inside libzmq and unbind it.
        let (_c, s) = req();
        let ep = common::bind_loopback(&s);
        let port: u32 = ep.rsplit(':').next().unwrap().parse().unwrap();
        s.unbind(&format!("tcp://127.0.0.1:{}", port + 65536))
    }
    bind_to_random_port_empty_range => InvalidArgument, "empty port range": {
        let (_c, s) = req();
        s.bind_to_random_port_in("tcp://127.0.0.1", 6000..6000, 10)
    }
    bind_to_random_port_bad_address => NoDevice: {
        let (_c, s) = req();
        s.bind_to_random_port_in("tcp://no-such-if0", 40000..40100, 10)
    }

    // ---- socket options: wrong size, range, type; durations at the extremes ----
    set_sndhwm_negative => Invalid: { let (_c, s) = req(); s.set_sndhwm(-1) }
    set_rcvhwm_negative => Invalid: { let (_c, s) = req(); s.set_rcvhwm(-5) }
    set_routing_id_empty => Invalid: { let (_c, s) = req(); s.set_routing_id(b"") }
    set_routing_id_256_bytes => Invalid: { let (_c, s) = req(); s.set_routing_id(&[7u8; 256]) }
    set_linger_duration_max => InvalidArgument, "duration too long": { let (_c, s) = req(); s.set_linger(Some(Duration::MAX)) }
    set_rcvtimeo_past_i32_ms => InvalidArgument: { let (_c, s) = req(); s.set_rcvtimeo(Some(Duration::from_millis(i32::MAX as u64 + 1))) }
    set_sndtimeo_u64_secs => InvalidArgument: { let (_c, s) = req(); s.set_sndtimeo(Some(Duration::from_secs(u64::MAX))) }
    set_heartbeat_ivl_duration_max => InvalidArgument: { let (_c, s) = req(); s.set_heartbeat_ivl(Duration::MAX) }
    set_heartbeat_ttl_above_limit => Invalid: { let (_c, s) = req(); s.set_heartbeat_ttl(Duration::from_secs(7000)) }
    set_reconnect_ivl_max_past_i32_ms => InvalidArgument: { let (_c, s) = req(); s.set_reconnect_ivl_max(Duration::from_secs(3_000_000)) }
    set_tcp_keepalive_out_of_range => Invalid: { let (_c, s) = req(); s.set_tcp_keepalive(5) }
    set_multicast_hops_zero => Invalid: { let (_c, s) = req(); s.set_multicast_hops(0) }
    set_rate_zero => Invalid: { let (_c, s) = req(); s.set_rate(0) }
    set_backlog_negative => Invalid: { let (_c, s) = req(); s.set_backlog(-1) }
    set_sndbuf_below_minus_one => Invalid: { let (_c, s) = req(); s.set_sndbuf(-2) }
    set_curve_serverkey_31_bytes => InvalidKey, "32 bytes": { let (_c, s) = req(); s.set_curve_serverkey(&[1u8; 31]) }
    set_curve_publickey_33_bytes => InvalidKey: { let (_c, s) = req(); s.set_curve_publickey(&[1u8; 33]) }
    set_curve_secretkey_40_chars_not_z85 => InvalidKey, "Z85": {
        let (_c, s) = req();
        s.set_curve_secretkey("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf\"")
    }
    set_plain_username_interior_nul => InteriorNul, "position 3": { let (_c, s) = req(); s.set_plain_username("bob\0admin") }
    set_plain_password_too_long => Invalid: { let (_c, s) = req(); s.set_plain_password(&"p".repeat(256)) }
    set_zap_domain_too_long => Invalid: { let (_c, s) = req(); s.set_zap_domain(&"d".repeat(256)) }
    set_socks_proxy_interior_nul => InteriorNul: { let (_c, s) = req(); s.set_socks_proxy("127.0.0.1:1080\0") }
    set_bindtodevice_longer_than_ifnamsiz => Invalid: { let (_c, s) = req(); s.set_bindtodevice(&"e".repeat(64)) }
    set_option_unknown_number => Invalid: { let (_c, s) = req(); s.set_option(9999, &1i32) }
    set_option_i32_on_i64_option => Invalid: { let (_c, s) = req(); s.set_option(zmq::ffi::ZMQ_MAXMSGSIZE, &1i32) }
    set_option_3_bytes_on_int_option => Invalid: { let (_c, s) = req(); s.set_option(zmq::ffi::ZMQ_SNDHWM, &[1u8, 2, 3][..]) }
    get_option_i32_of_i64_option => Invalid: { let (_c, s) = req(); s.get_option::<i32>(zmq::ffi::ZMQ_MAXMSGSIZE) }
    get_option_unknown_number => Invalid: { let (_c, s) = req(); s.get_option::<i32>(9999) }
    set_subscribe_on_req_socket => Invalid: { let (_c, s) = req(); s.subscribe("topic") }
    set_router_mandatory_on_req_socket => Invalid: { let (_c, s) = req(); s.set_router_mandatory(true) }

    // ---- context options and calls after shutdown / term ----
    context_set_unknown_option => Invalid: { ctx().set_raw(9999, 1) }
    context_get_unknown_option => Invalid: { ctx().get_raw(9999) }
    context_io_threads_negative => Invalid: { ctx().set_io_threads(-1) }
    context_max_sockets_zero => Invalid: { ctx().set_max_sockets(0) }
    context_max_msgsz_negative => Invalid: { ctx().set_max_msgsz(-1) }
    socket_after_term => ContextTerminated: {
        let c = ctx();
        let clone = c.clone();
        c.term().unwrap();
        clone.socket(zmq::REQ).map(|_| ())
    }
    socket_after_shutdown => ContextTerminated: { let c = ctx(); c.shutdown().unwrap(); c.socket(zmq::REQ).map(|_| ()) }
    send_after_shutdown => ContextTerminated: { let (c, s) = req(); s.connect("inproc://x").unwrap(); c.shutdown().unwrap(); s.send("x") }
    recv_after_shutdown => ContextTerminated: { let c = ctx(); let s = dyn_socket(&c, SocketType::Rep); c.shutdown().unwrap(); s.recv() }
    bind_after_shutdown => ContextTerminated: { let (c, s) = req(); c.shutdown().unwrap(); s.bind("tcp://127.0.0.1:*") }
    monitor_after_shutdown => ContextTerminated: { let (c, s) = req(); c.shutdown().unwrap(); s.monitor(zmq::MonitorEvents::ALL).map(|_| ()) }

    // ---- calls in the wrong socket state or on the wrong kind ----
    req_recv_before_send => InvalidState: { let (_c, s) = req(); s.recv() }
    req_send_twice => InvalidState: {
        let (_c, s) = req();
        s.connect("inproc://nobody-req").unwrap();
        s.set_sndtimeo(Some(Duration::ZERO)).unwrap();
        // The first send queues (inproc connect before bind), the second is out of turn.
        let _ = s.send("one");
        s.send("two")
    }
    rep_send_before_recv => InvalidState: { let c = ctx(); dyn_socket(&c, SocketType::Rep).send("reply") }
    dynamic_pub_recv => NotSupported: { let c = ctx(); dyn_socket(&c, SocketType::Pub).recv() }
    dynamic_sub_send => NotSupported: { let c = ctx(); dyn_socket(&c, SocketType::Sub).send("x") }
    dynamic_pull_send => NotSupported: { let c = ctx(); dyn_socket(&c, SocketType::Pull).send("x") }
    router_mandatory_unknown_peer => HostUnreachable: {
        let c = ctx();
        let r = common::socket(&c, zmq::ROUTER);
        r.set_router_mandatory(true).unwrap();
        r.send_multipart([&b"nobody"[..], &b"hi"[..]]).map_err(Error::from)
    }
    try_send_would_block => Again: {
        // PUSH with no peer: try_send cannot queue.
        let c = ctx();
        let p = common::socket(&c, zmq::PUSH);
        p.try_send("x")
    }
    recv_timeout_expires => Again: {
        let c = ctx();
        let p = common::socket(&c, zmq::PULL);
        p.set_rcvtimeo(Some(Duration::from_millis(20))).unwrap();
        p.recv()
    }
    recv_string_not_utf8 => Utf8: {
        let c = ctx();
        let a = common::socket(&c, zmq::PAIR);
        let ep = common::inproc("utf8");
        a.bind(&ep).unwrap();
        let b = common::socket(&c, zmq::PAIR);
        b.connect(&ep).unwrap();
        a.send(&[0xC3u8, 0x28][..]).unwrap();
        b.recv_string().map_err(Error::from)
    }
    message_with_size_larger_than_memory => OutOfMemory: { zmq::Message::with_size(usize::MAX / 2) }
    monitor_raw_tcp_endpoint => ProtocolNotSupported, "tcp://": { let (_c, s) = req(); s.monitor_raw(Some("tcp://127.0.0.1:5555"), zmq::MonitorEvents::ALL) }
    monitor_raw_interior_nul => InteriorNul: { let (_c, s) = req(); s.monitor_raw(Some("inproc://m\0"), zmq::MonitorEvents::ALL) }

    // ---- Z85 and CURVE keys ----
    z85_decode_length_not_multiple_of_5 => Z85, "multiple of 5": { zmq::z85::decode("abcd") }
    z85_decode_char_outside_alphabet => Z85, "alphabet": { zmq::z85::decode("abc\"e") }
    z85_decode_group_overflows_32_bits => Z85, "32 bits": { zmq::z85::decode("%%%%%") }
    z85_decode_non_ascii => Z85: { zmq::z85::decode("é1234") }
    z85_decode_nul_byte => Z85: { zmq::z85::decode("ab\0de") }
    z85_encode_length_not_multiple_of_4 => Z85, "multiple of 4": { zmq::z85::encode(&[1, 2, 3]) }
    public_key_from_31_bytes => InvalidKey: { zmq::CurvePublicKey::from_bytes(&[0u8; 31]) }
    public_key_from_z85_39_chars => InvalidKey, "40 characters": { zmq::CurvePublicKey::from_z85(&GOOD_PUBLIC[..39]) }
    secret_key_from_overflowing_z85 => InvalidKey: { zmq::CurveSecretKey::from_z85(&"%".repeat(40)).map(|_| ()) }

    // ---- certificate files: broken and hostile ----
    cert_load_missing_file => Io, "zmq-no-such-cert": { zmq::Certificate::load("/nonexistent/zmq-no-such-cert.key") }
    cert_load_directory => Io: { zmq::Certificate::load(std::env::temp_dir()) }
    cert_load_char_device_dev_zero => Io: { zmq::Certificate::load("/dev/zero") }
    cert_load_fifo_without_writer => Io: {
        let path = temp_path("fifo");
        let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        // SAFETY: `c` is a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let r = zmq::Certificate::load(&path);
        let _ = std::fs::remove_file(&path);
        r
    }
    cert_load_larger_than_64k => Malformed: {
        let mut text = cert_text(GOOD_PUBLIC, None);
        text.push_str(&"# padding\n".repeat(8000));
        let f = TempFile::new("big.key", text.as_bytes());
        zmq::Certificate::load(&f.0)
    }
    cert_load_not_utf8 => Malformed: {
        let f = TempFile::new("latin1.key", b"curve\n    public-key = \"\xe9\xe9\"\n");
        zmq::Certificate::load(&f.0)
    }
    cert_text_empty => Malformed, "public-key": { zmq::Certificate::from_text("") }
    cert_text_no_curve_section => Malformed: { zmq::Certificate::from_text("metadata\n    name = \"x\"\n") }
    cert_text_public_key_short => Malformed, "line 3": { zmq::Certificate::from_text(&cert_text(&GOOD_PUBLIC[..30], None)) }
    cert_text_public_key_not_z85 => Malformed: { zmq::Certificate::from_text(&cert_text(&"\"".repeat(40), None)) }
    cert_text_secret_not_matching_public => Malformed, "does not match": {
        let other = zmq::CurveKeyPair::generate().unwrap();
        zmq::Certificate::from_text(&cert_text(GOOD_PUBLIC, Some(&other.secret.to_z85())))
    }
    cert_text_tab_indentation => Malformed, "spaces": { zmq::Certificate::from_text("curve\n\tpublic-key = \"x\"\n") }
    cert_text_odd_indentation => Malformed, "multiple of 4": { zmq::Certificate::from_text("curve\n   public-key = \"x\"\n") }
    cert_text_unterminated_quote => Malformed, "unterminated": { zmq::Certificate::from_text("curve\n    public-key = \"abc\n") }
    cert_text_deep_nesting => Malformed, "16 levels": {
        // 4000 levels in 16 MB of text: refused without recursion or a stack overflow.
        let mut t = String::new();
        for depth in 0..4000 {
            t.push_str(&" ".repeat(depth * 4));
            t.push_str("a\n");
        }
        zmq::Certificate::from_text(&t)
    }
    cert_text_garbage_after_value => Malformed, "after the value": {
        zmq::Certificate::from_text(&format!("curve\n    public-key = \"{GOOD_PUBLIC}\" junk\n"))
    }
    cert_set_meta_bad_name => InvalidArgument: { let mut c = zmq::Certificate::new().unwrap(); c.set_meta("has space", "v") }
    cert_set_meta_value_with_newline => InvalidArgument: { let mut c = zmq::Certificate::new().unwrap(); c.set_meta("name", "a\nb") }
    load_certificates_missing_directory => Io: { zmq::load_certificates("/nonexistent/zmq-certs") }
    authenticator_plain_file_missing => Io: {
        let c = ctx();
        let auth = zmq::Authenticator::new(&c).unwrap();
        auth.configure_plain_file("*", "/nonexistent/zmq-passwords")
    }
    authenticator_plain_file_line_without_equals => Malformed: {
        let c = ctx();
        let auth = zmq::Authenticator::new(&c).unwrap();
        let f = TempFile::new("passwords", b"alice\n");
        auth.configure_plain_file("*", &f.0)
    }
    authenticator_certificates_missing_directory => Io: {
        let c = ctx();
        let auth = zmq::Authenticator::new(&c).unwrap();
        auth.configure_curve_certificates("*", "/nonexistent/zmq-certs")
    }
    authenticator_allow_not_an_ip_address => InvalidArgument, "IP addresses": {
        let c = ctx();
        let auth = zmq::Authenticator::new(&c).unwrap();
        auth.allow(["not-an-ip"])
    }
    authenticator_deny_address_with_port => InvalidArgument, "no host name, port": {
        let c = ctx();
        let auth = zmq::Authenticator::new(&c).unwrap();
        auth.deny(["127.0.0.1:5555"])
    }

    // ---- monitor messages ----
    monitor_parse_one_frame => Malformed, "2 frames": { zmq::MonitorEvent::parse(&[&[0u8; 6][..]]) }
    monitor_parse_three_frames => Malformed: { zmq::MonitorEvent::parse(&[&[0u8; 6][..], b"e", b"x"]) }
    monitor_parse_first_frame_5_bytes => Malformed, "5 bytes": { zmq::MonitorEvent::parse(&[&[0u8; 5][..], b"tcp://x"]) }
    monitor_parse_endpoint_not_utf8 => Malformed, "UTF-8": {
        let head = [1u8, 0, 0, 0, 0, 0];
        zmq::MonitorEvent::parse(&[&head[..], &[0xFFu8, 0xFE][..]])
    }
}

/// PGM on a REQ socket: `IncompatibleProtocol` where libzmq has PGM (PGM is for PUB/SUB),
/// `ProtocolNotSupported` where it has not (the vendored build).
#[test]
fn bind_pgm_on_req_socket() {
    let expected = if zmq::has("pgm") {
        ErrorKind::IncompatibleProtocol
    } else {
        ErrorKind::ProtocolNotSupported
    };
    run("bind_pgm_on_req_socket", expected, &["pgm://"], || {
        let (_c, s) = req();
        s.bind("pgm://127.0.0.1;239.192.1.1:5555")
            .map(|()| String::new())
    });
}

/// Unknown monitor event numbers are values, not errors (a newer libzmq may add events).
#[test]
fn monitor_parse_unknown_event_is_a_value() {
    let head = [0xEEu8, 0xEE, 1, 0, 0, 0];
    let event = zmq::MonitorEvent::parse(&[&head[..], b"tcp://x"]).unwrap();
    assert_eq!(event.name(), "UNKNOWN");
    assert!(event.to_string().contains("0xeeee"));
}

/// Malformed ZAP requests sent straight to the authenticator's endpoint get a 400 reply (so the
/// REP socket stays in step), and the handler keeps answering.
#[test]
fn zap_malformed_requests_get_400() {
    let c = ctx();
    let auth = zmq::Authenticator::new(&c).unwrap();
    auth.configure_curve_any("*");
    let q = common::socket(&c, zmq::REQ);
    q.connect(zmq::ZAP_ENDPOINT).unwrap();
    let ask = |frames: &[&[u8]]| -> Vec<Vec<u8>> {
        q.send_multipart(frames.iter().copied()).unwrap();
        q.recv_multipart()
            .unwrap()
            .iter()
            .map(|m| m.to_vec())
            .collect()
    };
    /// What is sent, the frames, the status expected.
    type Case<'a> = (&'a str, &'a [&'a [u8]], &'a [u8]);
    let cases: &[Case] = &[
        ("one frame", &[b"1.0"], b"400"),
        (
            "five frames",
            &[b"1.0", b"id", b"", b"127.0.0.1", b""],
            b"400",
        ),
        (
            "wrong version",
            &[b"2.0", b"id", b"", b"127.0.0.1", b"", b"NULL"],
            b"400",
        ),
        (
            "empty version",
            &[b"", b"id", b"", b"127.0.0.1", b"", b"NULL"],
            b"400",
        ),
        (
            "unknown mechanism",
            &[b"1.0", b"id", b"", b"127.0.0.1", b"", b"ROT13"],
            b"400",
        ),
        (
            "curve key of 31 bytes",
            &[b"1.0", b"id", b"", b"127.0.0.1", b"", b"CURVE", &[1u8; 31]],
            b"400",
        ),
        (
            "curve without key",
            &[b"1.0", b"id", b"", b"127.0.0.1", b"", b"CURVE"],
            b"400",
        ),
        (
            "mechanism not UTF-8",
            &[b"1.0", b"id", b"", b"127.0.0.1", b"", &[0xFF, 0xFE]],
            b"400",
        ),
    ];
    for (what, frames, code) in cases {
        let reply = ask(frames);
        assert_eq!(reply.len(), 6, "{what}: a ZAP reply has 6 frames");
        assert_eq!(reply[0], b"1.0", "{what}");
        assert_eq!(
            &reply[2][..],
            *code,
            "{what}: {:?}",
            String::from_utf8_lossy(&reply[3])
        );
        if frames.len() > 1 {
            assert_eq!(reply[1], frames[1], "{what}: the request id is echoed");
        }
    }
    // Still serving: a well-formed CURVE request is allowed.
    let reply = ask(&[b"1.0", b"ok", b"", b"127.0.0.1", b"", b"CURVE", &[9u8; 32]]);
    assert_eq!(reply[2], b"200");
    assert!(auth.is_alive());
}

/// A message over the receiver's ZMQ_MAXMSGSIZE is not delivered (libzmq drops the connection),
/// the receiver gets `Again` at its timeout rather than a truncated message, and a small message
/// on a new connection afterwards gets through.
#[test]
fn message_over_maxmsgsize_is_dropped_not_delivered() {
    let c = ctx();
    let pull = common::socket(&c, zmq::PULL);
    pull.set_maxmsgsize(100).unwrap();
    pull.set_rcvtimeo(Some(Duration::from_millis(500))).unwrap();
    let ep = common::bind_loopback(&pull);
    {
        let push = common::socket(&c, zmq::PUSH);
        push.connect(&ep).unwrap();
        push.send(vec![7u8; 1000]).unwrap();
        let e = pull.recv().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Again, "{e:?}");
    }
    let push = common::socket(&c, zmq::PUSH);
    push.connect(&ep).unwrap();
    push.send(vec![1u8; 100]).unwrap();
    pull.set_rcvtimeo(Some(common::TIMEOUT)).unwrap();
    assert_eq!(pull.recv().unwrap().len(), 100);
}

/// `recv_into` with a buffer smaller than the frame reports the truncation.
#[test]
fn recv_into_small_buffer_reports_truncation() {
    let c = ctx();
    let ep = common::inproc("trunc");
    let a = common::socket(&c, zmq::PAIR);
    a.bind(&ep).unwrap();
    let b = common::socket(&c, zmq::PAIR);
    b.connect(&ep).unwrap();
    a.send(&[5u8; 64][..]).unwrap();
    let mut buf = [0u8; 8];
    let got = b.recv_into(&mut buf).unwrap();
    assert!(got.truncated(), "{got:?}");
    assert_eq!(buf, [5u8; 8]);
}

/// A sub-millisecond timeout is rounded up, never to 0 (which would mean "do not wait").
#[test]
fn sub_millisecond_timeout_is_not_zero() {
    let (_c, s) = req();
    s.set_rcvtimeo(Some(Duration::from_nanos(1))).unwrap();
    assert_eq!(s.rcvtimeo().unwrap(), Some(Duration::from_millis(1)));
}

/// Message metadata asked with an interior NUL or a non-UTF-8 value is `None`, never a panic.
#[test]
fn message_gets_with_interior_nul_is_none() {
    let m = zmq::Message::from_slice(b"x");
    assert_eq!(m.gets("User\0-Id"), None);
    assert_eq!(m.gets(""), None);
}

/// The cases that are not a plain error (above), for the table check.
const OTHER_CASES: &[&str] = &[
    "bind_pgm_on_req_socket",
    "monitor_parse_unknown_event_is_a_value",
    "zap_malformed_requests_get_400",
    "message_over_maxmsgsize_is_dropped_not_delivered",
    "recv_into_small_buffer_reports_truncation",
    "sub_millisecond_timeout_is_not_zero",
    "message_gets_with_interior_nul_is_none",
];

/// RELIABILITY.md's bad-input table has a row for every case here, and counts them right.
#[test]
fn reliability_md_lists_every_case() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/RELIABILITY.md"))
        .expect("RELIABILITY.md at the repository root");
    let missing: Vec<&str> = CASES
        .iter()
        .chain(OTHER_CASES)
        .copied()
        .filter(|name| !doc.contains(&format!("`{name}`")))
        .collect();
    assert!(missing.is_empty(), "cases without a row: {missing:?}");
    let total = CASES.len() + OTHER_CASES.len();
    assert!(
        doc.contains(&format!("{total} cases")),
        "RELIABILITY.md should say \"{total} cases\""
    );
}
