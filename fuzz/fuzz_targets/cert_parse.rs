//! Certificate parsing of any text: never a panic; a certificate that parses is written back
//! (public and secret text) and read again to the same keys and metadata.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(cert) = zmq::Certificate::from_text(text) else {
        return;
    };
    let again = zmq::Certificate::from_text(&cert.public_text()).expect("public text parses");
    assert_eq!(again.public(), cert.public());
    if let Some(secret) = cert.secret_text() {
        let again = zmq::Certificate::from_text(&secret).expect("secret text parses");
        assert_eq!(again.secret(), cert.secret());
        assert_eq!(again.metadata(), cert.metadata());
    }
});
