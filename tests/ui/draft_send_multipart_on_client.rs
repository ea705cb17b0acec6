// A CLIENT (like every thread-safe draft kind) is single-part: no send_multipart.
fn main() {
    let ctx = zmq::Context::new();
    let client = ctx.socket(zmq::CLIENT).unwrap();
    let _ = client.send_multipart(["a", "b"]);
}
