//! The ZAP authenticator: each rule lets the right peers in and keeps the others out (pyzmq's
//! test_auth.py, libzmq's test_security_zap), User-Id and metadata reach the receiver, changes
//! apply while running, and it stops cleanly.

mod security_util;

use security_util::*;
use std::time::{Duration, Instant};
use zmq::{Authenticator, Certificate, ErrorKind, MonitorEvent, ZapDecision, ZapRequest};

#[test]
fn null_without_zap_domain_does_not_ask_the_authenticator() {
    let ctx = zmq::Context::new();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.deny(["127.0.0.1"]).unwrap();
    let (server, endpoint, _mon) = server(&ctx, |_| {});
    let client = client(&ctx, &endpoint, |_| {});
    expect_allowed(&client, &server);
}

#[test]
fn null_with_zap_domain_denied_address_is_refused() {
    let ctx = zmq::Context::new();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.deny(["127.0.0.1"]).unwrap();
    let (server, endpoint, mon) = server(&ctx, |s| s.set_zap_domain("global").unwrap());
    let client = client(&ctx, &endpoint, |_| {});
    expect_refused_by_zap(&client, &server, &mon);
}

#[test]
fn null_with_zap_domain_other_address_denied_gets_in_as_anonymous() {
    let ctx = zmq::Context::new();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.deny(["192.0.2.7"]).unwrap();
    let (server, endpoint, _mon) = server(&ctx, |s| s.set_zap_domain("global").unwrap());
    let client = client(&ctx, &endpoint, |_| {});
    let msg = expect_allowed(&client, &server);
    assert_eq!(msg.gets("User-Id"), Some("anonymous"));
    assert_eq!(msg.gets("Peer-Address"), Some("127.0.0.1"));
}

#[test]
fn allow_list() {
    let ctx = zmq::Context::new();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.allow(["127.0.0.1"]).unwrap();
    let (server, endpoint, _mon) = server(&ctx, |s| s.set_zap_domain("global").unwrap());
    let c = client(&ctx, &endpoint, |_| {});
    expect_allowed(&c, &server);
    drop(c);

    // Only some other address allowed: refused.
    auth.clear_address_lists();
    auth.allow(["192.0.2.7"]).unwrap();
    let (server, endpoint, mon) = self::server(&ctx, |s| s.set_zap_domain("global").unwrap());
    let c = client(&ctx, &endpoint, |_| {});
    expect_refused_by_zap(&c, &server, &mon);
}

#[test]
fn allow_and_deny_are_exclusive() {
    let ctx = zmq::Context::new();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.allow(["127.0.0.1"]).unwrap();
    assert_eq!(
        auth.deny(["10.0.0.1"]).unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    auth.clear_address_lists();
    auth.deny(["10.0.0.1"]).unwrap();
    assert_eq!(
        auth.allow(["127.0.0.1"]).unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
}

#[test]
fn plain_right_password_gets_in_with_user_id() {
    let ctx = zmq::Context::new();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.configure_plain("*", [("admin", "password")]);
    let (server, endpoint, _mon) = server(&ctx, |s| s.set_plain_server(true).unwrap());
    assert_eq!(server.mechanism().unwrap(), zmq::Mechanism::Plain);
    let client = client(&ctx, &endpoint, |s| {
        s.set_plain_client("admin", "password").unwrap()
    });
    assert_eq!(client.mechanism().unwrap(), zmq::Mechanism::Plain);
    let msg = expect_allowed(&client, &server);
    assert_eq!(msg.gets("User-Id"), Some("admin"));
}

#[test]
fn plain_wrong_password_unknown_user_and_no_passwords_are_refused() {
    let ctx = zmq::Context::new();
    let auth = Authenticator::new(&ctx).unwrap();
    let (server, endpoint, mon) = server(&ctx, |s| s.set_plain_server(true).unwrap());
    // No passwords defined yet.
    let c = client(&ctx, &endpoint, |s| {
        s.set_plain_client("admin", "password").unwrap()
    });
    expect_refused_by_zap(&c, &server, &mon);
    drop(c);
    auth.configure_plain("*", [("admin", "password")]);
    let c = client(&ctx, &endpoint, |s| {
        s.set_plain_client("admin", "wrong").unwrap()
    });
    expect_refused_by_zap(&c, &server, &mon);
    drop(c);
    let c = client(&ctx, &endpoint, |s| {
        s.set_plain_client("nobody", "password").unwrap()
    });
    expect_refused_by_zap(&c, &server, &mon);
    drop(c);
    assert!(!auth
        .decide(&ZapRequest::new(
            "",
            "127.0.0.1",
            "PLAIN",
            vec![b"admin".to_vec(), b"wrong".to_vec()]
        ))
        .is_allowed());
}

#[test]
fn plain_password_file() {
    let dir = temp_dir("passwords");
    let file = dir.join("passwords.txt");
    std::fs::write(&file, "# users\nadmin=secret\n\n  bob = builder \n").unwrap();
    let ctx = zmq::Context::new();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.configure_plain_file("*", &file).unwrap();
    let (server, endpoint, mon) = server(&ctx, |s| s.set_plain_server(true).unwrap());
    let c = client(&ctx, &endpoint, |s| {
        s.set_plain_client("bob", "builder").unwrap()
    });
    assert_eq!(expect_allowed(&c, &server).gets("User-Id"), Some("bob"));
    drop(c);
    let c = client(&ctx, &endpoint, |s| {
        s.set_plain_client("admin", "builder").unwrap()
    });
    expect_refused_by_zap(&c, &server, &mon);

    std::fs::write(&file, "admin secret\n").unwrap();
    assert_eq!(
        auth.configure_plain_file("*", &file).unwrap_err().kind(),
        ErrorKind::Malformed
    );
    assert_eq!(
        auth.configure_plain_file("*", dir.join("missing"))
            .unwrap_err()
            .kind(),
        ErrorKind::Io
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn per_domain_configuration() {
    let ctx = zmq::Context::new();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.configure_plain("alpha", [("alice", "a")]);
    auth.configure_plain("*", [("bob", "b")]);

    let (alpha, alpha_ep, alpha_mon) = server(&ctx, |s| {
        s.set_plain_server(true).unwrap();
        s.set_zap_domain("alpha").unwrap();
    });
    let c = client(&ctx, &alpha_ep, |s| {
        s.set_plain_client("alice", "a").unwrap()
    });
    expect_allowed(&c, &alpha);
    drop(c);
    let c = client(&ctx, &alpha_ep, |s| s.set_plain_client("bob", "b").unwrap());
    expect_refused_by_zap(&c, &alpha, &alpha_mon);
    drop(c);

    // A domain with no configuration of its own uses "*".
    let (beta, beta_ep, beta_mon) = server(&ctx, |s| {
        s.set_plain_server(true).unwrap();
        s.set_zap_domain("beta").unwrap();
    });
    let c = client(&ctx, &beta_ep, |s| s.set_plain_client("bob", "b").unwrap());
    expect_allowed(&c, &beta);
    drop(c);
    let c = client(&ctx, &beta_ep, |s| {
        s.set_plain_client("alice", "a").unwrap()
    });
    expect_refused_by_zap(&c, &beta, &beta_mon);
}

#[test]
fn curve_allow_any_user_id_is_the_client_key() {
    if !curve_available() {
        return;
    }
    let ctx = zmq::Context::new();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.configure_curve_any("*");
    let server_keys = zmq::curve_keypair().unwrap();
    let client_keys = zmq::curve_keypair().unwrap();
    let (server, endpoint, _mon) = server(&ctx, |s| {
        s.set_curve_server_keys(&server_keys.secret).unwrap()
    });
    let c = client(&ctx, &endpoint, |s| {
        s.set_curve_client_keys(&client_keys, &server_keys.public)
            .unwrap()
    });
    let msg = expect_allowed(&c, &server);
    assert_eq!(
        msg.gets("User-Id"),
        Some(client_keys.public.to_z85().as_str())
    );
}

#[test]
fn curve_certificate_directory_and_metadata() {
    if !curve_available() {
        return;
    }
    let dir = temp_dir("allowed-certs");
    let other = temp_dir("other-certs");
    let (_, good_secret) =
        zmq::create_certificates(&dir, "good", &[("name", "good client")]).unwrap();
    let (_, bad_secret) = zmq::create_certificates(&other, "bad", &[]).unwrap();
    let good = Certificate::load(&good_secret).unwrap().keypair().unwrap();
    let bad = Certificate::load(&bad_secret).unwrap().keypair().unwrap();

    let ctx = zmq::Context::new();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.configure_curve_certificates("*", &dir).unwrap();
    let server_keys = zmq::curve_keypair().unwrap();
    let (server, endpoint, mon) = server(&ctx, |s| {
        s.set_curve_server_keys(&server_keys.secret).unwrap()
    });

    let c = client(&ctx, &endpoint, |s| {
        s.set_curve_client_keys(&good, &server_keys.public).unwrap()
    });
    let msg = expect_allowed(&c, &server);
    assert_eq!(msg.gets("User-Id"), Some(good.public.to_z85().as_str()));
    assert_eq!(
        msg.gets("name"),
        Some("good client"),
        "certificate metadata reaches the receiver"
    );
    drop(c);

    let c = client(&ctx, &endpoint, |s| {
        s.set_curve_client_keys(&bad, &server_keys.public).unwrap()
    });
    expect_refused_by_zap(&c, &server, &mon);
    drop(c);

    // A certificate added to the directory while running is picked up.
    std::thread::sleep(Duration::from_millis(20));
    std::fs::copy(other.join("bad.key"), dir.join("bad.key")).unwrap();
    let c = client(&ctx, &endpoint, |s| {
        s.set_curve_client_keys(&bad, &server_keys.public).unwrap()
    });
    expect_allowed(&c, &server);

    assert_eq!(
        auth.configure_curve_certificates("*", dir.join("missing"))
            .unwrap_err()
            .kind(),
        ErrorKind::Io
    );
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_dir_all(&other).unwrap();
}

#[test]
fn curve_key_set_and_callback() {
    if !curve_available() {
        return;
    }
    let ctx = zmq::Context::new();
    let auth = Authenticator::new(&ctx).unwrap();
    let allowed = zmq::curve_keypair().unwrap();
    let refused = zmq::curve_keypair().unwrap();
    auth.configure_curve_keys("*", [allowed.public]);
    let server_keys = zmq::curve_keypair().unwrap();
    let (server, endpoint, mon) = server(&ctx, |s| {
        s.set_curve_server_keys(&server_keys.secret).unwrap()
    });
    let c = client(&ctx, &endpoint, |s| {
        s.set_curve_client_keys(&allowed, &server_keys.public)
            .unwrap()
    });
    expect_allowed(&c, &server);
    drop(c);
    let c = client(&ctx, &endpoint, |s| {
        s.set_curve_client_keys(&refused, &server_keys.public)
            .unwrap()
    });
    expect_refused_by_zap(&c, &server, &mon);
    drop(c);

    // Now a callback decides, the other way round.
    let refused_public = refused.public;
    auth.configure_curve_callback("*", move |domain, key| {
        domain.is_empty() && *key == refused_public
    });
    let c = client(&ctx, &endpoint, |s| {
        s.set_curve_client_keys(&refused, &server_keys.public)
            .unwrap()
    });
    expect_allowed(&c, &server);
    drop(c);
    let c = client(&ctx, &endpoint, |s| {
        s.set_curve_client_keys(&allowed, &server_keys.public)
            .unwrap()
    });
    expect_refused_by_zap(&c, &server, &mon);
}

#[test]
fn curve_without_policy_and_wrong_server_key_are_refused() {
    if !curve_available() {
        return;
    }
    let ctx = zmq::Context::new();
    let _auth = Authenticator::new(&ctx).unwrap();
    let server_keys = zmq::curve_keypair().unwrap();
    let client_keys = zmq::curve_keypair().unwrap();
    let (server, endpoint, mon) = server(&ctx, |s| {
        s.set_curve_server_keys(&server_keys.secret).unwrap()
    });
    // No CURVE policy: refused by ZAP.
    let c = client(&ctx, &endpoint, |s| {
        s.set_curve_client_keys(&client_keys, &server_keys.public)
            .unwrap()
    });
    expect_refused_by_zap(&c, &server, &mon);
    drop(c);
    // The wrong server key: the handshake fails before ZAP.
    let wrong = zmq::curve_keypair().unwrap();
    let c = client(&ctx, &endpoint, |s| {
        s.set_curve_client_keys(&client_keys, &wrong.public)
            .unwrap()
    });
    let event = expect_refused(&c, &server, &mon);
    assert!(
        !matches!(event, MonitorEvent::HandshakeFailedAuth { .. }),
        "{event}"
    );
    drop(c);
    // A NULL client against a CURVE server.
    let c = client(&ctx, &endpoint, |_| {});
    expect_refused(&c, &server, &mon);
}

#[test]
fn callback_decides_user_id_and_metadata() {
    let ctx = zmq::Context::new();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.configure_callback("cb", |req: &ZapRequest| match req.plain_credentials() {
        Some(("good", _)) => ZapDecision::Allow {
            user_id: "good-user".into(),
            metadata: vec![("Hello".into(), b"World".to_vec())],
        },
        Some(("panic", _)) => panic!("the callback panics"),
        _ => ZapDecision::deny("not good"),
    });
    let (server, endpoint, mon) = server(&ctx, |s| {
        s.set_plain_server(true).unwrap();
        s.set_zap_domain("cb").unwrap();
    });
    let c = client(&ctx, &endpoint, |s| {
        s.set_plain_client("good", "x").unwrap()
    });
    let msg = expect_allowed(&c, &server);
    assert_eq!(msg.gets("User-Id"), Some("good-user"));
    assert_eq!(msg.gets("Hello"), Some("World"));
    drop(c);
    let c = client(&ctx, &endpoint, |s| s.set_plain_client("bad", "x").unwrap());
    expect_refused_by_zap(&c, &server, &mon);
    drop(c);
    // A panicking callback refuses with status 500, and the handler keeps working.
    let c = client(&ctx, &endpoint, |s| {
        s.set_plain_client("panic", "x").unwrap()
    });
    let event = expect_refused(&c, &server, &mon);
    assert!(
        matches!(
            event,
            MonitorEvent::HandshakeFailedAuth {
                status_code: 500,
                ..
            }
        ),
        "{event}"
    );
    drop(c);
    let c = client(&ctx, &endpoint, |s| {
        s.set_plain_client("good", "x").unwrap()
    });
    expect_allowed(&c, &server);
}

#[test]
fn configuration_changes_apply_while_running() {
    let ctx = zmq::Context::new();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.deny(["127.0.0.1"]).unwrap();
    let (server, endpoint, mon) = server(&ctx, |s| s.set_zap_domain("global").unwrap());
    let c = client(&ctx, &endpoint, |_| {});
    expect_refused_by_zap(&c, &server, &mon);
    drop(c);
    auth.clear_address_lists();
    let c = client(&ctx, &endpoint, |_| {});
    expect_allowed(&c, &server);
}

#[test]
fn gssapi_decisions() {
    let ctx = zmq::Context::new();
    let auth = Authenticator::new(&ctx).unwrap();
    let req = ZapRequest::new(
        "",
        "127.0.0.1",
        "GSSAPI",
        vec![b"alice@EXAMPLE.ORG".to_vec()],
    );
    assert!(!auth.decide(&req).is_allowed());
    auth.configure_gssapi("*");
    assert_eq!(auth.decide(&req), ZapDecision::allow("alice@EXAMPLE.ORG"));
    auth.deny(["127.0.0.1"]).unwrap();
    assert!(!auth.decide(&req).is_allowed());
}

#[test]
fn one_handler_per_context_and_clean_stop() {
    let ctx = zmq::Context::new();
    let auth = Authenticator::new(&ctx).unwrap();
    assert_eq!(
        Authenticator::new(&ctx).unwrap_err().kind(),
        ErrorKind::AddrInUse
    );
    let started = Instant::now();
    auth.stop().unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
    let again = Authenticator::new(&ctx).unwrap();
    let started = Instant::now();
    drop(again);
    assert!(started.elapsed() < Duration::from_secs(2));
    // With no handler, a NULL server with a domain lets peers in again (libzmq's rule when
    // nothing is bound to the ZAP endpoint).
    let (server, endpoint, mon) = server(&ctx, |s| s.set_zap_domain("global").unwrap());
    let c = client(&ctx, &endpoint, |_| {});
    expect_allowed(&c, &server);
    drop((c, server, mon));
    // The context can still be terminated: the handler holds no sockets.
    ctx.term().unwrap();
}

#[test]
fn garbage_zap_requests_get_400_and_the_handler_survives() {
    let ctx = zmq::Context::new();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.configure_plain("*", [("admin", "password")]);
    let req = ctx.socket(zmq::REQ).unwrap();
    req.set_rcvtimeo(Some(TIMEOUT)).unwrap();
    req.set_linger(Some(Duration::ZERO)).unwrap();
    req.connect(zmq::ZAP_ENDPOINT).unwrap();
    let garbage: [&[&[u8]]; 3] = [
        &[b"hello"],
        &[b"9.9", b"id", b"", b"", b"", b"NULL"],
        &[
            b"1.0",
            b"id",
            b"",
            b"127.0.0.1",
            b"",
            b"PLAIN",
            &[0xff, 0xfe],
        ],
    ];
    for frames in garbage {
        req.send_multipart(frames.iter().copied()).unwrap();
        let reply = req.recv_multipart().unwrap();
        assert_eq!(reply.len(), 6);
        assert_eq!(&reply[0][..], b"1.0");
        assert_eq!(&reply[2][..], b"400");
    }
    drop(req);
    let (server, endpoint, _mon) = server(&ctx, |s| s.set_plain_server(true).unwrap());
    let c = client(&ctx, &endpoint, |s| {
        s.set_plain_client("admin", "password").unwrap()
    });
    expect_allowed(&c, &server);
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

/// A panic payload whose own `Drop` panics: catching the first panic and then dropping the
/// payload raises a second one.
struct PanicsOnDrop;

impl Drop for PanicsOnDrop {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            panic!("the panic payload panics as it is dropped");
        }
    }
}

/// A callback whose panic cannot even be dropped quietly refuses that client (500); the
/// handler stays alive, so the next clients are still refused or let in by the callback, never
/// let in for want of a handler (libzmq admits CURVE clients when no handler is bound).
#[test]
fn callback_panic_with_a_panicking_payload_refuses_and_the_handler_survives() {
    if !curve_available() {
        return;
    }
    // The whole scenario is bounded: a dead handler once made even dropping `auth` hang.
    within(Duration::from_secs(30), callback_panic_scenario);
}

fn callback_panic_scenario() {
    let ctx = zmq::Context::new();
    let auth = Authenticator::new(&ctx).unwrap();
    let bomb = zmq::curve_keypair().unwrap();
    let refused = zmq::curve_keypair().unwrap();
    let allowed = zmq::curve_keypair().unwrap();
    let (bomb_key, allowed_key) = (bomb.public, allowed.public);
    auth.configure_curve_callback("*", move |_, key| {
        if *key == bomb_key {
            std::panic::panic_any(PanicsOnDrop);
        }
        *key == allowed_key
    });
    let server_keys = zmq::curve_keypair().unwrap();
    let (server, endpoint, mon) = server(&ctx, |s| {
        s.set_curve_server_keys(&server_keys.secret).unwrap();
        // A handshake left unanswered fails fast (the old code could leave one hanging).
        s.set_handshake_ivl(Duration::from_millis(500)).unwrap();
    });
    let c = client(&ctx, &endpoint, |s| {
        s.set_curve_client_keys(&bomb, &server_keys.public).unwrap()
    });
    let event = expect_refused(&c, &server, &mon);
    assert!(
        matches!(
            event,
            MonitorEvent::HandshakeFailedAuth {
                status_code: 500,
                ..
            }
        ),
        "{event}"
    );
    drop(c);
    assert!(auth.is_alive(), "the handler must survive the callback");
    let c = client(&ctx, &endpoint, |s| {
        s.set_curve_client_keys(&refused, &server_keys.public)
            .unwrap()
    });
    expect_refused_by_zap(&c, &server, &mon);
    drop(c);
    let c = client(&ctx, &endpoint, |s| {
        s.set_curve_client_keys(&allowed, &server_keys.public)
            .unwrap()
    });
    expect_allowed(&c, &server);
    drop(c);
    within(Duration::from_secs(10), move || auth.stop()).unwrap();
}

/// Stopping never blocks on the control socket: even after the handler has been through a
/// callback whose panic could kill a thread, `stop` and `drop` return promptly.
#[test]
fn stop_is_bounded_after_a_callback_blew_up() {
    within(Duration::from_secs(30), stop_after_callback_scenario);
}

fn stop_after_callback_scenario() {
    let ctx = zmq::Context::new();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.configure_callback("*", |_: &ZapRequest| std::panic::panic_any(PanicsOnDrop));
    let (server, endpoint, mon) = server(&ctx, |s| {
        s.set_plain_server(true).unwrap();
        s.set_handshake_ivl(Duration::from_millis(500)).unwrap();
    });
    let c = client(&ctx, &endpoint, |s| s.set_plain_client("a", "b").unwrap());
    expect_refused(&c, &server, &mon);
    drop(c);
    let started = Instant::now();
    within(Duration::from_secs(10), move || auth.stop()).unwrap();
    assert!(started.elapsed() < Duration::from_secs(6));
    // The endpoint is free again.
    let again = Authenticator::new(&ctx).unwrap();
    within(Duration::from_secs(10), move || drop(again));
}

/// Deleting a client's certificate revokes it at the next handshake, even while another
/// `.key` file in the folder is malformed: the bad file is skipped (and reported), not a
/// reason to keep the old allowed set.
#[test]
fn malformed_certificate_does_not_freeze_revocation() {
    if !curve_available() {
        return;
    }
    let dir = temp_dir("revoke-certs");
    let good = zmq::curve_keypair().unwrap();
    let good_public = dir.join("good.key");
    Certificate::from_public(good.public)
        .save_public(&good_public)
        .unwrap();
    Certificate::new()
        .unwrap()
        .save_public(dir.join("other.key"))
        .unwrap();
    let ctx = zmq::Context::new();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.configure_curve_certificates("*", &dir).unwrap();
    assert!(auth.skipped_certificates("*").is_empty());
    let server_keys = zmq::curve_keypair().unwrap();
    let (server, endpoint, mon) = server(&ctx, |s| {
        s.set_curve_server_keys(&server_keys.secret).unwrap()
    });
    // Another certificate goes bad, and a bad one is added.
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(dir.join("other.key"), "garbage = \"").unwrap();
    std::fs::write(dir.join("zzz.key"), "curve\n    public-key = \"short\"\n").unwrap();
    let c = client(&ctx, &endpoint, |s| {
        s.set_curve_client_keys(&good, &server_keys.public).unwrap()
    });
    expect_allowed(&c, &server);
    drop(c);
    let skipped = auth.skipped_certificates("*");
    let names: Vec<_> = skipped
        .iter()
        .map(|(p, e)| {
            assert_eq!(e.kind(), ErrorKind::Malformed, "{e}");
            p.file_name().unwrap().to_string_lossy().into_owned()
        })
        .collect();
    assert_eq!(names, ["other.key", "zzz.key"]);

    // Revoke the good client by deleting its certificate: refused from now on.
    std::thread::sleep(Duration::from_millis(20));
    std::fs::remove_file(&good_public).unwrap();
    let c = client(&ctx, &endpoint, |s| {
        s.set_curve_client_keys(&good, &server_keys.public).unwrap()
    });
    expect_refused_by_zap(&c, &server, &mon);
    drop(c);

    // A folder that disappears lets nobody in.
    Certificate::from_public(good.public)
        .save_public(&good_public)
        .unwrap();
    auth.configure_curve_certificates("*", &dir).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let c = client(&ctx, &endpoint, |s| {
        s.set_curve_client_keys(&good, &server_keys.public).unwrap()
    });
    expect_refused_by_zap(&c, &server, &mon);
}

/// With the draft option ZMQ_ZAP_ENFORCE_DOMAIN and a ZAP domain, libzmq refuses CURVE clients
/// when no handler is bound at all (documented on the Authenticator).
#[cfg(feature = "draft")]
#[test]
fn enforce_domain_refuses_curve_without_a_handler() {
    if !curve_available() {
        return;
    }
    let ctx = zmq::Context::new();
    let server_keys = zmq::curve_keypair().unwrap();
    let client_keys = zmq::curve_keypair().unwrap();
    let (server, endpoint, mon) = server(&ctx, |s| {
        s.set_curve_server_keys(&server_keys.secret).unwrap();
        s.set_zap_domain("global").unwrap();
        s.set_zap_enforce_domain(true).unwrap();
    });
    let c = client(&ctx, &endpoint, |s| {
        s.set_curve_client_keys(&client_keys, &server_keys.public)
            .unwrap()
    });
    expect_refused(&c, &server, &mon);
    drop(c);
    // Without the option, the same client gets in (libzmq's default).
    let (server, endpoint, _mon) = self::server(&ctx, |s| {
        s.set_curve_server_keys(&server_keys.secret).unwrap();
        s.set_zap_domain("global").unwrap();
    });
    let c = client(&ctx, &endpoint, |s| {
        s.set_curve_client_keys(&client_keys, &server_keys.public)
            .unwrap()
    });
    expect_allowed(&c, &server);
}
