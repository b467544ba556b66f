//! The one integration-test binary: real processes, real files, real git
//! repositories in temp directories.

mod baseline;
mod cache;
mod common;
mod first_day;
mod formats;
mod gate;
mod hotspots;
mod layouts;
mod metrics;
mod migrating;
mod observe;
mod robust;
mod sandbox;
mod stats;
mod suppress;
mod version;
