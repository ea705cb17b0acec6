// A PUB socket cannot receive: `recv` does not exist on Socket<Pub>.
fn main() {
    let ctx = zmq::Context::new();
    let publisher = ctx.socket(zmq::PUB).unwrap();
    let _ = publisher.recv();
}
