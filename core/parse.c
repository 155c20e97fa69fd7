/*
 * parse.c - strict decoding of untrusted bytes (see parse.h).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int parse_hex_digit(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decodes src[0..n) into dst (which has room for n + 1 bytes), dropping CR so
 * that "\r\n" from browsers becomes "\n".  Returns the decoded length, or -1
 * with *why set.
 */
static long decode_component(const char *src, size_t n, char *dst,
			     int is_name, const char **why)
{
	size_t out = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)src[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi = i + 2 < n ? parse_hex_digit((unsigned char)src[i + 1]) : -1;
			int lo = i + 2 < n ? parse_hex_digit((unsigned char)src[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				*why = "a percent sign is not followed by two hex digits";
				return -1;
			}
			c = (unsigned char)(hi * 16 + lo);
			i += 2;
		}
		if (c == '\r')
			continue;
		if (c == 0 || (c < 0x20 && (is_name || (c != '\n' && c != '\t'))) || c == 0x7f) {
			*why = "the form contains a control character";
			return -1;
		}
		dst[out++] = (char)c;
	}
	dst[out] = '\0';
	if (!utf8_valid(dst, out)) {
		*why = "the form is not valid UTF-8 text";
		return -1;
	}
	return (long)out;
}

enum sv_err form_body_parse(const char *body, size_t len,
			    struct form_body *out, const char **why)
{
	size_t pieces = 1;
	enum sv_err rc = SV_OK;

	out->fields = NULL;
	out->count = 0;
	out->mem = NULL;
	out->mem_len = 0;
	*why = NULL;
	for (size_t i = 0; i < len; i++)
		pieces += body[i] == '&';
	if (pieces > PARSE_MAX_FIELDS) {
		*why = "the form has too many fields";
		return SV_ERR_TOOBIG;
	}
	/* Decoding never lengthens; each field adds at most two NULs. */
	out->mem_len = len + 2 * pieces + 1;
	out->mem = malloc(out->mem_len);
	out->fields = calloc(pieces, sizeof *out->fields);
	if (!out->mem || !out->fields) {
		rc = SV_ERR_NOMEM;
		*why = "out of memory";
		goto out;
	}

	char *dst = out->mem;
	size_t pos = 0;
	while (pos <= len) {
		size_t end = pos;
		while (end < len && body[end] != '&')
			end++;
		if (end > pos) { /* skip empty pieces such as "a=1&&b=2" */
			size_t eq = pos;
			while (eq < end && body[eq] != '=')
				eq++;
			size_t name_raw = eq - pos;
			size_t value_raw = eq < end ? end - eq - 1 : 0;
			long nlen = decode_component(body + pos, name_raw, dst, 1, why);
			if (nlen < 0) { rc = SV_ERR_INVALID; goto out; }
			if (nlen == 0 || nlen > PARSE_MAX_NAME) {
				*why = nlen ? "a field name is too long" : "a field has no name";
				rc = SV_ERR_INVALID;
				goto out;
			}
			struct form_field *f = &out->fields[out->count++];
			f->name = dst;
			dst += nlen + 1;
			long vlen = decode_component(body + eq + (eq < end), value_raw, dst, 0, why);
			if (vlen < 0) { rc = SV_ERR_INVALID; goto out; }
			if (vlen > PARSE_MAX_VALUE) {
				*why = "an answer is too long";
				rc = SV_ERR_TOOBIG;
				goto out;
			}
			f->value = dst;
			f->value_len = (size_t)vlen;
			dst += vlen + 1;
		}
		pos = end + 1;
	}
out:
	if (rc)
		form_body_free(out);
	return rc;
}

void form_body_free(struct form_body *fb)
{
	if (fb->mem)
		explicit_bzero(fb->mem, fb->mem_len);
	free(fb->fields);
	free(fb->mem);
	fb->fields = NULL;
	fb->mem = NULL;
	fb->mem_len = 0;
	fb->count = 0;
}

const char *form_body_get(const struct form_body *fb, const char *name)
{
	for (size_t i = 0; i < fb->count; i++)
		if (strcmp(fb->fields[i].name, name) == 0)
			return fb->fields[i].value;
	return NULL;
}

int utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t need;
		unsigned int cp, min;
		if (c < 0x80) { i++; continue; }
		else if ((c & 0xe0) == 0xc0) { need = 1; cp = c & 0x1f; min = 0x80; }
		else if ((c & 0xf0) == 0xe0) { need = 2; cp = c & 0x0f; min = 0x800; }
		else if ((c & 0xf8) == 0xf0) { need = 3; cp = c & 0x07; min = 0x10000; }
		else return 0;
		if (n - i - 1 < need)
			return 0;
		for (size_t k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

size_t utf8_length(const char *s, size_t n)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++)
		count += ((unsigned char)s[i] & 0xc0) != 0x80;
	return count;
}

enum sv_err parse_int(const char *s, size_t n, long long min, long long max,
		      long long *out)
{
	size_t i = 0;
	int negative = 0;
	unsigned long long value = 0;

	if (n > 0 && s[0] == '-') {
		negative = 1;
		i = 1;
	}
	if (i == n || n - i > 19)
		return SV_ERR_INVALID;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return SV_ERR_INVALID;
		value = value * 10 + (unsigned long long)(s[i] - '0');
	}
	/* The magnitude may reach 2^63 only for a negative number. */
	unsigned long long limit = (unsigned long long)LLONG_MAX + (negative ? 1u : 0u);
	if (value > limit)
		return SV_ERR_INVALID;
	long long v = negative ? (long long)(0 - value) : (long long)value;
	if (v < min || v > max)
		return SV_ERR_INVALID;
	*out = v;
	return SV_OK;
}

int id_valid(const char *s, size_t n)
{
	if (n == 0 || n > PARSE_MAX_ID)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return 0;
	}
	return 1;
}

int day_valid(const char *s, size_t n)
{
	static const int days_in[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (n != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > days_in[m - 1])
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return !(m == 2 && d == 29 && !leap);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* RFC 6265 cookie-octet: visible ASCII but '"', ',', ';' and '\\'. */
static int cookie_octet(unsigned char c)
{
	return c >= 0x21 && c <= 0x7e && c != '"' && c != ',' && c != ';' && c != '\\';
}

long parse_cookie(const char *h, size_t n, const char *name, char *out, size_t cap)
{
	size_t nlen = strlen(name), i = 0;

	if (cap > 0)
		out[0] = '\0';
	while (i < n) {
		while (i < n && is_blank(h[i]))
			i++;
		size_t start = i;
		while (i < n && h[i] != ';')
			i++;
		size_t end = i++;
		while (end > start && is_blank(h[end - 1]))
			end--;
		if (end - start <= nlen || memcmp(h + start, name, nlen) != 0 || h[start + nlen] != '=')
			continue;
		const char *v = h + start + nlen + 1;
		size_t vlen = end - start - nlen - 1;
		if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
			v++;
			vlen -= 2;
		}
		if (vlen >= cap)
			return -1;
		for (size_t k = 0; k < vlen; k++)
			if (!cookie_octet((unsigned char)v[k]))
				return -1;
		memcpy(out, v, vlen);
		out[vlen] = '\0';
		return (long)vlen;
	}
	return -1;
}
