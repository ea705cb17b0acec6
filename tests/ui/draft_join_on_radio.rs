// Only a DISH joins groups.
fn main() {
    let ctx = zmq::Context::new();
    let radio = ctx.socket(zmq::RADIO).unwrap();
    let _ = radio.join("weather");
}
