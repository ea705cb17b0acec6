// A PUSH socket cannot receive.
fn main() {
    let ctx = zmq::Context::new();
    let push = ctx.socket(zmq::PUSH).unwrap();
    let _ = push.recv_string();
}
