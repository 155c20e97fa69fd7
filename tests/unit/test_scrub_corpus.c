/*
 * test_scrub_corpus.c - core/scrub measured on a labelled corpus of what
 * young people write (tests/scrub/, see its README): recall per category
 * (an item counts as removed when every labelled substring is gone), how
 * many come out exactly as labelled (right marker, nothing else touched),
 * precision per marker (markers that replaced labelled text, over all
 * markers of that kind), and everyday sentences that come out unchanged.
 *
 * Run from the repository root.  With no argument it prints both sets'
 * tables and the tuning set's misses, then checks the floors below.
 *   --table      only the tables, as Markdown (for docs/scrubbing.md)
 *   --heldout    also print the held-out set's misses (look only after tuning)
 */
#include <stdlib.h>
#include <string.h>

#include "../../core/files.h"
#include "../../core/scrub.h"
#include "check.h"

#define CORPUS_MAX_FILE (1024 * 1024)
#define CORPUS_MAX_LABELS 4

/* Floors: the targets of issue 12 on both sets, and on the tuning set a
 * floor that every category must reach on its own so one weak kind cannot
 * hide in a total.  The held-out set has 10 items a category, where one
 * miss is 10%, so there only the totals are held to the targets. */
#define FLOOR_RECALL 0.98           /* personal items removed, all categories */
#define FLOOR_UNCHANGED 0.99        /* everyday sentences unchanged, all categories */
#define FLOOR_CATEGORY_RECALL 0.95  /* each personal category */
#define FLOOR_CATEGORY_SAME 0.96    /* each everyday category */

static const char *const kind_names[SCRUB_NKINDS] = {
	[SCRUB_EMAIL] = "email", [SCRUB_PHONE] = "phone", [SCRUB_POSTCODE] = "postcode",
	[SCRUB_NI] = "ni", [SCRUB_NHS] = "nhs", [SCRUB_LINK] = "link",
	[SCRUB_HANDLE] = "handle", [SCRUB_DOB] = "dob", [SCRUB_NAME] = "name",
};

#define EVERYDAY_MAX_CATS 16

/* What one set (a personal file and an everyday file) gave. */
struct corpus_result {
	unsigned items[SCRUB_NKINDS];        /* personal items per category */
	unsigned removed[SCRUB_NKINDS];      /* every labelled substring gone */
	unsigned exact[SCRUB_NKINDS];        /* output exactly as labelled */
	unsigned tp[SCRUB_NKINDS];           /* markers of a kind on labelled text */
	unsigned fp[SCRUB_NKINDS];           /* markers of a kind anywhere else */
	char cats[EVERYDAY_MAX_CATS][16];    /* everyday categories, in order seen */
	unsigned ncats;                      /* how many of cats are used */
	unsigned sentences[EVERYDAY_MAX_CATS]; /* everyday sentences per category */
	unsigned same[EVERYDAY_MAX_CATS];    /* of which unchanged */
	int bad_file;                        /* a file was missing or malformed */
};

static int kind_of(const char *name)
{
	for (int k = 0; k < SCRUB_NKINDS; k++)
		if (strcmp(kind_names[k], name) == 0)
			return k;
	return -1;
}

/* Splits line at tabs into at most max fields; the count. */
static int split_tabs(char *line, char **f, int max)
{
	int n = 0;

	while (n < max) {
		f[n++] = line;
		char *t = strchr(line, '\t');
		if (!t)
			break;
		*t = '\0';
		line = t + 1;
	}
	return n;
}

/* Scrubs s into out; 0, or -1 if the scrubber failed. */
static int run_scrub(const char *s, struct sbuf *out, unsigned counts[SCRUB_NKINDS])
{
	sbuf_reset(out);
	sbuf_add(out, "", 0);
	memset(counts, 0, SCRUB_NKINDS * sizeof counts[0]);
	return scrub_text(s, strlen(s), out, counts) == SV_OK && out->buf ? 0 : -1;
}

/* The text with each label replaced (first occurrence, in order) by marker. */
static void expected(const char *text, char **labels, int nlabels, const char *marker,
		     struct sbuf *want)
{
	const char *p = text;

	sbuf_reset(want);
	for (int i = 0; i < nlabels; i++) {
		const char *at = strstr(p, labels[i]);
		if (!at)
			continue;
		sbuf_add(want, p, (size_t)(at - p));
		sbuf_adds(want, marker);
		p = at + strlen(labels[i]);
	}
	sbuf_adds(want, p);
}

/* Reads what one line of a corpus file gave into a result. */
struct corpus_reader {
	struct corpus_result *r;  /* where the counts go */
	int show;                 /* print what is not as labelled */
	struct sbuf out;          /* the scrubbed line */
	struct sbuf want;         /* what it should have become */
	unsigned counts[SCRUB_NKINDS]; /* markers the scrubber added */
};

typedef void corpus_line_fn(struct corpus_reader *cr, char **f, int nf);

/* Calls fn for each line of path that is not empty or a # comment, split at
 * tabs, after scrubbing its second field into cr->out. */
static void corpus_read(const char *path, struct corpus_result *r, int show, corpus_line_fn *fn)
{
	struct corpus_reader cr = { .r = r, .show = show };
	char *data = NULL, *line, *next;
	size_t len;

	if (files_read_all(path, CORPUS_MAX_FILE, &data, &len) != SV_OK) {
		fprintf(stderr, "cannot read %s\n", path);
		r->bad_file = 1;
		return;
	}
	sbuf_init(&cr.out, 1 << 16);
	sbuf_init(&cr.want, 1 << 16);
	for (line = data; line && *line; line = next) {
		char *f[2 + CORPUS_MAX_LABELS];
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (*line == '#' || *line == '\0')
			continue;
		int nf = split_tabs(line, f, 2 + CORPUS_MAX_LABELS);
		if (nf < 2 || run_scrub(f[1], &cr.out, cr.counts)) {
			fprintf(stderr, "%s: bad line or scrubber failure: %s\n", path, line);
			r->bad_file = 1;
			continue;
		}
		fn(&cr, f, nf);
	}
	sbuf_free(&cr.out);
	sbuf_free(&cr.want);
	free(data);
}

/* category, text, the substrings that must go */
static void personal_line(struct corpus_reader *cr, char **f, int nf)
{
	struct corpus_result *r = cr->r;
	int k = kind_of(f[0]);

	if (nf < 3 || k < 0) {
		fprintf(stderr, "bad personal line: %s\n", f[1]);
		r->bad_file = 1;
		return;
	}
	int gone = 1;
	for (int i = 2; i < nf; i++)
		if (strstr(cr->out.buf, f[i]))
			gone = 0;
	expected(f[1], f + 2, nf - 2, scrub_marker((enum scrub_kind)k), &cr->want);
	int exact = cr->want.buf && strcmp(cr->out.buf, cr->want.buf) == 0;
	r->items[k]++;
	r->removed[k] += (unsigned)gone;
	r->exact[k] += (unsigned)exact;
	for (int j = 0; j < SCRUB_NKINDS; j++) {
		unsigned labelled = j == k ? (unsigned)(nf - 2) : 0;
		unsigned hit = cr->counts[j] < labelled ? cr->counts[j] : labelled;
		r->tp[j] += hit;
		r->fp[j] += cr->counts[j] - hit;
	}
	if (cr->show && !exact)
		printf("  %-8s %s %s\n           -> %s\n", f[0], gone ? "inexact" : "MISSED ", f[1],
		       cr->out.buf);
}

/* category, a sentence that must come out unchanged */
static void everyday_line(struct corpus_reader *cr, char **f, int nf)
{
	struct corpus_result *r = cr->r;
	unsigned c = 0;

	if (nf != 2) {
		fprintf(stderr, "bad everyday line: %s\n", f[1]);
		r->bad_file = 1;
		return;
	}
	while (c < r->ncats && strcmp(r->cats[c], f[0]) != 0)
		c++;
	if (c == r->ncats) {
		if (r->ncats == EVERYDAY_MAX_CATS) {
			r->bad_file = 1;
			return;
		}
		snprintf(r->cats[c], sizeof r->cats[c], "%s", f[0]);
		r->ncats++;
	}
	int same = strcmp(cr->out.buf, f[1]) == 0;
	r->sentences[c]++;
	r->same[c] += (unsigned)same;
	for (int j = 0; j < SCRUB_NKINDS; j++)
		r->fp[j] += cr->counts[j];
	if (cr->show && !same)
		printf("  %-9s CHANGED %s\n            -> %s\n", f[0], f[1], cr->out.buf);
}

static double ratio(unsigned a, unsigned b)
{
	return b ? (double)a / (double)b : 1.0;
}

static void print_table(const char *title, const struct corpus_result *r)
{
	unsigned items = 0, removed = 0, exact = 0, tp = 0, fp = 0, sent = 0, same = 0;

	printf("\n%s\n\n", title);
	printf("| personal category | items | removed (recall) | exactly as labelled | "
	       "marker precision |\n|---|---:|---:|---:|---:|\n");
	for (int k = 0; k < SCRUB_NKINDS; k++) {
		printf("| %s | %u | %u (%.1f%%) | %u | %.1f%% (%u of %u) |\n", kind_names[k], r->items[k],
		       r->removed[k], 100 * ratio(r->removed[k], r->items[k]), r->exact[k],
		       100 * ratio(r->tp[k], r->tp[k] + r->fp[k]), r->tp[k], r->tp[k] + r->fp[k]);
		items += r->items[k];
		removed += r->removed[k];
		exact += r->exact[k];
		tp += r->tp[k];
		fp += r->fp[k];
	}
	printf("| **all** | %u | %u (%.1f%%) | %u | %.1f%% (%u of %u) |\n", items, removed,
	       100 * ratio(removed, items), exact, 100 * ratio(tp, tp + fp), tp, tp + fp);
	printf("\n| everyday category | sentences | unchanged |\n|---|---:|---:|\n");
	for (unsigned c = 0; c < r->ncats; c++) {
		printf("| %s | %u | %u (%.1f%%) |\n", r->cats[c], r->sentences[c], r->same[c],
		       100 * ratio(r->same[c], r->sentences[c]));
		sent += r->sentences[c];
		same += r->same[c];
	}
	printf("| **all** | %u | %u (%.1f%%) |\n", sent, same, 100 * ratio(same, sent));
}

/* The floors, checked on one set; per category only if per_category. */
static void check_floors(const char *set, const struct corpus_result *r, int per_category)
{
	unsigned items = 0, removed = 0, sent = 0, same = 0;

	CHECK(!r->bad_file);
	for (int k = 0; k < SCRUB_NKINDS; k++) {
		items += r->items[k];
		removed += r->removed[k];
		CHECK(r->items[k] > 0);
		if (!per_category)
			continue;
		if (ratio(r->removed[k], r->items[k]) < FLOOR_CATEGORY_RECALL)
			fprintf(stderr, "  %s: %s recall %.3f is under the floor\n", set, kind_names[k],
				ratio(r->removed[k], r->items[k]));
		CHECK(ratio(r->removed[k], r->items[k]) >= FLOOR_CATEGORY_RECALL);
	}
	for (unsigned c = 0; c < r->ncats; c++) {
		sent += r->sentences[c];
		same += r->same[c];
		if (!per_category)
			continue;
		if (ratio(r->same[c], r->sentences[c]) < FLOOR_CATEGORY_SAME)
			fprintf(stderr, "  %s: everyday %s unchanged %.3f is under the floor\n", set,
				r->cats[c], ratio(r->same[c], r->sentences[c]));
		CHECK(ratio(r->same[c], r->sentences[c]) >= FLOOR_CATEGORY_SAME);
	}
	if (ratio(removed, items) < FLOOR_RECALL || ratio(same, sent) < FLOOR_UNCHANGED)
		fprintf(stderr, "  %s: recall %.3f, unchanged %.3f\n", set, ratio(removed, items),
			ratio(same, sent));
	CHECK(ratio(removed, items) >= FLOOR_RECALL);
	CHECK(ratio(same, sent) >= FLOOR_UNCHANGED);
}

int main(int argc, char **argv)
{
	static struct corpus_result tune, held;
	int table_only = 0, show_held = 0;

	for (int i = 1; i < argc; i++) {
		table_only |= strcmp(argv[i], "--table") == 0;
		show_held |= strcmp(argv[i], "--heldout") == 0;
	}
	CHECK(scrub_init() == SV_OK);
	if (!table_only)
		printf("Tuning set, everything not exactly as labelled:\n");
	corpus_read("tests/scrub/personal.tsv", &tune, !table_only, personal_line);
	corpus_read("tests/scrub/everyday.tsv", &tune, !table_only, everyday_line);
	if (show_held && !table_only)
		printf("\nHeld-out set, everything not exactly as labelled:\n");
	corpus_read("tests/scrub/personal-heldout.tsv", &held, show_held && !table_only, personal_line);
	corpus_read("tests/scrub/everyday-heldout.tsv", &held, show_held && !table_only, everyday_line);
	print_table("Tuning set (tests/scrub/personal.tsv, everyday.tsv)", &tune);
	print_table("Held-out set (tests/scrub/personal-heldout.tsv, everyday-heldout.tsv)", &held);
	printf("\n");
	scrub_free();
	if (table_only)
		return 0;
	check_floors("tuning", &tune, 1);
	check_floors("held-out", &held, 0);
	return CHECK_DONE();
}
