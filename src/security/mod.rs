//! Security: CURVE keys ([`curve_keypair`], [`curve_public`]), typed mechanism configuration
//! on sockets, certificates on disk in the format pyzmq and CZMQ write ([`Certificate`]), and a
//! ZAP [`Authenticator`] running on its own thread.
//!
//! ```
//! # if !zmq::has("curve") { return Ok(()); }
//! use std::time::Duration;
//! let ctx = zmq::Context::new();
//! let server_keys = zmq::curve_keypair()?;
//! let client_keys = zmq::curve_keypair()?;
//!
//! let auth = zmq::Authenticator::new(&ctx)?;
//! auth.configure_curve_keys("*", [client_keys.public]);
//!
//! let server = ctx.socket(zmq::REP)?;
//! server.set_curve_server_keys(&server_keys.secret)?;
//! server.bind("tcp://127.0.0.1:*")?;
//!
//! let client = ctx.socket(zmq::REQ)?;
//! client.set_curve_client_keys(&client_keys, &server_keys.public)?;
//! client.set_rcvtimeo(Some(Duration::from_secs(5)))?;
//! client.connect(&server.last_endpoint()?)?;
//! client.send("Hello")?;
//! let request = server.recv()?;
//! assert_eq!(request.gets("User-Id"), Some(client_keys.public.to_z85().as_str()));
//! server.send("World")?;
//! assert_eq!(client.recv()?, "World");
//! # Ok::<(), zmq::Error>(())
//! ```

mod auth;
mod cert;
mod curve;

pub use auth::{Authenticator, ZapDecision, ZapRequest, ZAP_ENDPOINT};
pub use cert::{create_certificates, load_certificate, load_certificates, Certificate};
pub use curve::{
    curve_keypair, curve_public, CurveKeyPair, CurvePublicKey, CurveSecretKey,
    KEY_LEN as CURVE_KEY_LEN, KEY_Z85_LEN as CURVE_KEY_Z85_LEN,
};
/// A value wiped from memory when dropped (from the `zeroize` crate): what
/// [`CurveSecretKey::to_z85_zeroizing`] and [`Certificate::secret_text`] return.
pub use zeroize::Zeroizing;

use crate::error::Result;
use crate::socket::{Socket, SocketKind};

impl<K: SocketKind> Socket<K> {
    /// Makes this socket a CURVE server with `secret` as its long-term secret key
    /// (`ZMQ_CURVE_SERVER` = 1 and `ZMQ_CURVE_SECRETKEY`). Set before `bind`. Clients need the
    /// matching public key.
    pub fn set_curve_server_keys(&self, secret: &CurveSecretKey) -> Result<()> {
        self.set_curve_server(true)?;
        self.set_curve_secretkey(secret)
    }

    /// Makes this socket a CURVE client with the key pair `client`, talking to the server whose
    /// public key is `server` (`ZMQ_CURVE_SERVERKEY`, `ZMQ_CURVE_PUBLICKEY`,
    /// `ZMQ_CURVE_SECRETKEY`). Set before `connect`.
    pub fn set_curve_client_keys(
        &self,
        client: &CurveKeyPair,
        server: &CurvePublicKey,
    ) -> Result<()> {
        self.set_curve_serverkey(server)?;
        self.set_curve_publickey(&client.public)?;
        self.set_curve_secretkey(&client.secret)
    }

    /// Makes this socket a PLAIN client that logs in as `username` with `password`
    /// (`ZMQ_PLAIN_USERNAME`, `ZMQ_PLAIN_PASSWORD`). A PLAIN server sets
    /// [`set_plain_server(true)`](Socket::set_plain_server).
    pub fn set_plain_client(&self, username: &str, password: &str) -> Result<()> {
        self.set_plain_username(username)?;
        self.set_plain_password(password)
    }

    /// Makes this socket a GSSAPI client of the service `service_principal`, as `principal`
    /// (or the default credentials when `None`).
    pub fn set_gssapi_client(
        &self,
        service_principal: &str,
        principal: Option<&str>,
    ) -> Result<()> {
        if let Some(p) = principal {
            self.set_gssapi_principal(p)?;
        }
        self.set_gssapi_service_principal(service_principal)
    }
}
