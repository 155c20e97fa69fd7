/*
 * fuzz_scrub.c - libFuzzer target for core/scrub: scrub_text on any valid
 * UTF-8 (invalid input must be refused with SV_ERR_INVALID and nothing
 * written).  Checks that a result is valid UTF-8, that a failure leaves the
 * buffer as it was, and that the match limits stop every pattern (only
 * SV_ERR_TOOBIG may come back for valid text).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/parse.h"
#include "../../core/scrub.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	unsigned counts[SCRUB_NKINDS] = { 0 };
	struct sbuf out;

	if (scrub_init() != SV_OK)
		abort();
	if (size > PARSE_MAX_VALUE)
		return 0; /* the parser never hands over more */
	sbuf_init(&out, 1024 * 1024);
	sbuf_adds(&out, "x");
	enum sv_err rc = scrub_text(text, size, &out, counts);
	if (!utf8_valid(text, size)) {
		if (rc != SV_ERR_INVALID || out.len != 1)
			abort();
	} else if (rc == SV_OK) {
		if (!utf8_valid(out.buf, out.len) || out.len < 1)
			abort();
		unsigned total = 0;
		for (int k = 0; k < SCRUB_NKINDS; k++)
			total += counts[k];
		/* Nothing removed means the text came through unchanged. */
		if (total == 0 && (out.len != size + 1 || memcmp(out.buf + 1, text, size) != 0))
			abort();
		if (total > 0 && !memmem(out.buf, out.len, " removed]", 9))
			abort();
	} else if (rc != SV_ERR_TOOBIG || out.len != 1) {
		abort();
	}
	sbuf_free(&out);
	return 0;
}
