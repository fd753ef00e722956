//! What token counting costs, with tiktoken-rs and with `paidloop_usage`'s counter:
//! resident memory after loading `o200k_base` and after both encodings, load times, and
//! the time per count of `scripts/bench`'s 2 KB prompt.
//!
//! `cargo bench -p paidloop-usage --bench tokens` runs each counter in its own process
//! (so that one's memory does not hide the other's) and prints one line per step.

use std::hint::black_box;
use std::process::Command;
use std::time::Instant;

use paidloop_usage::TokenCounter;

const COUNTS: u32 = 2_000;

fn main() {
    match std::env::args().find(|arg| arg == "tiktoken" || arg == "compact") {
        Some(counter) => measure(&counter),
        None => {
            let me = std::env::current_exe().expect("the bench's own path");
            for counter in ["tiktoken", "compact"] {
                let status = Command::new(&me).arg(counter).status().expect("run");
                assert!(status.success(), "{counter} failed");
            }
        }
    }
}

/// The prompt `scripts/bench` estimates: a sentence repeated to 2 KB.
fn prompt() -> String {
    let mut text =
        "Paidloop meters AI usage on the server, so every plan gets what it pays for. ".repeat(40);
    text.truncate(2048);
    text
}

fn measure(counter: &str) {
    let text = prompt();
    report(counter, "start", None);
    let count: Box<dyn Fn(&str) -> usize> = if counter == "tiktoken" {
        let started = Instant::now();
        let o200k = tiktoken_rs::o200k_base().expect("o200k_base");
        report(counter, "o200k_base loaded", Some(started));
        let started = Instant::now();
        let cl100k = tiktoken_rs::cl100k_base().expect("cl100k_base");
        report(counter, "both loaded", Some(started));
        black_box(&cl100k);
        Box::new(move |text| o200k.encode_ordinary(text).len())
    } else {
        let started = Instant::now();
        let o200k = TokenCounter::for_model("gpt-4o");
        report(counter, "o200k_base loaded", Some(started));
        let started = Instant::now();
        black_box(TokenCounter::for_model("gpt-4"));
        report(counter, "both loaded", Some(started));
        Box::new(move |text| o200k.text(text) as usize)
    };
    let tokens = count(&text);
    let (started, cpu_started) = (Instant::now(), cpu_time_ns());
    for _ in 0..COUNTS {
        black_box(count(black_box(&text)));
    }
    let per_count = |total: f64| total / f64::from(COUNTS);
    let wall = per_count(started.elapsed().as_secs_f64() * 1e6);
    let cpu = per_count((cpu_time_ns() - cpu_started) as f64 / 1e3);
    println!(
        "{counter:>8}: {} bytes = {tokens} tokens, per count {cpu:.1} µs of CPU ({wall:.1} µs wall)",
        text.len()
    );
    report(counter, "after counting", None);
}

/// The CPU time this thread has run, in nanoseconds (the first field of its
/// `schedstat`), so that other processes on the machine do not inflate the numbers.
fn cpu_time_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|stat| stat.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Prints the process's resident and peak resident memory, and the time since
/// `started` when given.
fn report(counter: &str, step: &str, started: Option<Instant>) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .map_or("?".to_owned(), |value| value.trim().to_owned())
    };
    let took = started.map_or(String::new(), |started| {
        format!(" (took {:.1} ms)", started.elapsed().as_secs_f64() * 1e3)
    });
    println!(
        "{counter:>8}: {step:<18} VmRSS {:>10}  VmHWM {:>10}{took}",
        field("VmRSS:"),
        field("VmHWM:")
    );
}
