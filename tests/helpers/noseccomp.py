# noseccomp.py PROG ARG... - run PROG under a filter that refuses the
# seccomp system call itself with EPERM and allows everything else: a
# kernel that will not take another filter.
import ctypes
import os
import struct
import sys

libc = ctypes.CDLL(None, use_errno=True)
U = ctypes.c_ulong
libc.prctl.argtypes = [ctypes.c_int, U, U, U, U]


def ins(code, jt, jf, k):
    return struct.pack("HBBI", code, jt, jf, k)


LD_ABS, JEQ, RET = 0x20, 0x15, 0x06
prog = b"".join([
    ins(LD_ABS, 0, 0, 4),            # arch
    ins(JEQ, 0, 2, 0xC000003E),      # not x86_64: allow (never here)
    ins(LD_ABS, 0, 0, 0),            # nr
    ins(JEQ, 0, 1, 317),             # seccomp(2)
    ins(RET, 0, 0, 0x00050000 | 1),  # ERRNO(EPERM)
    ins(RET, 0, 0, 0x7FFF0000),      # ALLOW
])
insns = ctypes.create_string_buffer(prog, len(prog))
fprog = ctypes.create_string_buffer(
    struct.pack("HxxxxxxP", len(prog) // 8, ctypes.addressof(insns)), 16)
if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
    sys.exit("noseccomp: PR_SET_NO_NEW_PRIVS failed")
if libc.prctl(22, 2, ctypes.addressof(fprog), 0, 0) != 0:  # SECCOMP_MODE_FILTER
    sys.exit("noseccomp: the filter was refused: errno %d" % ctypes.get_errno())
os.execv(sys.argv[1], sys.argv[1:])
