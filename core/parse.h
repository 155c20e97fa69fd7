/*
 * parse.h - strict parsing of untrusted bytes: form bodies, UTF-8, numbers.
 *
 * Everything here takes (pointer, length) and never assumes a NUL.  It knows
 * nothing of HTTP or of surveys: survey-server hands it a request body, forms/
 * reads the fields it returns.  A field that does not decode cleanly is an
 * error for the whole body, never silently repaired.
 */
#ifndef SV_PARSE_H
#define SV_PARSE_H

#include <stddef.h>

#include "err.h"
#include "limits.h"

#define PARSE_MAX_FIELDS LIMIT_FORM_FIELDS  /* fields in one form body */
#define PARSE_MAX_NAME LIMIT_FIELD_NAME     /* bytes in one decoded field name */
#define PARSE_MAX_VALUE LIMIT_FIELD_VALUE   /* bytes in one decoded field value */

struct form_field {
	const char *name;   /* decoded, NUL-terminated, valid UTF-8 */
	const char *value;  /* decoded, NUL-terminated, valid UTF-8, CR removed */
	size_t value_len;   /* bytes in value */
};

struct form_body {
	struct form_field *fields; /* in the order sent */
	size_t count;              /* number of fields */
	char *mem;                 /* one block holding every decoded string */
	size_t mem_len;            /* its size, so it can be wiped */
};

/*
 * Decodes an application/x-www-form-urlencoded body into fields.  On error
 * *why names the problem in plain words (a static string) and out is empty.
 * Rejects bad percent-encoding, invalid UTF-8, NUL and other control bytes
 * (tab and newline are kept in values), empty or over-long names, and more
 * than PARSE_MAX_FIELDS fields.  Free with form_body_free, which wipes the
 * decoded text (it may be a young person's words).
 */
enum sv_err form_body_parse(const char *body, size_t len,
			    struct form_body *out /* OUT */,
			    const char **why /* OUT */);
void form_body_free(struct form_body *fb);

/* The first value sent for name, or NULL. */
const char *form_body_get(const struct form_body *fb, const char *name);

/* 1 if the n bytes are well-formed UTF-8 (no overlongs, no surrogates). */
int utf8_valid(const char *s, size_t n);

/* Number of code points in valid UTF-8. */
size_t utf8_length(const char *s, size_t n);

/*
 * Parses a whole decimal integer in [min, max] from n bytes (optional leading
 * '-', digits only, nothing else).  SV_ERR_INVALID otherwise.
 */
/* The value of one hex digit (either case), or -1. */
int parse_hex_digit(unsigned char c);

enum sv_err parse_int(const char *s, size_t n, long long min, long long max,
		      long long *out /* OUT */);

#define PARSE_MAX_ID LIMIT_ID_BYTES  /* bytes in an id: survey, theme, option */

/* 1 if s is an id: 1 to PARSE_MAX_ID bytes of a-z, 0-9 and '-'. */
int id_valid(const char *s, size_t n);

/* 1 if the n bytes are a real calendar day written YYYY-MM-DD. */
int day_valid(const char *s, size_t n);

/*
 * Finds the cookie called name in the n bytes of a Cookie header
 * ("a=1; b=2") and copies its value, NUL-ended and without surrounding
 * double quotes, into out (cap bytes).  Returns the value's length, or -1
 * when there is no such cookie, when its value holds a byte RFC 6265 does not
 * allow in one, or when it does not fit.  The first cookie of that name wins.
 */
long parse_cookie(const char *header, size_t n, const char *name, char *out, size_t cap);

#endif
