/*
 * test_export.c - export/: small-number suppression worked examples on a
 * hand-built table, what each cell publishes, CSV field quoting and formula
 * defusing, the exact CSV and the JSON shape, and export_table_build against
 * a real store (every (priority, theme) pair, a theme under two priorities
 * counted under both, the per-priority subtotals); the results page's
 * differencing rule and its responses per day suppressed with the table.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "../../core/files.h"
#include "../../export/export.h"
#include "check.h"

/* ---- a hand-built table ---- */

static char p1_name[] = "Ensure the best start for life";
static char p2_name[] = "Keep children \"safe\", always";
static char t1_id[] = "online-safety", t1_name[] = "Online safety";
static char t2_id[] = "dash", t2_name[] = "-dash theme";
static char cons_id[] = "cyp-plan-2027", cons_title[] = "Plan";

static struct priority p1 = { 1, p1_name };
static struct priority p2 = { 2, p2_name };
static struct theme t1 = { t1_id, t1_name, { 1 }, 1, NULL, 0 };
static struct theme t2 = { t2_id, t2_name, { 2 }, 1, NULL, 0 };

static void set_cells(struct cell cells[EXPORT_NCOLS], long long survey,
		      long long focus, long long market)
{
	cells[EXPORT_SURVEY].value = survey;
	cells[EXPORT_FOCUS_GROUP].value = focus;
	cells[EXPORT_MARKETPLACE].value = market;
	cells[EXPORT_TOTAL].value = survey + focus + market;
	for (int c = 0; c < EXPORT_NCOLS; c++)
		cells[c].state = CELL_HIDDEN; /* export_suppress must set every one */
}

static struct export_table table(struct export_row *rows, size_t nrows,
				 struct export_subtotal *subs, size_t nsubs)
{
	struct export_table t;

	memset(&t, 0, sizeof t);
	t.consultation = cons_id;
	t.title = cons_title;
	t.rows = rows;
	t.nrows = nrows;
	t.subtotals = subs;
	t.nsubtotals = nsubs;
	snprintf(t.generated, sizeof t.generated, "2026-11-22");
	/* Participation consistent with the subtotals, and large. */
	t.took_part.responses.value = 1000;
	t.took_part.messages.value = 1000;
	t.took_part.participants.value = 50;
	for (size_t i = 0; i < nsubs; i++)
		t.took_part.tokens.value += subs[i].cells[EXPORT_MARKETPLACE].value;
	return t;
}

/* The five published texts of a row (survey, focus_group, marketplace,
 * total, free_text), joined with '|'. */
static const char *row_text(const struct export_table *t, const struct cell cells[EXPORT_NCOLS])
{
	static char out[160];
	char one[32];
	size_t used = 0;

	out[0] = '\0';
	for (int c = 0; c < EXPORT_NCOLS; c++) {
		export_cell_text(t, &cells[c], one);
		int n = snprintf(out + used, sizeof out - used, "%s%s", one, c + 1 < EXPORT_NCOLS ? "|" : "");
		if (n > 0)
			used += (size_t)n;
	}
	return out;
}

/*
 * The worked example of the README's method note.  Priority One holds
 * themes A and B, priority Two holds B and C (B under both):
 *
 *   row      survey  focus  market  total        subtotal  survey focus market total
 *   One/A        3     10      20     33         One          22    14     28    64
 *   One/B       20      6       8     34         Two          25     6     16    47
 *   Two/B       20      6       9     35
 *   Two/C       12      0       7     19         took part: 40 responses, 20
 *                                                messages, 44 tokens, 12 people
 *
 * The 3 is small.  Hiding only it leaks it: 33 - 10 - 20.  Hiding One/A's
 * 10 too leaves 3 + [c] = 13, but the focus subtotal 14 (people who raised
 * A or B) bounds it: [c] is 9 to 12 and the 3 still 1 to 4; the survey
 * subtotal 22 with B's 20 says A's count is at least 2: 2, 3 or 4 remain.
 * The 0 is published as 0: no young person is behind it.
 */
static void test_suppress(void)
{
	static struct priority one = { 1, (char *)"One" }, two = { 2, (char *)"Two" };
	static struct theme a = { (char *)"a", (char *)"A", { 1 }, 1, NULL, 0 };
	static struct theme b = { (char *)"b", (char *)"B", { 1, 2 }, 2, NULL, 0 };
	static struct theme c = { (char *)"c", (char *)"C", { 2 }, 1, NULL, 0 };
	struct export_row rows[4];
	struct export_subtotal subs[2];

	memset(rows, 0, sizeof rows);
	memset(subs, 0, sizeof subs);
	rows[0] = (struct export_row){ &one, &a, { { 0 } } };
	rows[1] = (struct export_row){ &one, &b, { { 0 } } };
	rows[2] = (struct export_row){ &two, &b, { { 0 } } };
	rows[3] = (struct export_row){ &two, &c, { { 0 } } };
	set_cells(rows[0].cells, 3, 10, 20);
	set_cells(rows[1].cells, 20, 6, 8);
	set_cells(rows[2].cells, 20, 6, 9);
	set_cells(rows[3].cells, 12, 0, 7);
	subs[0].priority = &one;
	subs[1].priority = &two;
	set_cells(subs[0].cells, 22, 14, 28);
	set_cells(subs[1].cells, 25, 6, 16);
	struct export_table t = table(rows, 4, subs, 2);
	t.took_part.responses.value = 40;
	t.took_part.messages.value = 20;
	t.took_part.participants.value = 12;

	CHECK(export_suppress(&t, 5) == SV_OK);
	CHECK(t.min_cell == 5);
	CHECK_STR(row_text(&t, rows[0].cells), "<5|[c]|20|33|0");
	CHECK_STR(row_text(&t, rows[1].cells), "20|6|8|34|0");
	CHECK_STR(row_text(&t, rows[2].cells), "20|6|9|35|0");
	CHECK_STR(row_text(&t, rows[3].cells), "12|0|7|19|0");
	CHECK_STR(row_text(&t, subs[0].cells), "22|14|28|64|0");
	CHECK_STR(row_text(&t, subs[1].cells), "25|6|16|47|0");
	CHECK(t.took_part.responses.state == CELL_SHOWN && t.took_part.tokens.state == CELL_SHOWN);
	CHECK(t.secondary == 1);
	/* The true values are kept. */
	CHECK(rows[0].cells[EXPORT_FOCUS_GROUP].value == 10);
	CHECK(rows[0].cells[EXPORT_SURVEY].value == 3);

	/* A's survey count 4 and the subtotal 24: with B's 20 beside it, at
	 * least 4 raised A, which pins it.  The row rule alone misses this; the
	 * audit must not publish both the 24 and B's 20. */
	set_cells(rows[0].cells, 4, 10, 20);
	set_cells(subs[0].cells, 24, 14, 28);
	t = table(rows, 4, subs, 2);
	CHECK(export_suppress(&t, 5) == SV_OK);
	CHECK(rows[0].cells[EXPORT_SURVEY].state == CELL_SMALL);
	CHECK(subs[0].cells[EXPORT_SURVEY].state != CELL_SHOWN ||
	      rows[1].cells[EXPORT_SURVEY].state != CELL_SHOWN);
	/* B's survey count prints in two rows: both shown or both not. */
	CHECK(rows[1].cells[EXPORT_SURVEY].state == rows[2].cells[EXPORT_SURVEY].state);
	CHECK(rows[1].cells[EXPORT_FOCUS_GROUP].state == rows[2].cells[EXPORT_FOCUS_GROUP].state);

	/* min_cell 0: every cell shown exactly, even after an earlier run. */
	set_cells(rows[0].cells, 3, 10, 20);
	set_cells(subs[0].cells, 22, 14, 28);
	t = table(rows, 4, subs, 2);
	CHECK(export_suppress(&t, 0) == SV_OK);
	CHECK(t.min_cell == 0 && t.secondary == 0);
	for (size_t i = 0; i < 4; i++)
		for (int col = 0; col < EXPORT_NCOLS; col++)
			CHECK(rows[i].cells[col].state == CELL_SHOWN);
	CHECK_STR(row_text(&t, rows[0].cells), "3|10|20|33|0");
	CHECK_STR(row_text(&t, rows[3].cells), "12|0|7|19|0");

	/* The threshold actually used appears in the text. */
	CHECK(export_suppress(&t, 7) == SV_OK);
	char text[32];
	export_cell_text(&t, &rows[1].cells[EXPORT_FOCUS_GROUP], text);
	CHECK_STR(text, "<7");
	/* min_cell 1: nothing is small; a true zero is 0 at every threshold. */
	CHECK(export_suppress(&t, 1) == SV_OK);
	CHECK_STR(row_text(&t, rows[3].cells), "12|0|7|19|0");
	CHECK(t.secondary == 0);
}

/*
 * The free_text column (answers the analysis coded with each theme).
 * Priority One holds A, B and D (D also under Two), Two holds C and D:
 *
 *   free_text    One/A 4   One/B 10   One/D 6   Two/C 0   Two/D 6
 *   subtotals    One 20 (answers coded with A, B or D: none with two)
 *                Two 6;  coded answers 25
 *
 * The 4 is small.  A reader differencing One's subtotal gets A >= 20 - 10
 * - 6 = 4, and "<5" says A <= 4: pinned.  So B, D or the subtotal must be
 * hidden too; D prints twice, so both its cells go alike; the 0 stays 0;
 * and total is survey + focus_group + marketplace, without free_text.
 */
static void test_free_text(void)
{
	static struct priority one = { 1, (char *)"One" }, two = { 2, (char *)"Two" };
	static struct theme a = { (char *)"a", (char *)"A", { 1 }, 1, NULL, 0 };
	static struct theme b = { (char *)"b", (char *)"B", { 1 }, 1, NULL, 0 };
	static struct theme c = { (char *)"c", (char *)"C", { 2 }, 1, NULL, 0 };
	static struct theme d = { (char *)"d", (char *)"D", { 1, 2 }, 2, NULL, 0 };
	struct export_row rows[5];
	struct export_subtotal subs[2];
	static const long long free_text[5] = { 4, 10, 6, 0, 6 };

	memset(rows, 0, sizeof rows);
	memset(subs, 0, sizeof subs);
	rows[0] = (struct export_row){ &one, &a, { { 0 } } };
	rows[1] = (struct export_row){ &one, &b, { { 0 } } };
	rows[2] = (struct export_row){ &one, &d, { { 0 } } };
	rows[3] = (struct export_row){ &two, &c, { { 0 } } };
	rows[4] = (struct export_row){ &two, &d, { { 0 } } };
	for (int i = 0; i < 5; i++) {
		set_cells(rows[i].cells, 20, 20, 20);
		rows[i].cells[EXPORT_FREE_TEXT].value = free_text[i];
	}
	subs[0].priority = &one;
	subs[1].priority = &two;
	set_cells(subs[0].cells, 30, 30, 60);
	set_cells(subs[1].cells, 25, 25, 40);
	subs[0].cells[EXPORT_FREE_TEXT].value = 20;
	subs[1].cells[EXPORT_FREE_TEXT].value = 6;
	struct export_table t = table(rows, 5, subs, 2);
	t.took_part.coded.value = 25;

	CHECK(export_suppress(&t, 5) == SV_OK);
	const struct cell *fa = &rows[0].cells[EXPORT_FREE_TEXT], *fb = &rows[1].cells[EXPORT_FREE_TEXT];
	const struct cell *fd1 = &rows[2].cells[EXPORT_FREE_TEXT], *fd2 = &rows[4].cells[EXPORT_FREE_TEXT];
	const struct cell *fone = &subs[0].cells[EXPORT_FREE_TEXT];
	CHECK(fa->state == CELL_SMALL);
	/* The differencing attempt fails: one of the other terms is not a number. */
	CHECK(fb->state != CELL_SHOWN || fd1->state != CELL_SHOWN || fone->state != CELL_SHOWN);
	CHECK(fd1->state == fd2->state);
	CHECK_STR(row_text(&t, rows[3].cells), "20|20|20|60|0");   /* a true zero */
	CHECK(t.secondary >= 1);
	/* Nothing else needed hiding: every other source is large. */
	for (int i = 0; i < 5; i++)
		for (int col = EXPORT_SURVEY; col <= EXPORT_TOTAL; col++)
			CHECK(rows[i].cells[col].state == CELL_SHOWN);
	/* free_text is not in the total. */
	CHECK(rows[0].cells[EXPORT_TOTAL].value == 60);
	CHECK(t.took_part.coded.state == CELL_SHOWN);

	/* Published alone, the subtotal and B would give A away: the same
	 * table with only primary suppression is what the audit must beat. */
	CHECK(fone->value - fb->value - fd1->value == fa->value);

	/* A small subtotal with one theme: the row is the subtotal, both "<5". */
	memset(rows, 0, sizeof rows);
	memset(subs, 0, sizeof subs);
	rows[0] = (struct export_row){ &one, &a, { { 0 } } };
	set_cells(rows[0].cells, 20, 20, 20);
	subs[0].priority = &one;
	set_cells(subs[0].cells, 20, 20, 20);
	rows[0].cells[EXPORT_FREE_TEXT].value = subs[0].cells[EXPORT_FREE_TEXT].value = 3;
	t = table(rows, 1, subs, 1);
	t.took_part.coded.value = 3;
	CHECK(export_suppress(&t, 5) == SV_OK);
	CHECK_STR(row_text(&t, rows[0].cells), "20|20|20|60|<5");
	CHECK_STR(row_text(&t, subs[0].cells), "20|20|20|60|<5");
	CHECK(t.took_part.coded.state == CELL_SMALL);

	/* Nothing coded: the column is all 0, nothing hidden for it. */
	rows[0].cells[EXPORT_FREE_TEXT].value = subs[0].cells[EXPORT_FREE_TEXT].value = 0;
	t = table(rows, 1, subs, 1);
	CHECK(export_suppress(&t, 5) == SV_OK);
	CHECK_STR(row_text(&t, rows[0].cells), "20|20|20|60|0");
	CHECK(t.secondary == 0 && t.took_part.coded.state == CELL_SHOWN);
}

static void test_cell_text(void)
{
	struct export_table t = table(NULL, 0, NULL, 0);
	struct cell c = { 1234567890123LL, CELL_SHOWN };
	char out[32];

	t.min_cell = 7;
	export_cell_text(&t, &c, out);
	CHECK_STR(out, "1234567890123");
	c.state = CELL_SMALL;
	export_cell_text(&t, &c, out);
	CHECK_STR(out, "<7");
	c.state = CELL_HIDDEN;
	export_cell_text(&t, &c, out);
	CHECK_STR(out, "[c]");
}

static void csv_field_is(int line, const char *in, const char *want)
{
	struct sbuf b;

	sbuf_init(&b, 1000);
	export_csv_field(&b, in);
	int ok = b.err == SV_OK && b.buf && strcmp(b.buf, want) == 0;
	CHECK(ok);
	if (!ok)
		fprintf(stderr, "  (line %d) got [%s], want [%s]\n", line, b.buf ? b.buf : "", want);
	sbuf_free(&b);
}

static void test_csv_field(void)
{
	csv_field_is(__LINE__, "plain", "\"plain\"");
	csv_field_is(__LINE__, "", "\"\"");
	csv_field_is(__LINE__, "say \"hi\"", "\"say \"\"hi\"\"\"");
	csv_field_is(__LINE__, "\"", "\"\"\"\"");
	csv_field_is(__LINE__, "a,b\r\nc", "\"a,b\r\nc\"");
	csv_field_is(__LINE__, "=SUM(A1:A9)", "\"'=SUM(A1:A9)\"");
	csv_field_is(__LINE__, "+44 1234", "\"'+44 1234\"");
	csv_field_is(__LINE__, "-1", "\"'-1\"");
	csv_field_is(__LINE__, "@cmd", "\"'@cmd\"");
	csv_field_is(__LINE__, "=\"x\"", "\"'=\"\"x\"\"\"");
	csv_field_is(__LINE__, "\tx", "\"'\tx\"");
	/* Only a leading character is defused. */
	csv_field_is(__LINE__, "a=b-c+d@e", "\"a=b-c+d@e\"");
	csv_field_is(__LINE__, "caf\xc3\xa9", "\"caf\xc3\xa9\"");
}

static void test_csv_json(void)
{
	struct export_row rows[2];
	struct export_subtotal subs[2];
	struct sbuf b;

	memset(rows, 0, sizeof rows);
	memset(subs, 0, sizeof subs);
	rows[0].priority = &p1;
	rows[0].theme = &t1;
	set_cells(rows[0].cells, 3, 10, 20);
	rows[1].priority = &p2;
	rows[1].theme = &t2;
	set_cells(rows[1].cells, 6, 0, 7);
	subs[0].priority = &p1;
	set_cells(subs[0].cells, 3, 10, 20);
	subs[1].priority = &p2;
	set_cells(subs[1].cells, 6, 0, 7);
	/* Answers coded with each theme: 7 and 2, outside the total. */
	rows[0].cells[EXPORT_FREE_TEXT].value = subs[0].cells[EXPORT_FREE_TEXT].value = 7;
	rows[1].cells[EXPORT_FREE_TEXT].value = subs[1].cells[EXPORT_FREE_TEXT].value = 2;
	struct export_table t = table(rows, 2, subs, 2);
	t.took_part.coded.value = 9;
	export_suppress(&t, 5);

	sbuf_init(&b, EXPORT_MAX_OUTPUT);
	export_themes_csv(&t, &b);
	CHECK(b.err == SV_OK);
	/* CONTRACT.md's header is a prefix, free_text after total. */
	CHECK_STR(b.buf,
		  "priority_number,priority,theme,survey,focus_group,marketplace,total,free_text\r\n"
		  "1,\"Ensure the best start for life\",\"Online safety\",\"<5\",\"[c]\",20,33,7\r\n"
		  "2,\"Keep children \"\"safe\"\", always\",\"'-dash theme\",6,0,7,13,\"<5\"\r\n");
	/* Every line ends CRLF: no bare LF anywhere. */
	for (size_t i = 0; b.buf && i < b.len; i++)
		if (b.buf[i] == '\n' && (i == 0 || b.buf[i - 1] != '\r'))
			CHECK(!"bare LF in CSV");
	sbuf_free(&b);

	sbuf_init(&b, EXPORT_MAX_OUTPUT);
	export_themes_json(&t, &b);
	CHECK(b.err == SV_OK);
	cJSON *root = b.buf ? cJSON_ParseWithLength(b.buf, b.len) : NULL;
	CHECK(root != NULL);
	if (root) {
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(root, "consultation")),
			  "cyp-plan-2027");
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(root, "generated")),
			  "2026-11-22");
		cJSON *min = cJSON_GetObjectItemCaseSensitive(root, "min_cell");
		CHECK(cJSON_IsNumber(min) && min->valueint == 5);
		cJSON *jrows = cJSON_GetObjectItemCaseSensitive(root, "rows");
		cJSON *jprios = cJSON_GetObjectItemCaseSensitive(root, "priorities");
		CHECK(cJSON_IsArray(jrows) && cJSON_GetArraySize(jrows) == 2);
		CHECK(cJSON_IsArray(jprios) && cJSON_GetArraySize(jprios) == 2);
		cJSON *r0 = cJSON_GetArrayItem(jrows, 0);
		cJSON *r1 = cJSON_GetArrayItem(jrows, 1);
		cJSON *pn = cJSON_GetObjectItemCaseSensitive(r0, "priority_number");
		CHECK(cJSON_IsNumber(pn) && pn->valueint == 1);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r0, "theme")),
			  "Online safety");
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r0, "survey")), "<5");
		cJSON *total = cJSON_GetObjectItemCaseSensitive(r0, "total");
		CHECK(cJSON_IsNumber(total) && total->valueint == 33);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r0, "focus_group")), "[c]");
		cJSON *mk = cJSON_GetObjectItemCaseSensitive(r0, "marketplace");
		CHECK(cJSON_IsNumber(mk) && mk->valueint == 20);
		/* JSON carries the names unmangled (no CSV defusing). */
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r1, "priority")), p2_name);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r1, "theme")), "-dash theme");
		cJSON *zero = cJSON_GetObjectItemCaseSensitive(r1, "focus_group");
		CHECK(cJSON_IsNumber(zero) && zero->valueint == 0);   /* a true zero */
		cJSON *p0 = cJSON_GetArrayItem(jprios, 0);
		/* A priority with one theme: its subtotal is that row, suppressed alike. */
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(p0, "survey")), "<5");
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(p0, "focus_group")), "[c]");
		cJSON *ptotal = cJSON_GetObjectItemCaseSensitive(p0, "total");
		CHECK(cJSON_IsNumber(ptotal) && ptotal->valueint == 33);
		/* free_text in the rows and the priorities' subtotals, suppressed alike;
		 * and the coded answers beside who took part. */
		cJSON *f0 = cJSON_GetObjectItemCaseSensitive(r0, "free_text");
		CHECK(cJSON_IsNumber(f0) && f0->valueint == 7);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r1, "free_text")), "<5");
		cJSON *pf0 = cJSON_GetObjectItemCaseSensitive(p0, "free_text");
		CHECK(cJSON_IsNumber(pf0) && pf0->valueint == 7);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(jprios, 1),
										 "free_text")), "<5");
		cJSON *coded = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(root, "took_part"), "coded_answers");
		CHECK(cJSON_IsNumber(coded) && coded->valueint == 9);
		cJSON_Delete(root);
	}
	sbuf_free(&b);
}

/* The differencing rule: a live page moves by 0 or at least min_cell. */
static void test_may_follow(void)
{
	CHECK(export_may_follow(10, 10, 5));   /* nothing new: focus groups may move */
	CHECK(!export_may_follow(10, 11, 5));  /* one more: that one's themes */
	CHECK(!export_may_follow(10, 14, 5));
	CHECK(export_may_follow(10, 15, 5));
	CHECK(export_may_follow(10, 400, 5));
	CHECK(!export_may_follow(10, 9, 5));
	CHECK(export_may_follow(0, 1, 0));     /* no suppression, no rule */
	CHECK(export_may_follow(0, 1, 1));
}

/* Every cell state of a table, in order, for comparing two suppressions. */
static void states(const struct export_table *t, char *out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < t->nrows && n + EXPORT_NCOLS < cap; i++)
		for (int c = 0; c < EXPORT_NCOLS; c++)
			out[n++] = (char)('0' + t->rows[i].cells[c].state);
	for (size_t i = 0; i < t->nsubtotals && n + EXPORT_NCOLS < cap; i++)
		for (int c = 0; c < EXPORT_NCOLS; c++)
			out[n++] = (char)('0' + t->subtotals[i].cells[c].state);
	if (n + 2 < cap) {
		out[n++] = (char)('0' + t->took_part.responses.state);
		out[n++] = (char)('0' + t->took_part.messages.state);
	}
	out[n] = '\0';
}

/*
 * Responses per day beside the table (the staff results page): the table is
 * published exactly as export_suppress publishes it; of the days 6, 0, 2, 7
 * (15 in all), the 2 is "<5", the 0 stays 0, and one of 6 and 7 is hidden,
 * since 15 - 6 - 0 - 7 would give the 2 away.  Too many days: all hidden.
 */
static void test_suppress_days(void)
{
	struct export_row rows[2], rows_b[2];
	struct export_subtotal subs[1], subs_b[1];

	rows[0] = (struct export_row){ &p1, &t1, { { 0 } } };
	rows[1] = (struct export_row){ &p1, &t2, { { 0 } } };
	subs[0] = (struct export_subtotal){ &p1, { { 0 } } };
	set_cells(rows[0].cells, 9, 10, 20);
	set_cells(rows[1].cells, 3, 12, 8);
	set_cells(subs[0].cells, 11, 14, 28);
	memcpy(rows_b, rows, sizeof rows);
	memcpy(subs_b, subs, sizeof subs);
	struct export_table t = table(rows, 2, subs, 1), plain = table(rows_b, 2, subs_b, 1);
	t.took_part.responses.value = plain.took_part.responses.value = 15;
	struct cell days[4] = { { 6, CELL_SHOWN }, { 0, CELL_HIDDEN }, { 2, CELL_SHOWN },
				{ 7, CELL_SHOWN } };

	CHECK(export_suppress_days(&t, days, 4, 5) == SV_OK);
	CHECK(export_suppress(&plain, 5) == SV_OK);
	char with_days[64], alone[64];
	states(&t, with_days, sizeof with_days);
	states(&plain, alone, sizeof alone);
	CHECK_STR(with_days, alone);
	CHECK(t.took_part.responses.state == CELL_SHOWN);
	CHECK(days[1].state == CELL_SHOWN);    /* a true zero is 0 */
	CHECK(days[2].state == CELL_SMALL);    /* "<5" */
	CHECK((days[0].state == CELL_HIDDEN) != (days[3].state == CELL_HIDDEN));
	CHECK(days[0].state != CELL_SMALL && days[3].state != CELL_SMALL);
	CHECK(t.secondary == plain.secondary + 1);

	/* With nothing to protect, nothing is hidden. */
	struct cell big[2] = { { 8, CELL_HIDDEN }, { 7, CELL_HIDDEN } };
	memcpy(rows, rows_b, sizeof rows);
	memcpy(subs, subs_b, sizeof subs);
	CHECK(export_suppress_days(&t, big, 2, 5) == SV_OK);
	CHECK(big[0].state == CELL_SHOWN && big[1].state == CELL_SHOWN);

	struct cell *many = calloc(DISCLOSURE_MAX_RELATION, sizeof *many);
	if (many) {
		many[0].value = 15;
		CHECK(export_suppress_days(&t, many, DISCLOSURE_MAX_RELATION, 5) == SV_ERR_TOOBIG);
		CHECK(many[0].state == CELL_HIDDEN && many[DISCLOSURE_MAX_RELATION - 1].state == CELL_HIDDEN);
	}
	free(many);
}

/* ---- against a real store ---- */

static const unsigned char sealed[] = { 1, 2, 3 };

static void insert(struct store *st, const char *const *themes, size_t nthemes,
		   const int *prios, size_t nprios)
{
	struct store_response r = {
		.consultation = cons_id, .survey = "what-matters", .day = "2026-11-22",
		.key_id = "0123456789abcdef", .sealed = sealed, .sealed_len = sizeof sealed,
		.themes = themes, .nthemes = nthemes, .priorities = prios, .npriorities = nprios,
	};
	CHECK(store_response_insert(st, &r) == SV_OK);
}

/* The ids of the first responses, as store_response_each gives them. */
struct ids { long long id[4]; int n; };
static void on_id(void *arg, const struct store_sealed *r)
{
	struct ids *ids = arg;
	if (ids->n < 4)
		ids->id[ids->n++] = r->id;
}

/* The row for (priority number, theme id), or NULL; *count says how many match. */
static const struct export_row *find_row(const struct export_table *t, int prio,
					 const char *theme, int *count)
{
	const struct export_row *found = NULL;

	*count = 0;
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].priority->number == prio && strcmp(t->rows[i].theme->id, theme) == 0) {
			found = &t->rows[i];
			(*count)++;
		}
	return found;
}

static void test_build(void)
{
	char tmpl[] = "/tmp/yv-export-XXXXXX";
	struct store *st = NULL;
	struct export_table *t = NULL;
	char *tax = NULL;
	size_t taxlen;

	CHECK(files_read_all("forms/taxonomy.json", 1024 * 1024, &tax, &taxlen) == SV_OK);
	if (!tax || !mkdtemp(tmpl)) {
		free(tax);
		return;
	}
	CHECK(store_open(tmpl, &st) == SV_OK);
	if (!st)
		goto done;
	CHECK(store_consultation_put(st, cons_id, "The plan", tax) == SV_OK);

	static const char *const a[] = { "someone-to-talk-to", "online-safety" };
	static const int ap[] = { 2, 5 };
	static const char *const b[] = { "healthy-food" };
	static const int bp[] = { 1, 5 };
	insert(st, a, 2, ap, 2);
	insert(st, a, 2, ap, 2);
	insert(st, b, 1, bp, 2);

	struct export_table dummy, *none = &dummy;
	CHECK(export_table_build(st, "no-such-consultation", &none) == SV_ERR_NOTFOUND);
	CHECK(none == NULL);
	CHECK(export_table_build(st, cons_id, &t) == SV_OK);
	if (!t)
		goto done;
	CHECK_STR(t->consultation, cons_id);
	CHECK_STR(t->title, "The plan");
	CHECK(strlen(t->generated) == 10 && t->generated[4] == '-' && t->generated[7] == '-');
	const struct taxonomy *tax_t = t->taxonomy;
	CHECK(tax_t && tax_t->npriorities == 5);
	if (!tax_t)
		goto done;

	/* One row per (priority, theme) pair, and nothing else. */
	size_t pairs = 0;
	for (size_t i = 0; i < tax_t->nthemes; i++) {
		const struct theme *th = &tax_t->themes[i];
		pairs += (size_t)th->npriorities;
		for (int k = 0; k < th->npriorities; k++) {
			int count;
			find_row(t, th->priorities[k], th->id, &count);
			CHECK(count == 1);
		}
	}
	CHECK(t->nrows == pairs);
	/* Rows in priority order. */
	for (size_t i = 1; i < t->nrows; i++)
		CHECK(t->rows[i - 1].priority->number <= t->rows[i].priority->number);

	int n2, n5;
	const struct export_row *talk2 = find_row(t, 2, "someone-to-talk-to", &n2);
	const struct export_row *talk5 = find_row(t, 5, "someone-to-talk-to", &n5);
	CHECK(talk2 && talk5 && talk2 != talk5);
	if (talk2 && talk5) {
		CHECK(talk2->cells[EXPORT_SURVEY].value == 2);
		CHECK(talk5->cells[EXPORT_SURVEY].value == 2);
		CHECK(talk2->cells[EXPORT_TOTAL].value == 2);
		CHECK(talk5->cells[EXPORT_TOTAL].value == 2);
		CHECK(talk2->cells[EXPORT_FOCUS_GROUP].value == 0);
	}
	int n;
	const struct export_row *online = find_row(t, 2, "online-safety", &n);
	CHECK(online && online->cells[EXPORT_SURVEY].value == 2);
	const struct export_row *food1 = find_row(t, 1, "healthy-food", &n);
	const struct export_row *food5 = find_row(t, 5, "healthy-food", &n);
	CHECK(food1 && food1->cells[EXPORT_SURVEY].value == 1);
	CHECK(food5 && food5->cells[EXPORT_SURVEY].value == 1);
	const struct export_row *knife = find_row(t, 2, "knife-crime", &n);
	CHECK(knife && knife->cells[EXPORT_TOTAL].value == 0);

	/* Subtotals: one per priority, from the priority counters. */
	CHECK(t->nsubtotals == 5);
	long long want[6] = { 0, 1, 2, 0, 0, 3 };
	for (size_t i = 0; i < t->nsubtotals && i < 5; i++) {
		int p = t->subtotals[i].priority->number;
		CHECK(p == (int)i + 1);
		CHECK(t->subtotals[i].cells[EXPORT_SURVEY].value == want[p]);
		CHECK(t->subtotals[i].cells[EXPORT_TOTAL].value == want[p]);
	}

	/* Nothing coded yet: free_text is 0 everywhere, and so are the coded answers. */
	for (size_t i = 0; i < t->nrows; i++)
		CHECK(t->rows[i].cells[EXPORT_FREE_TEXT].value == 0);
	CHECK(t->took_part.coded.value == 0);
	export_table_free(t);
	t = NULL;

	/* The main analysis codes two answers, the second pass one: free_text
	 * counts the main pass only, under each priority of each theme. */
	static const unsigned char box[64] = { 7 };
	static const char *const c1[] = { "someone-to-talk-to" }, *const c2[] = { "online-safety" };
	static const int c1p[] = { 2, 5 }, c2p[] = { 2 };
	struct ids ids = { { 0 }, 0 };
	CHECK(store_response_each(st, cons_id, on_id, &ids) == SV_OK && ids.n == 3);
	struct store_code code = { .consultation = cons_id, .response = ids.id[0], .question = "tell-us",
				   .pass = STORE_PASS_MAIN, .analyst = "ana", .key_id = "0123456789abcdef",
				   .sealed = box, .sealed_len = sizeof box, .themes = c1, .nthemes = 1,
				   .priorities = c1p, .npriorities = 2 };
	CHECK(store_analysis_code(st, &code, NULL) == SV_OK);
	code.response = ids.id[1];
	code.themes = c2;
	code.priorities = c2p;
	code.npriorities = 1;
	CHECK(store_analysis_code(st, &code, NULL) == SV_OK);
	code.pass = STORE_PASS_SECOND;
	code.themes = c1;
	code.priorities = c1p;
	code.npriorities = 2;
	CHECK(store_analysis_code(st, &code, NULL) == SV_OK);
	CHECK(export_table_build(st, cons_id, &t) == SV_OK);
	if (!t)
		goto done;
	talk2 = find_row(t, 2, "someone-to-talk-to", &n2);
	talk5 = find_row(t, 5, "someone-to-talk-to", &n5);
	online = find_row(t, 2, "online-safety", &n);
	CHECK(talk2 && talk2->cells[EXPORT_FREE_TEXT].value == 1);
	CHECK(talk5 && talk5->cells[EXPORT_FREE_TEXT].value == 1);
	CHECK(online && online->cells[EXPORT_FREE_TEXT].value == 1);
	CHECK(talk2 && talk2->cells[EXPORT_TOTAL].value == 2);   /* not added to the total */
	CHECK(t->subtotals[1].cells[EXPORT_FREE_TEXT].value == 2);
	CHECK(t->subtotals[4].cells[EXPORT_FREE_TEXT].value == 1);
	CHECK(t->subtotals[0].cells[EXPORT_FREE_TEXT].value == 0);
	CHECK(t->took_part.coded.value == 2);

	/* Suppressed and written: a header plus one line per row. */
	export_suppress(t, 5);
	talk2 = find_row(t, 2, "someone-to-talk-to", &n2);
	CHECK(talk2 && talk2->cells[EXPORT_SURVEY].state == CELL_SMALL);
	struct sbuf out;
	sbuf_init(&out, EXPORT_MAX_OUTPUT);
	export_themes_csv(t, &out);
	size_t lines = 0;
	for (size_t i = 0; out.buf && i < out.len; i++)
		lines += out.buf[i] == '\n';
	CHECK(out.err == SV_OK && lines == t->nrows + 1);
	CHECK(out.buf && strstr(out.buf, "2,\"Keep children safe and free from harm\","
				"\"Someone they trust to talk to, who listens\",\"<5\",0,0,\"<5\",\"<5\"\r\n"));
	CHECK(out.buf && strstr(out.buf, "\"Knife crime\",0,0,0,0,0\r\n"));
	sbuf_free(&out);
done:
	export_table_free(t);
	store_close(st);
	free(tax);
	check_remove_dir(tmpl);
	CHECK(!files_exist(tmpl));
}

/* --round: published counts to the nearest N, totals from the raw counts. */
static void test_round(void)
{
	struct export_row rows[3];
	struct export_subtotal subs[1];

	memset(rows, 0, sizeof rows);
	memset(subs, 0, sizeof subs);
	for (int i = 0; i < 3; i++) {
		rows[i].priority = &p1;
		rows[i].theme = &t1;
	}
	subs[0].priority = &p1;
	set_cells(rows[0].cells, 12, 13, 27);   /* total 52 */
	set_cells(rows[1].cells, 3, 17, 22);    /* a small cell: total hidden first */
	set_cells(rows[2].cells, 7, 8, 10);     /* to the nearer multiple: 7 -> 5, 8 -> 10 */
	set_cells(subs[0].cells, 22, 38, 59);   /* total 119 */
	struct export_table t = table(rows, 3, subs, 1);
	export_suppress(&t, 5);
	export_round(&t, 5);
	CHECK(t.round_to == 5);
	CHECK_STR(row_text(&t, rows[0].cells), "10|15|25|50|0");  /* 52 -> 50, not 10+15+25 */
	CHECK_STR(row_text(&t, rows[1].cells), "<5|15|20|[c]|0");
	CHECK_STR(row_text(&t, rows[2].cells), "5|10|10|25|0");
	CHECK_STR(row_text(&t, subs[0].cells), "20|40|60|120|0");

	/* Round to 1 (or 0) changes nothing. */
	set_cells(rows[0].cells, 12, 13, 27);
	t = table(rows, 1, subs, 0);
	export_suppress(&t, 5);
	export_round(&t, 1);
	CHECK(t.round_to == 0);
	CHECK_STR(row_text(&t, rows[0].cells), "12|13|27|52|0");

	/* In JSON the rounding used is said. */
	struct sbuf out;
	sbuf_init(&out, 1 << 20);
	export_round(&t, 10);
	export_themes_json(&t, &out);
	cJSON *root = out.buf ? cJSON_Parse(out.buf) : NULL;
	CHECK(root && cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(root, "round")) == 10);
	cJSON_Delete(root);
	sbuf_free(&out);
}

int main(void)
{
	test_suppress();
	test_round();
	test_cell_text();
	test_csv_field();
	test_csv_json();
	test_free_text();
	test_build();
	test_may_follow();
	test_suppress_days();
	return CHECK_DONE();
}
