// The draft thread-safe kinds are Sync: one SERVER socket used from two threads at once.
fn main() {
    let ctx = zmq::Context::new();
    let server = ctx.socket(zmq::SERVER).unwrap();
    let client = ctx.socket(zmq::CLIENT).unwrap();
    std::thread::scope(|s| {
        s.spawn(|| server.bind("inproc://draft-sync").unwrap());
    });
    std::thread::scope(|s| {
        s.spawn(|| client.connect("inproc://draft-sync").unwrap());
        s.spawn(|| {
            let _ = server.try_recv();
        });
    });
}
