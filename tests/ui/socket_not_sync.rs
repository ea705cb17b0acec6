// A classic socket is not Sync: two threads may not use it at once.
fn main() {
    let ctx = zmq::Context::new();
    let req = ctx.socket(zmq::REQ).unwrap();
    std::thread::scope(|s| {
        s.spawn(|| {
            let _ = req.send("from another thread");
        });
    });
}
