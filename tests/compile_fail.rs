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
    t.pass("tests/ui/pass_draft_thread_safe.rs");
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
