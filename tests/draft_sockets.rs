//! Each draft socket kind at work, ported from libzmq's own draft tests (zeromq-src 4.3.5,
//! `vendor/tests`): CLIENT/SERVER, RADIO/DISH (tcp, udp, multicast udp where the machine allows
//! it), SCATTER/GATHER, PEER, CHANNEL and DGRAM. Each test names the C file and function it
//! comes from. Refusals that libzmq makes at run time in C (SNDMORE on a single-part kind, a
//! RADIO send without a group, a SERVER send without a routing id) are compile errors here:
//! tests/ui/draft_*.rs pin them; what remains at run time is tested below.

#![cfg(feature = "draft")]

mod common;

use common::*;
use std::time::{Duration, Instant};
use zmq::{ErrorKind, Message, SocketType};

/// A bound and a connected socket over a fresh inproc endpoint.
fn inproc_pair<A: zmq::SocketKind, B: zmq::SocketKind>(
    ctx: &zmq::Context,
    a: A,
    b: B,
    name: &str,
) -> (zmq::Socket<A>, zmq::Socket<B>) {
    let ep = inproc(name);
    let bound = socket(ctx, a);
    bound.bind(&ep).unwrap();
    let connected = socket(ctx, b);
    connected.connect(&ep).unwrap();
    (bound, connected)
}

// ---------------------------------------------------------------- CLIENT / SERVER

/// test_client_server.cpp `test_client_sndmore_fails` and `test_server_sndmore_fails`: the
/// typed sockets have no `send_more`/`send_multipart` (tests/ui), and a SNDMORE flag passed at
/// run time is refused before libzmq, with the message handed back. A kind chosen at run time
/// gets libzmq's own EINVAL, as in C.
#[test]
fn client_server_sndmore_fails() {
    let ctx = ctx();
    let (server, client) = inproc_pair(&ctx, zmq::SERVER, zmq::CLIENT, "cs-sndmore");
    let err = client
        .send_with(Message::from("X"), zmq::SNDMORE)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    assert_eq!(err.into_unsent(), "X");
    let mut msg = Message::from("Y");
    let err = client.send_msg_with(&mut msg, zmq::SNDMORE).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert_eq!(msg, "Y", "the message is kept");

    let dynamic = ctx.socket(SocketType::Server).unwrap();
    let err = dynamic.send_with("X", zmq::SNDMORE).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid, "libzmq's EINVAL: {err}");
    // Nothing half-sent: the pair still works.
    client.send("after").unwrap();
    assert_eq!(server.recv().unwrap(), "after");
}

/// test_client_server.cpp `test_routing_id`: a SERVER learns the client's routing id from a
/// received message and answers with it; the CLIENT's message has no routing id.
#[test]
fn client_server_routing_id() {
    let ctx = ctx();
    let (server, client) = inproc_pair(&ctx, zmq::SERVER, zmq::CLIENT, "cs-rid");
    client.send("X").unwrap();
    let request = server.recv().unwrap();
    assert_eq!(request.len(), 1);
    let routing_id = request.routing_id();
    assert_ne!(routing_id, 0);

    server.send_to(routing_id, [2u8].as_slice()).unwrap();
    let reply = client.recv().unwrap();
    assert_eq!(&reply[..], &[2]);
    assert_eq!(reply.routing_id(), 0);

    // reply() does the same in one call.
    client.send("again").unwrap();
    let request = server.recv().unwrap();
    server.reply(&request, "answer").unwrap();
    assert_eq!(client.recv().unwrap(), "answer");
}

/// Bad routing ids are errors, never panics, and an owned message comes back.
#[test]
fn server_send_to_bad_routing_id() {
    let ctx = ctx();
    let (server, _client) = inproc_pair(&ctx, zmq::SERVER, zmq::CLIENT, "cs-bad-rid");
    let err = server.send_to(0, Message::from("lost?")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    assert_eq!(err.into_unsent(), "lost?");
    // A routing id that names nobody: libzmq's EHOSTUNREACH, the message handed back.
    let err = server.send_to(0xdead_beef, vec![1u8, 2, 3]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::HostUnreachable, "{err}");
    assert_eq!(err.into_unsent(), [1u8, 2, 3].as_slice());
    // A message that was never received has no routing id.
    let err = server
        .reply(&Message::from("not received"), "x")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
}

/// test_thread_safe.cpp `test_client_getsockopt_thread_safe`,
/// `test_server_getsockopt_thread_safe`: libzmq says the draft kinds are thread-safe (and the
/// classic ones are not), which is what the `Sync` bound stands on.
#[test]
fn thread_safe_option_matches_the_sync_kinds() {
    let ctx = ctx();
    assert!(ctx.socket(zmq::CLIENT).unwrap().thread_safe().unwrap());
    assert!(ctx.socket(zmq::SERVER).unwrap().thread_safe().unwrap());
    for kind in SocketType::ALL {
        let s = ctx.socket(*kind).unwrap();
        assert_eq!(
            s.thread_safe().unwrap(),
            kind.is_single_part(),
            "{kind}: ZMQ_THREAD_SAFE against is_single_part"
        );
    }
}

// ---------------------------------------------------------------- RADIO / DISH

/// Sends `body` to `group` until the DISH receives something (joins travel to the RADIO a
/// moment after they are made); bounded by [`TIMEOUT`]. Returns what the DISH received.
fn publish_until_received(
    radio: &zmq::Socket<zmq::Radio>,
    dish: &zmq::Socket<zmq::Dish>,
    group: &str,
    body: &str,
) -> Message {
    dish.set_rcvtimeo(Some(Duration::from_millis(20))).unwrap();
    let start = Instant::now();
    let got = loop {
        radio.send_to_group(group, body).unwrap();
        match dish.recv() {
            Ok(m) => break m,
            Err(e) if e.is_again() && start.elapsed() < TIMEOUT => {}
            Err(e) => panic!("no message for group {group:?}: {e}"),
        }
    };
    dish.set_rcvtimeo(Some(TIMEOUT)).unwrap();
    got
}

/// Receives one message and checks group and body (test_radio_dish.cpp `msg_recv_cmp`).
fn recv_cmp(dish: &zmq::Socket<zmq::Dish>, group: &str, body: &str) {
    let msg = dish.recv().expect("dish recv");
    assert_eq!(msg.group(), Some(group));
    assert_eq!(msg, body);
}

/// Discards what is queued, bounded.
fn drain_dish(dish: &zmq::Socket<zmq::Dish>) {
    drain(dish, 10_000);
}

/// test_radio_dish.cpp `test_leave_unjoined_fails`, `test_join_twice_fails`,
/// `test_join_too_long_fails`: errors, not panics.
#[test]
fn join_leave_errors() {
    let ctx = ctx();
    let dish = socket(&ctx, zmq::DISH);
    assert_eq!(dish.leave("Movies").unwrap_err().kind(), ErrorKind::Invalid);
    dish.join("Movies").unwrap();
    assert_eq!(dish.join("Movies").unwrap_err().kind(), ErrorKind::Invalid);
    let too_long = "A".repeat(256);
    assert_eq!(dish.join(&too_long).unwrap_err().kind(), ErrorKind::Invalid);
    assert_eq!(
        dish.join("nul\0inside").unwrap_err().kind(),
        ErrorKind::InteriorNul,
        "an interior NUL is the wrapper's own error"
    );
    dish.leave("Movies").unwrap();
}

/// test_radio_dish.cpp `test_long_group`: a group of the full 255 bytes goes through; one of
/// 256 bytes is refused on the RADIO side too, with the message handed back.
#[test]
fn long_group() {
    let ctx = ctx();
    let radio = socket(&ctx, zmq::RADIO);
    let ep = bind_loopback(&radio);
    let dish = socket(&ctx, zmq::DISH);
    let group = "A".repeat(255);
    dish.join(&group).unwrap();
    dish.connect(&ep).unwrap();
    let msg = publish_until_received(&radio, &dish, &group, "HELLO");
    assert_eq!(msg.group(), Some(group.as_str()));
    assert_eq!(msg, "HELLO");

    // libzmq would cut a 256-byte group to 255 bytes without a word (strnlen): refused here.
    let err = radio
        .send_to_group(&"B".repeat(256), Message::from("too long"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    assert_eq!(err.into_unsent(), "too long");
}

/// test_radio_dish.cpp `test_radio_dish_tcp_poll` (ipv4): only joined groups arrive; joining and
/// leaving during the connection; `zmq::poll` on a DISH.
#[test]
fn radio_dish_tcp_poll() {
    let ctx = ctx();
    let radio = socket(&ctx, zmq::RADIO);
    let ep = bind_loopback(&radio);
    let dish = socket(&ctx, zmq::DISH);
    dish.join("Movies").unwrap();
    dish.connect(&ep).unwrap();

    // "TV" is not joined: never delivered, while "Movies" is.
    radio.send_to_group("TV", "Friends").unwrap();
    let got = publish_until_received(&radio, &dish, "Movies", "Godfather");
    assert_eq!(got.group(), Some("Movies"));
    assert_eq!(got, "Godfather");
    drain_dish(&dish);

    dish.join("TV").unwrap();
    let got = publish_until_received(&radio, &dish, "TV", "Friends");
    assert_eq!(got.group(), Some("TV"));
    drain_dish(&dish);

    dish.leave("TV").unwrap();
    // The leave travels like the join: once a "Movies" message sent after a "TV" one arrives
    // first, TV is no longer delivered.
    let start = Instant::now();
    loop {
        radio.send_to_group("TV", "Friends").unwrap();
        radio.send_to_group("Movies", "Godfather").unwrap();
        let first = dish.recv().unwrap();
        if first.group() == Some("Movies") {
            break;
        }
        drain_dish(&dish);
        assert!(start.elapsed() < TIMEOUT, "the leave never took effect");
        std::thread::sleep(Duration::from_millis(10));
    }
    drain_dish(&dish);

    radio.send_to_group("TV", "Friends").unwrap();
    radio.send_to_group("Movies", "Godfather").unwrap();
    let mut items = [
        radio.as_poll_item(zmq::PollEvents::POLLIN),
        dish.as_poll_item(zmq::PollEvents::POLLIN),
    ];
    assert_eq!(
        zmq::poll(&mut items, Some(Duration::from_secs(2))).unwrap(),
        1
    );
    assert_eq!(items[1].revents(), zmq::PollEvents::POLLIN);
    recv_cmp(&dish, "Movies", "Godfather");
    assert!(dish.try_recv().unwrap().is_none(), "TV was left");
}

/// test_radio_dish.cpp `test_dish_connect_fails` and `test_radio_bind_fails` (ipv4): over udp
/// a DISH binds and a RADIO connects; the other way round is ENOCOMPATPROTO.
#[test]
fn udp_wrong_directions_fail() {
    let ctx = ctx();
    let dish = socket(&ctx, zmq::DISH);
    assert_eq!(
        dish.connect("udp://127.0.0.1:5556").unwrap_err().kind(),
        ErrorKind::IncompatibleProtocol
    );
    let radio = socket(&ctx, zmq::RADIO);
    assert_eq!(
        radio.bind("udp://*:5556").unwrap_err().kind(),
        ErrorKind::IncompatibleProtocol
    );
}

/// A free udp port on 127.0.0.1 (udp binds cannot use `*` for the port with libzmq 4.3.5's
/// RADIO side, which must connect to a number).
fn free_udp_port() -> u16 {
    let s = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    s.local_addr().unwrap().port()
}

/// test_radio_dish.cpp `test_radio_dish_udp` (ipv4).
#[test]
fn radio_dish_udp() {
    let ctx = ctx();
    let port = free_udp_port();
    let dish = socket(&ctx, zmq::DISH);
    dish.bind(&format!("udp://127.0.0.1:{port}")).unwrap();
    let radio = socket(&ctx, zmq::RADIO);
    radio.connect(&format!("udp://127.0.0.1:{port}")).unwrap();
    dish.join("TV").unwrap();
    // udp has no handshake: the join is local to the DISH, and lost datagrams are resent.
    let got = publish_until_received(&radio, &dish, "TV", "Friends");
    assert_eq!(got.group(), Some("TV"));
    assert_eq!(got, "Friends");
}

/// Whether IPv6 loopback can be used here (containers often have none).
fn ipv6_loopback() -> bool {
    std::net::UdpSocket::bind("[::1]:0").is_ok() && std::net::TcpListener::bind("[::1]:0").is_ok()
}

/// test_radio_dish.cpp `test_radio_dish_tcp_poll_ipv6` (its first half) and
/// `test_radio_dish_udp_ipv6`, where the machine has IPv6 loopback (else the test says so and
/// passes, like libzmq's TEST_IGNORE).
#[test]
fn radio_dish_ipv6() {
    if !ipv6_loopback() {
        eprintln!("no IPv6 loopback here: the ipv6 radio/dish tests are skipped");
        return;
    }
    let ctx = ctx();
    let radio = socket(&ctx, zmq::RADIO);
    radio.set_ipv6(true).unwrap();
    radio.bind("tcp://[::1]:*").unwrap();
    let ep = radio.last_endpoint().unwrap();
    let dish = socket(&ctx, zmq::DISH);
    dish.set_ipv6(true).unwrap();
    dish.join("Movies").unwrap();
    dish.connect(&ep).unwrap();
    radio.send_to_group("TV", "Friends").unwrap();
    let got = publish_until_received(&radio, &dish, "Movies", "Godfather");
    assert_eq!(got.group(), Some("Movies"));
    drop((radio, dish));

    let port = std::net::UdpSocket::bind("[::1]:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dish = socket(&ctx, zmq::DISH);
    dish.set_ipv6(true).unwrap();
    dish.bind(&format!("udp://[::1]:{port}")).unwrap();
    let radio = socket(&ctx, zmq::RADIO);
    radio.set_ipv6(true).unwrap();
    radio.connect(&format!("udp://[::1]:{port}")).unwrap();
    dish.join("TV").unwrap();
    let got = publish_until_received(&radio, &dish, "TV", "Friends");
    assert_eq!(got.group(), Some("TV"));
    assert_eq!(got, "Friends");
}

/// Whether this machine routes multicast to itself (test_radio_dish.cpp
/// `is_multicast_available`, ipv4): a plain UDP socket joined to the group receives its own
/// datagram.
fn multicast_available(group: std::net::Ipv4Addr, port: u16) -> bool {
    use std::net::{Ipv4Addr, UdpSocket};
    let Ok(rx) = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, port)) else {
        return false;
    };
    if rx
        .join_multicast_v4(&group, &Ipv4Addr::UNSPECIFIED)
        .is_err()
    {
        return false;
    }
    let _ = rx.set_read_timeout(Some(Duration::from_millis(200)));
    let Ok(tx) = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)) else {
        return false;
    };
    let _ = tx.set_multicast_loop_v4(true);
    if tx.send_to(b"probe", (group, port)).is_err() {
        return false;
    }
    let mut buf = [0u8; 16];
    matches!(rx.recv_from(&mut buf), Ok((5, _)))
}

/// test_radio_dish.cpp `test_radio_dish_mcast` and `test_radio_dish_no_loop` (ipv4), where the
/// machine allows multicast (else the test says so and passes, like libzmq's TEST_IGNORE).
#[test]
fn radio_dish_multicast() {
    let group = std::net::Ipv4Addr::new(226, 8, 5, 5);
    let port = free_udp_port();
    if !multicast_available(group, port) {
        eprintln!("multicast is not available here: test_radio_dish_mcast skipped");
        return;
    }
    let url = format!("udp://{group}:{port}");
    let ctx = ctx();
    let dish = socket(&ctx, zmq::DISH);
    dish.bind(&url).unwrap();
    let radio = socket(&ctx, zmq::RADIO);
    radio.connect(&url).unwrap();
    dish.join("TV").unwrap();
    let got = publish_until_received(&radio, &dish, "TV", "Friends");
    assert_eq!(got.group(), Some("TV"));
    drop((dish, radio));

    // MULTICAST_LOOP off: the RADIO's own host does not hear it.
    let port = free_udp_port();
    let url = format!("udp://{group}:{port}");
    let dish = socket(&ctx, zmq::DISH);
    let radio = socket(&ctx, zmq::RADIO);
    radio.set_multicast_loop(false).unwrap();
    dish.bind(&url).unwrap();
    radio.connect(&url).unwrap();
    dish.join("TV").unwrap();
    settle();
    radio.send_to_group("TV", "Friends").unwrap();
    settle();
    assert!(dish.try_recv().unwrap().is_none(), "loop is off");
}

/// Groups up to the limit: a DISH joins many groups (the RADIO keeps them in a set, not a
/// fixed table), and receives from each; 255-byte names are tested in `long_group`.
#[test]
fn many_groups() {
    let ctx = ctx();
    let (radio, dish) = inproc_pair(&ctx, zmq::RADIO, zmq::DISH, "many-groups");
    let groups: Vec<String> = (0..500).map(|i| format!("group-{i}")).collect();
    for g in &groups {
        dish.join(g).unwrap();
    }
    // Wait until the last join is known to the radio, then one message per group.
    publish_until_received(&radio, &dish, &groups[groups.len() - 1], "sync");
    drain_dish(&dish);
    for g in &groups {
        radio.send_to_group(g, g.as_str()).unwrap();
    }
    for g in &groups {
        let m = dish.recv().unwrap();
        assert_eq!(m.group(), Some(g.as_str()));
        assert_eq!(m, g.as_str());
    }
    radio.send_to_group("not-joined", "x").unwrap();
    std::thread::sleep(Duration::from_millis(20));
    assert!(dish.try_recv().unwrap().is_none());
}

// ---------------------------------------------------------------- SCATTER / GATHER

/// test_scatter_gather.cpp `test_scatter_gather`: SCATTER deals round-robin to two GATHERs.
/// (`test_scatter_gather_multipart_fails` is a compile error here: tests/ui.)
#[test]
fn scatter_gather() {
    let ctx = ctx();
    let ep = inproc("scatter-gather");
    let scatter = socket(&ctx, zmq::SCATTER);
    scatter.bind(&ep).unwrap();
    let gather = socket(&ctx, zmq::GATHER);
    gather.connect(&ep).unwrap();
    let gather2 = socket(&ctx, zmq::GATHER);
    gather2.connect(&ep).unwrap();
    scatter.send("1").unwrap();
    scatter.send("2").unwrap();
    assert_eq!(gather.recv().unwrap(), "1");
    assert_eq!(gather2.recv().unwrap(), "2");

    let err = scatter.send_with("X", zmq::SNDMORE).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
}

// ---------------------------------------------------------------- PEER

/// test_peer.cpp `test_peer`: `connect_peer` gives the routing id at once; each side answers
/// the other by routing id.
#[test]
fn peer() {
    let ctx = ctx();
    let peer1 = socket(&ctx, zmq::PEER);
    let ep = bind_loopback(&peer1);
    let peer2 = socket(&ctx, zmq::PEER);
    let peer1_routing_id = peer2.connect_peer(&ep).unwrap();
    assert_ne!(peer1_routing_id, 0);

    peer2.send_to(peer1_routing_id, [1u8].as_slice()).unwrap();
    let msg = peer1.recv().unwrap();
    assert_eq!(&msg[..], &[1]);
    let peer2_routing_id = msg.routing_id();
    assert_ne!(peer2_routing_id, 0);

    peer1.send_to(peer2_routing_id, [2u8].as_slice()).unwrap();
    let msg = peer2.recv().unwrap();
    assert_eq!(&msg[..], &[2]);
    assert_eq!(msg.routing_id(), peer1_routing_id);
}

/// connect_peer checks the endpoint like connect does, and a PEER cannot connect_peer over
/// inproc to nothing without an error.
#[test]
fn connect_peer_errors() {
    let ctx = ctx();
    let peer = socket(&ctx, zmq::PEER);
    let err = peer.connect_peer("tcp://127.0.0.1:99999").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(err.endpoint(), Some("tcp://127.0.0.1:99999"));
    assert_eq!(
        peer.connect_peer("bogus://x").unwrap_err().kind(),
        ErrorKind::ProtocolNotSupported
    );
    assert_eq!(
        peer.connect_peer("inproc://a\0b").unwrap_err().kind(),
        ErrorKind::InteriorNul
    );
}

// ---------------------------------------------------------------- CHANNEL

/// test_channel.cpp `test_roundtrip` and `test_sndmore_fails`.
#[test]
fn channel() {
    let ctx = ctx();
    let (sb, sc) = inproc_pair(&ctx, zmq::CHANNEL, zmq::CHANNEL, "channel");
    sb.send("HELLO").unwrap();
    assert_eq!(sc.recv().unwrap(), "HELLO");
    sc.send("WORLD").unwrap();
    assert_eq!(sb.recv().unwrap(), "WORLD");

    let err = sc.send_with("X", zmq::SNDMORE).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
}

// ---------------------------------------------------------------- DGRAM

/// test_dgram.cpp `test_connect_fails`: a DGRAM binds only.
#[test]
fn dgram_connect_fails() {
    let ctx = ctx();
    let s = socket(&ctx, zmq::DGRAM);
    assert_eq!(
        s.connect("udp://127.0.0.1:5556").unwrap_err().kind(),
        ErrorKind::IncompatibleProtocol
    );
}

/// test_dgram.cpp `test_roundtrip`: a DGRAM message is two frames, the peer's address and the
/// body (`str_send_to` / `str_recv_from`). DGRAM is the one draft kind that is multipart (and
/// not thread-safe).
#[test]
fn dgram_roundtrip() {
    let ctx = ctx();
    let (p4, p5) = (free_udp_port(), free_udp_port());
    let listener = socket(&ctx, zmq::DGRAM);
    listener.bind(&format!("udp://127.0.0.1:{p4}")).unwrap();
    let sender = socket(&ctx, zmq::DGRAM);
    sender.bind(&format!("udp://127.0.0.1:{p5}")).unwrap();

    let listener_addr = format!("127.0.0.1:{p4}");
    let sender_addr = format!("127.0.0.1:{p5}");
    sender
        .send_multipart([listener_addr.as_str(), "Is there anybody out there?"])
        .unwrap();
    // libzmq's address frame carries the C string's NUL (str_recv_from reads it as a string).
    let parts = listener.recv_multipart().unwrap();
    let from = format!("{sender_addr}\0");
    assert_eq!(
        frames(&parts),
        [from.as_bytes(), b"Is there anybody out there?"]
    );

    // Answer to the address as received (its NUL included, as the C test does).
    listener
        .send_multipart([&parts[0][..], b"Yes, there is!"])
        .unwrap();
    let parts = sender.recv_multipart().unwrap();
    let from = format!("{listener_addr}\0");
    assert_eq!(frames(&parts), [from.as_bytes(), b"Yes, there is!"]);
}
