// A Message is not Sync (cloning one updates its zmq_msg_t).
fn assert_sync<T: Sync>() {}
fn main() {
    assert_sync::<zmq::Message>();
}
