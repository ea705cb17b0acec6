// Only SUB and XSUB take subscriptions.
fn main() {
    let ctx = zmq::Context::new();
    let publisher = ctx.socket(zmq::PUB).unwrap();
    let _ = publisher.subscribe("topic");
}
