//! A CURVE client for `curve_server`: sends `Hello` N times and prints each reply. Exits 0 when
//! all N replies were `World`, 1 otherwise (a refused client times out instead of hanging).
//!
//! ```text
//! curve_client --connect ENDPOINT --secret-cert FILE --server-cert FILE --count N [--timeout-ms MS]
//! ```

use std::process::ExitCode;
use std::time::Duration;

struct Args {
    connect: String,
    secret_cert: String,
    server_cert: String,
    count: u64,
    timeout: Duration,
}

fn parse_args() -> Result<Args, String> {
    let mut connect = None;
    let mut secret_cert = None;
    let mut server_cert = None;
    let mut count = None;
    let mut timeout = Duration::from_secs(3);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--connect" => connect = Some(value("--connect")?),
            "--secret-cert" => secret_cert = Some(value("--secret-cert")?),
            "--server-cert" => server_cert = Some(value("--server-cert")?),
            "--count" => {
                let v = value("--count")?;
                count = Some(v.parse().map_err(|_| format!("bad --count {v:?}"))?);
            }
            "--timeout-ms" => {
                let v = value("--timeout-ms")?;
                timeout = Duration::from_millis(
                    v.parse().map_err(|_| format!("bad --timeout-ms {v:?}"))?,
                );
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Args {
        connect: connect.ok_or("--connect is required")?,
        secret_cert: secret_cert.ok_or("--secret-cert is required")?,
        server_cert: server_cert.ok_or("--server-cert is required")?,
        count: count.ok_or("--count is required")?,
        timeout,
    })
}

/// Returns how many replies were `World`.
fn run(args: &Args) -> zmq::Result<u64> {
    let client_cert = zmq::Certificate::load(&args.secret_cert)?;
    let client_keys = client_cert.keypair().ok_or(zmq::Error::InvalidKey(
        "the client certificate has no secret key",
    ))?;
    let server_cert = zmq::Certificate::load(&args.server_cert)?;

    let ctx = zmq::Context::new();
    let client = ctx.socket(zmq::REQ)?;
    client.set_curve_client_keys(&client_keys, server_cert.public())?;
    client.set_rcvtimeo(Some(args.timeout))?;
    client.set_sndtimeo(Some(args.timeout))?;
    client.set_linger(Some(Duration::ZERO))?;
    client.connect(&args.connect)?;

    let mut good = 0;
    for i in 0..args.count {
        client.send("Hello")?;
        match client.recv() {
            Ok(reply) => {
                let text = String::from_utf8_lossy(&reply);
                println!("reply {}: {text}", i + 1);
                if &*reply == b"World" {
                    good += 1;
                }
            }
            Err(e) if e.is_again() => {
                eprintln!("curve_client: no reply within {:?}", args.timeout);
                break;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(good)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("curve_client: {e}");
            eprintln!(
                "usage: curve_client --connect ENDPOINT --secret-cert FILE --server-cert FILE --count N [--timeout-ms MS]"
            );
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(good) if good == args.count => ExitCode::SUCCESS,
        Ok(good) => {
            eprintln!("curve_client: {good} of {} replies were World", args.count);
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("curve_client: {e}");
            ExitCode::FAILURE
        }
    }
}
