// A SERVER send needs a routing id: `send` does not exist, `send_to` and `reply` do.
fn main() {
    let ctx = zmq::Context::new();
    let server = ctx.socket(zmq::SERVER).unwrap();
    let _ = server.send("to whom?");
}
