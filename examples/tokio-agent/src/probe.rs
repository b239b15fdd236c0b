//! What the agent can be asked to do on a worker thread: system calls with
//! harmless arguments, TCP connects, and a look at its own threads.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddrV4, TcpStream};

/// The calling thread's id.
pub fn gettid() -> i64 {
    // SAFETY: gettid takes no arguments and cannot fail.
    unsafe { libc::syscall(libc::SYS_gettid) }
}

/// "EPERM(1)" for an errno value.
pub fn errno_name(e: i32) -> String {
    let name = match e {
        libc::EPERM => "EPERM",
        libc::ENOENT => "ENOENT",
        libc::ESRCH => "ESRCH",
        libc::EIO => "EIO",
        libc::EBADF => "EBADF",
        libc::EAGAIN => "EAGAIN",
        libc::EACCES => "EACCES",
        libc::EFAULT => "EFAULT",
        libc::EINVAL => "EINVAL",
        libc::ENOSYS => "ENOSYS",
        libc::EPROTO => "EPROTO",
        libc::ETIMEDOUT => "ETIMEDOUT",
        libc::ECONNREFUSED => "ECONNREFUSED",
        libc::ENETUNREACH => "ENETUNREACH",
        libc::EAFNOSUPPORT => "EAFNOSUPPORT",
        _ => "E?",
    };
    format!("{}({})", name, e)
}

/// Issue one system call by name with arguments that change nothing:
/// "ok ret=N" or the errno's name.  None for a name not in the table.
///
/// - getpid: always allowed by the agent's whitelist (a control).
/// - ptrace(PTRACE_PEEKDATA, pid 0): ESRCH without a filter (no tracee).
/// - unshare(0): succeeds without a filter, unsharing nothing.
/// - uname(NULL): EFAULT without a filter.
pub fn call(name: &str) -> Option<String> {
    // SAFETY: every call below passes arguments the kernel rejects or that
    // have no effect; no memory is written.
    let ret = unsafe {
        match name {
            "getpid" => libc::syscall(libc::SYS_getpid),
            "ptrace" => libc::syscall(libc::SYS_ptrace, libc::PTRACE_PEEKDATA, 0, 0, 0),
            "unshare" => libc::syscall(libc::SYS_unshare, 0),
            "uname" => libc::syscall(libc::SYS_uname, 0),
            _ => return None,
        }
    };
    if ret == -1 {
        let e = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
        return Some(errno_name(e));
    }
    Some(format!("ok ret={}", ret))
}

/// Connect to 127.0.0.1:port with a blocking socket, send a line and read
/// the answer: "ok reply=..." or the errno's name.
pub fn connect(port: u16) -> String {
    let addr = SocketAddrV4::new(Ipv4Addr::LOCALHOST, port);
    let mut s = match TcpStream::connect(addr) {
        Ok(s) => s,
        Err(e) => return errno_name(e.raw_os_error().unwrap_or(0)),
    };

    let mut line = String::new();
    let res = s
        .write_all(b"hello\n")
        .and_then(|_| BufReader::new(&s).read_line(&mut line));
    match res {
        Ok(_) => format!("ok reply={}", line.trim_end()),
        Err(e) => errno_name(e.raw_os_error().unwrap_or(0)),
    }
}

/// Counts over /proc/self/task: threads, threads whose seccomp mode is 2
/// (filter), and tokio's threads (workers and blocking pool, all named
/// "tokio-runtime-worker", shortened to 15 bytes by the kernel).
pub struct Threads {
    pub tasks: usize,
    pub filtered: usize,
    pub runtime: usize,
}

fn status_of(tid: &str) -> Option<String> {
    fs::read_to_string(format!("/proc/self/task/{}/status", tid)).ok()
}

pub fn threads() -> std::io::Result<Threads> {
    let mut t = Threads {
        tasks: 0,
        filtered: 0,
        runtime: 0,
    };

    for entry in fs::read_dir("/proc/self/task")? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        // A thread may exit between listing and reading; skip it.
        let status = match status_of(&name) {
            Some(s) => s,
            None => continue,
        };
        t.tasks += 1;
        if status.lines().any(|l| l == "Seccomp:\t2") {
            t.filtered += 1;
        }
        if status
            .lines()
            .any(|l| l.starts_with("Name:\ttokio-runtime-w"))
        {
            t.runtime += 1;
        }
    }
    Ok(t)
}
