/* The version-1 swap header page, as util-linux mkswap writes it: zeroed
 * boot bytes, the header fields at offset 1024, the signature at the very
 * end of the first page.  Pure: no system calls, page size passed in. */
#include "swaphdr.h"

#include <errno.h>
#include <string.h>

#define SWAPHDR_BOOTBITS 1024u
#define SWAPHDR_SIG "SWAPSPACE2"
#define SWAPHDR_SIG_LEN 10u
#define SWAPHDR_LABEL_LEN 16u
#define SWAPHDR_UUID_LEN 16u

/* Offsets of the fields after the boot bytes (struct swap_header_v1_2). */
#define OFF_VERSION (SWAPHDR_BOOTBITS + 0)
#define OFF_LAST_PAGE (SWAPHDR_BOOTBITS + 4)
#define OFF_NR_BADPAGES (SWAPHDR_BOOTBITS + 8)
#define OFF_UUID (SWAPHDR_BOOTBITS + 12)
#define OFF_LABEL (OFF_UUID + SWAPHDR_UUID_LEN)

/* The kernel knows page sizes from 4 KiB to 64 KiB (ppc64, arm64); be a
 * little generous above but never accept something that is not a page. */
static int page_size_ok(size_t page_size)
{
	return page_size >= 4096 && page_size <= (1u << 20) &&
	       (page_size & (page_size - 1)) == 0;
}

/* Native endianness, like the kernel reads it; memcpy avoids alignment
 * and aliasing trouble. */
static void put_u32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static uint32_t get_u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Pages of a file, or 0 when it cannot hold a header the kernel accepts:
 * last_page is a u32, so larger files are refused rather than wrapped. */
static uint64_t file_pages(size_t page_size, uint64_t file_size_b)
{
	uint64_t pages = file_size_b / page_size;

	if (pages < SWAPHDR_MIN_PAGES || pages - 1 > UINT32_MAX)
		return 0;
	return pages;
}

int swaphdr_build(uint8_t *page, size_t page_size, uint64_t file_size_b,
		  const uint8_t uuid[16], const char *label)
{
	uint64_t pages;

	if (page == NULL || uuid == NULL || !page_size_ok(page_size))
		return -EINVAL;
	pages = file_pages(page_size, file_size_b);
	if (pages == 0)
		return -EINVAL;

	memset(page, 0, page_size);
	put_u32(page + OFF_VERSION, 1);
	put_u32(page + OFF_LAST_PAGE, (uint32_t)(pages - 1));
	put_u32(page + OFF_NR_BADPAGES, 0);
	memcpy(page + OFF_UUID, uuid, SWAPHDR_UUID_LEN);
	if (label != NULL) {
		/* Like mkswap: at most 15 bytes, so the field stays a
		 * NUL-terminated string for blkid and swaplabel. */
		size_t label_len = strlen(label);


		if (label_len > SWAPHDR_LABEL_LEN - 1)
			label_len = SWAPHDR_LABEL_LEN - 1;
		memcpy(page + OFF_LABEL, label, label_len);
	}
	memcpy(page + page_size - SWAPHDR_SIG_LEN, SWAPHDR_SIG,
	       SWAPHDR_SIG_LEN);
	return 0;
}

int swaphdr_check(const uint8_t *page, size_t page_size,
		  uint64_t file_size_b)
{
	uint64_t pages;

	if (page == NULL || !page_size_ok(page_size))
		return -EINVAL;
	pages = file_pages(page_size, file_size_b);
	if (pages == 0)
		return -EINVAL;
	if (memcmp(page + page_size - SWAPHDR_SIG_LEN, SWAPHDR_SIG,
		   SWAPHDR_SIG_LEN) != 0)
		return -EINVAL;
	if (get_u32(page + OFF_VERSION) != 1)
		return -EINVAL;
	/* The kernel would accept a smaller last_page, but a file of ours
	 * always describes exactly itself; anything else was not made by
	 * us, or the file was truncated or extended since. */
	if ((uint64_t)get_u32(page + OFF_LAST_PAGE) != pages - 1)
		return -EINVAL;
	if (get_u32(page + OFF_NR_BADPAGES) != 0)
		return -EINVAL;
	return 0;
}

void swaphdr_uuid_v4(uint8_t uuid[16])
{
	/* RFC 4122: version 4 in the high nibble of byte 6, variant 10 in
	 * the top bits of byte 8. */
	uuid[6] = (uint8_t)((uuid[6] & 0x0f) | 0x40);
	uuid[8] = (uint8_t)((uuid[8] & 0x3f) | 0x80);
}

bool swaphdr_is_hibernation(const uint8_t *page, size_t page_size)
{
	static const char *const sigs[] = {"S1SUSPEND", "ULSUSPEND",
					   "LINHIB0001"};
	size_t i;

	if (page_size < 4096)
		return false;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (memcmp(page + page_size - 10, sigs[i], strlen(sigs[i])) == 0)
			return true;
	return false;
}
