//! Compile-time guarantees of the socket kinds (DESIGN.md section 3), pinned with trybuild:
//! methods that do not fit a kind do not exist, classic sockets and messages are not `Sync`,
//! and what should compile does.

#[test]
fn socket_kinds_are_checked_by_the_compiler() {
    let t = trybuild::TestCases::new();
    // The expected compiler output lists the kinds that do implement a trait, a list the draft
    // feature lengthens: the compile-fail cases are pinned for the stable set of kinds.
    #[cfg(not(feature = "draft"))]
    compile_fail_cases(&t);
    t.pass("tests/ui/pass_send_and_dynamic.rs");
    #[cfg(feature = "draft")]
    {
        t.pass("tests/ui/pass_draft_thread_safe.rs");
        t.pass("tests/ui/draft_pass_capabilities.rs");
        draft_compile_fail_cases(&t);
    }
}

/// The draft kinds' capability rules (their expected output is pinned with the draft kinds in
/// the build, so they run only with the feature): single-part kinds have no multipart calls,
/// a RADIO sends only to a group, a SERVER only to a routing id, only a DISH joins, only a PEER
/// has connect_peer; and a classic socket is still not Sync.
#[cfg(feature = "draft")]
fn draft_compile_fail_cases(t: &trybuild::TestCases) {
    t.compile_fail("tests/ui/draft_send_multipart_on_client.rs");
    t.compile_fail("tests/ui/draft_send_more_on_channel.rs");
    t.compile_fail("tests/ui/draft_recv_multipart_on_server.rs");
    t.compile_fail("tests/ui/draft_send_on_radio.rs");
    t.compile_fail("tests/ui/draft_send_on_server.rs");
    t.compile_fail("tests/ui/draft_send_to_on_client.rs");
    t.compile_fail("tests/ui/draft_join_on_radio.rs");
    t.compile_fail("tests/ui/draft_connect_peer_on_server.rs");
    t.compile_fail("tests/ui/draft_classic_not_sync.rs");
}

#[cfg(not(feature = "draft"))]
fn compile_fail_cases(t: &trybuild::TestCases) {
    t.compile_fail("tests/ui/recv_on_pub.rs");
    t.compile_fail("tests/ui/recv_on_push.rs");
    t.compile_fail("tests/ui/send_on_sub.rs");
    t.compile_fail("tests/ui/send_on_pull.rs");
    t.compile_fail("tests/ui/subscribe_on_req.rs");
    t.compile_fail("tests/ui/subscribe_on_pub.rs");
    t.compile_fail("tests/ui/socket_not_sync.rs");
    t.compile_fail("tests/ui/message_not_sync.rs");
}
