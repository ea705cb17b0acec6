//! Z85 decoding of any text: never a panic; what decodes encodes back to the same text, and
//! agrees with libzmq's own `zmq_z85_decode` (accepts the same inputs but the empty text, gives the
//! same bytes).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ours = zmq::z85::decode(text);
    if let Ok(bytes) = &ours {
        assert_eq!(bytes.len(), text.len() / 5 * 4);
        assert_eq!(zmq::z85::encode(bytes).unwrap(), text);
    }
    // libzmq reads a NUL-terminated string: only texts without NUL can be compared. It also
    // refuses the empty text, which decodes here to no bytes (as `encode(&[])` gives "").
    if text.contains('\0') || text.is_empty() {
        return;
    }
    let c = std::ffi::CString::new(text).unwrap();
    let mut out = vec![0u8; text.len() / 5 * 4 + 4];
    // SAFETY: `c` is NUL-terminated; `out` holds the 4/5 of its length libzmq writes.
    let p = unsafe { zmq::ffi::zmq_z85_decode(out.as_mut_ptr(), c.as_ptr()) };
    match &ours {
        Ok(bytes) => {
            assert!(!p.is_null(), "libzmq refused what we accepted: {text:?}");
            assert_eq!(&out[..bytes.len()], &bytes[..]);
        }
        Err(_) => assert!(p.is_null(), "libzmq accepted what we refused: {text:?}"),
    }
});
