// What must compile: sockets move between threads; a Socket<SocketType> has every method;
// XSUB subscribes; Context and SendError are Send + Sync.
fn assert_send<T: Send>() {}
fn assert_send_sync<T: Send + Sync>() {}

fn main() {
    assert_send::<zmq::Socket<zmq::Req>>();
    assert_send::<zmq::Message>();
    assert_send_sync::<zmq::Context>();
    assert_send_sync::<zmq::SendError<zmq::Message>>();

    let ctx = zmq::Context::new();
    let req = ctx.socket(zmq::REQ).unwrap();
    std::thread::spawn(move || drop(req)).join().unwrap();

    let any = ctx.socket(zmq::SocketType::Pub).unwrap();
    let _ = any.try_recv();
    let _ = any.subscribe("x");
    let _ = any.send("x");

    let xsub = ctx.socket(zmq::XSUB).unwrap();
    let _ = xsub.subscribe("x");
}
