//! Throughput over `inproc://`: the Rust twin of libzmq's `perf/inproc_thr`, with the same
//! arguments and output.
//!
//! ```text
//! cargo run --release --example inproc_thr -- 1 10000000
//! ```
//!
//! A PULL socket binds `inproc://thr_test` in the main thread; a worker thread connects a PUSH
//! socket and sends `<message-count>` messages of `<message-size>` bytes. The clock starts once the
//! first message has arrived. One [`zmq::Message`] is reused for every receive.

#[path = "perf_common/mod.rs"]
mod perf;
use perf::check;

fn main() {
    let args = perf::Args::new("usage: inproc_thr <message-size> <message-count>", 2, 2);
    let (size, count) = (args.parse::<usize>(0), args.count(1));

    let ctx = zmq::Context::new();
    let socket = check("zmq_socket", ctx.socket(zmq::PULL));
    check("zmq_bind", socket.bind("inproc://thr_test"));
    let sender = {
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let push = check("zmq_socket", ctx.socket(zmq::PUSH));
            check("zmq_connect", push.connect("inproc://thr_test"));
            perf::send_all(&push, size, count);
        })
    };

    println!("message size: {size} [B]");
    println!("message count: {count}");
    let elapsed = perf::receive_timed(&socket, size, count);
    if sender.join().is_err() {
        eprintln!("error: the sending thread panicked");
        std::process::exit(1);
    }
    perf::print_throughput(size, count, elapsed);
}
