// With the draft kinds in the build, a classic socket is still not Sync.
fn main() {
    let ctx = zmq::Context::new();
    let dealer = ctx.socket(zmq::DEALER).unwrap();
    std::thread::scope(|s| {
        s.spawn(|| {
            let _ = dealer.send("from another thread");
        });
    });
}
