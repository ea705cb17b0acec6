//! ZAP request handling: any frames sent to the authenticator's endpoint get a well-formed reply
//! (version "1.0", the request id echoed when there is one, a status of 200, 300, 400 or 500), a
//! 200 only for a request that a policy allows, and the handler keeps running. The same frames
//! as a `ZapRequest` go through `Authenticator::decide` without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::time::Duration;

struct Fixture {
    _ctx: zmq::Context,
    auth: zmq::Authenticator,
    req: zmq::Socket<zmq::Req>,
}

fn fixture() -> Fixture {
    let ctx = zmq::Context::new();
    let auth = zmq::Authenticator::new(&ctx).unwrap();
    auth.configure_plain("plain", [("admin", "secret")]);
    auth.configure_curve_any("curve");
    auth.configure_curve_keys("keys", [zmq::CurvePublicKey::from([7u8; 32])]);
    let req = ctx.socket(zmq::REQ).unwrap();
    req.set_linger(Some(Duration::ZERO)).unwrap();
    req.set_rcvtimeo(Some(Duration::from_secs(5))).unwrap();
    req.set_sndtimeo(Some(Duration::from_secs(5))).unwrap();
    req.connect(zmq::ZAP_ENDPOINT).unwrap();
    Fixture {
        _ctx: ctx,
        auth,
        req,
    }
}

thread_local! {
    static FIXTURE: Fixture = fixture();
}

fuzz_target!(|frames: Vec<Vec<u8>>| {
    if frames.is_empty() || frames.len() > 16 {
        return;
    }
    FIXTURE.with(|f| {
        f.req
            .send_multipart(frames.iter().map(|f| &f[..]))
            .expect("send to the ZAP handler");
        let reply = f.req.recv_multipart().expect("a ZAP reply within 5 s");
        assert_eq!(reply.len(), 6, "a ZAP reply has 6 frames");
        assert_eq!(&reply[0][..], b"1.0");
        assert_eq!(&reply[1][..], frames.get(1).map_or(&[][..], |f| &f[..]));
        let code = &reply[2][..];
        assert!(
            [&b"200"[..], b"300", b"400", b"500"].contains(&code),
            "status {code:?}"
        );
        if code == b"200" {
            // Only a well-formed request of a configured policy gets in.
            assert!(frames.len() >= 6 && frames[0] == b"1.0");
            assert!(matches!(&frames[5][..], b"NULL" | b"PLAIN" | b"CURVE"));
        }
        assert!(f.auth.is_alive());
        if frames.len() >= 6 {
            let text = |i: usize| String::from_utf8_lossy(&frames[i]).into_owned();
            let request = zmq::ZapRequest::new(text(2), text(3), text(5), frames[6..].to_vec());
            let _ = f.auth.decide(&request).is_allowed();
        }
    });
});
