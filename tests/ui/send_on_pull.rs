// A PULL socket cannot send.
fn main() {
    let ctx = zmq::Context::new();
    let pull = ctx.socket(zmq::PULL).unwrap();
    let _ = pull.send_multipart(["a", "b"]);
}
