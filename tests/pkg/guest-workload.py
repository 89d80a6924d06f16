# Guest side of tests/pkg/t_autopkgtest.sh (not a test itself): holds
# SIZE MiB of anonymous memory pushed out to swap with MADV_PAGEOUT
# (no memory pressure needed), writes its pid to READY once they are out,
# and on SIGUSR1 checks that every page still holds what was written
# (writes "ok" or "bad" to OKFILE).
#   python3 guest-workload.py SIZE_MIB READY OKFILE
import mmap
import os
import signal
import sys

size = int(sys.argv[1]) << 20
ready, okfile = sys.argv[2], sys.argv[3]
# 1 MiB of a pattern that no page of zeros or of another block matches.
block = bytes((i * 7 + 1) & 0xFF for i in range(4096)) * 256
mem = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
for off in range(0, size, len(block)):
    mem[off:off + len(block)] = block
# MADV_PAGEOUT is 21 (asm-generic/mman-common.h); Python 3.11 lacks the name.
mem.madvise(getattr(mmap, "MADV_PAGEOUT", 21))


def check(_sig, _frame):
    good = all(mem[off:off + len(block)] == block
               for off in range(0, size, len(block)))
    with open(okfile, "w", encoding="ascii") as f:
        f.write("ok\n" if good else "bad\n")


signal.signal(signal.SIGUSR1, check)
with open(ready + ".new", "w", encoding="ascii") as f:
    f.write("%d\n" % os.getpid())
os.rename(ready + ".new", ready)
while True:
    signal.pause()
