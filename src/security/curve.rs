//! CURVE keys: [`CurvePublicKey`], [`CurveSecretKey`], [`CurveKeyPair`], [`curve_keypair`]
//! and [`curve_public`].

use crate::error::{cvt, Error, Result};
use crate::ffi;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;
use zeroize::{Zeroize, Zeroizing};

/// Length of a CURVE key in bytes.
pub const KEY_LEN: usize = 32;
/// Length of a CURVE key as Z85 text.
pub const KEY_Z85_LEN: usize = 40;

/// Reads a key given as 32 raw bytes or 40 characters of Z85.
fn parse_key(bytes: &[u8]) -> Result<[u8; KEY_LEN]> {
    match bytes.len() {
        KEY_LEN => {
            let mut key = [0u8; KEY_LEN];
            key.copy_from_slice(bytes);
            Ok(key)
        }
        KEY_Z85_LEN => {
            let text = std::str::from_utf8(bytes)
                .map_err(|_| Error::InvalidKey("a 40-byte key must be Z85 text"))?;
            // The decoded bytes may be a secret key: wiped when dropped.
            let raw = Zeroizing::new(
                crate::z85::decode(text)
                    .map_err(|_| Error::InvalidKey("a 40-byte key must be Z85 text"))?,
            );
            let mut key = [0u8; KEY_LEN];
            key.copy_from_slice(&raw);
            Ok(key)
        }
        _ => Err(Error::InvalidKey(
            "a CURVE key is 32 bytes, or 40 characters of Z85",
        )),
    }
}

fn to_z85(key: &[u8; KEY_LEN]) -> String {
    // 32 is a multiple of 4: encoding cannot fail.
    crate::z85::encode(key).unwrap_or_default()
}

macro_rules! key_common {
    ($ty:ident) => {
        impl $ty {
            /// A key from 32 raw bytes or 40 characters of Z85; anything else is
            /// [`ErrorKind::InvalidKey`](crate::ErrorKind::InvalidKey).
            pub fn from_bytes(bytes: &[u8]) -> Result<$ty> {
                parse_key(bytes).map($ty)
            }
            /// A key from 40 characters of Z85.
            pub fn from_z85(text: &str) -> Result<$ty> {
                if text.len() != KEY_Z85_LEN {
                    return Err(Error::InvalidKey("a Z85 CURVE key is 40 characters"));
                }
                parse_key(text.as_bytes()).map($ty)
            }
            /// The 32 raw bytes.
            pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
                &self.0
            }
        }

        impl From<[u8; KEY_LEN]> for $ty {
            fn from(raw: [u8; KEY_LEN]) -> $ty {
                $ty(raw)
            }
        }

        impl TryFrom<&[u8]> for $ty {
            type Error = Error;
            fn try_from(bytes: &[u8]) -> Result<$ty> {
                $ty::from_bytes(bytes)
            }
        }

        impl TryFrom<&str> for $ty {
            type Error = Error;
            fn try_from(text: &str) -> Result<$ty> {
                $ty::from_bytes(text.as_bytes())
            }
        }

        impl FromStr for $ty {
            type Err = Error;
            fn from_str(text: &str) -> Result<$ty> {
                $ty::from_z85(text)
            }
        }

        /// The 32 raw bytes, so a key can go straight to `set_curve_*key`.
        impl AsRef<[u8]> for $ty {
            fn as_ref(&self) -> &[u8] {
                &self.0
            }
        }
    };
}

/// A CURVE public key (32 bytes). Prints as Z85.
///
/// ```
/// let key: zmq::CurvePublicKey = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID".parse()?;
/// assert_eq!(key.to_string(), "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID");
/// assert_eq!(key.as_bytes().len(), 32);
/// assert!(zmq::CurvePublicKey::from_bytes(b"too short").is_err());
/// # Ok::<(), zmq::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CurvePublicKey([u8; KEY_LEN]);
key_common!(CurvePublicKey);

impl CurvePublicKey {
    /// The key as 40 characters of Z85.
    pub fn to_z85(&self) -> String {
        to_z85(&self.0)
    }
}

impl fmt::Display for CurvePublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_z85())
    }
}

impl fmt::Debug for CurvePublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CurvePublicKey({:?})", self.to_z85())
    }
}

/// A CURVE secret key (32 bytes). Its `Debug` form hides it.
///
/// Its bytes are wiped (`zeroize`) when it is dropped, and so are the copies this crate makes
/// of it: its Z85 text from [`to_z85_zeroizing`](CurveSecretKey::to_z85_zeroizing) (but not
/// the plain `String` of [`to_z85`](CurveSecretKey::to_z85)), the
/// buffers handed to libzmq by [`curve_keypair`] and [`curve_public`], a secret certificate's
/// text ([`Certificate::secret_text`](crate::Certificate::secret_text), and the text read by
/// [`Certificate::load`](crate::Certificate::load)). Not wiped: the copies libzmq keeps (a
/// socket's `ZMQ_CURVE_SECRETKEY`), stack copies left by moving the value, and copies your own
/// code makes (e.g. with [`as_bytes`](CurveSecretKey::as_bytes)).
#[derive(Clone, PartialEq, Eq)]
pub struct CurveSecretKey([u8; KEY_LEN]);
key_common!(CurveSecretKey);

impl CurveSecretKey {
    /// The key as 40 characters of Z85, in a plain `String` that is **not** wiped when
    /// dropped; prefer [`to_z85_zeroizing`](CurveSecretKey::to_z85_zeroizing).
    pub fn to_z85(&self) -> String {
        to_z85(&self.0)
    }

    /// The key as 40 characters of Z85, in a string that is wiped when dropped.
    pub fn to_z85_zeroizing(&self) -> Zeroizing<String> {
        Zeroizing::new(to_z85(&self.0))
    }
}

impl Hash for CurveSecretKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state)
    }
}

impl fmt::Debug for CurveSecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CurveSecretKey(<hidden>)")
    }
}

impl Drop for CurveSecretKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for CurveSecretKey {}

/// A CURVE key pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurveKeyPair {
    /// The public key.
    pub public: CurvePublicKey,
    /// The secret key.
    pub secret: CurveSecretKey,
}

impl CurveKeyPair {
    /// A new random key pair ([`curve_keypair`]).
    pub fn generate() -> Result<CurveKeyPair> {
        curve_keypair()
    }

    /// The pair of a secret key, its public key derived with [`curve_public`].
    pub fn from_secret(secret: CurveSecretKey) -> Result<CurveKeyPair> {
        let public = curve_public(&secret)?;
        Ok(CurveKeyPair { public, secret })
    }
}

#[cfg(not(zmq_has_curve))]
fn no_curve<T>() -> Result<T> {
    Err(Error::from_errno(libc::ENOTSUP))
}

/// A new random CURVE key pair (`zmq_curve_keypair`). Fails with
/// [`ErrorKind::NotSupported`](crate::ErrorKind::NotSupported) when libzmq was built without
/// CURVE.
///
/// ```
/// # if !zmq::has("curve") { return Ok(()); }
/// let pair = zmq::curve_keypair()?;
/// assert_eq!(zmq::curve_public(&pair.secret)?, pair.public);
/// assert_eq!(pair.public.to_z85().len(), 40);
/// # Ok::<(), zmq::Error>(())
/// ```
#[doc(alias = "zmq_curve_keypair")]
pub fn curve_keypair() -> Result<CurveKeyPair> {
    #[cfg(not(zmq_has_curve))]
    return no_curve();
    #[cfg(zmq_has_curve)]
    {
        let mut public = [0u8; KEY_Z85_LEN + 1];
        let mut secret = [0u8; KEY_Z85_LEN + 1];
        // SAFETY: both buffers hold 41 bytes, the 40 Z85 characters and the NUL libzmq writes.
        cvt(unsafe {
            ffi::zmq_curve_keypair(public.as_mut_ptr().cast(), secret.as_mut_ptr().cast())
        })?;
        let secret_key = CurveSecretKey::from_bytes(&secret[..KEY_Z85_LEN]);
        secret.zeroize();
        Ok(CurveKeyPair {
            public: CurvePublicKey::from_bytes(&public[..KEY_Z85_LEN])?,
            secret: secret_key?,
        })
    }
}

/// The public key of a secret key (`zmq_curve_public`). Fails with
/// [`ErrorKind::NotSupported`](crate::ErrorKind::NotSupported) when libzmq was built without
/// CURVE.
#[doc(alias = "zmq_curve_public")]
pub fn curve_public(secret: &CurveSecretKey) -> Result<CurvePublicKey> {
    #[cfg(not(zmq_has_curve))]
    {
        let _ = secret;
        no_curve()
    }
    #[cfg(zmq_has_curve)]
    {
        let mut public = [0u8; KEY_Z85_LEN + 1];
        let mut secret_z85 = Zeroizing::new([0u8; KEY_Z85_LEN + 1]);
        secret_z85[..KEY_Z85_LEN].copy_from_slice(secret.to_z85_zeroizing().as_bytes());
        // SAFETY: `public` holds 41 bytes for the Z85 text and its NUL; `secret_z85` is 40 Z85
        // characters followed by a NUL.
        let rc = cvt(unsafe {
            ffi::zmq_curve_public(public.as_mut_ptr().cast(), secret_z85.as_ptr().cast())
        });
        drop(secret_z85);
        rc?;
        CurvePublicKey::from_bytes(&public[..KEY_Z85_LEN])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::ManuallyDrop;

    #[test]
    fn secret_key_bytes_are_wiped_on_drop() {
        let mut key = ManuallyDrop::new(CurveSecretKey([0xA5; KEY_LEN]));
        // SAFETY: the key is dropped once, here, and never used as a key again; its storage
        // (a plain byte array inside the ManuallyDrop) stays allocated and initialised, so its
        // bytes can be read afterwards.
        unsafe { ManuallyDrop::drop(&mut key) };
        // SAFETY: as above: reading the bytes of the array the dropped key occupied.
        let bytes = unsafe { std::ptr::read(&key.0) };
        assert_eq!(bytes, [0; KEY_LEN]);
    }

    #[test]
    fn zeroizing_z85_is_the_key() {
        let key = CurveSecretKey([7; KEY_LEN]);
        let text = key.to_z85_zeroizing();
        assert_eq!(text.as_str(), key.to_z85());
        assert_eq!(CurveSecretKey::from_z85(&text).unwrap(), key);
    }
}
