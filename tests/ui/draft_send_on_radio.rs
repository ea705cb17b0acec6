// A RADIO send needs a group: `send` does not exist, `send_to_group` does.
fn main() {
    let ctx = zmq::Context::new();
    let radio = ctx.socket(zmq::RADIO).unwrap();
    let _ = radio.send("no group");
}
