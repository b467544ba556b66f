//! Build provenance for `antipasta --version`: the commit a build from a git
//! checkout was made from, the target, the profile and the compiler.
//!
//! A build from a source archive (no `.git`) has no commit unless
//! `ANTIPASTA_COMMIT` is set when it is built; nothing here fails a build.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=ANTIPASTA_COMMIT");
    let commit = std::env::var("ANTIPASTA_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(commit_from_git)
        .unwrap_or_default();
    println!("cargo:rustc-env=ANTIPASTA_BUILD_COMMIT={}", commit.trim());
    let target = std::env::var("TARGET").unwrap_or_default();
    println!("cargo:rustc-env=ANTIPASTA_BUILD_TARGET={target}");
    println!("cargo:rustc-env=ANTIPASTA_BUILD_PROFILE={}", profile());
    println!("cargo:rustc-env=ANTIPASTA_BUILD_RUSTC={}", rustc_version());
}

/// `abc1234 2026-12-02` for the checkout's HEAD, if this is one; tells cargo
/// to build again when HEAD moves.
fn commit_from_git() -> Option<String> {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").ok()?;
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .args(args)
            .current_dir(&manifest)
            .output()
            .ok()?;
        let text = String::from_utf8(out.stdout).ok()?;
        (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_owned())
    };
    // Only a checkout of this project itself: not a parent repository that
    // happens to contain an unpacked source archive.
    let top = git(&["rev-parse", "--show-toplevel"])?;
    if Path::new(&top).canonicalize().ok()? != Path::new(&manifest).canonicalize().ok()? {
        return None;
    }
    for path in ["HEAD", "packed-refs"] {
        rerun_on(git(&["rev-parse", "--git-path", path]));
    }
    if let Some(reference) = git(&["symbolic-ref", "-q", "HEAD"]) {
        rerun_on(git(&["rev-parse", "--git-path", &reference]));
    }
    git(&["log", "-1", "--format=%h %cs"])
}

fn rerun_on(path: Option<String>) {
    if let Some(path) = path {
        let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
        let full = Path::new(&manifest).join(path);
        if full.exists() {
            println!("cargo:rerun-if-changed={}", full.display());
        }
    }
}

/// The profile's name (`release`, `dist`, `debug`): cargo says only
/// "release" or "debug", but the output directory carries the name.
fn profile() -> String {
    let out = std::env::var("OUT_DIR").unwrap_or_default();
    // OUT_DIR = <target>/[<triple>/]<profile>/build/<pkg>-<hash>/out
    Path::new(&out)
        .ancestors()
        .nth(3)
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| std::env::var("PROFILE").unwrap_or_default())
}

fn rustc_version() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_owned())
        .unwrap_or_default()
}
