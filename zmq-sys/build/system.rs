//! Finding a libzmq installed on the system.

use crate::{cxx_runtime, env, find_header, min_version_string, Found};
use std::path::PathBuf;

fn not_found(detail: &str) -> ! {
    panic!(
        "\n\nzmq-sys: no usable libzmq was found ({detail}).\n\
         \n\
         Pick one of:\n\
         - build libzmq from source: enable the `vendored` feature (on by default) and unset LIBZMQ_NO_VENDOR;\n\
         - install it: Debian/Ubuntu `apt-get install libzmq3-dev`, Fedora `dnf install zeromq-devel`,\n\
           Alpine `apk add zeromq-dev`, macOS `brew install zeromq` (it must be {} or newer\n\
           and have a pkg-config file, libzmq.pc);\n\
         - point at a build of your own: LIBZMQ_LIB_DIR=/path/to/lib LIBZMQ_INCLUDE_DIR=/path/to/include\n\
           (add LIBZMQ_STATIC=1 to link libzmq.a).\n\n",
        min_version_string()
    )
}

/// Finds libzmq by the environment variables, then by pkg-config.
pub fn find() -> Found {
    if let Some(lib_dir) = env::var("LIBZMQ_LIB_DIR") {
        let lib_dir = PathBuf::from(lib_dir);
        if !lib_dir.is_dir() {
            not_found(&format!(
                "LIBZMQ_LIB_DIR={} is not a directory",
                lib_dir.display()
            ));
        }
        let include_dirs: Vec<PathBuf> = match env::var("LIBZMQ_INCLUDE_DIR") {
            Some(dir) => vec![PathBuf::from(dir)],
            None => {
                let guess = lib_dir.join("..").join("include");
                if find_header(std::slice::from_ref(&guess)).is_some() {
                    vec![guess]
                } else {
                    Vec::new()
                }
            }
        };
        let static_link = env::var("LIBZMQ_STATIC").is_some_and(|v| v != "0");
        println!("cargo:rustc-link-search=native={}", lib_dir.display());
        let mut link_args = vec![format!("-L{}", lib_dir.display()), "-lzmq".to_string()];
        if static_link {
            let runtime = cxx_runtime(&env::cargo("TARGET"));
            println!("cargo:rustc-link-lib=static=zmq");
            println!("cargo:rustc-link-lib={runtime}");
            link_args.push(format!("-l{runtime}"));
            link_args.push("-lpthread".into());
        } else {
            println!("cargo:rustc-link-lib=zmq");
        }
        return Found {
            include_dirs,
            link_args,
            vendored: false,
        };
    }

    match pkg_config::Config::new()
        .atleast_version(&min_version_string())
        .probe("libzmq")
    {
        Ok(lib) => {
            let mut link_args: Vec<String> = lib
                .link_paths
                .iter()
                .map(|p| format!("-L{}", p.display()))
                .collect();
            link_args.extend(lib.libs.iter().map(|l| format!("-l{l}")));
            Found {
                include_dirs: lib.include_paths,
                link_args,
                vendored: false,
            }
        }
        Err(e) => not_found(&format!("pkg-config: {e}")),
    }
}
