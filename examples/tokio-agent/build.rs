// Link libsyswall from syswall's CMake build directory.
//
// SYSWALL_LIB_DIR names the directory holding libsyswall.a (default: the
// project's ../../build).  SYSWALL_SANITIZE=1 says that library was built
// with AddressSanitizer and UBSan, whose runtimes must then be linked too.
use std::env;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let dir = match env::var("SYSWALL_LIB_DIR") {
        Ok(d) => PathBuf::from(d),
        Err(_) => manifest.join("../../build"),
    };

    println!("cargo:rerun-if-env-changed=SYSWALL_LIB_DIR");
    println!("cargo:rerun-if-env-changed=SYSWALL_SANITIZE");
    println!("cargo:rerun-if-changed={}", dir.join("libsyswall.a").display());
    println!("cargo:rustc-link-search=native={}", dir.display());

    // The static library first, then what it needs.  rustc links with
    // -nodefaultlibs, so an instrumented library's sanitizer runtimes are
    // named here, ahead of every other shared library as ASan requires.
    println!("cargo:rustc-link-lib=static=syswall");
    let mut libs = vec!["seccomp", "jansson", "sodium"];
    if env::var("SYSWALL_SANITIZE").map_or(false, |v| v == "1") {
        libs.splice(0..0, ["asan", "ubsan"]);
    }
    for lib in libs {
        println!("cargo:rustc-link-lib=dylib={}", lib);
    }
}
