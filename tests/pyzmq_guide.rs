//! The pyzmq migration guide (docs/pyzmq.md) keeps its promises: its Rust blocks run as doctests
//! (the guide is the documentation of `zmq::pyzmq_guide`), and this test checks the rest:
//!
//! - every Rust line of its side-by-side tables appears in one of those Rust blocks, so the
//!   tables show code that compiles and runs, not code that drifted;
//! - every pyzmq idiom the guide must cover (sections 1-11 and 14 of the pyzmq reference) is in
//!   its pyzmq column or Python blocks;
//! - every block is plain `rust` (run, never `ignore` or `no_run`), `python` or `text`.

const GUIDE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/pyzmq.md"));

/// The guide taken apart: Rust code, Python code, and table rows (cells, unescaped).
struct Guide {
    rust: String,
    python: String,
    rows: Vec<(usize, Vec<String>)>,
    fences: Vec<(usize, String)>,
}

fn parse(text: &str) -> Guide {
    let mut guide = Guide {
        rust: String::new(),
        python: String::new(),
        rows: Vec::new(),
        fences: Vec::new(),
    };
    let mut block: Option<String> = None;
    for (n, line) in text.lines().enumerate() {
        let number = n + 1;
        if let Some(lang) = line.strip_prefix("```") {
            match block {
                Some(_) => block = None,
                None => {
                    guide.fences.push((number, lang.to_string()));
                    block = Some(lang.to_string());
                }
            }
            continue;
        }
        match block.as_deref() {
            Some("rust") => {
                // A rustdoc hidden line (`# code`) is code too.
                let code = match line.strip_prefix("# ") {
                    Some(hidden) => hidden,
                    None if line == "#" => "",
                    None => line,
                };
                guide.rust.push_str(code);
                guide.rust.push('\n');
            }
            Some("python") => {
                guide.python.push_str(line);
                guide.python.push('\n');
            }
            Some(_) => {}
            None if line.starts_with('|') => guide.rows.push((number, cells(line))),
            None => {}
        }
    }
    assert!(block.is_none(), "a code block is not closed");
    guide
}

/// The cells of a table row, split on `|` but not on `\|` (which GitHub and rustdoc show as `|`).
fn cells(row: &str) -> Vec<String> {
    let inner = row.trim().trim_start_matches('|').trim_end_matches('|');
    let mut cells = vec![String::new()];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cells.last_mut().unwrap().push('|');
                chars.next();
            }
            '|' => cells.push(String::new()),
            c => cells.last_mut().unwrap().push(c),
        }
    }
    cells.into_iter().map(|c| c.trim().to_string()).collect()
}

/// The code spans of a cell: the text between pairs of backticks.
fn code_spans(cell: &str) -> Vec<&str> {
    cell.split('`').skip(1).step_by(2).collect()
}

/// Runs of whitespace made single spaces, so that line breaks and indentation do not matter.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn cell_parsing() {
    assert_eq!(
        cells(r"| `a \|\| b` | c |"),
        ["`a || b`".to_string(), "c".to_string()]
    );
    assert_eq!(code_spans("`x` and `y(1)`, not z"), ["x", "y(1)"]);
    assert_eq!(squash("a\n   b  c"), "a b c");
}

/// Every Rust code span in the right-hand column of a table runs in one of the guide's Rust
/// blocks.
#[test]
fn every_rust_line_of_the_tables_runs() {
    let guide = parse(GUIDE);
    let code = squash(&guide.rust);
    let mut checked = 0;
    let mut missing = Vec::new();
    for (line, row) in &guide.rows {
        if row.len() != 2 || row[0] == "pyzmq" || row[0].starts_with("---") {
            continue;
        }
        for span in code_spans(&row[1]) {
            checked += 1;
            if !code.contains(&squash(span)) {
                missing.push(format!("line {line}: {span}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "table lines that no Rust block of docs/pyzmq.md runs:\n{}",
        missing.join("\n")
    );
    assert!(
        checked > 150,
        "only {checked} Rust lines found in the tables"
    );
}

/// The idioms the guide must cover, in pyzmq's spelling: each is in the guide's pyzmq column or
/// its Python blocks.
#[test]
fn every_pyzmq_idiom_is_covered() {
    const IDIOMS: &[&str] = &[
        // 1. Context
        "zmq.Context()",
        "Context.instance()",
        "io_threads",
        "ctx.socket(zmq.REQ)",
        "ctx.linger = 0",
        "ctx.set(zmq.BLOCKY, 0)",
        "ctx.get(zmq.MAX_SOCKETS)",
        "ctx.underlying",
        "Context.shadow",
        "ctx.term()",
        "ctx.destroy(linger=0)",
        "ctx.closed",
        "with zmq.Context() as ctx:",
        // 2. Socket
        "s.bind(url)",
        "bind_to_random_port",
        "s.last_endpoint",
        "s.connect(",
        "s.unbind(url)",
        "s.disconnect(url)",
        "s.close()",
        "s.closed",
        "s.type",
        "s.linger = 0",
        "s.rcvtimeo = 1000",
        "s.identity",
        "s.hwm = 100",
        "setsockopt(zmq.SNDHWM, 50)",
        "getsockopt(zmq.SNDHWM)",
        "setsockopt_string(zmq.SUBSCRIBE",
        "s.subscribe(",
        "s.unsubscribe(",
        "s.rcvmore",
        "s.fd",
        "s.events",
        "s.mechanism",
        "zmq.NOBLOCK",
        "zmq.SNDMORE",
        "zmq.Again",
        "send_string",
        "recv_string",
        "send_multipart",
        "recv_multipart",
        "recv_into",
        "send_json",
        "recv_json",
        "send_serialized",
        "recv_serialized",
        "send_pyobj",
        "recv_pyobj",
        "EFSM",
        // 3. Frames
        "zmq.Frame(",
        "copy=False",
        "frame.more",
        "frame.bytes",
        "frame.buffer",
        "fast_copy()",
        "frame.get(zmq.MORE)",
        "frame.get(\"Socket-Type\")",
        "track=True",
        "MessageTracker",
        "tracker.done",
        "tracker.wait(",
        // 4. Polling
        "zmq.Poller()",
        "poller.register(",
        "poller.modify(",
        "poller.unregister(",
        "dict(poller.poll(1000))",
        "s.poll(",
        "zmq.select(",
        // 5. Proxies and devices
        "zmq.proxy(front, back)",
        "zmq.device(",
        "ThreadDevice",
        "ThreadProxy",
        "MonitoredQueue",
        "proxy_steerable",
        "STATISTICS",
        "PAUSE",
        "TERMINATE",
        // 6. Security
        "curve_keypair()",
        "curve_public(",
        "z85.encode(",
        "z85.decode(",
        "zmq.auth.create_certificates(",
        "zmq.auth.load_certificate(",
        "zmq.auth.load_certificates(",
        "ThreadAuthenticator",
        "auth.allow(",
        "auth.configure_curve(",
        "CURVE_ALLOW_ANY",
        "auth.configure_plain(",
        "auth.stop()",
        "curve_server = True",
        "curve_secretkey",
        "curve_serverkey",
        "plain_server",
        "User-Id",
        // 7. Monitoring
        "get_monitor_socket(",
        "recv_monitor_message(",
        "EVENT_MAP",
        "disable_monitor()",
        "EVENT_MONITOR_STOPPED",
        "parse_monitor_message(",
        // 8. Errors
        "zmq.ZMQError",
        "e.errno",
        "zmq.strerror(",
        "zmq.ETERM",
        "zmq.ContextTerminated",
        "zmq.zmq_errno()",
        "InterruptedSystemCall",
        // 9. Version and capabilities
        "zmq.zmq_version()",
        "zmq.zmq_version_info()",
        "zmq.has(\"curve\")",
        "zmq.DRAFT_API",
        "zmq.COPY_THRESHOLD",
        // 10. asyncio
        "zmq.asyncio",
        "await",
        "zmq.asyncio.Poller",
        "from_socket(",
        "ZMQStream",
        // 11. Everything else
        "jsonapi",
        "PUBHandler",
        "zmq.ssh",
        "decorators",
        "Stopwatch",
        "zmq.green",
    ];
    let guide = parse(GUIDE);
    let mut pyzmq_side = guide.python.clone();
    for (_, row) in &guide.rows {
        if let Some(left) = row.first() {
            pyzmq_side.push_str(left);
            pyzmq_side.push('\n');
        }
    }
    let missing: Vec<&str> = IDIOMS
        .iter()
        .copied()
        .filter(|idiom| !pyzmq_side.contains(idiom))
        .collect();
    assert!(
        missing.is_empty(),
        "pyzmq idioms docs/pyzmq.md does not cover: {missing:?}"
    );
}

/// Sections 1 to 11 of the pyzmq reference, in order, and the first lines (its section 14).
#[test]
fn sections_are_all_there() {
    let headings: Vec<&str> = GUIDE.lines().filter(|l| l.starts_with("## ")).collect();
    assert!(
        headings[0].starts_with("## The first lines"),
        "{headings:?}"
    );
    for (n, heading) in headings[1..].iter().enumerate() {
        assert!(
            heading.starts_with(&format!("## {}. ", n + 1)),
            "{heading:?} is not section {}",
            n + 1
        );
    }
    assert_eq!(headings.len(), 12, "{headings:?}");
}

/// Every Rust block is a doctest that runs: no `ignore`, `no_run`, or unlabelled block.
#[test]
fn every_block_runs_or_is_for_reading() {
    let guide = parse(GUIDE);
    let rust = guide.fences.iter().filter(|(_, l)| l == "rust").count();
    assert!(rust >= 15, "only {rust} Rust blocks");
    for (line, lang) in &guide.fences {
        assert!(
            ["rust", "python", "text"].contains(&lang.as_str()),
            "line {line}: a block marked {lang:?}: use rust (it runs), python or text"
        );
    }
}
