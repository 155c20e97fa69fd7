/*
 * test_parse.c - core/parse: form body decoding (plain fields, '+', %XX, CRLF,
 * empty pieces, repeated names, and every way a body is refused), form_body_get,
 * utf8_valid and utf8_length, parse_int and id_valid.
 */
#include <stdlib.h>
#include <string.h>

#include "../../core/parse.h"
#include "check.h"

/* Parses a NUL-ended body; the result is the return code. */
static enum sv_err parse(const char *body, struct form_body *fb, const char **why)
{
	return form_body_parse(body, strlen(body), fb, why);
}

/* 1 if body is refused with want, with a reason and an empty result. */
static int refused(const char *body, enum sv_err want)
{
	struct form_body fb;
	const char *why = NULL;
	enum sv_err rc = parse(body, &fb, &why);
	int ok = rc == want && why != NULL && fb.count == 0 && fb.fields == NULL &&
		fb.mem == NULL;
	if (!ok)
		fprintf(stderr, "  body \"%.60s\": rc %d, why %s\n", body, (int)rc,
			why ? why : "(null)");
	if (rc == SV_OK)
		form_body_free(&fb);
	return ok;
}

static void test_plain(void)
{
	struct form_body fb;
	const char *why = "unset";

	CHECK(parse("a=1&bb=two&c=", &fb, &why) == SV_OK);
	CHECK(why == NULL);
	CHECK(fb.count == 3);
	if (fb.count == 3) {
		CHECK_STR(fb.fields[0].name, "a");
		CHECK_STR(fb.fields[0].value, "1");
		CHECK(fb.fields[0].value_len == 1);
		CHECK_STR(fb.fields[1].name, "bb");
		CHECK_STR(fb.fields[1].value, "two");
		CHECK(fb.fields[1].value_len == 3);
		CHECK_STR(fb.fields[2].name, "c");
		CHECK_STR(fb.fields[2].value, "");
		CHECK(fb.fields[2].value_len == 0);
	}
	form_body_free(&fb);
	CHECK(fb.count == 0 && fb.fields == NULL && fb.mem == NULL);

	/* A name without '=' has an empty value. */
	CHECK(parse("flag", &fb, &why) == SV_OK);
	CHECK(fb.count == 1);
	if (fb.count == 1) {
		CHECK_STR(fb.fields[0].name, "flag");
		CHECK_STR(fb.fields[0].value, "");
	}
	form_body_free(&fb);

	/* An empty body has no fields. */
	CHECK(form_body_parse("", 0, &fb, &why) == SV_OK);
	CHECK(fb.count == 0);
	form_body_free(&fb);

	/* Only len bytes are read: no NUL needed. */
	CHECK(form_body_parse("x=12345", 4, &fb, &why) == SV_OK);
	CHECK(fb.count == 1);
	if (fb.count == 1)
		CHECK_STR(fb.fields[0].value, "12");
	form_body_free(&fb);
}

static void test_decoding(void)
{
	struct form_body fb;
	const char *why;

	CHECK(parse("my+name=hello+there+%2B+%26+%3D+%25&e=caf%C3%A9%e2%80%9c", &fb, &why) == SV_OK);
	CHECK(fb.count == 2);
	if (fb.count == 2) {
		CHECK_STR(fb.fields[0].name, "my name");
		CHECK_STR(fb.fields[0].value, "hello there + & = %");
		CHECK_STR(fb.fields[1].value, "caf\xc3\xa9\xe2\x80\x9c");
		CHECK(fb.fields[1].value_len == 8);
	}
	form_body_free(&fb);

	/* CRLF from a textarea becomes LF; tab and LF are kept in values. */
	CHECK(parse("t=line+1%0D%0Aline+2%0D%0A%09end%0Ax", &fb, &why) == SV_OK);
	CHECK(fb.count == 1);
	if (fb.count == 1) {
		CHECK_STR(fb.fields[0].value, "line 1\nline 2\n\tend\nx");
		CHECK(fb.fields[0].value_len == strlen("line 1\nline 2\n\tend\nx"));
	}
	form_body_free(&fb);

	/* A %XX right at the very end of the body. */
	CHECK(parse("z=%41", &fb, &why) == SV_OK);
	CHECK(fb.count == 1 && strcmp(fb.fields[0].value, "A") == 0);
	form_body_free(&fb);
}

static void test_pieces(void)
{
	struct form_body fb;
	const char *why;

	CHECK(parse("&a=1&&b=2&", &fb, &why) == SV_OK);
	CHECK(fb.count == 2);
	if (fb.count == 2) {
		CHECK_STR(fb.fields[0].name, "a");
		CHECK_STR(fb.fields[1].name, "b");
		CHECK_STR(fb.fields[1].value, "2");
	}
	form_body_free(&fb);

	/* Repeated names are all kept, in order; get gives the first. */
	CHECK(parse("pick=x&other=o&pick=y&pick=z", &fb, &why) == SV_OK);
	CHECK(fb.count == 4);
	if (fb.count == 4) {
		CHECK_STR(fb.fields[0].value, "x");
		CHECK_STR(fb.fields[2].value, "y");
		CHECK_STR(fb.fields[3].value, "z");
		CHECK_STR(fb.fields[3].name, "pick");
	}
	CHECK_STR(form_body_get(&fb, "pick"), "x");
	CHECK_STR(form_body_get(&fb, "other"), "o");
	CHECK(form_body_get(&fb, "missing") == NULL);
	CHECK(form_body_get(&fb, "pic") == NULL);
	form_body_free(&fb);
}

static void test_refused(void)
{
	char big[PARSE_MAX_VALUE + 100];

	CHECK(refused("a=%zz", SV_ERR_INVALID));
	CHECK(refused("a=%4", SV_ERR_INVALID));
	CHECK(refused("a=%", SV_ERR_INVALID));
	CHECK(refused("a=%4&b=1", SV_ERR_INVALID));
	CHECK(refused("a%g0=1", SV_ERR_INVALID));
	CHECK(refused("a=%00", SV_ERR_INVALID));
	CHECK(refused("a=x%01", SV_ERR_INVALID));
	CHECK(refused("a=x%1b", SV_ERR_INVALID));
	CHECK(refused("a=x%7F", SV_ERR_INVALID));
	/* Controls in names, including tab and newline that values may hold. */
	CHECK(refused("a%09b=1", SV_ERR_INVALID));
	CHECK(refused("a%0Ab=1", SV_ERR_INVALID));
	CHECK(refused("a%01=1", SV_ERR_INVALID));
	/* A raw control byte is refused as well as an encoded one. */
	CHECK(refused("a=x\x01y", SV_ERR_INVALID));
	/* Invalid UTF-8: bad continuation, overlong, surrogate, truncated, too big. */
	CHECK(refused("a=%C3%28", SV_ERR_INVALID));
	CHECK(refused("a=%C0%AF", SV_ERR_INVALID));
	CHECK(refused("a=%E0%80%AF", SV_ERR_INVALID));
	CHECK(refused("a=%ED%A0%80", SV_ERR_INVALID));
	CHECK(refused("a=%E2%80", SV_ERR_INVALID));
	CHECK(refused("a=%F4%90%80%80", SV_ERR_INVALID));
	CHECK(refused("a=%FF", SV_ERR_INVALID));
	CHECK(refused("a=\xc3(", SV_ERR_INVALID));
	CHECK(refused("%C3%28=1", SV_ERR_INVALID));
	/* Names must be there. */
	CHECK(refused("=x", SV_ERR_INVALID));
	CHECK(refused("a=1&=x", SV_ERR_INVALID));

	/* Names: PARSE_MAX_NAME bytes is fine, one more is not. */
	memset(big, 'n', PARSE_MAX_NAME);
	memcpy(big + PARSE_MAX_NAME, "=1", 3);
	{
		struct form_body fb;
		const char *why;
		CHECK(parse(big, &fb, &why) == SV_OK);
		CHECK(fb.count == 1 && strlen(fb.fields[0].name) == PARSE_MAX_NAME);
		form_body_free(&fb);
	}
	memset(big, 'n', PARSE_MAX_NAME + 1);
	memcpy(big + PARSE_MAX_NAME + 1, "=1", 3);
	CHECK(refused(big, SV_ERR_INVALID));
	/* The limit is on decoded bytes: 65 encoded bytes that decode to 64 pass. */
	memset(big, 'n', PARSE_MAX_NAME - 1);
	memcpy(big + PARSE_MAX_NAME - 1, "%41=1", 6);
	{
		struct form_body fb;
		const char *why;
		CHECK(parse(big, &fb, &why) == SV_OK);
		form_body_free(&fb);
	}

	/* Values: PARSE_MAX_VALUE bytes is fine, one more is SV_ERR_TOOBIG. */
	memcpy(big, "v=", 3);
	memset(big + 2, 'x', PARSE_MAX_VALUE);
	big[2 + PARSE_MAX_VALUE] = '\0';
	{
		struct form_body fb;
		const char *why;
		CHECK(parse(big, &fb, &why) == SV_OK);
		CHECK(fb.count == 1 && fb.fields[0].value_len == PARSE_MAX_VALUE);
		form_body_free(&fb);
	}
	big[2 + PARSE_MAX_VALUE] = 'x';
	big[3 + PARSE_MAX_VALUE] = '\0';
	CHECK(refused(big, SV_ERR_TOOBIG));
}

/* n fields "f=1&f=1&...", malloc'd. */
static char *many_fields(int n)
{
	char *s = malloc((size_t)n * 4 + 1);
	size_t k = 0;

	if (!s)
		return NULL;
	for (int i = 0; i < n; i++) {
		if (i)
			s[k++] = '&';
		memcpy(s + k, "f=1", 3);
		k += 3;
	}
	s[k] = '\0';
	return s;
}

static void test_field_limit(void)
{
	struct form_body fb;
	const char *why;
	char *s = many_fields(PARSE_MAX_FIELDS);

	CHECK(s && parse(s, &fb, &why) == SV_OK);
	CHECK(fb.count == PARSE_MAX_FIELDS);
	form_body_free(&fb);
	free(s);

	s = many_fields(PARSE_MAX_FIELDS + 1);
	CHECK(s && refused(s, SV_ERR_TOOBIG));
	free(s);
}

static void test_utf8(void)
{
	/* "héllo “wörld” 😀": 5 + 1 + 7 + 1 + 1 code points. */
	const char *s = "h\xc3\xa9llo \xe2\x80\x9cw\xc3\xb6rld\xe2\x80\x9d \xf0\x9f\x98\x80";

	CHECK(utf8_valid(s, strlen(s)));
	CHECK(utf8_length(s, strlen(s)) == 15);
	CHECK(utf8_length("abc", 3) == 3);
	CHECK(utf8_length("", 0) == 0);
	CHECK(utf8_valid("", 0));
	CHECK(utf8_valid("\xef\xbf\xbf", 3));          /* U+FFFF */
	CHECK(utf8_valid("\xf4\x8f\xbf\xbf", 4));      /* U+10FFFF */
	CHECK(utf8_valid("\xed\x9f\xbf", 3));          /* U+D7FF, just below surrogates */
	CHECK(!utf8_valid("\xc3\x28", 2));
	CHECK(!utf8_valid("\xc0\xaf", 2));             /* overlong '/' */
	CHECK(!utf8_valid("\xc1\xbf", 2));             /* overlong */
	CHECK(!utf8_valid("\xe0\x9f\xbf", 3));         /* overlong 3-byte */
	CHECK(!utf8_valid("\xf0\x8f\xbf\xbf", 4));     /* overlong 4-byte */
	CHECK(!utf8_valid("\xed\xa0\x80", 3));         /* U+D800 */
	CHECK(!utf8_valid("\xed\xbf\xbf", 3));         /* U+DFFF */
	CHECK(!utf8_valid("\xf4\x90\x80\x80", 4));     /* past U+10FFFF */
	CHECK(!utf8_valid("\xf8\x88\x80\x80\x80", 5)); /* 5-byte form */
	CHECK(!utf8_valid("\x80", 1));                 /* lone continuation */
	CHECK(!utf8_valid("\xe2\x80", 2));             /* truncated */
	CHECK(!utf8_valid("\xf0\x9f\x98\x80", 3));     /* cut by n */
	CHECK(!utf8_valid("\xc3\xa9\xc3", 3));
}

static void test_parse_int(void)
{
	long long v = -7;

	CHECK(parse_int("42", 2, 0, 100, &v) == SV_OK && v == 42);
	CHECK(parse_int("0", 1, 0, 100, &v) == SV_OK && v == 0);
	CHECK(parse_int("100", 3, 0, 100, &v) == SV_OK && v == 100);
	CHECK(parse_int("-5", 2, -10, 10, &v) == SV_OK && v == -5);
	CHECK(parse_int("007", 3, 0, 100, &v) == SV_OK && v == 7);
	CHECK(parse_int("123", 2, 0, 100, &v) == SV_OK && v == 12); /* only n bytes */
	v = 99;
	CHECK(parse_int("101", 3, 0, 100, &v) == SV_ERR_INVALID);
	CHECK(v == 99); /* untouched on error */
	CHECK(parse_int("-1", 2, 0, 100, &v) == SV_ERR_INVALID);
	CHECK(parse_int("-11", 3, -10, 10, &v) == SV_ERR_INVALID);
	CHECK(parse_int("", 0, 0, 100, &v) == SV_ERR_INVALID);
	CHECK(parse_int("-", 1, -10, 10, &v) == SV_ERR_INVALID);
	CHECK(parse_int("+5", 2, 0, 100, &v) == SV_ERR_INVALID);
	CHECK(parse_int(" 5", 2, 0, 100, &v) == SV_ERR_INVALID);
	CHECK(parse_int("5 ", 2, 0, 100, &v) == SV_ERR_INVALID);
	CHECK(parse_int("1a", 2, 0, 100, &v) == SV_ERR_INVALID);
	CHECK(parse_int("0x1", 3, 0, 100, &v) == SV_ERR_INVALID);
	CHECK(parse_int("--1", 3, -10, 10, &v) == SV_ERR_INVALID);
	CHECK(parse_int("1.0", 3, 0, 100, &v) == SV_ERR_INVALID);
	CHECK(parse_int("99999999999999999999", 20, 0, 9223372036854775807LL, &v) == SV_ERR_INVALID);
	CHECK(parse_int("9999999999999999999", 19, 0, 9223372036854775807LL, &v) == SV_ERR_INVALID);
	CHECK(parse_int("9223372036854775808", 19, 0, 9223372036854775807LL, &v) == SV_ERR_INVALID);
	CHECK(parse_int("18446744073709551617", 20, 0, 9223372036854775807LL, &v) == SV_ERR_INVALID);
	CHECK(parse_int("9223372036854775807", 19, 0, 9223372036854775807LL, &v) == SV_OK &&
	      v == 9223372036854775807LL);
	CHECK(parse_int("-9223372036854775807", 20, -9223372036854775807LL, 0, &v) == SV_OK &&
	      v == -9223372036854775807LL);
	/* LLONG_MIN is a whole decimal integer in [LLONG_MIN, 0]. */
	v = 0;
	CHECK(parse_int("-9223372036854775808", 20, -9223372036854775807LL - 1, 0, &v) == SV_OK &&
	      v == -9223372036854775807LL - 1);
}

static void test_id_valid(void)
{
	char id[PARSE_MAX_ID + 2];

	CHECK(id_valid("online-safety", 13));
	CHECK(id_valid("a", 1));
	CHECK(id_valid("16-17", 5));
	CHECK(!id_valid("", 0));
	CHECK(!id_valid("Bad", 3));
	CHECK(!id_valid("bad id", 6));
	CHECK(!id_valid("bad_id", 6));
	CHECK(!id_valid("a/b", 3));
	CHECK(!id_valid("caf\xc3\xa9", 5));
	CHECK(!id_valid("ab\0c", 4));
	CHECK(id_valid("abc!", 3)); /* only n bytes count */
	memset(id, 'a', sizeof id);
	CHECK(id_valid(id, PARSE_MAX_ID));
	CHECK(!id_valid(id, PARSE_MAX_ID + 1));
}

/* parse_cookie: what the staff pages read their session from. */
static void test_cookie(void)
{
	static const char h[] = "yv_login=abc; yv_staff=\"0123\" ;x=1;yv_staff=second";
	char out[8];

	CHECK(parse_cookie(h, strlen(h), "yv_login", out, sizeof out) == 3);
	CHECK_STR(out, "abc");
	CHECK(parse_cookie(h, strlen(h), "yv_staff", out, sizeof out) == 4);
	CHECK_STR(out, "0123");            /* quotes and trailing blanks go */
	CHECK(parse_cookie(h, strlen(h), "x", out, sizeof out) == 1);
	CHECK(parse_cookie(h, strlen(h), "yv", out, sizeof out) == -1);   /* a prefix is not a name */
	CHECK(parse_cookie(h, strlen(h), "staff", out, sizeof out) == -1); /* nor a suffix */
	CHECK(parse_cookie("a=123456789", 11, "a", out, sizeof out) == -1);  /* does not fit */
	CHECK(parse_cookie("a=12345678", 10, "a", out, sizeof out) == -1);   /* no room for NUL */
	CHECK(parse_cookie("a=1234567", 9, "a", out, sizeof out) == 7);
	CHECK(parse_cookie("a=x y", 5, "a", out, sizeof out) == -1);       /* space inside */
	CHECK(parse_cookie("a=x\\", 4, "a", out, sizeof out) == -1);
	CHECK(parse_cookie("a=\"", 3, "a", out, sizeof out) == -1);       /* a lone quote */
	CHECK(parse_cookie("a=\x80", 3, "a", out, sizeof out) == -1);
	CHECK(parse_cookie("a=", 2, "a", out, sizeof out) == 0);
	CHECK_STR(out, "");
	CHECK(parse_cookie("a=1", 1, "a", out, sizeof out) == -1);         /* length is obeyed */
	CHECK(parse_cookie("", 0, "a", out, sizeof out) == -1);
	CHECK(parse_cookie(";;; ;", 5, "a", out, sizeof out) == -1);
}

/* day_valid: staff-typed days (events, focus groups) and survey dates. */
static void test_day(void)
{
	CHECK(day_valid("2027-06-01", 10));
	CHECK(day_valid("2028-02-29", 10));             /* leap year */
	CHECK(day_valid("2000-02-29", 10));
	CHECK(!day_valid("1900-02-29", 10));
	CHECK(!day_valid("2027-02-29", 10));
	CHECK(!day_valid("2026-13-45", 10));            /* once taken by a focus group */
	CHECK(!day_valid("2026-00-10", 10));
	CHECK(!day_valid("2026-04-31", 10));
	CHECK(!day_valid("<script>a>", 10));             /* once taken by an event */
	CHECK(!day_valid("2026-1-100", 10));
	CHECK(!day_valid("2027-06-01", 9));
	CHECK(!day_valid("2027-06-011", 11));
}

int main(void)
{
	test_plain();
	test_decoding();
	test_pieces();
	test_refused();
	test_field_limit();
	test_utf8();
	test_parse_int();
	test_id_valid();
	test_cookie();
	test_day();
	return CHECK_DONE();
}
