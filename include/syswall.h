/*
 * syswall.h - the one public header of libsyswall.
 *
 * libsyswall reads a JSON syscall whitelist (the P1.2 format, see
 * syswall-whitelist(5)), checks it, compiles it to a seccomp-BPF program
 * with libseccomp, proves the program against the whitelist and loads it
 * into the calling process.  Every function reports one of the P1.7 codes
 * (enum sw_code).  The library never prints: problems reach the caller as
 * an sw_error (one failure) or an sw_report (every problem of a document).
 *
 * Ownership: a function that returns a pointer through an "out" parameter
 * hands ownership to the caller, who frees it with the matching *_free()
 * function.  Strings returned by accessors belong to the object they were
 * read from and stay valid until it is freed.  Every *_free() accepts NULL.
 *
 * Out of memory is SW_EINTERNAL, never a crash or a changed result.  To
 * get there through jansson (whose parser drops a character when its
 * buffer cannot grow), the first parse installs an allocator for jansson
 * with json_set_alloc_funcs() that wraps the one found then (a program's
 * own is kept) and only watches for failures; and libseccomp's program
 * export runs in a forked child where no seccomp filter is loaded yet
 * (docs/hardening.md).
 */
#ifndef SYSWALL_H
#define SYSWALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SYSWALL_VERSION_MAJOR  0
#define SYSWALL_VERSION_MINOR  1
#define SYSWALL_VERSION_PATCH  0
#define SYSWALL_VERSION_STRING "0.1.0"

/* The whitelist format version this library reads (major must match). */
#define SW_SCHEMA_MAJOR 1

/* Largest document accepted, in bytes (spec section 1). */
#define SW_MAX_DOCUMENT_SIZE (1024 * 1024)

/* Deepest nesting of JSON arrays and objects accepted. */
#define SW_MAX_DEPTH 32

/* The policy authority a whitelist must name unless configured otherwise. */
#define SW_DEFAULT_AUTHORITY "Security Agent"

/* ------------------------------------------------------------------ */
/* P1.7 codes                                                          */
/* ------------------------------------------------------------------ */

/* The closed set of results of every libsyswall function (spec 5). */
typedef enum sw_code {
        SW_SUCCESS = 0,
        SW_EAGAIN = 1,
        SW_EIO = 2,
        SW_ENOENT = 3,
        SW_EPERM = 4,
        SW_EPROTO = 5,
        SW_ETIMEOUT = 6,
        SW_EINTERNAL = 7,
        SW_EPANIC = 8,
} sw_code;

#define SW_CODE_COUNT 9

/* "EPROTO" for SW_EPROTO; "UNKNOWN" for a value outside the set. */
const char *sw_code_name(sw_code code);

/* A sentence for people: "the document breaks this format". */
const char *sw_code_describe(sw_code code);

/* Name to code ("EPROTO" -> SW_EPROTO).  Returns false if unknown. */
bool sw_code_from_name(const char *name, sw_code *out);

/* Integer to code (5 -> SW_EPROTO).  Returns false outside 0..8. */
bool sw_code_from_int(int value, sw_code *out);

/* The Linux errno a code stands for (SW_ETIMEOUT -> ETIMEDOUT). */
int sw_code_to_errno(sw_code code);

/*
 * The code for a file that could not be opened or read, from its errno:
 * ENOENT and ENOTDIR -> SW_ENOENT, EACCES and EPERM -> SW_EPERM, ENOMEM
 * -> SW_EINTERNAL (out of memory), any other -> SW_EIO.  Every command reports
 * a missing file the same way.
 */
sw_code sw_code_of_file_errno(int e);

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

/*
 * One failure: a code, a message and, where the failure is tied to a
 * document, the file, line, column and JSON path.  Owned by the caller
 * of the function that produced it; free with sw_error_free().
 */
typedef struct sw_error sw_error;

sw_code sw_error_code(const sw_error *err);
const char *sw_error_message(const sw_error *err);
/* File name, or NULL when the failure is not tied to a document. */
const char *sw_error_file(const sw_error *err);
/* 1-based line and column; 0 when unknown. */
unsigned sw_error_line(const sw_error *err);
unsigned sw_error_column(const sw_error *err);
/* JSON path such as "syscalls[4].errno", or NULL. */
const char *sw_error_path(const sw_error *err);
/* How to fix it, or NULL. */
const char *sw_error_hint(const sw_error *err);
void sw_error_free(sw_error *err);

/* ------------------------------------------------------------------ */
/* Diagnostics: every problem of a document, found in one pass          */
/* ------------------------------------------------------------------ */

typedef enum sw_severity {
        SW_SEV_NOTE = 0,
        SW_SEV_WARNING = 1,
        SW_SEV_ERROR = 2,
} sw_severity;

typedef struct sw_report sw_report;

size_t sw_report_count(const sw_report *rep);
/* Counts of one severity. */
size_t sw_report_count_severity(const sw_report *rep, sw_severity sev);
sw_severity sw_report_severity(const sw_report *rep, size_t i);
sw_code sw_report_code(const sw_report *rep, size_t i);
const char *sw_report_file(const sw_report *rep, size_t i);
unsigned sw_report_line(const sw_report *rep, size_t i);
unsigned sw_report_column(const sw_report *rep, size_t i);
/* "" for the document itself. */
const char *sw_report_path(const sw_report *rep, size_t i);
const char *sw_report_message(const sw_report *rep, size_t i);
/* NULL when there is no hint. */
const char *sw_report_hint(const sw_report *rep, size_t i);
/* A short stable identifier of the check ("unknown-field"). */
const char *sw_report_check(const sw_report *rep, size_t i);
/*
 * The text of the document the report is about (len bytes, not
 * necessarily NUL-free), for showing the offending line; NULL when the
 * document could not be read.  Belongs to the report.
 */
const char *sw_report_source(const sw_report *rep, size_t *len);
/* The code of the worst error, SW_SUCCESS if there is none. */
sw_code sw_report_result(const sw_report *rep);
void sw_report_free(sw_report *rep);

/* ------------------------------------------------------------------ */
/* Configuration                                                       */
/* ------------------------------------------------------------------ */

/*
 * How documents are read and filters built.  Created with defaults:
 * native architecture, not strict, authority "Security Agent".
 */
typedef struct sw_config sw_config;

sw_config *sw_config_new(void);
void sw_config_free(sw_config *cfg);
/*
 * Target architecture by name ("x86_64", "aarch64", "x86", "riscv64",
 * "native").  Returns SW_ENOENT for an unknown name.
 */
sw_code sw_config_set_arch(sw_config *cfg, const char *arch);
/* The target's name as libsyswall spells it. */
const char *sw_config_arch(const sw_config *cfg);
/* Strict mode turns warnings about absent names and lint into errors. */
void sw_config_set_strict(sw_config *cfg, bool strict);
/* The authority created_by/updated_by must name (copied). */
sw_code sw_config_set_authority(sw_config *cfg, const char *name);
/*
 * Whether sw_compile also writes the pseudo-code listing that
 * sw_filter_export_pfc prints (the default, true).  Turn it off where
 * only the program is needed: the listing costs a second export.
 */
void sw_config_set_listing(sw_config *cfg, bool listing);

/* ------------------------------------------------------------------ */
/* Whitelists                                                          */
/* ------------------------------------------------------------------ */

/* A read and checked whitelist, bound to one target architecture. */
typedef struct sw_whitelist sw_whitelist;

typedef enum sw_permission {
        SW_ALLOW = 0,
        SW_DENY = 1,
        SW_CONDITIONAL = 2,
} sw_permission;

/*
 * Read and check a file.  Always sets *report (may be NULL only if the
 * caller passes NULL to ignore it).  On success (no error diagnostics)
 * sets *out and returns SW_SUCCESS; otherwise *out is NULL and the code
 * of the worst problem is returned.  cfg may be NULL for defaults.
 */
sw_code sw_whitelist_load_file(const char *path, const sw_config *cfg,
                               sw_whitelist **out, sw_report **report);

/* The same for a document in memory; name is used in diagnostics. */
sw_code sw_whitelist_load_buffer(const char *buf, size_t len, const char *name,
                                 const sw_config *cfg, sw_whitelist **out,
                                 sw_report **report);

void sw_whitelist_free(sw_whitelist *wl);

const char *sw_whitelist_id(const sw_whitelist *wl);
size_t sw_whitelist_rule_count(const sw_whitelist *wl);
const char *sw_whitelist_rule_name(const sw_whitelist *wl, size_t i);
sw_permission sw_whitelist_rule_permission(const sw_whitelist *wl, size_t i);
/* "network" etc., or NULL when the rule has no category. */
const char *sw_whitelist_rule_category(const sw_whitelist *wl, size_t i);
bool sw_whitelist_rule_tokio(const sw_whitelist *wl, size_t i);
/* Syscall number on the target, or -1 when absent there. */
int sw_whitelist_rule_number(const sw_whitelist *wl, size_t i);
/* True when any rule carries a port restriction. */
bool sw_whitelist_has_ports(const sw_whitelist *wl);

/* ------------------------------------------------------------------ */
/* Filters                                                             */
/* ------------------------------------------------------------------ */

/* A compiled and proven seccomp-BPF program. */
typedef struct sw_filter sw_filter;

/* Compile a whitelist for its target architecture and prove it. */
sw_code sw_compile(const sw_whitelist *wl, const sw_config *cfg,
                   sw_filter **out, sw_error **err);
void sw_filter_free(sw_filter *f);
/* Number of BPF instructions (8 bytes each). */
size_t sw_filter_length(const sw_filter *f);
/*
 * The raw program: struct sock_filter[length] in this machine's byte
 * order (as bwrap --seccomp reads it when the target is this machine).
 */
const void *sw_filter_program(const sw_filter *f);
/*
 * Write the filter's listing to fd: libseccomp's pseudo-code with the
 * argument blocks for the libseccomp backend, syswall's disassembly
 * (as sw_disasm() writes it) for the native one.
 */
sw_code sw_filter_export_pfc(const sw_filter *f, int fd, sw_error **err);
/*
 * Write the raw program to fd in the target's byte order, as the kernel
 * of that architecture reads it (s390x is big-endian).
 */
sw_code sw_filter_export_bpf(const sw_filter *f, int fd, sw_error **err);

/*
 * Load a filter into the calling process: sets no_new_privs and loads
 * with thread sync, so every thread is covered.  All or nothing: on
 * failure no thread is filtered and the error names the thread that
 * could not be synchronised.
 */
sw_code sw_filter_load(const sw_filter *f, sw_error **err);

/*
 * Read, check, compile, prove and load in one call; nothing is loaded
 * unless every step succeeds.  report may be NULL.
 */
sw_code sw_apply_file(const char *path, const sw_config *cfg,
                      sw_report **report, sw_error **err);

/* ------------------------------------------------------------------ */
/* Filters as programs: simulation, raw BPF, verification               */
/* ------------------------------------------------------------------ */

/*
 * Run a filter in libsyswall's BPF interpreter on one call, as the kernel
 * would: arch is the AUDIT_ARCH_* value the kernel reports (the same as
 * libseccomp's SCMP_ARCH_* token), nr the syscall number, args the six
 * argument registers (NULL for zeros).  *action receives the seccomp
 * return value (SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | errno, ...);
 * *insns, when not NULL, the number of instructions executed.
 */
sw_code sw_filter_simulate(const sw_filter *f, uint32_t arch, int nr,
                           const uint64_t args[6], uint32_t *action,
                           unsigned *insns);

/*
 * Make a filter from a raw program (struct sock_filter[], len bytes), as
 * `syswall compile --format bpf` writes it.  The program is checked the
 * way the kernel checks it (jumps, loads, a return on every path, at most
 * 4096 instructions).  Such a filter has no architecture and no
 * pseudo-code listing.  Free with sw_filter_free().
 */
sw_code sw_filter_from_bpf(const void *buf, size_t len, sw_filter **out,
                           sw_error **err);

/* The AUDIT_ARCH_* value a filter was built for; 0 for a raw program. */
uint32_t sw_filter_arch(const sw_filter *f);

/*
 * The proof sw_compile() runs, on its own: evaluate f against the
 * meaning of wl on every rule's boundary arguments, every unlisted
 * number and foreign-architecture and x32 calls.  A disagreement is
 * SW_EINTERNAL with the rule, the input and both answers.  For a program
 * sw_compile() built this is a proof; for one from elsewhere
 * (sw_filter_from_bpf) it is a check on sampled inputs, since such a
 * program may compare arguments with values the whitelist never names.
 */
sw_code sw_filter_verify(const sw_filter *f, const sw_whitelist *wl,
                         sw_error **err);

/* ------------------------------------------------------------------ */
/* Compiler backends                                                   */
/* ------------------------------------------------------------------ */

/*
 * Which code generator sw_compile() uses with cfg: "native", syswall's
 * own (x86_64, aarch64 and riscv64): a balanced search over ranges of
 * numbers with the same outcome, then the argument blocks; "libseccomp",
 * libseccomp 2.5.4's binary tree with syswall's argument blocks spliced
 * in (every architecture); "default" or NULL, native where it supports
 * the target and libseccomp elsewhere.  Both are proven the same way.
 * Asking for native on another target makes sw_compile() fail with
 * SW_ENOENT.  Returns SW_ENOENT for an unknown name.
 */
sw_code sw_config_set_backend(sw_config *cfg, const char *name);

/*
 * The backend that built f: "native" or "libseccomp" (static strings);
 * NULL for a filter read with sw_filter_from_bpf().
 */
const char *sw_filter_backend(const sw_filter *f);

/* The embedded default whitelist used by `syswall run` without -p. */
const char *sw_default_whitelist(size_t *len);

/* ------------------------------------------------------------------ */
/* Import of foreign profiles (OCI/Docker/Podman, Firecracker)          */
/* ------------------------------------------------------------------ */

typedef enum sw_import_format {
        SW_IMPORT_OCI = 0,         /* Docker/Podman/OCI seccomp profile */
        SW_IMPORT_FIRECRACKER = 1, /* Firecracker seccompiler JSON */
} sw_import_format;

/* How a foreign profile is evaluated.  Every field may be NULL/false. */
typedef struct sw_import_options {
        /* Target architecture ("x86_64", "aarch64" ...); NULL = native. */
        const char *arch;
        /*
         * OCI: the container's capabilities, comma separated ("CAP_SYS_ADMIN,
         * NET_RAW"), "none" or "all"; NULL = Docker's default set.
         */
        const char *caps;
        /* OCI: kernel version for minKernel ("6.1"); NULL = running. */
        const char *kernel;
        /* Firecracker: one thread filter ("vmm"); NULL = every thread. */
        const char *thread;
        /* created_by of the result; NULL = "Security Agent". */
        const char *authority;
        /* whitelist_id of the result; NULL = from the file name. */
        const char *id;
        /* Leave out calls a default other than kill would handle. */
        bool unlisted_kill;
} sw_import_options;

/* The result of an import: one whitelist, or one per Firecracker thread. */
typedef struct sw_import sw_import;

/*
 * Read a foreign profile and turn it into P1.2 whitelist documents.
 * Everything that could not be carried over exactly goes into *report
 * (warnings) with how it was mapped.  On success *out is owned by the
 * caller (free with sw_import_free()); *report is set whenever report is
 * not NULL, also on failure.
 */
sw_code sw_import_file(const char *path, sw_import_format format,
                       const sw_import_options *opts, sw_import **out,
                       sw_report **report, sw_error **err);

size_t sw_import_count(const sw_import *imp);
/* The Firecracker thread name of a result, NULL for an OCI import. */
const char *sw_import_name(const sw_import *imp, size_t i);
/* The whitelist document, formatted, ending with a newline. */
const char *sw_import_json(const sw_import *imp, size_t i);
void sw_import_free(sw_import *imp);

/* ------------------------------------------------------------------ */
/* Network enforcement: port restrictions, kernel features, sandboxes  */
/* ------------------------------------------------------------------ */

/*
 * Use Landlock network rules for TCP ports when the kernel offers them
 * (the default), or not: with false every port restriction is judged by
 * the user-notification supervisor (for testing and comparison).
 */
void sw_config_set_landlock(sw_config *cfg, bool enabled);

/* What the running kernel offers for enforcement (sw_features_probe). */
typedef struct sw_features {
        bool seccomp_filter; /* SECCOMP_SET_MODE_FILTER */
        char actions[160];   /* /proc/sys/kernel/seccomp/actions_avail */
        bool user_notif;     /* SECCOMP_RET_USER_NOTIF + listener (5.0) */
        bool notif_addfd;    /* SECCOMP_IOCTL_NOTIF_ADDFD (5.9) */
        bool wait_killable;  /* SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (5.19) */
        bool sync_wake_up;   /* SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (6.6) */
        bool pidfd_getfd;    /* pidfd_getfd(2) (5.6) */
        bool pidfd_thread;   /* pidfd_open(PIDFD_THREAD) (6.9) */
        int landlock_abi;    /* 0 when Landlock is absent */
        bool landlock_net;   /* Landlock TCP port rules (ABI 4, 6.7) */
} sw_features;

/*
 * Probe the running kernel.  Probes that need a filter run in a short
 * lived child process; the caller is left unchanged.
 */
sw_code sw_features_probe(sw_features *out, sw_error **err);

/*
 * Describe how the port restrictions of wl are enforced on this kernel:
 * per rule, which mechanism judges which sockets, the errno a refused
 * call sees, and what cannot be enforced, both under a supervisor
 * (`syswall run`, sw_spawn()) and in-process (sw_apply_file()).  Text
 * for people, or JSON when json is true.  *out is the caller's (free()).
 */
sw_code sw_netplan_describe(const sw_whitelist *wl, const sw_config *cfg,
                            bool json, char **out, sw_error **err);

/*
 * A command started under a whitelist, with its supervisor.  The
 * supervisor runs on threads of the calling process and judges, on
 * copies it holds, the calls the kernel hands it (port restrictions that
 * Landlock cannot enforce).  Free with sw_sandbox_free().
 */
typedef struct sw_sandbox sw_sandbox;

/*
 * Start argv (argv[0] searched in PATH, environment inherited) under wl:
 * the child sets no_new_privs, applies the Landlock rules, loads the
 * network filter (whose listener the parent takes), loads prog (the
 * whitelist's compiled program: sw_filter_program()/sw_filter_length(),
 * or NULL with len 0 for none) and execs.  Everything is prepared
 * before the fork; on failure nothing runs.
 */
sw_code sw_spawn(const sw_whitelist *wl, const sw_config *cfg, const void *prog,
                 size_t len, char *const argv[], sw_sandbox **out,
                 sw_error **err);

/* The command's process id. */
pid_t sw_sandbox_pid(const sw_sandbox *sb);

/*
 * Wait for the command to end (*status as waitpid(2) sets it), then
 * stop the supervisor.  Descendants that outlive the command get ENOSYS
 * from their supervised calls from then on: they fail closed.
 */
sw_code sw_sandbox_wait(sw_sandbox *sb, int *status, sw_error **err);

/*
 * Stop supervising (the command's supervised calls fail with ENOSYS from
 * then on) and free.  Does not kill or reap the command.
 */
void sw_sandbox_free(sw_sandbox *sb);

/*
 * The supervisor for a caller that forks the command itself (`syswall
 * run`), in three steps around its fork:
 *  - sw_netguard_new() before the fork prepares everything (the network
 *    filter, the Landlock ruleset); *out is NULL when wl restricts no
 *    port, and then nothing else is needed;
 *  - in the child, sw_netguard_child() before sw_filter_load(): sets
 *    no_new_privs, applies Landlock, loads the network filter and hands
 *    its listener to the parent over fd (one end of a socketpair(2));
 *    returns 0 or the errno of the failed step (the parent is told);
 *    sw_filter_load() then leaves the port restrictions to the
 *    supervisor;
 *  - in the parent, sw_netguard_parent() with the other end: takes the
 *    listener (pidfd_getfd) and starts supervising.
 * sw_netguard_free() stops supervising (supervised calls then fail with
 * ENOSYS) and frees.
 */
typedef struct sw_netguard sw_netguard;

sw_code sw_netguard_new(const sw_whitelist *wl, const sw_config *cfg,
                        sw_netguard **out, sw_error **err);
int sw_netguard_child(const sw_netguard *g, int fd);
sw_code sw_netguard_parent(sw_netguard *g, pid_t pid, int fd, sw_error **err);
void sw_netguard_free(sw_netguard *g);

/* ------------------------------------------------------------------ */
/* Learning: trace a command, propose a whitelist                      */
/* ------------------------------------------------------------------ */

/* What a traced command did: each system call, how often, with what. */
typedef struct sw_trace sw_trace;

/*
 * Run argv (argv[0] searched in PATH) under ptrace, following every
 * process and thread it starts, and record each system call from its
 * first execve on.  Blocks until every traced task has exited; the
 * standard streams are inherited.  On success *out holds the record,
 * whatever the command's own exit status (see sw_trace_status()); free
 * it with sw_trace_free().  SW_ENOENT when the command cannot be run,
 * SW_EPERM when the kernel refuses to trace it.
 */
sw_code sw_trace_command(char *const argv[], sw_trace **out, sw_error **err);
void sw_trace_free(sw_trace *t);
/* The command's wait status (use WIFEXITED() and friends on it). */
int sw_trace_status(const sw_trace *t);
/* Processes and threads traced. */
size_t sw_trace_process_count(const sw_trace *t);
/* System calls recorded in all. */
uint64_t sw_trace_total(const sw_trace *t);
/* Distinct calls, sorted by name, foreign-ABI calls last. */
size_t sw_trace_call_count(const sw_trace *t);
/* "openat"; "nr<N>" for a number libseccomp cannot name. */
const char *sw_trace_call_name(const sw_trace *t, size_t i);
uint64_t sw_trace_call_hits(const sw_trace *t, size_t i);
/* True for a call through a foreign ABI (i386, x32): filters kill it. */
bool sw_trace_call_foreign(const sw_trace *t, size_t i);

/* Plain ALLOW rules only, no CONDITIONAL proposals. */
#define SW_LEARN_NAMES_ONLY 0x1u
/* Only the calls seen: none of the calls timing may hide (futex...). */
#define SW_LEARN_SEEN_ONLY 0x2u

/*
 * Write a whitelist (P1.2, JSON text) that allows what the trace saw,
 * for cfg's architecture and authority (cfg may be NULL).  With merge
 * NULL it is a new document named id (NULL: "learned.<command>");
 * otherwise the whitelist in the file merge is extended and every change
 * is a note in *report.  Calls that cannot be listed (foreign ABI, no
 * name, absent on the target) are warnings in *report.  On success
 * *json is the text (free() it) and *report, when report is not NULL, is
 * the caller's to free.
 */
sw_code sw_learn_whitelist(const sw_trace *t, const sw_config *cfg,
                           unsigned flags, const char *id, const char *merge,
                           char **json, sw_report **report, sw_error **err);

/* ------------------------------------------------------------------ */
/* Signatures                                                          */
/* ------------------------------------------------------------------ */

/*
 * A whitelist may carry "signature": "ed25519:<base64 of 64 bytes>", an
 * Ed25519 signature over the document's RFC 8785 canonical form without
 * that member (docs/signing.md).  Keys are text files, one key a line:
 *
 *   syswall-ed25519-public KEYID BASE64 [NAME]
 *   syswall-ed25519-secret KEYID BASE64 [NAME]
 *
 * KEYID is 16 lowercase hex digits derived from the public key.  A trust
 * store is a file of public key lines (comments start with '#').
 */

/* Bytes of a key id string: 16 hex digits and the NUL. */
#define SW_KEY_ID_SIZE 17

/*
 * Make a key pair: BASENAME.key (the secret, mode 0600) and BASENAME.pub.
 * Existing files are never overwritten (SW_EIO).  name (may be NULL) is a
 * label of letters, digits and ._@+- kept on both lines.  key_id (may be
 * NULL) receives the new key's id.
 */
sw_code sw_keygen(const char *basename, const char *name,
                  char key_id[SW_KEY_ID_SIZE], sw_error **err);

/* A set of trusted public keys read from one file. */
typedef struct sw_trust sw_trust;

/*
 * Read a trust file.  SW_ENOENT if missing, SW_EPROTO for a line that is
 * no public key (a secret key line included) or a file with no key.
 */
sw_code sw_trust_load(const char *path, sw_trust **out, sw_error **err);
size_t sw_trust_count(const sw_trust *t);
/* The i-th key's id and name (NULL when it has none); owned by t. */
const char *sw_trust_key_id(const sw_trust *t, size_t i);
const char *sw_trust_key_name(const sw_trust *t, size_t i);
/* The file the keys were read from; owned by t. */
const char *sw_trust_file(const sw_trust *t);
void sw_trust_free(sw_trust *t);

/* What a document's signature turned out to be. */
typedef enum sw_sig_state {
        SW_SIG_UNSIGNED = 0,   /* no "signature" member */
        SW_SIG_MALFORMED = 1,  /* not "ed25519:" + base64 of 64 bytes */
        SW_SIG_INVALID = 2,    /* no trusted key verifies it */
        SW_SIG_VALID = 3,      /* a trusted key verifies it */
        SW_SIG_UNVERIFIED = 4, /* well formed, no trust store to check */
} sw_sig_state;

/* "unsigned", "malformed", "invalid", "valid", "unverified". */
const char *sw_sig_state_name(sw_sig_state state);

/*
 * Sign a document in memory with the secret key in the file secret_key
 * (refused with SW_EPERM if group or others may read it).  *out receives
 * the document as written, with only the signature's value replaced or
 * the member added after the last one; free it with free().  key_id (may
 * be NULL) receives the signer's id.  name is used in messages.
 */
sw_code sw_sign_buffer(const char *buf, size_t len, const char *name,
                       const char *secret_key, char **out, size_t *out_len,
                       char key_id[SW_KEY_ID_SIZE], sw_error **err);

/*
 * Sign a file in place, atomically: the new text goes to a temporary file
 * in the same directory, is flushed and renamed over the old one.
 */
sw_code sw_sign_file(const char *path, const char *secret_key,
                     char key_id[SW_KEY_ID_SIZE], sw_error **err);

/*
 * Check a document's signature against a trust store.  With trust, only
 * SW_SIG_VALID returns SW_SUCCESS; every other state is SW_EPERM with a
 * message saying which.  With trust NULL the state is only reported.
 * state and key (index of the signer in trust) may be NULL.
 */
sw_code sw_verify_buffer(const char *buf, size_t len, const char *name,
                         const sw_trust *trust, sw_sig_state *state,
                         size_t *key, sw_error **err);
sw_code sw_verify_file(const char *path, const sw_trust *trust,
                       sw_sig_state *state, size_t *key, sw_error **err);

/*
 * Make loading require a valid signature by a key of trust_file (NULL
 * removes the trust store).  While one is set, a whitelist that is
 * unsigned or badly signed is refused with SW_EPERM right after parsing,
 * before any rule is read.  sw_config_load_trust says why a file was
 * refused; sw_config_set_trust only returns the code.
 */
sw_code sw_config_load_trust(sw_config *cfg, const char *trust_file,
                             sw_error **err);
sw_code sw_config_set_trust(sw_config *cfg, const char *trust_file);
/* With require set, loading without a trust store fails with SW_EPERM. */
void sw_config_require_signature(sw_config *cfg, bool require);

/* ------------------------------------------------------------------ */
/* Export (OCI, Kubernetes, raw BPF, C)                                */
/* ------------------------------------------------------------------ */

typedef enum sw_export_format {
        SW_EXPORT_OCI = 0,      /* the linux.seccomp object of a runtime spec */
        SW_EXPORT_K8S = 1,      /* Security Profiles Operator, YAML */
        SW_EXPORT_K8S_JSON = 2, /* the same resource as JSON */
        SW_EXPORT_BPF = 3,      /* struct sock_filter[], as bwrap --seccomp */
        SW_EXPORT_C = 4,        /* a C initializer of the same program */
} sw_export_format;

typedef struct sw_export_options {
        /*
         * "crun", "runc" or "bwrap": also allow the calls that runtime makes
         * between loading the filter and running the command (each is
         * reported); NULL = none.
         */
        const char *runtime;
        /* Export even where OCI cannot keep the meaning; report each loss. */
        bool allow_loss;
} sw_export_options;

/*
 * Write wl in another format.  OCI and Kubernetes keep the meaning exactly
 * or the export fails with SW_EPROTO (every loss is an error in *report);
 * with allow_loss they are warnings and the export goes on.  BPF and C are
 * the compiled and proven program for cfg's architecture.  On success
 * *out (len bytes, NUL-terminated for text formats) is owned by the
 * caller (free()).  *report is set whenever report is not NULL.
 */
sw_code sw_export(const sw_whitelist *wl, const sw_config *cfg,
                  sw_export_format format, const sw_export_options *opts,
                  char **out, size_t *len, sw_report **report, sw_error **err);

/* ------------------------------------------------------------------ */
/* Explain and disassemble                                             */
/* ------------------------------------------------------------------ */

/*
 * Why filter f, compiled from wl, takes its action for system call nr
 * (numbered for f's architecture) with args: the call, the action, the
 * rule and condition that decided it, the mechanism that judges its
 * port, and how many BPF instructions ran, as text for people in *out
 * (free() it).  *action receives the seccomp action from the interpreter.
 * SW_EINTERNAL when the filter and the whitelist disagree (*out is set
 * all the same).  cfg may be NULL.
 */
sw_code sw_explain(const sw_whitelist *wl, const sw_filter *f,
                   const sw_config *cfg, int nr, const uint64_t args[6],
                   uint32_t *action, char **out, sw_error **err);

/* A seccomp action for people: "ALLOW", "ERRNO(EPERM)", "KILL_PROCESS". */
void sw_action_text(uint32_t action, char *buf, size_t size);

/*
 * A listing of filter f, one instruction a line, with the fields loaded,
 * the architectures and system calls compared (and, when wl is the
 * whitelist f was compiled from, the rule each number belongs to) and
 * the actions returned.  wl may be NULL (a raw program).  *out is the
 * caller's (free()).
 */
sw_code sw_disasm(const sw_filter *f, const sw_whitelist *wl, char **out,
                  sw_error **err);

/* ------------------------------------------------------------------ */
/* Complain mode                                                       */
/* ------------------------------------------------------------------ */

/*
 * Told of every call complain mode lets through that the filter would
 * have refused: the task, the call's name and arguments, the action the
 * filter would have taken (SECCOMP_RET_*) and how often this call was
 * refused so far (1 the first time).  name belongs to the library.
 */
typedef void (*sw_complain_fn)(void *ctx, pid_t pid, const char *name,
                               const uint64_t args[6], uint32_t action,
                               uint64_t count);

/*
 * Run argv (argv[0] searched in PATH) under filter f, compiled from wl,
 * in complain mode: what the whitelist allows is allowed exactly as in
 * enforcing mode; a call it would kill or deny is allowed too, and fn
 * (may be NULL) is told.  Complain mode is a calibration tool, not a
 * sandbox: the refused calls run.  Blocks until every task of the
 * command has ended.  *out holds the refused calls (sw_trace_call_*,
 * sw_trace_call_action()) and the command's status; free it with
 * sw_trace_free().  SW_EPERM for a whitelist with port restrictions
 * (not enforced in complain mode) or a kernel without user notification.
 */
sw_code sw_complain_run(const sw_whitelist *wl, const sw_filter *f,
                        char *const argv[], sw_complain_fn fn, void *ctx,
                        sw_trace **out, sw_error **err);

/* What the filter would have done with refused call i (complain mode). */
uint32_t sw_trace_call_action(const sw_trace *t, size_t i);

/* ------------------------------------------------------------------ */
/* Compiled-filter cache                                               */
/* ------------------------------------------------------------------ */

/*
 * A directory of compiled, proven filters, each keyed by a content hash
 * of everything that decides its program: the document's bytes, the
 * build of libsyswall and libseccomp, the kernel's release, the target
 * architecture and the options that change what is accepted or built
 * (backend, strict, authority, Landlock).  `syswall run` uses it to skip
 * reading and compiling a whitelist it has run before (docs/run.md).
 * The directory and every entry must belong to the effective user and
 * be writable by nobody else; an entry is checked (magic, format, key,
 * length, the program's hash, the program's structure) before it is
 * used.  The proof is not run again on a hit: it ran when the entry was
 * written.
 */
typedef struct sw_cache sw_cache;

/* Bytes of a cache key. */
#define SW_CACHE_KEY_SIZE 32

/* Flag of an entry: its document was read without a warning. */
#define SW_CACHE_CLEAN 1u

/*
 * The default cache directory, malloc'd: $SYSWALL_CACHE_DIR, else
 * $XDG_CACHE_HOME/syswall, else ~/.cache/syswall (for root too).  NULL
 * when none can be named (no home directory) or out of memory.
 */
char *sw_cache_default_dir(void);

/*
 * Open the cache directory dir (NULL: the default), creating what is
 * missing with mode 0700.  SW_EPERM when it is a symbolic link, belongs
 * to another user or is writable by group or others; SW_EIO when it
 * cannot be created or opened.  Free *out with sw_cache_free().
 */
sw_code sw_cache_open(const char *dir, sw_cache **out, sw_error **err);
void sw_cache_free(sw_cache *c);
/* The directory's path (owned by c). */
const char *sw_cache_path(const sw_cache *c);

/* The key of a document of len bytes read and compiled under cfg. */
void sw_cache_key(const void *doc, size_t len, const sw_config *cfg,
                  unsigned char key[SW_CACHE_KEY_SIZE]);

/*
 * The filter stored under key.  SW_SUCCESS with *out (free it with
 * sw_filter_free(); it has no pseudo-code listing) and *flags (may be
 * NULL) as stored; SW_ENOENT when there is no entry; SW_EPERM for an
 * entry of another user or writable by others; SW_EPROTO for a corrupt
 * or truncated one.  On any failure the caller compiles the document
 * and stores the result, which replaces a bad entry.
 */
sw_code sw_cache_lookup(const sw_cache *c,
                        const unsigned char key[SW_CACHE_KEY_SIZE],
                        sw_filter **out, unsigned *flags, sw_error **err);

/*
 * Store f, made by sw_compile, under key with flags (SW_CACHE_*),
 * atomically: written under a temporary name, then renamed.  SW_EPROTO
 * for a filter that was not compiled here or that restricts ports (its
 * plan is built from the document, which an entry does not hold).
 */
sw_code sw_cache_store(const sw_cache *c,
                       const unsigned char key[SW_CACHE_KEY_SIZE],
                       const sw_filter *f, unsigned flags, sw_error **err);

#ifdef __cplusplus
}
#endif

#endif /* SYSWALL_H */
