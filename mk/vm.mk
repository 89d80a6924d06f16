# Real-kernel proof (tests/vm/, bench/): included by the Makefile.
# The guest suite runs as part of `make check` (tests/run.sh vm); the
# benchmark only on request.  Kernel and swapspace packages are fetched
# with apt-get download into $(GM_VM_CACHE) (default
# /var/cache/ghostmemory-vm), never into the tree; the static workload and
# the initramfs are built in a temporary directory by the scripts.

# The qemu guest scenarios alone (about 5 minutes under TCG).
check-vm: ghostmemory
	sh tests/run.sh vm

# Survival matrix (with zram rows), stress cells, what is held while
# calm and idle cost; writes bench/results.md (24 minutes on 2 quiet
# cores, 45 loaded; BENCH_* variables, listed in bench/run.sh, pick parts).  Root
# for the idle part (loop mount).
bench: ghostmemory
	sh bench/run.sh

# The real workloads (apt, a compile) on the booted Debian 12 guest under
# each swap provider; writes bench/workloads.md (about 45 minutes).
bench-workloads:
	sh bench/workloads.sh

# Swap on NFS: ghostmemory, a static file on the same export and
# swapspace, two guests, one provider at a time; writes bench/nfs.md.
bench-nfs: ghostmemory
	sh bench/nfs.sh

.PHONY: check-vm bench-workloads bench-nfs
