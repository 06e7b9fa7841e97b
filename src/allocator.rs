//! The memory allocator `digest` runs on: mimalloc, set up to keep peak memory low.
//!
//! A build makes and frees millions of small strings, vectors and JSON maps (syntax
//! highlighting, template contexts); glibc's malloc serves them markedly slower
//! (bench/HISTORY.md, "What each change bought"). The library only defines [`Allocator`]; a
//! program chooses it with
//!
//! ```
//! #[global_allocator]
//! static ALLOCATOR: digest::allocator::Allocator = digest::allocator::Allocator;
//!
//! fn main() {
//!     let page = vec![0u8; 1 << 20]; // served by mimalloc
//!     assert_eq!(page.len(), 1 << 20);
//! }
//! ```
//!
//! as the `digest` binary (src/main.rs) and the benchmark tools that time its work
//! (bench/floor.rs, bench/rebuild_phases.rs) do. The tests and the fuzz targets run on the
//! system allocator (the fuzz targets build without the `mimalloc` feature, so that
//! AddressSanitizer sees every allocation).
//!
//! mimalloc commits its memory arenas whole on Linux by default; freed pages then stay in
//! the process's resident set, ~90 MB more than glibc at 10,000 articles. Turning that off
//! must happen before the first arena is reserved, i.e. before the first allocation, which
//! is why the allocator sets it on its first call rather than `main`.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::{c_int, c_long};
use std::sync::Once;

use mimalloc::MiMalloc;

/// mimalloc, with its arenas committed on demand (see the module's documentation).
pub struct Allocator;

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
