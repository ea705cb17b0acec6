//! Monitor event parsing of any frames: never a panic; an event that parses gives back its
//! number, makes the same event again from its number and value, prints, and names itself.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|frames: Vec<Vec<u8>>| {
    let Ok(event) = zmq::MonitorEvent::parse(&frames) else {
        return;
    };
    let head = &frames[0];
    let (number, value) = event.raw();
    assert_eq!(number, u16::from_ne_bytes([head[0], head[1]]));
    assert_eq!(event.endpoint().as_bytes(), &frames[1][..]);
    // What `raw` gives back makes the same event again (events without a value give 0).
    let again = zmq::MonitorEvent::from_parts(number, value, event.endpoint().to_owned());
    assert_eq!(again, event);
    let _ = event.to_string();
    let _ = event.name();
    let _ = event.is_handshake_failure();
});
