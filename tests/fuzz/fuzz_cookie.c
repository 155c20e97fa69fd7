/*
 * fuzz_cookie.c - libFuzzer target for cookie and token parsing: the staff
 * session cookie read from any Cookie header (parse_cookie, as staff.c reads
 * it), and one-time form tokens (token_check) sent back as any bytes, which
 * must never pass without the key's MAC.  A token issued with the key must
 * pass once per input, as a control that the check still works.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/parse.h"
#include "../../core/token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int valid_cookie_byte(unsigned char c)
{
	return c >= 0x21 && c <= 0x7e && c != '"' && c != ',' && c != ';' && c != '\\';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "yv_staff", "yv_login", "a" };
	const char *h = (const char *)data;
	char out[80], id[TOKEN_ID_LEN + 1], issued[TOKEN_LEN + 1];
	struct token_key key;

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		memset(out, 'X', sizeof out);
		long n = parse_cookie(h, size, names[i], out, sizeof out);
		if (n < -1 || n >= (long)sizeof out)
			abort();
		if (n >= 0) {
			if (strlen(out) != (size_t)n)
				abort();
			for (long k = 0; k < n; k++)
				if (!valid_cookie_byte((unsigned char)out[k]))
					abort();
			/* The value came from the header, after "name=". */
			if (!memmem(h, size, out, (size_t)n))
				abort();
		}
	}

	memset(&key, 7, sizeof key);
	long today = 20000;
	if (token_check(&key, "what-matters", h, size, today, id) == SV_OK)
		abort(); /* a forgery: fuzz bytes cannot carry a valid MAC */
	token_issue(&key, "what-matters", today, issued);
	if (token_check(&key, "what-matters", issued, TOKEN_LEN, today, id) != SV_OK ||
	    token_check(&key, "your-area", issued, TOKEN_LEN, today, id) == SV_OK)
		abort(); /* good for its own survey only */
	return 0;
}
