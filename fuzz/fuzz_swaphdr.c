/* libFuzzer target: the swap header validator used on leftovers
 * (swaphdr_check), cross-checked against swaphdr_build.
 *
 * Input layout: byte 0 picks the page size (below 0x80: 1 << (b % 21),
 * i.e. 1 B .. 1 MiB; from 0x80: a multiple of 1021, mostly not a power of
 * two); bytes 1-8 are the file size (little endian); the rest fills the
 * page, zero padded.  The page lives in an allocation of exactly
 * page_size bytes, so any read beyond it is an ASan report.
 *
 * Properties: 0 or -EINVAL; an accepted page has a power-of-two page
 * size from 4 KiB, at least 10 pages, "SWAPSPACE2" at its end, version 1,
 * last_page = pages - 1 and no bad pages; a header built for the same
 * size is accepted, and stays accepted when the boot bytes, UUID or label
 * change, but not when one byte of a checked field changes. */
#include "fuzz.h"
#include "swaphdr.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rd_u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static int fuzz_swaphdr_one(const uint8_t *data, size_t size)
{
	static const uint8_t uuid[16] = {1, 2, 3, 4, 5, 6, 0x47, 8,
					 0x89, 10, 11, 12, 13, 14, 15, 16};
	/* Offsets of the checked fields and of the free ones. */
	static const size_t checked[] = {1024, 1025, 1026, 1027, 1028, 1029,
					 1030, 1031, 1032, 1033, 1034, 1035};
	uint64_t file_size = 0, pages;
	size_t page_size, i, off;
	uint8_t *page, *built;
	char label[24];
	int rc, brc;

	if (size < 9)
		return 0;
	page_size = data[0] < 0x80 ? (size_t)1 << (data[0] % 21)
				   : (size_t)((data[0] & 0x7f) + 1) * 1021;
	for (i = 0; i < 8; i++)
		file_size |= (uint64_t)data[1 + i] << (8 * i);
	data += 9;
	size -= 9;

	page = malloc(page_size);
	built = malloc(page_size);
	if (page == NULL || built == NULL) {
		free(page);
		free(built);
		return 0;
	}
	memset(page, 0, page_size);
	memcpy(page, data, size < page_size ? size : page_size);

	rc = swaphdr_check(page, page_size, file_size);
	FUZZ_ASSERT(rc == 0 || rc == -EINVAL);
	pages = file_size / page_size;
	if (rc == 0) {
		FUZZ_ASSERT(page_size >= 4096 &&
			    (page_size & (page_size - 1)) == 0);
		FUZZ_ASSERT(pages >= SWAPHDR_MIN_PAGES);
		FUZZ_ASSERT(memcmp(page + page_size - 10, "SWAPSPACE2", 10) ==
			    0);
		FUZZ_ASSERT(rd_u32(page + 1024) == 1);
		FUZZ_ASSERT((uint64_t)rd_u32(page + 1028) == pages - 1);
		FUZZ_ASSERT(rd_u32(page + 1032) == 0);
	}

	/* A label of up to 23 bytes from the input (longer ones are cut
	 * to 15 by the builder); none when the input is empty. */
	i = size < sizeof(label) - 1 ? size : sizeof(label) - 1;
	memcpy(label, data, i);
	label[i] = '\0';
	brc = swaphdr_build(built, page_size, file_size, uuid,
			    size ? label : NULL);
	FUZZ_ASSERT(brc == 0 || brc == -EINVAL);
	if (rc == 0)
		FUZZ_ASSERT(brc == 0);
	if (brc == 0) {
		FUZZ_ASSERT(swaphdr_check(built, page_size, file_size) == 0);
		/* A byte the check ignores (boot bytes, UUID, label). */
		off = size ? data[0] % (1024 + 32) : 0;
		off = off < 1024 ? off : off + 12;
		built[off] ^= 0xff;
		FUZZ_ASSERT(swaphdr_check(built, page_size, file_size) == 0);
		built[off] ^= 0xff;
		/* A byte it must not ignore. */
		i = size > 1 ? data[1] % (sizeof(checked) / sizeof(checked[0]) + 10)
			     : 0;
		off = i < sizeof(checked) / sizeof(checked[0])
			      ? checked[i]
			      : page_size - 10 + (i - sizeof(checked) / sizeof(checked[0]));
		built[off] ^= size > 2 && data[2] ? data[2] : 0x01;
		FUZZ_ASSERT(swaphdr_check(built, page_size, file_size) != 0);
		/* Another size: accepted only if it has as many pages. */
		if (file_size + page_size > file_size) {
			built[off] ^= size > 2 && data[2] ? data[2] : 0x01;
			FUZZ_ASSERT(swaphdr_check(built, page_size,
						  file_size + page_size) != 0);
		}
	}
	free(page);
	free(built);
	return 0;
}

#ifndef GM_FUZZ_REGRESS
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_swaphdr_one(data, size);
}
#endif
