/*
 * scmp_export.c - libseccomp's program generator, run where its failures
 * cannot hurt the caller.
 *
 * libseccomp 2.5.4 does not survive every allocation failure while it
 * generates a program (found by scripts/failalloc.sh): a failed realloc
 * in _bpf_append_blk() frees the instruction array but leaves the pointer
 * behind, and _program_free() frees it a second time (fixed upstream
 * after 2.5.4, "bpf: properly reset/clear the bpf_program on error in
 * _bpf_append_blk()"); a failed hash-table entry in _hsh_add() makes its
 * caller free an instruction block that is still linked, and the cleanup
 * walks into freed memory, or loops over a list it corrupted.  Those end
 * in abort(), SIGSEGV or a process that never returns from
 * seccomp_export_bpf(), and no caller can prevent them.
 *
 * So the export runs in a forked child that writes into the caller's
 * file and exits; the parent only waits.  A child that dies leaves the
 * parent's memory as it was, and the failure is SW_EINTERNAL.  The child
 * may use SW_EXPORT_CPU_SECONDS of processor time (a program of the
 * kernel's 4096 instructions takes milliseconds, under valgrind a few
 * hundred), so a generator that loops is stopped by SIGXCPU.
 *
 * Two cases stay in-process, with libseccomp's defect: a process already
 * under a seccomp filter (one of syswall's kills every call it does not
 * list, and fork may be one of them), and a fork refused for lack of
 * processes (EAGAIN).  When the child's status cannot be known (the
 * program ignores SIGCHLD, or reaps every child itself), its output is
 * used if it is whole; compile.c proves every program it uses anyway.
 */
#include "compile.h"

#include <errno.h>
#include <seccomp.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SW_EXPORT_CPU_SECONDS 2

static int export_here(scmp_filter_ctx ctx, bool pfc, int fd)
{
        return pfc ? seccomp_export_pfc(ctx, fd) : seccomp_export_bpf(ctx, fd);
}

/* Output of a child whose exit status was lost: whole, or nothing. */
static bool output_whole(int fd, bool pfc)
{
        struct stat st;

        if (fstat(fd, &st) != 0 || st.st_size <= 0)
                return false;
        return pfc || st.st_size % (off_t)sizeof(struct sock_filter) == 0;
}

static sw_code wait_export(pid_t pid, int fd, bool pfc, sw_error **err)
{
        int status;
        pid_t got;

        do
                got = waitpid(pid, &status, 0);
        while (got < 0 && errno == EINTR);
        if (got < 0)
                return output_whole(fd, pfc)
                               ? SW_SUCCESS
                               : sw_fail(err, SW_EINTERNAL,
                                         "libseccomp failed to export the "
                                         "filter (its process was lost)");
        if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU)
                return sw_fail(err, SW_EINTERNAL,
                               "libseccomp did not finish exporting the "
                               "filter in %d s of processor time (out of "
                               "memory?)",
                               SW_EXPORT_CPU_SECONDS);
        if (WIFSIGNALED(status))
                return sw_fail(err, SW_EINTERNAL,
                               "libseccomp failed to export the filter: it "
                               "died of signal %d (out of memory?)",
                               WTERMSIG(status));
        if (WEXITSTATUS(status) != 0)
                return sw_fail(err, SW_EINTERNAL,
                               "libseccomp failed to export the filter: %s",
                               strerror(WEXITSTATUS(status)));
        return SW_SUCCESS;
}

/* The child: export, and say how it went in the exit status. */
static void export_child(scmp_filter_ctx ctx, bool pfc, int fd)
{
        struct rlimit cpu;
        int rc;

        /* Lower the limit only: never raise one the caller set. */
        if (getrlimit(RLIMIT_CPU, &cpu) == 0 &&
            cpu.rlim_cur > SW_EXPORT_CPU_SECONDS) {
                cpu.rlim_cur = SW_EXPORT_CPU_SECONDS;
                if (cpu.rlim_max != RLIM_INFINITY &&
                    cpu.rlim_max < cpu.rlim_cur)
                        cpu.rlim_cur = cpu.rlim_max;
                (void)setrlimit(RLIMIT_CPU, &cpu);
        }
        rc = export_here(ctx, pfc, fd);

        _exit(rc == 0 ? 0 : rc < 0 && -rc < 256 ? -rc : EIO);
}

sw_code sw_scmp_export(void *ctx, bool pfc, int fd, sw_error **err)
{
        int rc;

        if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 0) {
                pid_t pid = fork();

                if (pid == 0)
                        export_child(ctx, pfc, fd);
                if (pid > 0)
                        return wait_export(pid, fd, pfc, err);
                if (errno != EAGAIN)
                        return sw_fail(err, SW_EINTERNAL,
                                       "cannot fork to export the filter: %s",
                                       strerror(errno));
        }

        rc = export_here(ctx, pfc, fd);
        if (rc != 0)
                return sw_fail(err, SW_EINTERNAL,
                               "libseccomp failed to export the filter: %s",
                               strerror(-rc));
        return SW_SUCCESS;
}
