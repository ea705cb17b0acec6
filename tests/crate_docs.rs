//! The front doors stay accurate: the crate documentation and the README name every example,
//! the README's first command is the tour, and the README links the migration guide.
//! (The crate documentation's walkthrough itself runs as doctests.)

use std::path::Path;

const LIB: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/lib.rs"));
const README: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"));

/// The crate documentation: the `//!` lines of src/lib.rs.
fn crate_docs() -> String {
    LIB.lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The names of the examples (examples/NAME.rs).
fn examples() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("examples/")
        .filter_map(|e| {
            let path = e.ok()?.path();
            (path.extension()? == "rs").then(|| path.file_stem()?.to_str().map(String::from))?
        })
        .collect();
    names.sort();
    assert!(names.len() >= 20, "{names:?}");
    names
}

#[test]
fn crate_docs_name_every_example() {
    let docs = crate_docs();
    let missing: Vec<String> = examples()
        .into_iter()
        .filter(|name| !docs.contains(&format!("`{name}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "examples the crate documentation (src/lib.rs, # Examples) does not name: {missing:?}"
    );
}

#[test]
fn readme_names_every_example() {
    let missing: Vec<String> = examples()
        .into_iter()
        .filter(|name| !README.contains(&format!("`{name}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "examples README.md does not name: {missing:?}"
    );
}

/// The README's first command block starts with the tour, then the tests.
#[test]
fn readme_starts_with_the_tour() {
    let block = README
        .split("```sh\n")
        .nth(1)
        .expect("a sh block in README.md");
    let commands: Vec<&str> = block
        .lines()
        .take_while(|l| !l.starts_with("```"))
        .map(|l| l.split('#').next().unwrap().trim())
        .collect();
    assert_eq!(
        commands,
        ["cargo run --example tour", "cargo test"],
        "README's two commands"
    );
    for link in ["docs/pyzmq.md", "BENCHMARKS.md", "examples/"] {
        assert!(README.contains(link), "README.md does not link {link}");
    }
}
