// A SERVER is single-part: no recv_multipart.
fn main() {
    let ctx = zmq::Context::new();
    let server = ctx.socket(zmq::SERVER).unwrap();
    let _ = server.recv_multipart();
}
