// Only SUB and XSUB take subscriptions.
fn main() {
    let ctx = zmq::Context::new();
    let req = ctx.socket(zmq::REQ).unwrap();
    let _ = req.subscribe("topic");
}
