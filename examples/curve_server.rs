//! A CURVE-secured REP server: answers every request with `World`, and only to clients whose
//! public certificate is in the allow directory (checked by a ZAP authenticator thread).
//! Runs until killed.
//!
//! ```text
//! curve_server --bind ENDPOINT --secret-cert FILE --allow-dir DIR [--verbose]
//! ```

use std::process::ExitCode;

struct Args {
    bind: String,
    secret_cert: String,
    allow_dir: String,
    verbose: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut bind = None;
    let mut secret_cert = None;
    let mut allow_dir = None;
    let mut verbose = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--bind" => bind = Some(value("--bind")?),
            "--secret-cert" => secret_cert = Some(value("--secret-cert")?),
            "--allow-dir" => allow_dir = Some(value("--allow-dir")?),
            "--verbose" => verbose = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Args {
        bind: bind.ok_or("--bind is required")?,
        secret_cert: secret_cert.ok_or("--secret-cert is required")?,
        allow_dir: allow_dir.ok_or("--allow-dir is required")?,
        verbose,
    })
}

fn run(args: Args) -> zmq::Result<()> {
    let cert = zmq::Certificate::load(&args.secret_cert)?;
    let secret = cert.secret().ok_or(zmq::Error::InvalidKey(
        "the server certificate has no secret key",
    ))?;

    let ctx = zmq::Context::new();
    let auth = zmq::Authenticator::new(&ctx)?;
    auth.set_verbose(args.verbose);
    auth.configure_curve_certificates("*", &args.allow_dir)?;

    let server = ctx.socket(zmq::REP)?;
    server.set_curve_server_keys(secret)?;
    server.bind(&args.bind)?;
    eprintln!(
        "curve_server: listening on {} as {}",
        server.last_endpoint()?,
        cert.public()
    );
    loop {
        let request = server.recv()?;
        if args.verbose {
            eprintln!(
                "curve_server: {:?} from {}",
                String::from_utf8_lossy(&request),
                request.gets("User-Id").unwrap_or("?")
            );
        }
        server.send("World")?;
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("curve_server: {e}");
            eprintln!("usage: curve_server --bind ENDPOINT --secret-cert FILE --allow-dir DIR [--verbose]");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("curve_server: {e}");
            ExitCode::FAILURE
        }
    }
}
