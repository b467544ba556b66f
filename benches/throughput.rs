//! Parse + every metric, in MB/s, on one core.
//!
//! `cargo bench --bench throughput` analyses every `.py` file under
//! `$ANTIPASTA_BENCH_DIR` (default: a generated 2 MB module) five times and
//! prints the median throughput. Under `cargo test` (no `--bench` flag) it
//! runs once on a small input as a smoke test.
//!
//! Besides wall-clock MB/s it prints MB per second the thread actually ran
//! (from `/proc/thread-self/schedstat`, Linux only): on a machine shared with
//! other work that figure moves much less than the wall-clock one.

use std::path::Path;
use std::time::Instant;

fn collect(dir: &Path, out: &mut Vec<Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "py") {
            if let Ok(bytes) = std::fs::read(&p) {
                out.push(bytes);
            }
        }
    }
}

fn generated(functions: usize) -> Vec<u8> {
    let mut s = String::new();
    for i in 0..functions {
        s.push_str(&format!(
            "def f{i}(a, b, c=None):\n    \"\"\"Doc {i}.\"\"\"\n    total = 0\n    for x in a:\n        if x > b and c:\n            total += x * {i}\n        elif x < 0 or not c:\n            total -= 1\n    return [y for y in a if y] if total else None\n\n"
        ));
    }
    s.into_bytes()
}

/// Nanoseconds this thread has run on a CPU, if the kernel tells.
fn cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

fn main() {
    let benching = std::env::args().any(|a| a == "--bench");
    let mut files = Vec::new();
    match std::env::var_os("ANTIPASTA_BENCH_DIR") {
        Some(dir) if benching => collect(Path::new(&dir), &mut files),
        _ => files.push(generated(if benching { 6_000 } else { 50 })),
    }
    let bytes: usize = files.iter().map(Vec::len).sum();
    let runs = if benching { 5 } else { 1 };
    let mut rates = Vec::new();
    let mut cpu_rates = Vec::new();
    let mut functions = 0;
    for _ in 0..runs {
        let cpu_start = cpu_ns();
        let start = Instant::now();
        functions = files
            .iter()
            .map(|f| antipasta::bench_analyze(f))
            .sum::<usize>();
        let secs = start.elapsed().as_secs_f64();
        rates.push(bytes as f64 / 1e6 / secs);
        if let (Some(a), Some(b)) = (cpu_start, cpu_ns()) {
            cpu_rates.push(bytes as f64 / 1e6 / ((b - a) as f64 / 1e9));
        }
    }
    rates.sort_by(f64::total_cmp);
    cpu_rates.sort_by(f64::total_cmp);
    println!(
        "throughput: {} files, {:.1} MB, {} functions: median {:.1} MB/s (min {:.1}, max {:.1}) over {} runs",
        files.len(),
        bytes as f64 / 1e6,
        functions,
        rates[rates.len() / 2],
        rates[0],
        rates[rates.len() - 1],
        runs
    );
    if !cpu_rates.is_empty() {
        println!(
            "on-cpu throughput: median {:.1} MB/s (min {:.1}, max {:.1})",
            cpu_rates[cpu_rates.len() / 2],
            cpu_rates[0],
            cpu_rates[cpu_rates.len() - 1]
        );
    }
}
