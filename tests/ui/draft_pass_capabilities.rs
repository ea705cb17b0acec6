// What the draft kinds can do compiles: group sends, joins, routed sends and replies,
// connect_peer, and single-part send/recv on CLIENT, SCATTER/GATHER and CHANNEL; a kind chosen
// at run time has every method; DGRAM is multipart.
fn main() -> zmq::Result<()> {
    let ctx = zmq::Context::new();
    let radio = ctx.socket(zmq::RADIO)?;
    let _ = radio.send_to_group("g", "x");
    let _ = radio.try_send_to_group("g", zmq::Message::from("x"));
    let dish = ctx.socket(zmq::DISH)?;
    dish.join("g")?;
    dish.leave("g")?;
    let _ = dish.try_recv();
    let server = ctx.socket(zmq::SERVER)?;
    if let Ok(Some(m)) = server.try_recv() {
        let _ = server.reply(&m, "answer");
        let _ = server.send_to(m.routing_id(), vec![1u8]);
        let _ = server.try_send_to(m.routing_id(), &m);
    }
    let peer = ctx.socket(zmq::PEER)?;
    let _ = peer.connect_peer("inproc://nobody");
    let client = ctx.socket(zmq::CLIENT)?;
    let _ = client.try_send("x");
    let channel = ctx.socket(zmq::CHANNEL)?;
    let _ = channel.try_send("x");
    let _ = channel.try_recv();
    let scatter = ctx.socket(zmq::SCATTER)?;
    let _ = scatter.try_send("x");
    let gather = ctx.socket(zmq::GATHER)?;
    let _ = gather.try_recv();
    let dgram = ctx.socket(zmq::DGRAM)?;
    let _ = dgram.send_multipart_with(["127.0.0.1:1", "x"], zmq::DONTWAIT);
    let router = ctx.socket(zmq::ROUTER)?;
    let _ = router.peer_state(b"id");
    let any = ctx.socket(zmq::SocketType::Dish)?;
    let _ = any.join("g");
    let _ = any.send_to_group("g", "x");
    let _ = any.send_to(1, "x");
    let _ = any.send_multipart(["a", "b"]);
    Ok(())
}
