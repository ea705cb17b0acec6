//! Writes a CURVE certificate pair: `NAME.key` (public) and `NAME.key_secret` (mode 0600), in the
//! format pyzmq's `zmq.auth.create_certificates` and CZMQ write.
//!
//! ```text
//! keygen NAME [DIR]
//! ```

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (name, dir) = match args.as_slice() {
        [name] => (name.as_str(), "."),
        [name, dir] => (name.as_str(), dir.as_str()),
        _ => {
            eprintln!("usage: keygen NAME [DIR]");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("keygen: cannot create {dir}: {e}");
        return ExitCode::FAILURE;
    }
    match zmq::create_certificates(dir, name, &[("name", name)]) {
        Ok((public, secret)) => {
            println!("{}", public.display());
            println!("{}", secret.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("keygen: {e}");
            ExitCode::FAILURE
        }
    }
}
