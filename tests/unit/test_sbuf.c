/*
 * test_sbuf.c - core/sbuf: plain and formatted adds, HTML and JSON escaping,
 * the hard cap (SV_ERR_TOOBIG, sticky until reset), embedded NULs, reset,
 * take and free; a buffer marked sbuf_wipe_always leaves no copy of its
 * bytes in freed memory when it grows, is reset or freed (read back through
 * /proc/self/mem, which shows freed memory without touching it from C).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../core/sbuf.h"
#include "check.h"

static void test_add(void)
{
	struct sbuf b;

	sbuf_init(&b, 1000);
	CHECK(b.buf == NULL && b.len == 0 && b.err == SV_OK);
	sbuf_adds(&b, "hello");
	sbuf_add(&b, ", world!!", 7);
	CHECK_STR(b.buf, "hello, world");
	CHECK(b.len == 12);
	sbuf_addf(&b, " %d-%s-%05.1f", 42, "x", 3.25);
	CHECK_STR(b.buf, "hello, world 42-x-003.2");
	CHECK(b.len == strlen("hello, world 42-x-003.2"));
	CHECK(b.err == SV_OK);
	sbuf_free(&b);
	CHECK(b.buf == NULL && b.len == 0);
}

/* Formatted text longer than sbuf_addf's 256-byte stack buffer. */
static void test_addf_long(void)
{
	struct sbuf b;
	char want[1001];

	memset(want, 'q', 1000);
	want[1000] = '\0';
	sbuf_init(&b, 5000);
	sbuf_adds(&b, "<");
	sbuf_addf(&b, "%s>", want);
	CHECK(b.err == SV_OK);
	CHECK(b.len == 1002);
	CHECK(b.buf && b.buf[0] == '<' && b.buf[1001] == '>' && b.buf[1002] == '\0');
	CHECK(b.buf && strspn(b.buf + 1, "q") == 1000);
	sbuf_free(&b);
}

static void test_embedded_nul(void)
{
	struct sbuf b;

	sbuf_init(&b, 100);
	sbuf_add(&b, "a\0b", 3);
	CHECK(b.len == 3);
	CHECK(b.buf && memcmp(b.buf, "a\0b", 4) == 0);
	sbuf_free(&b);
}

static void test_html(void)
{
	struct sbuf b;

	sbuf_init(&b, 1000);
	sbuf_adds_html(&b, "a & b < c > d \"e\" 'f'");
	CHECK_STR(b.buf, "a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39;");
	sbuf_reset(&b);
	sbuf_adds_html(&b, "<script>");
	CHECK_STR(b.buf, "&lt;script&gt;");
	sbuf_reset(&b);
	sbuf_adds_html(&b, "plain caf\xc3\xa9");
	CHECK_STR(b.buf, "plain caf\xc3\xa9");
	sbuf_reset(&b);
	/* Only n bytes are read. */
	sbuf_add_html(&b, "&&&", 2);
	CHECK_STR(b.buf, "&amp;&amp;");
	sbuf_free(&b);
}

static void test_json(void)
{
	struct sbuf b;

	sbuf_init(&b, 1000);
	sbuf_adds(&b, "\"");
	sbuf_add_json(&b, "say \"hi\"\\ now", strlen("say \"hi\"\\ now"));
	sbuf_adds(&b, "\"");
	CHECK_STR(b.buf, "\"say \\\"hi\\\"\\\\ now\"");
	sbuf_reset(&b);
	const char *ctl = "a\nb\rc\td\x01" "e\x1f";
	sbuf_add_json(&b, ctl, strlen(ctl));
	CHECK_STR(b.buf, "a\\nb\\rc\\td\\u0001e\\u001f");
	sbuf_reset(&b);
	/* '<' is escaped so "</script>" cannot end an inline script. */
	sbuf_add_json(&b, "</script>", 9);
	CHECK_STR(b.buf, "\\u003c/script>");
	sbuf_reset(&b);
	/* UTF-8 passes through untouched. */
	sbuf_add_json(&b, "\xe2\x80\x9cok\xe2\x80\x9d", 8);
	CHECK_STR(b.buf, "\xe2\x80\x9cok\xe2\x80\x9d");
	sbuf_reset(&b);
	/* An embedded NUL becomes \u0000. */
	sbuf_add_json(&b, "x\0y", 3);
	CHECK_STR(b.buf, "x\\u0000y");
	sbuf_reset(&b);
	/* sbuf_add_json_plain: '<' as itself, the rest escaped the same. */
	sbuf_add_json_plain(&b, "</script> \"\\\n\t", 14);
	CHECK_STR(b.buf, "</script> \\\"\\\\\\n\\t");
	sbuf_reset(&b);
	/* At most SBUF_JSON_PLAIN_MAX bytes for any character a form can hold. */
	const char *each[] = { "<", ">", "&", "\"", "\\", "\n", "\t", "x", "\xc3\xa9",
		"\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf" };
	for (size_t i = 0; i < sizeof each / sizeof *each; i++) {
		sbuf_reset(&b);
		sbuf_add_json_plain(&b, each[i], strlen(each[i]));
		CHECK(b.len >= 1 && b.len <= SBUF_JSON_PLAIN_MAX);
	}
	sbuf_free(&b);
}

static void test_cap(void)
{
	struct sbuf b;

	sbuf_init(&b, 10);
	sbuf_adds(&b, "0123456789"); /* exactly the cap: fine */
	CHECK(b.err == SV_OK);
	CHECK(b.len == 10);
	sbuf_adds(&b, "x");
	CHECK(b.err == SV_ERR_TOOBIG);
	CHECK(b.len == 10);
	CHECK_STR(b.buf, "0123456789");

	/* Sticky: even a tiny add afterwards does nothing. */
	sbuf_add(&b, "", 0);
	sbuf_addf(&b, "%s", "");
	CHECK(b.err == SV_ERR_TOOBIG);
	CHECK(b.len == 10);

	/* take refuses a buffer with an error, and leaves it empty. */
	size_t n = 99;
	char *p = sbuf_take(&b, &n);
	CHECK(p == NULL);
	CHECK(n == 0);
	CHECK(b.buf == NULL && b.len == 0 && b.err == SV_OK);
	sbuf_free(&b);

	/* A big addf over the cap fails without writing. */
	sbuf_init(&b, 300);
	sbuf_adds(&b, "abc");
	sbuf_addf(&b, "%0400d", 7);
	CHECK(b.err == SV_ERR_TOOBIG);
	CHECK(b.len == 3);
	CHECK_STR(b.buf, "abc");
	/* Nothing more gets in, even something that would fit. */
	sbuf_adds(&b, "d");
	CHECK(b.len == 3);
	/* reset clears the error and empties the buffer. */
	sbuf_reset(&b);
	CHECK(b.err == SV_OK && b.len == 0);
	sbuf_adds(&b, "d");
	CHECK_STR(b.buf, "d");
	sbuf_free(&b);

	/* Escaping that pushes past the cap trips it too. */
	sbuf_init(&b, 8);
	sbuf_adds_html(&b, "<<");  /* 8 bytes: fits */
	CHECK(b.err == SV_OK && b.len == 8);
	sbuf_adds_html(&b, "<");
	CHECK(b.err == SV_ERR_TOOBIG);
	sbuf_free(&b);
}

static void test_take(void)
{
	struct sbuf b;
	size_t n = 0;

	sbuf_init(&b, 100);
	CHECK(sbuf_take(&b, &n) == NULL); /* nothing added */
	CHECK(n == 0);
	sbuf_adds(&b, "take me");
	char *p = sbuf_take(&b, &n);
	CHECK_STR(p, "take me");
	CHECK(n == 7);
	CHECK(b.buf == NULL && b.len == 0);
	free(p);
	/* The buffer can be used again after take. */
	sbuf_adds(&b, "again");
	p = sbuf_take(&b, NULL);
	CHECK_STR(p, "again");
	free(p);
	sbuf_free(&b);
}

/* 1 if the n bytes at address at hold marker, 0 if not, -1 if they cannot
 * be read.  Through /proc/self/mem: the bytes may be freed already, and
 * reading them from C would be use after free. */
static int mem_has(uintptr_t at, size_t n, const char *marker)
{
	char copy[4096];
	int fd = open("/proc/self/mem", O_RDONLY);

	if (fd < 0 || n > sizeof copy) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	ssize_t got = pread(fd, copy, n, (off_t)at);
	close(fd);
	if (got != (ssize_t)n)
		return -1;
	size_t m = strlen(marker);
	for (size_t i = 0; i + m <= n; i++)
		if (memcmp(copy + i, marker, m) == 0)
			return 1;
	return 0;
}

static void test_wipe(void)
{
	char marker[40];
	char filler[600];
	struct sbuf b;

	/* Made at run time, so that it is not in the program's own bytes. */
	snprintf(marker, sizeof marker, "%s-%d-%s", "answer", 4711, "quokka");
	memset(filler, 'x', sizeof filler);

	/* The check can fail: a freed block keeps what it held. */
	char *plain = malloc(256);
	CHECK(plain != NULL);
	if (!plain)
		return;
	memset(plain, '.', 256);
	memcpy(plain + 64, marker, strlen(marker));
	__asm__ volatile("" : : "r"(plain) : "memory");   /* the stores before free are kept */
	uintptr_t was = (uintptr_t)plain;
	free(plain);
	CHECK(mem_has(was, 256, marker) == 1);

	/* Growing: the bytes move and the old block is wiped before it is freed. */
	sbuf_init(&b, 1 << 20);
	sbuf_wipe_always(&b);
	sbuf_add(&b, filler, 64);
	sbuf_adds(&b, marker);
	uintptr_t old = (uintptr_t)b.buf;
	size_t old_cap = b.cap;
	CHECK(old_cap == 256);
	sbuf_add(&b, filler, sizeof filler);   /* past 256: a new block */
	CHECK(b.err == SV_OK && b.cap > old_cap && (uintptr_t)b.buf != old);
	CHECK(b.buf && memcmp(b.buf + 64, marker, strlen(marker)) == 0);   /* moved whole */
	CHECK(b.len == 64 + strlen(marker) + sizeof filler);
	CHECK(mem_has(old, old_cap, marker) == 0);

	/* Reset wipes the block it keeps; free wipes before freeing. */
	sbuf_reset(&b);
	sbuf_adds(&b, marker);
	uintptr_t kept = (uintptr_t)b.buf;
	size_t kept_cap = b.cap;
	sbuf_reset(&b);
	CHECK((uintptr_t)b.buf == kept && mem_has(kept, 64, marker) == 0);
	sbuf_adds(&b, marker);
	sbuf_free(&b);
	CHECK(b.buf == NULL && b.wipe == 0);   /* free ends it */
	CHECK(mem_has(kept, kept_cap < 4096 ? kept_cap : 4096, marker) == 0);
}

int main(void)
{
	test_add();
	test_addf_long();
	test_embedded_nul();
	test_html();
	test_json();
	test_cap();
	test_take();
	test_wipe();
	return CHECK_DONE();
}
