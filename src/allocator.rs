//! The program's memory allocator: mimalloc, set up to keep peak memory low.
//!
//! A build makes and frees millions of small strings, vectors and JSON maps (syntax
//! highlighting, template contexts); glibc's malloc serves them markedly slower (BENCHMARKS.md,
//! "What each change bought"). Declared in the library, so the `floor` benchmark and the
//! tests run on the same allocator as `digest` itself.
//!
//! mimalloc commits its memory arenas whole on Linux by default; freed pages then stay in
//! the process's resident set, ~90 MB more than glibc at 10,000 articles. Turning that off
//! must happen before the first arena is reserved, i.e. before the first allocation, which
//! is why the allocator sets it on its first call rather than `main`.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::{c_int, c_long};
use std::sync::Once;

use mimalloc::MiMalloc;

#[global_allocator]
static ALLOCATOR: Allocator = Allocator;

struct Allocator;

/// `mi_option_arena_eager_commit` in mimalloc.h (not among the constants the Rust binding
/// exports).
const ARENA_EAGER_COMMIT: c_int = 4;

extern "C" {
    fn mi_option_set(option: c_int, value: c_long);
}

static TUNED: Once = Once::new();

fn tune() {
    TUNED.call_once(|| {
        // SAFETY: sets one integer in mimalloc's option table; it allocates nothing and
        // may be called before mimalloc has been used.
        unsafe { mi_option_set(ARENA_EAGER_COMMIT, 0) }
    });
}

// SAFETY: every call goes to mimalloc unchanged; `tune` only sets an option first.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        tune();
        MiMalloc.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        tune();
        MiMalloc.alloc_zeroed(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        MiMalloc.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        MiMalloc.realloc(ptr, layout, new_size)
    }
}
