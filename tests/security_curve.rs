//! Keys and mechanisms: pyzmq's test_security.py (NULL/PLAIN/CURVE through a hand-written ZAP
//! handler with metadata, mechanism options, test_keypair, test_curve_public) and test_z85.py
//! (the four RFC 32 reference keys).

mod security_util;

use security_util::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use zmq::{CurveKeyPair, CurvePublicKey, CurveSecretKey, ErrorKind, Mechanism};

// The reference keys of libzmq's test_security_curve and pyzmq's test_z85.py.
const CLIENT_PUBLIC: [u8; 32] = [
    0xBB, 0x88, 0x47, 0x1D, 0x65, 0xE2, 0x65, 0x9B, 0x30, 0xC5, 0x5A, 0x53, 0x21, 0xCE, 0xBB, 0x5A,
    0xAB, 0x2B, 0x70, 0xA3, 0x98, 0x64, 0x5C, 0x26, 0xDC, 0xA2, 0xB2, 0xFC, 0xB4, 0x3F, 0xC5, 0x18,
];
const CLIENT_SECRET: [u8; 32] = [
    0x7B, 0xB8, 0x64, 0xB4, 0x89, 0xAF, 0xA3, 0x67, 0x1F, 0xBE, 0x69, 0x10, 0x1F, 0x94, 0xB3, 0x89,
    0x72, 0xF2, 0x48, 0x16, 0xDF, 0xB0, 0x1B, 0x51, 0x65, 0x6B, 0x3F, 0xEC, 0x8D, 0xFD, 0x08, 0x88,
];
const SERVER_PUBLIC: [u8; 32] = [
    0x54, 0xFC, 0xBA, 0x24, 0xE9, 0x32, 0x49, 0x96, 0x93, 0x16, 0xFB, 0x61, 0x7C, 0x87, 0x2B, 0xB0,
    0xC1, 0xD1, 0xFF, 0x14, 0x80, 0x04, 0x27, 0xC5, 0x94, 0xCB, 0xFA, 0xCF, 0x1B, 0xC2, 0xD6, 0x52,
];
const SERVER_SECRET: [u8; 32] = [
    0x8E, 0x0B, 0xDD, 0x69, 0x76, 0x28, 0xB9, 0x1D, 0x8F, 0x24, 0x55, 0x87, 0xEE, 0x95, 0xC5, 0xB0,
    0x4D, 0x48, 0x96, 0x3F, 0x79, 0x25, 0x98, 0x77, 0xB4, 0x9C, 0xD9, 0x06, 0x3A, 0xEA, 0xD3, 0xB7,
];
const VECTORS: [(&[u8; 32], &str); 4] = [
    (&CLIENT_PUBLIC, "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"),
    (&CLIENT_SECRET, "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs"),
    (&SERVER_PUBLIC, "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"),
    (&SERVER_SECRET, "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6"),
];

#[test]
fn z85_reference_key_vectors() {
    for (raw, text) in VECTORS {
        assert_eq!(zmq::z85::encode(raw).unwrap(), text);
        assert_eq!(zmq::z85::decode(text).unwrap(), raw);
        assert_eq!(CurvePublicKey::from_z85(text).unwrap().as_bytes(), raw);
        assert_eq!(CurvePublicKey::from_bytes(raw).unwrap().to_z85(), text);
        assert_eq!(
            CurveSecretKey::from_bytes(text.as_bytes())
                .unwrap()
                .as_bytes(),
            raw
        );
    }
}

#[test]
fn reference_pairs_match() {
    if !curve_available() {
        return;
    }
    let client = CurveKeyPair::from_secret(CURVE_SECRET_OF(&CLIENT_SECRET)).unwrap();
    assert_eq!(client.public.as_bytes(), &CLIENT_PUBLIC);
    let server = zmq::curve_public(&CURVE_SECRET_OF(&SERVER_SECRET)).unwrap();
    assert_eq!(server.as_bytes(), &SERVER_PUBLIC);
}

#[allow(non_snake_case)]
fn CURVE_SECRET_OF(raw: &[u8; 32]) -> CurveSecretKey {
    CurveSecretKey::from(*raw)
}

#[test]
fn keys_refuse_anything_but_32_bytes_or_40_z85() {
    for bad in [
        &b""[..],
        b"short",
        &[0u8; 31],
        &[0u8; 33],
        &[0u8; 41],
        &[b'"'; 40],
        &[0xffu8; 40],
    ] {
        assert_eq!(
            CurvePublicKey::from_bytes(bad).unwrap_err().kind(),
            ErrorKind::InvalidKey
        );
        assert_eq!(
            CurveSecretKey::from_bytes(bad).unwrap_err().kind(),
            ErrorKind::InvalidKey
        );
    }
    assert_eq!(
        "abc".parse::<CurvePublicKey>().unwrap_err().kind(),
        ErrorKind::InvalidKey
    );
    // 40 Z85 characters whose groups overflow 32 bits.
    assert_eq!(
        CurvePublicKey::from_z85(&"#".repeat(40))
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidKey
    );
    // Socket options check the same way.
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::DEALER).unwrap();
    assert_eq!(
        s.set_curve_serverkey(b"not a key").unwrap_err().kind(),
        ErrorKind::InvalidKey
    );
    // The secret key never shows in Debug.
    let secret = CurveSecretKey::from(CLIENT_SECRET);
    assert!(!format!("{secret:?}").contains(VECTORS[1].1));
}

#[test]
fn keypair() {
    if !curve_available() {
        return;
    }
    let pair = zmq::curve_keypair().unwrap();
    assert_eq!(pair.public.to_z85().len(), 40);
    assert_eq!(pair.secret.to_z85().len(), 40);
    assert_eq!(zmq::z85::decode(&pair.public.to_z85()).unwrap().len(), 32);
    assert_ne!(pair, zmq::curve_keypair().unwrap());
}

#[test]
fn curve_public() {
    if !curve_available() {
        return;
    }
    let pair = zmq::curve_keypair().unwrap();
    assert_eq!(zmq::curve_public(&pair.secret).unwrap(), pair.public);
}

#[test]
#[cfg(not(zmq_has_curve))]
fn keypair_without_curve_is_not_supported() {
    assert_eq!(
        zmq::curve_keypair().unwrap_err().kind(),
        ErrorKind::NotSupported
    );
}

/// pyzmq test_security's ZAP handler: PLAIN admin/password, CURVE the reference client key,
/// NULL anyone; User-Id "anonymous" and metadata Hello=World.
fn zap_handler(ctx: &zmq::Context) -> (Arc<AtomicBool>, std::thread::JoinHandle<()>) {
    let zap = ctx.socket(zmq::REP).unwrap();
    zap.set_linger(Some(Duration::ZERO)).unwrap();
    zap.set_rcvtimeo(Some(Duration::from_millis(50))).unwrap();
    zap.bind(zmq::ZAP_ENDPOINT).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let thread = std::thread::spawn(move || {
        while !flag.load(Ordering::Relaxed) {
            let frames = match zap.recv_multipart() {
                Ok(f) => f,
                Err(e) if e.is_again() => continue,
                Err(e) => panic!("{e:?}"),
            };
            let f: Vec<&[u8]> = frames.iter().map(|m| &m[..]).collect();
            assert_eq!(f[0], b"1.0");
            let ok = match f[5] {
                b"NULL" => true,
                b"PLAIN" => f[6] == b"admin" && f[7] == b"password",
                b"CURVE" => f[6] == CLIENT_PUBLIC,
                _ => false,
            };
            let status: &[u8] = if ok { b"200" } else { b"400" };
            let reply: [&[u8]; 6] = [
                b"1.0",
                f[1],
                status,
                b"OK",
                b"anonymous",
                b"\x05Hello\x00\x00\x00\x05World",
            ];
            zap.send_multipart(reply).unwrap();
        }
    });
    (stop, thread)
}

fn check_metadata(msg: &zmq::Message) {
    assert_eq!(msg.gets("User-Id"), Some("anonymous"));
    assert_eq!(msg.gets("Hello"), Some("World"));
    assert_eq!(msg.gets("Socket-Type"), Some("DEALER"));
}

#[test]
fn pyzmq_null_plain_curve_with_zap_metadata() {
    let ctx = zmq::Context::new();
    let (stop, thread) = zap_handler(&ctx);

    // NULL with a ZAP domain.
    let (server, endpoint, _m) =
        security_util::server(&ctx, |s| s.set_zap_domain("global").unwrap());
    let c = client(&ctx, &endpoint, |_| {});
    assert_eq!(c.mechanism().unwrap(), Mechanism::Null);
    check_metadata(&expect_allowed(&c, &server));
    drop((c, server));

    // PLAIN: option round trips and mechanism.
    let (server, endpoint, mon) = security_util::server(&ctx, |s| {
        assert_eq!(s.plain_username().unwrap(), "");
        assert!(!s.plain_server().unwrap());
        s.set_plain_server(true).unwrap();
        assert!(s.plain_server().unwrap());
        assert_eq!(s.mechanism().unwrap(), Mechanism::Plain);
    });
    let c = client(&ctx, &endpoint, |s| {
        s.set_plain_client("admin", "password").unwrap();
        assert_eq!(s.plain_username().unwrap(), "admin");
        assert_eq!(s.plain_password().unwrap(), "password");
        assert_eq!(s.mechanism().unwrap(), Mechanism::Plain);
    });
    check_metadata(&expect_allowed(&c, &server));
    drop(c);
    let c = client(&ctx, &endpoint, |s| {
        s.set_plain_client("admin", "nope").unwrap()
    });
    expect_refused_by_zap(&c, &server, &mon);
    drop((c, server, mon));

    if zmq::has("curve") {
        let server_secret = CurveSecretKey::from(SERVER_SECRET);
        let server_public = CurvePublicKey::from(SERVER_PUBLIC);
        let client_pair = CurveKeyPair {
            public: CurvePublicKey::from(CLIENT_PUBLIC),
            secret: CurveSecretKey::from(CLIENT_SECRET),
        };
        let (server, endpoint, mon) = security_util::server(&ctx, |s| {
            s.set_curve_server_keys(&server_secret).unwrap();
            assert!(s.curve_server().unwrap());
            assert_eq!(s.mechanism().unwrap(), Mechanism::Curve);
        });
        let c = client(&ctx, &endpoint, |s| {
            s.set_curve_client_keys(&client_pair, &server_public)
                .unwrap();
            assert_eq!(s.mechanism().unwrap(), Mechanism::Curve);
            assert_eq!(s.curve_serverkey_z85().unwrap(), VECTORS[2].1);
            assert_eq!(s.curve_publickey().unwrap(), CLIENT_PUBLIC);
        });
        check_metadata(&expect_allowed(&c, &server));
        drop(c);
        // Another client key: the handler refuses it.
        let other = zmq::curve_keypair().unwrap();
        let c = client(&ctx, &endpoint, |s| {
            s.set_curve_client_keys(&other, &server_public).unwrap()
        });
        expect_refused_by_zap(&c, &server, &mon);
        drop(c);
        // The wrong server key: the handshake fails.
        let c = client(&ctx, &endpoint, |s| {
            s.set_curve_client_keys(&client_pair, &other.public)
                .unwrap()
        });
        expect_refused(&c, &server, &mon);
    }

    stop.store(true, Ordering::Relaxed);
    thread.join().unwrap();
}
