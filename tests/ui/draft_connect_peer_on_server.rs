// Only a PEER has connect_peer.
fn main() {
    let ctx = zmq::Context::new();
    let server = ctx.socket(zmq::SERVER).unwrap();
    let _ = server.connect_peer("tcp://127.0.0.1:5555");
}
