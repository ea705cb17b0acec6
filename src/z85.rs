//! Z85 (ZeroMQ RFC 32): the text encoding of CURVE keys. [`encode`] and [`decode`] are written in
//! Rust and give the same results as `zmq_z85_encode` / `zmq_z85_decode`, with errors instead of
//! null pointers.

use crate::error::{Error, Result};

const ALPHABET: &[u8; 85] =
    b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

/// Maps a byte to its Z85 digit value, 0xFF for bytes outside the alphabet.
const DECODER: [u8; 256] = {
    let mut table = [0xFFu8; 256];
    let mut i = 0;
    while i < 85 {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};

pub(crate) fn alphabet_contains(b: u8) -> bool {
    DECODER[b as usize] != 0xFF
}

/// Encodes bytes as Z85 text; the length must be a multiple of 4.
///
/// ```
/// let text = zmq::z85::encode(&[0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B])?;
/// assert_eq!(text, "HelloWorld");
/// # Ok::<(), zmq::Error>(())
/// ```
#[doc(alias = "zmq_z85_encode")]
pub fn encode(data: &[u8]) -> Result<String> {
    if data.len() % 4 != 0 {
        return Err(Error::Z85("the input length must be a multiple of 4"));
    }
    let mut out = String::with_capacity(data.len() / 4 * 5);
    for chunk in data.chunks_exact(4) {
        let mut value = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        let mut digits = [0u8; 5];
        for d in digits.iter_mut().rev() {
            *d = ALPHABET[(value % 85) as usize];
            value /= 85;
        }
        out.extend(digits.iter().map(|&b| b as char));
    }
    Ok(out)
}

/// Decodes Z85 text; the length must be a multiple of 5 and every character in the alphabet.
#[doc(alias = "zmq_z85_decode")]
pub fn decode(text: &str) -> Result<Vec<u8>> {
    let bytes = text.as_bytes();
    if bytes.len() % 5 != 0 {
        return Err(Error::Z85("the text length must be a multiple of 5"));
    }
    let mut out = Vec::with_capacity(bytes.len() / 5 * 4);
    for chunk in bytes.chunks_exact(5) {
        let mut value: u64 = 0;
        for &b in chunk {
            let digit = DECODER[b as usize];
            if digit == 0xFF {
                return Err(Error::Z85("character outside the Z85 alphabet"));
            }
            value = value * 85 + u64::from(digit);
        }
        let value = u32::try_from(value)
            .map_err(|_| Error::Z85("a 5-character group is larger than 32 bits"))?;
        out.extend_from_slice(&value.to_be_bytes());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc32_hello_world() {
        let raw = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B];
        assert_eq!(encode(&raw).unwrap(), "HelloWorld");
        assert_eq!(decode("HelloWorld").unwrap(), raw);
    }

    #[test]
    fn bad_input_is_an_error() {
        assert_eq!(
            encode(&[1, 2, 3]).unwrap_err().kind(),
            crate::ErrorKind::Z85
        );
        assert_eq!(decode("abcd").unwrap_err().kind(), crate::ErrorKind::Z85);
        assert_eq!(decode("abc\"e").unwrap_err().kind(), crate::ErrorKind::Z85);
        assert_eq!(decode("%%%%%").unwrap_err().kind(), crate::ErrorKind::Z85);
        assert!(decode("é1234").is_err());
    }

    #[test]
    fn matches_libzmq() {
        let data: Vec<u8> = (0..=255u8).collect();
        let ours = encode(&data).unwrap();
        let mut buf = vec![0u8; data.len() / 4 * 5 + 1];
        // SAFETY: `buf` holds the encoded length plus the NUL libzmq writes; `data` is 256 bytes.
        let p = unsafe {
            crate::ffi::zmq_z85_encode(buf.as_mut_ptr() as *mut _, data.as_ptr(), data.len())
        };
        assert!(!p.is_null());
        assert_eq!(&buf[..ours.len()], ours.as_bytes());
        assert_eq!(decode(&ours).unwrap(), data);
    }
}
