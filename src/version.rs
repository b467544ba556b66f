//! What `antipasta --version` says: the version and, for a build from a git
//! checkout, its commit; with `--verbose` (or `antipasta version`) the build's
//! features, target, profile, compiler and cache formats, which a bug report
//! needs. The values are fixed at build time by `build.rs`.

/// `antipasta 0.1.0 (abc1234 2026-12-02)`, or without the parenthesis for a
/// build from a source archive.
pub(crate) fn line() -> String {
    let commit = env!("ANTIPASTA_BUILD_COMMIT");
    let version = env!("CARGO_PKG_VERSION");
    if commit.is_empty() {
        format!("antipasta {version}")
    } else {
        format!("antipasta {version} ({commit})")
    }
}

/// [`line`] and one `key: value` line per build property.
pub(crate) fn verbose() -> String {
    let (schema, format) = crate::cache::formats();
    let commit = env!("ANTIPASTA_BUILD_COMMIT");
    let rows = [
        (
            "commit",
            if commit.is_empty() {
                "unknown (not built from a git checkout)"
            } else {
                commit
            },
        ),
        ("features", features()),
        ("target", env!("ANTIPASTA_BUILD_TARGET")),
        ("profile", env!("ANTIPASTA_BUILD_PROFILE")),
        ("rustc", env!("ANTIPASTA_BUILD_RUSTC")),
    ];
    let mut text = line();
    text.push('\n');
    for (key, value) in rows {
        text.push_str(&format!("{key}: {value}\n"));
    }
    text.push_str(&format!(
        "cache: store schema {schema}, record format {format}\n"
    ));
    text.push_str(&format!(
        "json report: version {}\n",
        crate::report::JSON_VERSION
    ));
    text
}

/// The enabled cargo features that change the binary.
fn features() -> &'static str {
    if cfg!(feature = "mimalloc") {
        "allocator=mimalloc"
    } else {
        "allocator=system"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verbose_form_starts_with_the_short_one_and_names_each_property() {
        let text = verbose();
        assert!(text.starts_with(&line()));
        for key in [
            "commit: ",
            "features: allocator=",
            "target: ",
            "profile: ",
            "rustc: ",
            "cache: store schema ",
        ] {
            assert!(text.contains(key), "{key} missing in {text}");
        }
        assert!(line().starts_with(&format!("antipasta {}", env!("CARGO_PKG_VERSION"))));
    }
}
