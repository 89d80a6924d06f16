/* Small I/O helpers shared by the swap file code: whole writes, zero
 * filling that spares the page cache, and random bytes. */
#ifndef GM_SWAPIO_H
#define GM_SWAPIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* pwrite all of buf at off, retrying short writes and EINTR.
 * 0, or -1 with errno set. */
int swapio_write_all(int fd, const uint8_t *buf, size_t len, off_t off);

/* Zeros over [0, size_b) in 1 MiB writes, synced and dropped from the
 * page cache as it goes.  0, or -1 with errno set (ECANCELED once
 * *cancel, read atomically between writes, is set; cancel may be NULL). */
int swapio_write_zeros(int fd, uint64_t size_b, const int *cancel);

/* len random bytes from getrandom(2) (never blocking) or /dev/urandom.
 * 0, or -1 with errno set. */
int swapio_random(uint8_t *buf, size_t len);

#endif
