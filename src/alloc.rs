//! The global allocator, wrapped so that running out of memory under
//! `max_memory_mb` ends the run with a message instead of an abort.
//!
//! Stage: below everything; installed as `#[global_allocator]` in
//! `lib.rs`. The inner allocator is mimalloc (feature `mimalloc`, the
//! default, see [`mimalloc`]) or the system's. When `max_memory_mb` is set,
//! an allocation past the OS limit returns null; Rust's default then aborts
//! (exit 134, "memory allocation of N bytes failed", a backtrace attempt),
//! which a pre-commit check with `fail_open` cannot turn into a pass.
//! Instead, once a run has set its message ([`on_exhausted`]), a refused
//! allocation writes that message to stderr and exits with the run's code
//! (2, or 0 where the hook fails open). It must not allocate on that path,
//! so the message is prepared beforehand and the exit is `_exit`, like the
//! CPU limit's handler in [`crate::cancel`]. Under a cap this also ends a
//! run whose fallible allocation (`try_reserve`) was refused: the cap is
//! reached either way, and one clear message beats a per-file error that
//! the next allocation would turn into the same exit.

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

/// mimalloc (version 2), set up before its first allocation so that it
/// commits memory as it uses it. By default it commits the arena it
/// reserves (1 GiB) at once where the OS overcommits, and each segment
/// when it takes it; committed memory counts against
/// `RLIMIT_DATA`, so under `max_memory_mb` the analysis threads could not
/// start. With both eager commits off, reservations are address space only
/// (`PROT_NONE`) and pages are committed as objects need them: runs fit in
/// the same caps as with jemalloc or the system allocator (docs/install.md
/// has the measurements).
#[cfg(feature = "mimalloc")]
pub(crate) mod mimalloc {
    use std::alloc::{GlobalAlloc, Layout};
    use std::sync::atomic::{AtomicBool, Ordering};

    use libmimalloc_sys as mi;

    /// `mi_option_eager_commit` and `mi_option_arena_eager_commit`, the
    /// 4th and 5th entries of mimalloc 2's `mi_option_t` (the Rust
    /// bindings do not name them). The tests below check both the values
    /// and their effect.
    const EAGER_COMMIT: mi::mi_option_t = 3;
    const ARENA_EAGER_COMMIT: mi::mi_option_t = 4;

    static CONFIGURED: AtomicBool = AtomicBool::new(false);

    pub(crate) struct Mimalloc;

    #[cold]
    fn configure() {
        // SAFETY: options may be set at any time; set before the first
        // allocation, they apply to every arena and segment.
        unsafe {
            mi::mi_option_set(EAGER_COMMIT, 0);
            mi::mi_option_set(ARENA_EAGER_COMMIT, 0);
        }
        CONFIGURED.store(true, Ordering::Release);
    }

    /// Only allocating calls check: nothing is freed or resized before
    /// something was allocated.
    #[inline]
    fn ready() {
        if !CONFIGURED.load(Ordering::Relaxed) {
            configure();
        }
    }

    // SAFETY: forwards to mimalloc's aligned functions, which meet
    // GlobalAlloc's contract for any size and power-of-two alignment.
    unsafe impl GlobalAlloc for Mimalloc {
        #[inline]
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            ready();
            unsafe { mi::mi_malloc_aligned(layout.size(), layout.align()).cast() }
        }

        #[inline]
        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            ready();
            unsafe { mi::mi_zalloc_aligned(layout.size(), layout.align()).cast() }
        }

        #[inline]
        unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
            unsafe { mi::mi_free(ptr.cast()) }
        }

        #[inline]
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            unsafe { mi::mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast() }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        /// The test binary allocates through this allocator, so both
        /// options are set by the time a test runs. The effect (runs fit
        /// under the smallest `max_memory_mb`) is tested end to end in
        /// tests/it/robust.rs.
        #[test]
        fn commits_are_lazy() {
            let _ = Box::new(1u8);
            assert_eq!(unsafe { mi::mi_option_get(EAGER_COMMIT) }, 0);
            assert_eq!(unsafe { mi::mi_option_get(ARENA_EAGER_COMMIT) }, 0);
            // The neighbours keep mimalloc 2's defaults: the indices are
            // where this build's enum has them.
            assert_eq!(unsafe { mi::mi_option_get(mi::mi_option_verbose) }, 0);
            assert_eq!(unsafe { mi::mi_option_get(5) }, 1, "purge_decommits");
            assert_eq!(
                unsafe { mi::mi_option_get(mi::mi_option_reserve_huge_os_pages_at) },
                -1
            );
        }
    }
}
