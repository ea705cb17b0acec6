//! docs/coverage.md lists every libzmq function and socket option of the committed bindings,
//! each with what wraps it: this test fails when the header gains an item the page does not name.

fn rows(page: &str) -> Vec<&str> {
    page.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .collect()
}

fn declared<'a>(bindings: &'a str, prefix: &str) -> Vec<&'a str> {
    bindings
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix(prefix))
        .map(|rest| {
            rest.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()
                .unwrap_or("")
        })
        .collect()
}

#[test]
fn every_function_has_a_row() {
    let page = include_str!("../docs/coverage.md");
    let listed = rows(page);
    let mut missing = Vec::new();
    for bindings in [
        include_str!("../zmq-sys/src/bindings.rs"),
        include_str!("../zmq-sys/src/bindings_draft.rs"),
    ] {
        for f in declared(bindings, "pub fn ") {
            if f.starts_with("zmq_") && !listed.contains(&f) {
                missing.push(f.to_string());
            }
        }
    }
    assert!(
        missing.is_empty(),
        "functions missing from docs/coverage.md: {missing:?}"
    );
}

#[test]
fn every_stable_socket_option_has_a_row() {
    let page = include_str!("../docs/coverage.md");
    let listed = rows(page);
    let bindings = include_str!("../zmq-sys/src/bindings.rs");
    let start = bindings
        .find("pub const ZMQ_AFFINITY")
        .expect("options block");
    let end = bindings
        .find("pub const ZMQ_BINDTODEVICE")
        .expect("options block end");
    let block = &bindings[start..end + bindings[end..].find('\n').unwrap_or(0)];
    let mut missing = Vec::new();
    for name in declared(block, "pub const ") {
        if !listed.contains(&name) {
            missing.push(name.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "options missing from docs/coverage.md: {missing:?}"
    );
}

#[test]
fn every_draft_socket_option_is_named() {
    let page = include_str!("../docs/coverage.md");
    let draft = include_str!("../zmq-sys/src/bindings_draft.rs");
    let start = draft
        .find("pub const ZMQ_ZAP_ENFORCE_DOMAIN")
        .expect("draft options");
    let end = draft
        .find("pub const ZMQ_NORM_PUSH")
        .expect("draft options end");
    let mut missing = Vec::new();
    let block = &draft[start..end + draft[end..].find('\n').unwrap_or(0)];
    for name in declared(block, "pub const ") {
        if !page.contains(&format!("`{name}`")) {
            missing.push(name.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "draft options missing from docs/coverage.md: {missing:?}"
    );
}

#[test]
fn no_draft_function_is_raw_only() {
    let page = include_str!("../docs/coverage.md");
    let raw_only: Vec<&str> = page
        .lines()
        .filter(|l| l.starts_with("| `zmq_") && l.contains("raw only"))
        .collect();
    assert!(
        raw_only.is_empty(),
        "functions with no safe wrapper: {raw_only:#?}"
    );
    for bindings_fn in declared(include_str!("../zmq-sys/src/bindings_draft.rs"), "pub fn ") {
        let row = page
            .lines()
            .find(|l| l.starts_with(&format!("| `{bindings_fn}` |")))
            .unwrap_or_else(|| panic!("no row for {bindings_fn}"));
        assert!(
            row.contains("draft, wrapped"),
            "{bindings_fn} is not wrapped: {row}"
        );
    }
}
