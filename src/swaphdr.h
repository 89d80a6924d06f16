/* The swap header page (version 1, "SWAPSPACE2"), built and checked in
 * memory.  Layout: 1024 boot bytes, u32 version, u32 last_page,
 * u32 nr_badpages, u8 uuid[16], char label[16], padding, bad page list;
 * the signature ends the page.  Native endianness. */
#ifndef GM_SWAPHDR_H
#define GM_SWAPHDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SWAPHDR_LABEL "ghostmemory"
#define SWAPHDR_MIN_PAGES 10

/* Fill page (page_size bytes) with a header for a file of file_size_b.
 * Returns 0, or -EINVAL if the file is under SWAPHDR_MIN_PAGES pages or
 * page_size is not a power of two >= 4096. */
int swaphdr_build(uint8_t *page, size_t page_size, uint64_t file_size_b,
		  const uint8_t uuid[16], const char *label);

/* Check a header read from a file of file_size_b: signature, version 1,
 * last_page consistent with the size, no bad pages.  0 or -EINVAL. */
int swaphdr_check(const uint8_t *page, size_t page_size,
		  uint64_t file_size_b);

/* Does the page's signature say a hibernation image is in the area (the
 * kernel's S1SUSPEND, uswsusp's ULSUSPEND, LINHIB0001)?  Such a file
 * has no swap signature until the image is resumed or discarded. */
bool swaphdr_is_hibernation(const uint8_t *page, size_t page_size);

/* Make a random version-4 UUID from 16 random bytes. */
void swaphdr_uuid_v4(uint8_t uuid[16]);

#endif
