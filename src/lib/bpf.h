/*
 * bpf.h - a classic-BPF interpreter for seccomp programs.
 *
 * The compiler's proof, the tests and `explain` run programs here instead
 * of in the kernel.  sw_bpf_check() is as strict as the kernel's own
 * checker (and stricter where the kernel would accept a program that can
 * never be right, such as a load of a misaligned field); sw_bpf_run()
 * assumes a checked program.
 */
#ifndef SW_BPF_H
#define SW_BPF_H

#include "internal.h"

#include <linux/filter.h>
#include <linux/seccomp.h>

/* The kernel's limit for one program (BPF_MAXINSNS). */
#define SW_BPF_MAX_INSNS 4096

/* Byte offsets of the fields of struct seccomp_data. */
#define SW_OFF_NR   0
#define SW_OFF_ARCH 4
#define SW_OFF_IP   8
#define SW_OFF_ARGS 16

/*
 * Check that prog[0..len) is a program the kernel would run to a return
 * on every path.  On failure the error names the instruction.
 */
sw_code sw_bpf_check(const struct sock_filter *prog, size_t len,
                     sw_error **err);

/*
 * Run a checked program on one input.  Returns the action (the value of
 * the return instruction reached); *insns, when not NULL, receives the
 * number of instructions executed.
 */
uint32_t sw_bpf_run(const struct sock_filter *prog, size_t len,
                    const struct seccomp_data *data, unsigned *insns);

/* Is the target's byte order (AUDIT_ARCH value) not this machine's? */
bool sw_bpf_foreign_order(uint32_t arch);

/* Swap the byte order of every instruction (code and k). */
void sw_bpf_swap(struct sock_filter *prog, size_t len);

/* Fill a seccomp_data from its parts. */
void sw_bpf_data(struct seccomp_data *data, uint32_t arch, int nr,
                 const uint64_t args[6]);

#endif /* SW_BPF_H */
