//! Option values through the typed setters: any value, on any socket kind, in any order, is
//! accepted or refused with an error, never a panic; a value accepted reads back as set.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use std::time::Duration;

#[derive(Arbitrary, Debug)]
enum Set {
    SndHwm(i32),
    RcvHwm(i32),
    Linger(Option<u64>),
    RcvTimeo(Option<u64>),
    SndTimeo(Option<u64>),
    ReconnectIvl(Option<u64>),
    ReconnectIvlMax(u64),
    HeartbeatIvl(u64),
    HeartbeatTtl(u64),
    HandshakeIvl(u64),
    MaxMsgSize(i64),
    Affinity(u64),
    Backlog(i32),
    Rate(i32),
    SndBuf(i32),
    TcpKeepalive(i32),
    Tos(i32),
    RoutingId(Vec<u8>),
    ConnectRoutingId(Vec<u8>),
    Subscribe(Vec<u8>),
    PlainUsername(String),
    PlainPassword(String),
    ZapDomain(String),
    SocksProxy(String),
    BindToDevice(String),
    CurveServerKey(Vec<u8>),
    CurvePublicKey(Vec<u8>),
    CurveSecretKey(Vec<u8>),
    CurveServer(bool),
    PlainServer(bool),
    Immediate(bool),
    Conflate(bool),
    RouterMandatory(bool),
    XpubWelcome(Vec<u8>),
    Raw(i32, Vec<u8>),
}

#[derive(Arbitrary, Debug)]
struct Input {
    kind: u8,
    sets: Vec<Set>,
}

fn ms(v: u64) -> Duration {
    Duration::from_millis(v)
}

fuzz_target!(|input: Input| {
    let ctx = zmq::Context::new();
    let kinds = zmq::SocketType::ALL;
    let kind = kinds[usize::from(input.kind) % kinds.len()];
    let s = ctx.socket(kind).unwrap();
    s.set_linger(Some(Duration::ZERO)).unwrap();
    for set in input.sets.iter().take(64) {
        match set {
            Set::SndHwm(v) => {
                if s.set_sndhwm(*v).is_ok() {
                    assert_eq!(s.sndhwm().unwrap(), *v);
                }
            }
            Set::RcvHwm(v) => {
                if s.set_rcvhwm(*v).is_ok() {
                    assert_eq!(s.rcvhwm().unwrap(), *v);
                }
            }
            Set::Linger(v) => {
                if s.set_linger(v.map(ms)).is_ok() {
                    assert_eq!(s.linger().unwrap(), v.map(ms));
                }
            }
            Set::RcvTimeo(v) => {
                if s.set_rcvtimeo(v.map(ms)).is_ok() {
                    assert_eq!(s.rcvtimeo().unwrap(), v.map(ms));
                }
            }
            Set::SndTimeo(v) => {
                if s.set_sndtimeo(v.map(ms)).is_ok() {
                    assert_eq!(s.sndtimeo().unwrap(), v.map(ms));
                }
            }
            Set::ReconnectIvl(v) => {
                let _ = s.set_reconnect_ivl(v.map(ms));
            }
            Set::ReconnectIvlMax(v) => {
                let _ = s.set_reconnect_ivl_max(ms(*v));
            }
            Set::HeartbeatIvl(v) => {
                if s.set_heartbeat_ivl(ms(*v)).is_ok() {
                    assert_eq!(s.heartbeat_ivl().unwrap(), ms(*v));
                }
            }
            Set::HeartbeatTtl(v) => {
                let _ = s.set_heartbeat_ttl(ms(*v));
            }
            Set::HandshakeIvl(v) => {
                let _ = s.set_handshake_ivl(ms(*v));
            }
            Set::MaxMsgSize(v) => {
                if s.set_maxmsgsize(*v).is_ok() {
                    assert_eq!(s.maxmsgsize().unwrap(), *v);
                }
            }
            Set::Affinity(v) => {
                if s.set_affinity(*v).is_ok() {
                    assert_eq!(s.affinity().unwrap(), *v);
                }
            }
            Set::Backlog(v) => {
                let _ = s.set_backlog(*v);
            }
            Set::Rate(v) => {
                let _ = s.set_rate(*v);
            }
            Set::SndBuf(v) => {
                let _ = s.set_sndbuf(*v);
            }
            Set::TcpKeepalive(v) => {
                let _ = s.set_tcp_keepalive(*v);
            }
            Set::Tos(v) => {
                let _ = s.set_tos(*v);
            }
            Set::RoutingId(v) => {
                if s.set_routing_id(v).is_ok() {
                    assert_eq!(&s.routing_id().unwrap(), v);
                }
            }
            Set::ConnectRoutingId(v) => {
                let _ = s.set_connect_routing_id(v);
            }
            Set::Subscribe(v) => {
                let _ = s.subscribe(v);
                let _ = s.unsubscribe(v);
            }
            Set::PlainUsername(v) => {
                if s.set_plain_username(v).is_ok() && !v.is_empty() {
                    assert_eq!(&s.plain_username().unwrap(), v);
                }
            }
            Set::PlainPassword(v) => {
                let _ = s.set_plain_password(v);
            }
            Set::ZapDomain(v) => {
                if s.set_zap_domain(v).is_ok() {
                    assert_eq!(&s.zap_domain().unwrap(), v);
                }
            }
            Set::SocksProxy(v) => {
                let _ = s.set_socks_proxy(v);
            }
            Set::BindToDevice(v) => {
                let _ = s.set_bindtodevice(v);
            }
            Set::CurveServerKey(v) => {
                let _ = s.set_curve_serverkey(v);
            }
            Set::CurvePublicKey(v) => {
                if s.set_curve_publickey(v).is_ok() && v.len() == 32 {
                    assert_eq!(&s.curve_publickey().unwrap()[..], &v[..]);
                }
            }
            Set::CurveSecretKey(v) => {
                let _ = s.set_curve_secretkey(v);
            }
            Set::CurveServer(v) => {
                let _ = s.set_curve_server(*v);
            }
            Set::PlainServer(v) => {
                let _ = s.set_plain_server(*v);
            }
            Set::Immediate(v) => {
                let _ = s.set_immediate(*v);
            }
            Set::Conflate(v) => {
                let _ = s.set_conflate(*v);
            }
            Set::RouterMandatory(v) => {
                let _ = s.set_router_mandatory(*v);
            }
            Set::XpubWelcome(v) => {
                let _ = s.set_xpub_welcome_msg(v);
            }
            Set::Raw(opt, v) => {
                // Options that take a file descriptor or change the socket's life are left out:
                // they hand libzmq a resource, which is not what this target checks.
                if *opt != zmq::ffi::ZMQ_USE_FD {
                    let _ = s.set_option(*opt, &v[..]);
                    let _ = s.get_option::<Vec<u8>>(*opt);
                }
            }
        }
        let _ = s.events();
    }
});
