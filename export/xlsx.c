/*
 * xlsx.c - an export as a spreadsheet (.xlsx) with libxlsxwriter, made from
 * the export's own CSV (see export.h).
 *
 * Reading the CSV back, rather than writing the tables a second time, makes
 * the spreadsheet the CSV cell for cell: the same suppression ("<5", "[c]",
 * "[x]"), the same labels, and the same formula safety.  A quoted field is
 * written as a string, never a formula, with its text exactly as in the CSV
 * (a cell starting = + - @ keeps the apostrophe csv.c put before it, so a
 * copy saved again as CSV is as safe as ours); an unquoted field is a whole
 * number (counts, ids, 1 and 0) and is written as a number; an empty one is
 * left blank.  The CSV is the one csv.c and responses.c write (RFC 4180,
 * CRLF, quotes doubled); anything else is SV_ERR_INVALID.
 *
 * libxlsxwriter keeps its parts in temporary files (in tmpdir) until the
 * workbook is closed, and deletes them then.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>
#include <xlsxwriter.h>

#include "export.h"

struct csv_cursor {
	const char *p, *end;
	struct sbuf field;            /* the field being read, unquoted */
	int quoted;                   /* it was quoted: a string */
};

/* Reads one field; 1 if a row follows it on the same line, 0 at a row's
 * end, -1 on malformed CSV. */
static int next_field(struct csv_cursor *c)
{
	c->field.len = 0;
	c->quoted = c->p < c->end && *c->p == '"';
	if (c->quoted) {
		c->p++;
		for (;;) {
			if (c->p >= c->end)
				return -1;
			if (*c->p == '"') {
				if (c->p + 1 < c->end && c->p[1] == '"') {
					sbuf_add(&c->field, "\"", 1);
					c->p += 2;
					continue;
				}
				c->p++;
				break;
			}
			sbuf_add(&c->field, c->p, 1);
			c->p++;
		}
	} else {
		const char *start = c->p;
		while (c->p < c->end && *c->p != ',' && *c->p != '\r' && *c->p != '\n')
			c->p++;
		sbuf_add(&c->field, start, (size_t)(c->p - start));
	}
	sbuf_add(&c->field, "", 1);   /* NUL, not counted below */
	c->field.len--;
	if (c->p < c->end && *c->p == ',') {
		c->p++;
		return 1;
	}
	if (c->p + 1 < c->end && c->p[0] == '\r' && c->p[1] == '\n')
		c->p += 2;
	else if (c->p < c->end && *c->p == '\n')
		c->p++;
	else if (c->p < c->end)
		return -1;
	return 0;
}

/* 1 if s is a whole number as csv.c writes one (digits, at most 15). */
static int whole_number(const char *s, size_t n)
{
	if (n == 0 || n > 15)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static enum sv_err from_lxw(lxw_error e)
{
	switch (e) {
	case LXW_NO_ERROR:
		return SV_OK;
	case LXW_ERROR_MEMORY_MALLOC_FAILED:
		return SV_ERR_NOMEM;
	case LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED:
	case LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE:
		return SV_ERR_TOOBIG;
	default:
		return SV_ERR_IO;
	}
}

enum sv_err export_xlsx_write(const char *csv, size_t len, const char *sheet, const char *path,
			      const char *tmpdir)
{
	lxw_workbook_options opt = { .constant_memory = LXW_FALSE, .tmpdir = (char *)tmpdir };
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, sheet) : NULL;
	lxw_format *bold = wb ? workbook_add_format(wb) : NULL;
	struct csv_cursor c = { .p = csv, .end = csv + len };
	enum sv_err rc = SV_OK;
	lxw_row_t row = 0;
	lxw_col_t col = 0, widest = 0;

	if (!ws || !bold) {
		rc = SV_ERR_NOMEM;
		goto out;
	}
	format_set_bold(bold);
	sbuf_init(&c.field, EXPORT_MAX_OUTPUT);
	if (len >= 3 && memcmp(csv, "\xEF\xBB\xBF", 3) == 0)
		c.p += 3;   /* a byte-order mark for Excel's CSV import */
	while (!rc && c.p < c.end) {
		int more = next_field(&c);
		if (more < 0 || c.field.err) {
			rc = more < 0 ? SV_ERR_INVALID : c.field.err;
			break;
		}
		if (row >= LXW_ROW_MAX || col >= LXW_COL_MAX) {
			rc = SV_ERR_TOOBIG;
			break;
		}
		const char *s = c.field.buf ? c.field.buf : "";
		lxw_error e = LXW_NO_ERROR;
		if (!c.quoted && whole_number(s, c.field.len))
			e = worksheet_write_number(ws, row, col, strtod(s, NULL), NULL);
		else if (c.quoted || c.field.len)
			e = worksheet_write_string(ws, row, col, s, row == 0 ? bold : NULL);
		rc = from_lxw(e);
		if (more) {
			col++;
		} else {
			if (col + 1 > widest)
				widest = col + 1;
			col = 0;
			row++;
		}
	}
	if (c.field.buf)
		sodium_memzero(c.field.buf, c.field.cap);   /* answers, for responses */
	sbuf_free(&c.field);
	if (!rc && row > 0) {
		worksheet_freeze_panes(ws, 1, 0);
		worksheet_set_column(ws, 0, widest ? widest - 1 : 0, 16, NULL);
	}
out:
	if (wb) {
		lxw_error e = workbook_close(wb);   /* writes the file, frees wb */
		if (!rc)
			rc = from_lxw(e);
	}
	return rc;
}

/* One export_xlsx_write on a thread of its own. */
struct xlsx_job {
	const char *csv, *sheet, *path;
	size_t len;
	enum sv_err rc;
};

static void *xlsx_thread(void *arg)
{
	struct xlsx_job *j = arg;
	j->rc = export_xlsx_write(j->csv, j->len, j->sheet, j->path, NULL);
	return NULL;
}

/*
 * minizip (under libxlsxwriter) keeps a large buffer on the stack when it
 * opens the zip, more than a web server's request thread has, so the
 * workbook is written on a thread with a stack of XLSX_STACK.
 */
#define XLSX_STACK (8 * 1024 * 1024)

enum sv_err export_xlsx_bytes(const char *csv, size_t len, const char *sheet, struct sbuf *out)
{
	char path[] = "/tmp/youthvoice-xlsx-XXXXXX";
	int fd = mkstemp(path);
	struct xlsx_job job = { csv, sheet, path, len, SV_ERR_NOMEM };
	pthread_attr_t attr;
	pthread_t th;
	enum sv_err rc;

	if (fd < 0)
		return SV_ERR_IO;
	close(fd);
	if (pthread_attr_init(&attr) == 0) {
		if (pthread_attr_setstacksize(&attr, XLSX_STACK) == 0 &&
		    pthread_create(&th, &attr, xlsx_thread, &job) == 0)
			pthread_join(th, NULL);
		pthread_attr_destroy(&attr);
	}
	rc = job.rc;
	FILE *f = rc ? NULL : fopen(path, "rb");
	if (!rc && !f)
		rc = SV_ERR_IO;
	char buf[16384];
	size_t n;
	while (f && (n = fread(buf, 1, sizeof buf, f)) > 0)
		sbuf_add(out, buf, n);
	if (f && ferror(f))
		rc = SV_ERR_IO;
	if (f)
		fclose(f);
	unlink(path);
	return rc ? rc : out->err;
}
