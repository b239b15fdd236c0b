//! tokio-agent: an async agent runtime that locks itself down.
//!
//! It starts a multi-threaded tokio runtime, checks in with a local service,
//! waits until its worker threads are up, then applies a syscall whitelist
//! to itself through libsyswall from inside the running runtime (on a
//! worker thread; the filter covers every thread) and keeps serving a small
//! line protocol on 127.0.0.1, which tests use to see what the filter
//! allows and what it stops.  See README.md for the protocol.

mod apply;
mod probe;
mod sys;

use std::net::Ipv4Addr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

const USAGE: &str = "\
usage: tokio-agent [--workers N] [--keep-alive MS] [--port PORT]
                   [--service PORT] [--whitelist FILE]

  --workers N       tokio worker threads (default 4)
  --keep-alive MS   an idle blocking-pool thread ends after MS (default 10000)
  --port PORT       port to serve on 127.0.0.1 (default 0: any free port)
  --service PORT    local service to check in with before applying
  --whitelist FILE  apply this syswall whitelist once the runtime is up

Prints \"applied tasks=T runtime=R tid=TID\" after applying, then \"listening PORT\"
when it serves.  Exit status: 0 after QUIT, 64 usage, 70 start-up failure,
the P1.7 code (1-8) when the whitelist cannot be applied.";

const EXIT_USAGE: i32 = 64;
const EXIT_SOFTWARE: i32 = 70;

struct Options {
    workers: usize,
    keep_alive: u64,
    port: u16,
    service: Option<u16>,
    whitelist: Option<String>,
}

/// State shared by every connection.
struct Agent {
    workers: usize,
    ticks: AtomicU64,
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        workers: 4,
        keep_alive: 10_000,
        port: 0,
        service: None,
        whitelist: None,
    };
    let mut args = std::env::args().skip(1);

    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            println!("{}", USAGE);
            std::process::exit(0);
        }
        let value = args.next().ok_or(format!("{} needs a value", flag))?;
        let bad = |_| format!("{}: bad value {:?}", flag, value);
        match flag.as_str() {
            "--workers" => o.workers = value.parse().map_err(bad)?,
            "--keep-alive" => o.keep_alive = value.parse().map_err(bad)?,
            "--port" => o.port = value.parse().map_err(bad)?,
            "--service" => o.service = Some(value.parse().map_err(bad)?),
            "--whitelist" => o.whitelist = Some(value),
            _ => return Err(format!("unknown option {}", flag)),
        }
    }
    if o.workers == 0 {
        return Err("--workers must be at least 1".into());
    }
    Ok(o)
}

fn main() {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("tokio-agent: {}\n{}", e, USAGE);
            std::process::exit(EXIT_USAGE);
        }
    };

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(opts.workers)
        .thread_keep_alive(Duration::from_millis(opts.keep_alive))
        .enable_all()
        .build();
    let code = match rt {
        Ok(rt) => rt.block_on(run(opts)),
        Err(e) => {
            eprintln!("tokio-agent: cannot start the runtime: {}", e);
            EXIT_SOFTWARE
        }
    };
    std::process::exit(code);
}

/// Start-up, lock-down, then serve until QUIT.
async fn run(opts: Options) -> i32 {
    let listener = match TcpListener::bind((Ipv4Addr::LOCALHOST, opts.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("tokio-agent: cannot listen: {}", e);
            return EXIT_SOFTWARE;
        }
    };
    // Asked now: after the lock-down getsockname is not on the whitelist.
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    let agent = Arc::new(Agent {
        workers: opts.workers,
        ticks: AtomicU64::new(0),
    });
    tokio::spawn(tick(agent.clone()));

    if let Some(port) = opts.service {
        println!("service {}", connect_async(port).await);
    }

    // Start the blocking pool and wait for every worker thread, so that the
    // whitelist is applied to a runtime in full swing.
    let _ = tokio::task::spawn_blocking(|| ()).await;
    wait_for_workers(opts.workers).await;

    if let Some(path) = opts.whitelist {
        if let Err(code) = lock_down(path).await {
            return code;
        }
    }

    println!("listening {}", port);
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(serve(stream, agent.clone()));
            }
            Err(e) => eprintln!("tokio-agent: accept: {}", e),
        }
    }
}

/// A timer that keeps running across the lock-down; TICKS reports it.
async fn tick(agent: Arc<Agent>) {
    let mut every = tokio::time::interval(Duration::from_millis(50));
    loop {
        every.tick().await;
        agent.ticks.fetch_add(1, Ordering::Relaxed);
    }
}

/// Return once n tasks have run at the same time, one on each worker.
async fn wait_for_workers(n: usize) {
    on_every_worker(n, String::new).await;
}

/// Apply the whitelist from a task on a worker thread.  Err holds the exit
/// status: the P1.7 code of the failure.
async fn lock_down(path: String) -> Result<(), i32> {
    let res = tokio::spawn(async move {
        let before = probe::threads();
        apply::apply_file(&path).map(|_| (before, probe::gettid()))
    })
    .await;

    match res {
        Ok(Ok((Ok(t), tid))) => {
            println!(
                "applied tasks={} runtime={} tid={}",
                t.tasks, t.runtime, tid
            );
            Ok(())
        }
        Ok(Ok((Err(e), _))) => {
            eprintln!("tokio-agent: cannot count threads: {}", e);
            Err(EXIT_SOFTWARE)
        }
        Ok(Err(e)) => {
            eprintln!("tokio-agent: cannot apply the whitelist: {}", e);
            Err(e.code)
        }
        Err(e) => {
            eprintln!("tokio-agent: the apply task failed: {}", e);
            Err(EXIT_SOFTWARE)
        }
    }
}

/// Answer requests, one line each, until the peer closes.
async fn serve(stream: TcpStream, agent: Arc<Agent>) {
    let (r, mut w) = stream.into_split();
    let mut lines = BufReader::new(r).lines();

    while let Ok(Some(line)) = lines.next_line().await {
        let mut reply = handle(&line, &agent).await;
        reply.push('\n');
        if w.write_all(reply.as_bytes()).await.is_err() {
            break;
        }
    }
}

async fn handle(line: &str, agent: &Arc<Agent>) -> String {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        ["PING"] => "PONG".into(),
        ["TICKS"] => format!("ticks={}", agent.ticks.load(Ordering::Relaxed)),
        ["THREADS"] => threads().await,
        ["SLEEP", ms] => sleep(ms).await,
        ["BLOCK", n] => block(n).await,
        ["CALL", name] => with_tid(probe::call(name)),
        ["BCALL", name] => {
            let name = name.to_string();
            let r = tokio::task::spawn_blocking(move || with_tid(probe::call(&name))).await;
            r.unwrap_or_else(|e| format!("error {}", e))
        }
        ["CONNECT", port] => match port.parse() {
            Ok(p) => format!("tid={} {}", probe::gettid(), connect_async(p).await),
            Err(_) => "error bad port".into(),
        },
        ["ALL", "CALL", name] => {
            if !known_call(name) {
                return "error unknown call".into();
            }
            let name = name.to_string();
            on_every_worker(agent.workers, move || probe::call(&name).unwrap()).await
        }
        ["ALL", "CONNECT", port] => match port.parse() {
            Ok(p) => on_every_worker(agent.workers, move || probe::connect(p)).await,
            Err(_) => "error bad port".into(),
        },
        ["QUIT"] => std::process::exit(0),
        _ => format!("error unknown request {:?}", line),
    }
}

fn known_call(name: &str) -> bool {
    matches!(name, "getpid" | "ptrace" | "unshare" | "uname")
}

fn with_tid(result: Option<String>) -> String {
    match result {
        Some(r) => format!("tid={} {}", probe::gettid(), r),
        None => "error unknown call".into(),
    }
}

async fn threads() -> String {
    match tokio::task::spawn_blocking(probe::threads).await {
        Ok(Ok(t)) => format!(
            "tasks={} filtered={} runtime={}",
            t.tasks, t.filtered, t.runtime
        ),
        Ok(Err(e)) => format!("error {}", e),
        Err(e) => format!("error {}", e),
    }
}

async fn sleep(ms: &str) -> String {
    match ms.parse() {
        Ok(ms) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            format!("slept {}", ms)
        }
        Err(_) => "error bad duration".into(),
    }
}

/// Sum 1..=n on a blocking-pool thread.
async fn block(n: &str) -> String {
    let n: u64 = match n.parse() {
        Ok(n) => n,
        Err(_) => return "error bad number".into(),
    };
    let r = tokio::task::spawn_blocking(move || ((1..=n).sum::<u64>(), probe::gettid())).await;
    match r {
        Ok((sum, tid)) => format!("tid={} sum={}", tid, sum),
        Err(e) => format!("error {}", e),
    }
}

/// Connect with tokio's own TcpStream, send a line, read the answer.
async fn connect_async(port: u16) -> String {
    let mut s = match TcpStream::connect((Ipv4Addr::LOCALHOST, port)).await {
        Ok(s) => s,
        Err(e) => return probe::errno_name(e.raw_os_error().unwrap_or(0)),
    };
    if let Err(e) = s.write_all(b"hello\n").await {
        return probe::errno_name(e.raw_os_error().unwrap_or(0));
    }

    let mut line = String::new();
    match BufReader::new(s).read_line(&mut line).await {
        Ok(_) => format!("ok reply={}", line.trim_end()),
        Err(e) => probe::errno_name(e.raw_os_error().unwrap_or(0)),
    }
}

/// Run `op` once on every worker thread: "n=N;tid:result;...".
async fn on_every_worker<F>(n: usize, op: F) -> String
where
    F: Fn() -> String + Send + Sync + 'static,
{
    let op = Arc::new(op);
    let arrived = Arc::new(AtomicUsize::new(0));
    let mut handles = Vec::new();

    for _ in 0..n {
        let (op, arrived) = (op.clone(), arrived.clone());
        handles.push(tokio::spawn(async move {
            hold_worker(&arrived, n);
            format!("{}:{}", probe::gettid(), op())
        }));
    }

    let mut out = vec![format!("n={}", n)];
    for h in handles {
        out.push(h.await.unwrap_or_else(|e| format!("error {}", e)));
    }
    out.join(";")
}

/// Hold this worker thread until `n` tasks each hold one: then the n tasks
/// run on n different threads, which are the n workers.  Gives up after
/// 2 s (the results then show a thread twice).
fn hold_worker(arrived: &AtomicUsize, n: usize) {
    arrived.fetch_add(1, Ordering::SeqCst);
    let start = Instant::now();
    while arrived.load(Ordering::SeqCst) < n && start.elapsed() < Duration::from_secs(2) {
        std::thread::sleep(Duration::from_millis(1));
    }
}
