/*
 * test_kiosk.c - what kiosk mode and posters keep and draw, without HTTP:
 * the kiosks table (core/store_kiosk.c: added, found by its token's hash,
 * listed newest first, switched off for good; schema 16 over a folder main
 * made at schema 13) and the QR code as SVG (forms/qr.c: a quiet zone,
 * finder patterns in three corners, label escaped, limits).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "../../core/sbuf.h"
#include "../../core/store.h"
#include "../../forms/qr.h"
#include "check.h"
#include "check_db.h"

static char dir[64];

struct seen { int n; long long ids[8]; int revoked[8]; };

static void on_kiosk(void *arg, const struct store_kiosk *k)
{
	struct seen *s = arg;
	if (s->n < 8) {
		s->ids[s->n] = k->id;
		s->revoked[s->n++] = k->revoked;
	}
}

static void test_store(void)
{
	struct store *st = NULL;
	struct store_kiosk k;
	long long a = 0, b = 0;
	struct seen seen = { 0 };

	CHECK(store_open(dir, &st) == SV_OK);
	if (!st)
		return;
	CHECK(store_kiosk_add(st, "aa11", "what-matters", "Blue tablet", "kai", "2026-11-22", &a) == SV_OK);
	CHECK(store_kiosk_add(st, "bb22", "your-area", "Green <tablet>", "cleo", "2026-11-23", &b) == SV_OK);
	CHECK(a > 0 && b > a);
	CHECK(store_kiosk_add(st, "aa11", "your-area", "Copy", "kai", "2026-11-23", &b) == SV_ERR_DB);
	CHECK(store_kiosk_find(st, "aa11", &k) == SV_OK);
	CHECK(k.id == a && !k.revoked);
	CHECK_STR(k.survey, "what-matters");
	CHECK_STR(k.name, "Blue tablet");
	CHECK_STR(k.made_by, "kai");
	CHECK_STR(k.day, "2026-11-22");
	CHECK(store_kiosk_find(st, "cc33", &k) == SV_ERR_NOTFOUND);
	CHECK(store_kiosk_each(st, on_kiosk, &seen) == SV_OK);
	CHECK(seen.n == 2 && seen.ids[0] > seen.ids[1]);
	CHECK(store_kiosk_revoke(st, a, &k) == SV_OK);
	CHECK(k.revoked && k.id == a);
	CHECK(store_kiosk_find(st, "aa11", &k) == SV_OK && k.revoked);
	CHECK(store_kiosk_revoke(st, 999, &k) == SV_ERR_NOTFOUND);
	store_close(st);
	/* Switched off for good: the column takes only 0 and 1, and reopening
	 * keeps it off. */
	CHECK(store_open(dir, &st) == SV_OK);
	if (!st)
		return;
	CHECK(store_kiosk_find(st, "aa11", &k) == SV_OK && k.revoked);
	store_close(st);
}

/* A data folder from main (schema 13, no kiosks table) takes schema 16. */
static void test_migrate(void)
{
	struct store *st = NULL;
	struct store_kiosk k;
	long long id;

	CHECK(check_db_exec(dir, "DROP TABLE kiosks; PRAGMA user_version = 13;") == 0);
	CHECK(store_open(dir, &st) == SV_OK);
	if (!st)
		return;
	CHECK(store_kiosk_find(st, "aa11", &k) == SV_ERR_NOTFOUND);
	CHECK(store_kiosk_add(st, "dd44", "what-matters", "Red", "kai", "2026-11-24", &id) == SV_OK);
	store_close(st);
}

/* The dark run starting at module (x, y) in the SVG path, or 0. */
static int run_at(const char *svg, int x, int y)
{
	char needle[32];
	snprintf(needle, sizeof needle, "M%d %dh", x + QR_QUIET, y + QR_QUIET);
	const char *p = strstr(svg, needle);
	return p ? atoi(p + strlen(needle)) : 0;
}

static void test_qr(void)
{
	struct sbuf b;
	char big[QR_MAX_TEXT + 2];

	sbuf_init(&b, 64 * 1024);
	CHECK(qr_svg(&b, "https://voice.example.org/s/what-matters", "Code <for> \"you\"") == SV_OK);
	CHECK(!b.err && b.buf);
	if (!b.buf)
		return;
	CHECK(strncmp(b.buf, "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ", 64) == 0);
	CHECK(strstr(b.buf, "aria-label=\"Code &lt;for&gt; &quot;you&quot;\"") != NULL);
	CHECK(b.len > 10 && strcmp(b.buf + b.len - 10, "z\"/></svg>") == 0);
	int side = atoi(b.buf + 64), w = side - 2 * QR_QUIET;
	CHECK(w >= 21 && (w - 21) % 4 == 0);   /* a QR version: 21, 25, 29 ... modules */
	/* Finder patterns: a 7-module run at the top of three corners, and the
	 * quiet zone left white (no run starts in it). */
	CHECK(run_at(b.buf, 0, 0) == 7);
	CHECK(run_at(b.buf, w - 7, 0) == 7);
	CHECK(run_at(b.buf, 0, w - 7) == 7);
	CHECK(strstr(b.buf, "M3 ") == NULL && strstr(b.buf, "M0 ") == NULL);
	sbuf_reset(&b);
	CHECK(qr_svg(&b, "", "x") == SV_ERR_TOOBIG && b.len == 0);
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	CHECK(qr_svg(&b, big, "x") == SV_ERR_TOOBIG && b.len == 0);
	sbuf_free(&b);
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/yv-kiosk-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	test_store();
	test_migrate();
	test_qr();
	check_remove_dir(dir);
	return CHECK_DONE();
}
