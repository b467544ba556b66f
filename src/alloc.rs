//! The global allocator, wrapped so that running out of memory under
//! `max_memory_mb` ends the run with a message instead of an abort.
//!
//! Stage: below everything; installed as `#[global_allocator]` in
//! `lib.rs`. The inner allocator is jemalloc (feature `jemalloc`) or the
//! system's. When `max_memory_mb` is set, an allocation past the OS limit
//! returns null; Rust's default then aborts (exit 134, "memory allocation
//! of N bytes failed", a backtrace attempt), which a pre-commit check with
//! `fail_open` cannot turn into a pass. Instead, once a run has set its
//! message ([`on_exhausted`]), a refused allocation writes that message to
//! stderr and exits with the run's code (2, or 0 where the hook fails
//! open). It must not allocate on that path, so the message is prepared
//! beforehand and the exit is `_exit`, like the CPU limit's handler in
//! [`crate::cancel`]. Under a cap this also ends a run whose fallible
//! allocation (`try_reserve`) was refused: the cap is reached either way,
//! and one clear message beats a per-file error that the next allocation
//! would turn into the same exit.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicPtr, Ordering};

/// What a refused allocation writes and exits with.
struct Exhausted {
    message: Vec<u8>,
    code: i32,
}

/// The current message, null until a run sets one (then the default
/// abort applies). Replaced messages are leaked on purpose: another
/// thread's failing allocation may be reading the old one.
static ON_EXHAUSTED: AtomicPtr<Exhausted> = AtomicPtr::new(std::ptr::null_mut());

/// Sets what a refused allocation does from now on: write `message` on
/// stderr and exit with `code`.
pub(crate) fn on_exhausted(message: String, code: i32) {
    let new = Box::into_raw(Box::new(Exhausted {
        message: message.into_bytes(),
        code,
    }));
    ON_EXHAUSTED.swap(new, Ordering::AcqRel);
}

/// `A` with the out-of-memory exit above.
pub(crate) struct Capped<A>(pub(crate) A);

#[cold]
fn exhausted() {
    let current = ON_EXHAUSTED.load(Ordering::Acquire);
    if current.is_null() {
        return;
    }
    #[cfg(not(unix))]
    let _ = current;
    // SAFETY: a non-null pointer comes from `Box::into_raw` and is never
    // freed. write(2) and _exit(2) do not allocate.
    #[cfg(unix)]
    unsafe {
        let Exhausted { message, code } = &*current;
        libc::write(2, message.as_ptr().cast(), message.len());
        libc::_exit(*code);
    }
    // Elsewhere the default abort stays: the limit itself is Unix's
    // (setrlimit), so no cap refuses an allocation there.
}

// SAFETY: every call is forwarded to `A` unchanged; only a null result
// (a refused allocation) is looked at.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Capped<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { self.0.alloc(layout) };
        if p.is_null() {
            exhausted();
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { self.0.alloc_zeroed(layout) };
        if p.is_null() {
            exhausted();
        }
        p
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { self.0.realloc(ptr, layout, new_size) };
        if p.is_null() {
            exhausted();
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { self.0.dealloc(ptr, layout) }
    }
}
