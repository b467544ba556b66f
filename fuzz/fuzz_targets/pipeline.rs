//! Arbitrary bytes through guard → decode → parse → function index →
//! metrics → thresholds → function diff. Any panic is a finding (internal
//! errors are re-raised by `fuzz_pipeline`); a stack overflow aborts, which
//! libFuzzer also reports.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The real callers analyse on threads with a 64 MB stack; so does this.
    let data = data.to_vec();
    std::thread::Builder::new()
        .stack_size(64 * 1024 * 1024)
        .spawn(move || antipasta::fuzz_pipeline(&data))
        .expect("spawning the analysis thread")
        .join()
        .expect("the pipeline panicked");
});
