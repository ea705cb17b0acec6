//! What the linked libzmq is and can do: [`version`] and [`has`].

use std::ffi::CString;

/// The version of the libzmq actually linked, as `(major, minor, patch)`.
///
/// ```
/// let (major, minor, _patch) = zmq::version();
/// assert!((major, minor) >= (4, 3));
/// ```
#[doc(alias = "zmq_version")]
pub fn version() -> (i32, i32, i32) {
    let (mut major, mut minor, mut patch) = (0, 0, 0);
    // SAFETY: zmq_version only writes one int through each of the three valid pointers.
    unsafe { crate::ffi::zmq_version(&mut major, &mut minor, &mut patch) };
    (major, minor, patch)
}

/// Whether the linked libzmq has a capability: `"ipc"`, `"pgm"`, `"tipc"`, `"norm"`, `"curve"`,
/// `"gssapi"`, `"draft"`, `"vmci"`, `"ws"` or `"wss"` (any case). Unknown names, and names with
/// an interior NUL, give `false`.
///
/// ```
/// // The default (vendored) build always has CURVE.
/// # #[cfg(zmq_vendored)]
/// assert!(zmq::has("curve"));
/// assert!(!zmq::has("no-such-thing"));
/// ```
#[doc(alias = "zmq_has")]
pub fn has(capability: &str) -> bool {
    // libzmq spells the websocket transports in upper case and the rest in lower case.
    let name = match capability.to_ascii_lowercase().as_str() {
        "ws" => "WS".to_string(),
        "wss" => "WSS".to_string(),
        other => other.to_string(),
    };
    let Ok(name) = CString::new(name) else {
        return false;
    };
    // SAFETY: `name` is a valid NUL-terminated string that outlives the call; zmq_has only reads it.
    unsafe { crate::ffi::zmq_has(name.as_ptr()) == 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_matches_the_build() {
        let (a, b, c) = version();
        assert_eq!(format!("{a}.{b}.{c}"), env!("ZMQ_BUILD_VERSION"));
    }

    #[test]
    fn capabilities_match_the_build_flags() {
        assert_eq!(has("curve"), cfg!(zmq_has_curve));
        assert_eq!(has("draft"), cfg!(zmq_has_draft));
        assert_eq!(has("pgm"), cfg!(zmq_has_pgm));
        assert_eq!(has("ipc"), cfg!(zmq_has_ipc));
        assert_eq!(has("WS"), cfg!(zmq_has_ws));
        assert_eq!(has("ws"), has("WS"));
        assert!(!has("bogus"));
        assert!(!has("cur\0ve"));
    }

    #[cfg(zmq_vendored)]
    #[test]
    fn vendored_build_has_curve() {
        assert!(has("curve"));
        assert_eq!(version(), (4, 3, 5));
    }

    #[cfg(feature = "draft")]
    #[test]
    fn draft_feature_has_draft() {
        assert!(has("draft"));
    }
}
