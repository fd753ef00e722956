//! `paidloop`: serve the API, manage the schema, check a deploy configuration.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator: rows are allocated on the database
/// driver's threads and freed on the HTTP workers, a pattern glibc's per-thread arenas
/// handle poorly (a fifth of the order list's CPU went to malloc and free). Built
/// without transparent huge pages (`no_thp`): with them, its first regions were backed
/// by 2 MiB pages and the idle server's RSS doubled (measured 54 MB → 27 MB).
///
/// Built with `override` too, so that C code in the process, above all the bundled
/// SQLite (its page cache, each value sqlx copies out of a row), allocates from
/// mimalloc as well: glibc's `malloc`, `free` and `malloc_consolidate` still took a
/// fifth of the uncached product list's samples. Measured on 2 cores, SQLite, the same
/// hour, alternating builds: that list 3.5k → 4.0k requests/s (4 runs each); in whole
/// bench runs, the uncached order list 3.3k → 4.5k and order creation 4.5k → 6.8k,
/// with the peak RSS 42 → 46 MB.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = paidloop_server::cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("paidloop: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(paidloop_server::cli::run(cli)) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("paidloop: {message}");
            ExitCode::FAILURE
        }
    }
}
