//! The sandbox: once a checking run has opened what it needs (the
//! repository, the configuration, the cache store) and knows what it will
//! write, it gives up everything else before the first file is analysed.
//! Code under review may come from a stranger's pull request; a bug in a
//! parser must not become a way to write into the checkout or reach the
//! network.
//!
//! Linux, with Landlock (the `landlock` crate): the file system becomes
//! read-only except below the directories given (the cache directory and
//! those of the report and metrics files), TCP bind and connect are denied
//! where the kernel's Landlock ABI handles them (ABI 4 and later), and
//! `no_new_privs` is set. Best effort: a kernel without Landlock, or other
//! systems, run unrestricted and say so in the status. `sandbox = false`
//! turns it off.

use std::path::PathBuf;

/// What the sandbox did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    /// Restricted: Landlock at this ABI, fully (every right the ruleset
    /// names) or partly (an older kernel enforces fewer).
    Active { abi: i32, full: bool, network: bool },
    /// Not available here (the reason).
    Unavailable(String),
    /// Turned off (`sandbox = false`).
    Off,
}

impl Status {
    /// One line for `-v` and the logs.
    pub(crate) fn describe(&self) -> String {
        match self {
            Status::Active { abi, full, network } => format!(
                "sandbox: active (Landlock ABI {abi}{}): the file system is read-only except \
                 the cache and the output files{}",
                if *full { "" } else { ", partly enforced" },
                if *network {
                    "; no TCP bind or connect"
                } else {
                    ""
                }
            ),
            Status::Unavailable(why) => format!("sandbox: not active ({why})"),
            Status::Off => "sandbox: off (sandbox = false)".to_owned(),
        }
    }
}

/// Restricts this process (every thread it starts from now on, and those
/// already running, on Linux ≥ 5.13: Landlock applies to the calling thread
/// and is inherited; antipasta starts its analysis threads afterwards).
/// `writable`: directories, or files, that stay writable (missing ones are
/// skipped).
pub(crate) fn enter(enabled: bool, writable: &[PathBuf]) -> Status {
    if !enabled {
        return Status::Off;
    }
    let status = restrict(writable);
    tracing::info!(target: "antipasta::sandbox", status = %status.describe(), "sandbox");
    status
}

#[cfg(target_os = "linux")]
fn restrict(writable: &[PathBuf]) -> Status {
    use landlock::{
        path_beneath_rules, Access, AccessFs, AccessNet, LandlockStatus, Ruleset, RulesetAttr,
        RulesetCreatedAttr, RulesetStatus, ABI,
    };
    let abi = ABI::V5;
    let dirs: Vec<&PathBuf> = writable.iter().filter(|d| d.exists()).collect();
    let attempt = || -> Result<landlock::RestrictionStatus, landlock::RulesetError> {
        Ruleset::default()
            .handle_access(AccessFs::from_all(abi))?
            .handle_access(AccessNet::BindTcp | AccessNet::ConnectTcp)?
            .create()?
            .add_rules(path_beneath_rules(["/"], AccessFs::from_read(abi)))?
            .add_rules(path_beneath_rules(&dirs, AccessFs::from_all(abi)))?
            .no_new_privs(true)
            .restrict_self()
    };
    match attempt() {
        Ok(done) => {
            let kernel_abi = match done.landlock {
                LandlockStatus::Available { effective_abi, .. } => effective_abi as i32,
                LandlockStatus::NotEnabled => {
                    return Status::Unavailable("Landlock is not enabled in this kernel".into())
                }
                LandlockStatus::NotImplemented => {
                    return Status::Unavailable("this kernel has no Landlock".into())
                }
            };
            match done.ruleset {
                RulesetStatus::NotEnforced => {
                    Status::Unavailable("this kernel enforces no Landlock rule".into())
                }
                enforced => Status::Active {
                    abi: kernel_abi,
                    full: enforced == RulesetStatus::FullyEnforced,
                    network: kernel_abi >= 4,
                },
            }
        }
        Err(e) => Status::Unavailable(format!("Landlock refused the rules: {e}")),
    }
}

#[cfg(not(target_os = "linux"))]
fn restrict(_writable: &[PathBuf]) -> Status {
    Status::Unavailable("Landlock is Linux's; this system has no sandbox here".into())
}

/// Debug builds only: `ANTIPASTA_TEST_SANDBOX_PROBE=PATH` makes a run try
/// to create PATH once sandboxed and say on stderr whether it could, so a
/// test proves the restriction is real. Release builds have no such switch.
#[cfg(debug_assertions)]
pub(crate) fn probe(path: Option<&std::path::Path>) -> Option<String> {
    let path = path?;
    let file = match std::fs::write(path, b"probe") {
        Ok(()) => format!("sandbox probe: wrote {}", path.display()),
        Err(e) => format!("sandbox probe: cannot write {}: {e}", path.display()),
    };
    // Port 1 on the loopback: refused when the network is allowed, denied
    // (permission) when the sandbox forbids connecting.
    let tcp = match std::net::TcpStream::connect(("127.0.0.1", 1)) {
        Ok(_) => "connected".to_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => "denied".to_owned(),
        Err(e) => format!("not denied ({e})"),
    };
    Some(format!("{file}; sandbox probe: tcp {tcp}"))
}
