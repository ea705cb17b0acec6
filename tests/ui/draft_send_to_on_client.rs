// A CLIENT has one peer: no send_to (routing ids are for SERVER and PEER).
fn main() {
    let ctx = zmq::Context::new();
    let client = ctx.socket(zmq::CLIENT).unwrap();
    let _ = client.send_to(1, "x");
}
