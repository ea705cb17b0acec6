//! Latency over `inproc://`: the Rust twin of libzmq's `perf/inproc_lat`, with the same arguments
//! and output.
//!
//! ```text
//! cargo run --release --example inproc_lat -- 1 100000
//! ```
//!
//! A REQ socket binds `inproc://lat_test` in the main thread; a worker thread connects a REP socket
//! and echoes. The latency printed is one way (elapsed time over twice the roundtrips). One
//! [`zmq::Message`] goes back and forth on each side.

#[path = "perf_common/mod.rs"]
mod perf;
use perf::check;

fn main() {
    let args = perf::Args::new("usage: inproc_lat <message-size> <roundtrip-count>", 2, 2);
    let (size, roundtrips) = (args.parse::<usize>(0), args.count(1));

    let ctx = zmq::Context::new();
    let socket = check("zmq_socket", ctx.socket(zmq::REQ));
    check("zmq_bind", socket.bind("inproc://lat_test"));
    let echo = {
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let rep = check("zmq_socket", ctx.socket(zmq::REP));
            check("zmq_connect", rep.connect("inproc://lat_test"));
            perf::echo(&rep, None, roundtrips);
        })
    };

    println!("message size: {size} [B]");
    println!("roundtrip count: {roundtrips}");
    let elapsed = perf::roundtrips(&socket, size, roundtrips);
    if echo.join().is_err() {
        eprintln!("error: the echoing thread panicked");
        std::process::exit(1);
    }
    perf::print_latency(elapsed, roundtrips);
}
