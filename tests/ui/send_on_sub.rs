// A SUB socket cannot send.
fn main() {
    let ctx = zmq::Context::new();
    let sub = ctx.socket(zmq::SUB).unwrap();
    let _ = sub.send("hello");
}
