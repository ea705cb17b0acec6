// A CHANNEL is single-part: no send_more (ZMQ_SNDMORE).
fn main() {
    let ctx = zmq::Context::new();
    let channel = ctx.socket(zmq::CHANNEL).unwrap();
    let _ = channel.send_more("first of two");
}
