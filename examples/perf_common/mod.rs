//! What the six perf examples share (they mirror libzmq's perf tools): argument parsing with the
//! C tools' usage lines, the timed receive and roundtrip loops, and the printed report.
//! Each example includes it with `#[path = "perf_common/mod.rs"] mod perf;`.

#![allow(dead_code)] // each example uses a part

use std::process::exit;
use std::str::FromStr;
use std::time::Instant;

/// The C tools' CURVE keys (perf/local_thr.cpp, perf/remote_thr.cpp), so either side can be the
/// C tool under CURVE.
pub const SERVER_SECRET: &str = "{X}#>t#jRGaQ}gMhv=30r(Mw+87YGs+5%kh=i@f8";
pub const SERVER_PUBLIC: &str = "DX4nh=yUn{-9ugra0X3Src4SU-4xTgqxcYY.+<SH";
pub const CLIENT_PUBLIC: &str = "<n^oA}I:66W+*ds3tAmi1+KJzv-}k&fC2aA5Bj0K";
pub const CLIENT_SECRET: &str = "9R9bV}[6z6DC-%$!jTVTKvWc=LEL{4i4gzUe$@Zx";

/// Prints what failed, as the C tools do, and exits with status 1.
pub fn fail(what: &str, e: zmq::Error) -> ! {
    eprintln!("error in {what}: {e}");
    exit(1)
}

/// Unwraps a result or [`fail`]s naming the libzmq call.
pub fn check<T>(what: &str, r: Result<T, impl Into<zmq::Error>>) -> T {
    r.unwrap_or_else(|e| fail(what, e.into()))
}

/// The command-line arguments, checked against the usage line.
pub struct Args {
    args: Vec<String>,
    usage: &'static str,
}

impl Args {
    /// The arguments after the program name; prints `usage` and exits unless there are between
    /// `min` and `max` of them.
    pub fn new(usage: &'static str, min: usize, max: usize) -> Args {
        let args: Vec<String> = std::env::args().skip(1).collect();
        if args.len() < min || args.len() > max {
            Args::usage_exit(usage);
        }
        Args { args, usage }
    }

    fn usage_exit(usage: &str) -> ! {
        println!("{usage}");
        exit(1)
    }

    /// Argument `i` as text.
    pub fn text(&self, i: usize) -> &str {
        &self.args[i]
    }

    /// Argument `i` parsed, or the usage line and exit status 1.
    pub fn parse<T: FromStr>(&self, i: usize) -> T {
        self.args
            .get(i)
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| Args::usage_exit(self.usage))
    }

    /// A count argument, which must be at least 1.
    pub fn count(&self, i: usize) -> u64 {
        match self.parse::<u64>(i) {
            0 => Args::usage_exit(self.usage),
            n => n,
        }
    }

    /// An optional numeric flag (the C tools' `<enable_curve>`): absent or 0 is false.
    pub fn flag(&self, i: usize) -> bool {
        i < self.args.len() && self.parse::<i64>(i) != 0
    }
}

fn check_size(received: usize, size: usize) {
    if received != size {
        println!("message of incorrect size received");
        exit(1);
    }
}

/// Receives `count` messages of `size` bytes into one reused `Message`; the clock starts after
/// the first, as in local_thr. Returns the elapsed microseconds (at least 1).
pub fn receive_timed<K: zmq::CanRecv>(socket: &zmq::Socket<K>, size: usize, count: u64) -> u64 {
    let mut msg = zmq::Message::new();
    check_size(check("zmq_recvmsg", socket.recv_msg(&mut msg)), size);
    let start = Instant::now();
    for _ in 1..count {
        check_size(check("zmq_recvmsg", socket.recv_msg(&mut msg)), size);
    }
    (start.elapsed().as_micros() as u64).max(1)
}

/// Sends `count` zero-filled messages of `size` bytes.
pub fn send_all<K: zmq::CanSend>(socket: &zmq::Socket<K>, size: usize, count: u64) {
    let payload = vec![0u8; size];
    for _ in 0..count {
        check("zmq_sendmsg", socket.send(&payload[..]));
    }
}

/// The two throughput lines of local_thr / inproc_thr.
pub fn print_throughput(size: usize, count: u64, elapsed_us: u64) {
    let throughput = (count as f64 / elapsed_us as f64 * 1_000_000.0) as u64;
    let megabits = throughput as f64 * size as f64 * 8.0 / 1_000_000.0;
    println!("mean throughput: {throughput} [msg/s]");
    println!("mean throughput: {megabits:.3} [Mb/s]");
}

/// Sends a `size`-byte message and waits for its echo, `roundtrips` times, one `Message` going
/// back and forth (`send_msg` leaves it empty, `recv_msg` refills it). Returns the elapsed
/// microseconds.
pub fn roundtrips<K: zmq::CanSend + zmq::CanRecv>(
    socket: &zmq::Socket<K>,
    size: usize,
    roundtrips: u64,
) -> f64 {
    let mut msg = check("zmq_msg_init_size", zmq::Message::with_size(size));
    let start = Instant::now();
    for _ in 0..roundtrips {
        check("zmq_sendmsg", socket.send_msg(&mut msg));
        check_size(check("zmq_recvmsg", socket.recv_msg(&mut msg)), size);
    }
    start.elapsed().as_micros() as f64
}

/// Sends every received message straight back (the message itself: no copy), `roundtrips` times.
pub fn echo<K: zmq::CanSend + zmq::CanRecv>(
    socket: &zmq::Socket<K>,
    size: Option<usize>,
    roundtrips: u64,
) {
    let mut msg = zmq::Message::new();
    for _ in 0..roundtrips {
        let received = check("zmq_recvmsg", socket.recv_msg(&mut msg));
        if let Some(size) = size {
            check_size(received, size);
        }
        check("zmq_sendmsg", socket.send_msg(&mut msg));
    }
}

/// The latency line of remote_lat / inproc_lat: one way, elapsed over twice the roundtrips.
pub fn print_latency(elapsed_us: f64, roundtrips: u64) {
    println!(
        "average latency: {:.3} [us]",
        elapsed_us / (roundtrips as f64 * 2.0)
    );
}
