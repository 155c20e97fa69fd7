/*
 * main.c - survey-export, the command-line export.
 *
 *   survey-export [--data DIR] [--passphrase-file FILE] COMMAND [options]
 *     COMMAND: themes | responses | report | breakdowns | trends (--plan ID)
 *              | ballot (--survey ID)
 *     options: --consultation ID  --format csv|json|html  --min-cell N  -o FILE
 *
 * Exit status: 0 success, 1 runtime failure, 2 bad usage.  Nothing is written
 * to -o FILE unless the whole export succeeded.
 */
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "../core/files.h"
#include "../core/parse.h"
#include "../core/seal.h"
#include "export.h"

#define EXIT_USAGE 2

struct options {
	const char *data;
	const char *db;     /* --db: a postgresql:// URL, or NULL for SQLite in data */
	const char *passphrase_file;
	const char *command;
	const char *consultation;
	const char *plan;   /* trends --plan ID */
	const char *survey; /* ballot --survey ID */
	const char *format;
	const char *output;
	int min_cell;
	int round_to;       /* --round N: publish counts to the nearest N */
	int bom;            /* --bom: a byte-order mark first, for Excel */
	int help;           /* --help or -h: the usage, on stdout */
};

/* The usage: on stdout when asked for (--help), on stderr after a mistake. */
static void usage(FILE *to)
{
	fprintf(to,
		"usage: survey-export [--data DIR] [--db URL] [--passphrase-file FILE] COMMAND [options]\n"
		"  COMMAND: themes | responses | report | breakdowns | trends | ballot\n"
		"  options: --consultation ID  --format csv|json|xlsx|html  --min-cell N  --round N\n"
		"           --bom  -o FILE\n"
		"  trends --plan ID: every round of a plan side by side (no passphrase)\n"
		"  ballot --survey ID: a youth ballot's ranked results, suppressed (no passphrase)\n");
}

static int parse_options(int argc, char **argv, struct options *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--bom") == 0) {
			o->bom = 1;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			o->help = 1;
			continue;
		}
		if (a[0] != '-') {
			if (o->command) {
				fprintf(stderr, "survey-export: unexpected \"%s\"\n", a);
				return -1;
			}
			o->command = a;
			continue;
		}
		if (i + 1 >= argc || argv[i + 1][0] == '\0') {
			fprintf(stderr, "survey-export: %s needs a value\n", a);
			return -1;
		}
		const char *v = argv[++i];
		if (strcmp(a, "--data") == 0) o->data = v;
		else if (strcmp(a, "--db") == 0) o->db = v;
		else if (strcmp(a, "--passphrase-file") == 0) o->passphrase_file = v;
		else if (strcmp(a, "--consultation") == 0) o->consultation = v;
		else if (strcmp(a, "--plan") == 0) o->plan = v;
		else if (strcmp(a, "--survey") == 0) o->survey = v;
		else if (strcmp(a, "--format") == 0) o->format = v;
		else if (strcmp(a, "-o") == 0) o->output = v;
		else if (strcmp(a, "--round") == 0) {
			long long n;
			if (parse_int(v, strlen(v), 1, EXPORT_MAX_MIN_CELL, &n)) {
				fprintf(stderr, "survey-export: --round takes a whole number from 1 to %d\n",
					EXPORT_MAX_MIN_CELL);
				return -1;
			}
			o->round_to = (int)n;
		} else if (strcmp(a, "--min-cell") == 0) {
			long long n;
			if (parse_int(v, strlen(v), 0, EXPORT_MAX_MIN_CELL, &n)) {
				fprintf(stderr, "survey-export: --min-cell takes a whole number from 0 to %d\n",
					EXPORT_MAX_MIN_CELL);
				return -1;
			}
			o->min_cell = (int)n;
		} else {
			fprintf(stderr, "survey-export: unknown option \"%s\"\n", a);
			return -1;
		}
	}
	if (o->help)
		return 0; /* the rest need not make sense: main prints the usage */
	if (!o->command) {
		fprintf(stderr, "survey-export: say which export: themes, responses, report, breakdowns, "
			"trends or ballot\n");
		return -1;
	}
	if (strcmp(o->command, "trends") == 0 && (!o->plan || !id_valid(o->plan, strlen(o->plan)))) {
		fprintf(stderr, "survey-export: trends needs --plan ID (the \"plan\" of consultations.json)\n");
		return -1;
	}
	if (strcmp(o->command, "ballot") == 0 && (!o->survey || !id_valid(o->survey, strlen(o->survey)))) {
		fprintf(stderr, "survey-export: ballot needs --survey ID (a survey with a ballot question)\n");
		return -1;
	}
	if (strcmp(o->command, "report") == 0) {
		if (o->format && strcmp(o->format, "html") != 0) {
			fprintf(stderr, "survey-export: the report is HTML; for CSV or JSON use themes "
				"and breakdowns\n");
			return -1;
		}
		o->format = "html";
	} else if (!o->format) {
		o->format = "csv";
	} else if (strcmp(o->format, "csv") != 0 && strcmp(o->format, "json") != 0 &&
		   strcmp(o->format, "xlsx") != 0) {
		fprintf(stderr, "survey-export: --format must be csv, json or xlsx for %s\n", o->command);
		return -1;
	}
	if (strcmp(o->format, "xlsx") == 0 && !o->output) {
		fprintf(stderr, "survey-export: a spreadsheet is written to a file: add -o FILE.xlsx\n");
		return -1;
	}
	return 0;
}

struct id_list {
	char ids[16][PARSE_MAX_ID + 1];
	int n;
	int more;
};

static void collect_id(void *arg, const char *id)
{
	struct id_list *l = arg;
	if (l->n < 16)
		snprintf(l->ids[l->n++], sizeof l->ids[0], "%s", id);
	else
		l->more = 1;
}

/* --consultation, or the only one there is. */
static int choose_consultation(struct store *st, const struct options *o, char *out, size_t cap)
{
	struct id_list l = { .n = 0 };

	if (o->consultation) {
		snprintf(out, cap, "%s", o->consultation);
		return 0;
	}
	if (store_consultation_each(st, collect_id, &l))
		return 1;
	if (l.n == 1) {
		snprintf(out, cap, "%s", l.ids[0]);
		return 0;
	}
	if (l.n == 0) {
		fprintf(stderr, "survey-export: the database has no consultations yet\n");
		return 1;
	}
	fprintf(stderr, "survey-export: there are several consultations; choose one with --consultation:");
	for (int i = 0; i < l.n; i++)
		fprintf(stderr, " %s", l.ids[i]);
	fprintf(stderr, "%s\n", l.more ? " ..." : "");
	return EXIT_USAGE;
}

/* Opens the database read-only and picks the consultation; 0, or the exit
 * status after saying what was wrong. */
/* What to say when the store does not open (its own line above says why,
 * when it has one). */
static void say_no_database(const struct options *o)
{
	if (o->db)
		fprintf(stderr, "survey-export: the PostgreSQL database given by --db holds no youthvoice data "
			"or could not be opened\n");
	else
		fprintf(stderr, "survey-export: no youthvoice database in %s\n", o->data);
}

static int open_consultation(const struct options *o, struct store **st, char *consultation,
			     size_t cap)
{
	if (store_open_readonly_url(o->data, o->db, st)) {
		say_no_database(o);
		return 1;
	}
	return choose_consultation(*st, o, consultation, cap);
}

static int write_output(const struct options *o, struct sbuf *b)
{
	if (b->err) {
		fprintf(stderr, "survey-export: could not build the export: %s\n", sv_err_str(b->err));
		return 1;
	}
	if (!o->output) {
		if (fwrite(b->buf, 1, b->len, stdout) != b->len || fflush(stdout) != 0) {
			fprintf(stderr, "survey-export: could not write to standard output\n");
			return 1;
		}
		return 0;
	}
	if (files_write_atomic(o->output, b->buf, b->len, 0640)) {
		fprintf(stderr, "survey-export: could not write %s\n", o->output);
		return 1;
	}
	return 0;
}

/*
 * The CSV in b as a spreadsheet at -o FILE, written whole or not at all:
 * first FILE.partial (made with mode before libxlsxwriter fills it, so that
 * plain answers are never readable by others), then renamed.  libxlsxwriter's
 * temporary parts go beside it, where the file itself goes.
 */
static int write_xlsx(const struct options *o, const char *csv, size_t len, const char *sheet,
		      int mode)
{
	char tmp[4096], dir[4096];
	enum sv_err rc;

	if ((size_t)snprintf(tmp, sizeof tmp, "%s.partial", o->output) >= sizeof tmp) {
		fprintf(stderr, "survey-export: the file name is too long\n");
		return 1;
	}
	const char *slash = strrchr(o->output, '/');
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - o->output) + 1 : 1,
		 slash ? o->output : ".");
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0 || close(fd) != 0) {
		fprintf(stderr, "survey-export: could not write %s\n", o->output);
		return 1;
	}
	rc = export_xlsx_write(csv, len, sheet, tmp, dir);
	if (!rc && rename(tmp, o->output) != 0)
		rc = SV_ERR_IO;
	if (rc) {
		unlink(tmp);
		fprintf(stderr, "survey-export: could not write %s: %s\n", o->output,
			rc == SV_ERR_TOOBIG ? "too many rows or too long a cell for a spreadsheet" :
			sv_err_str(rc));
		return 1;
	}
	return 0;
}

/* The export in b: as it is, or (--format xlsx) as a spreadsheet of its CSV. */
static int write_export(const struct options *o, struct sbuf *b, const char *sheet)
{
	if (strcmp(o->format, "xlsx") != 0)
		return write_output(o, b);
	if (b->err) {
		fprintf(stderr, "survey-export: could not build the export: %s\n", sv_err_str(b->err));
		return 1;
	}
	return write_xlsx(o, b->buf ? b->buf : "", b->len, sheet, 0640);
}

/* Builds, suppresses and rounds the themes table; 0 or the exit status. */
static int build_table(const struct options *o, struct store *st, const char *consultation,
		       struct export_table **t)
{
	enum sv_err rc = export_table_build(st, consultation, t);
	if (rc == SV_ERR_NOTFOUND) {
		fprintf(stderr, "survey-export: no consultation \"%s\"\n", consultation);
		return 1;
	}
	if (rc) {
		fprintf(stderr, "survey-export: could not read the counts: %s\n", sv_err_str(rc));
		return 1;
	}
	rc = export_suppress(*t, o->min_cell);
	if (rc == SV_ERR_INVALID) {
		fprintf(stderr, "survey-export: at --min-cell %d some small counts could be worked out "
			"however many others were hidden; nothing was written (try a higher --min-cell)\n",
			o->min_cell);
		return 1;
	}
	if (rc) {
		fprintf(stderr, "survey-export: could not check the table for small numbers: %s\n",
			sv_err_str(rc));
		return 1;
	}
	return 0;
}

static int cmd_themes(const struct options *o)
{
	struct store *st = NULL;
	struct export_table *t = NULL;
	struct sbuf out;
	char consultation[PARSE_MAX_ID + 1];
	int status;

	sbuf_init(&out, EXPORT_MAX_OUTPUT);
	status = open_consultation(o, &st, consultation, sizeof consultation);
	if (!status)
		status = build_table(o, st, consultation, &t);
	if (status)
		goto out;
	export_round(t, o->round_to);
	if (strcmp(o->format, "json") == 0)
		export_themes_json(t, &out);
	else
		export_themes_csv(t, &out);
	status = write_export(o, &out, "themes");
out:
	sbuf_free(&out);
	export_table_free(t);
	store_close(st);
	return status;
}

/*
 * cJSON keeps copies of decrypted answers in its own allocations; wipe each
 * before it goes back to the allocator.
 */
static void wiping_free(void *p)
{
	if (p)
		sodium_memzero(p, malloc_usable_size(p));
	free(p);
}

/* Where an export goes: stdout, or -o FILE written whole or not at all. */
struct sink {
	FILE *fp;
	char tmp[4096];
};

static int sink_open(struct sink *k, const struct options *o)
{
	k->tmp[0] = '\0';
	if (!o->output) {
		k->fp = stdout;
		return 0;
	}
	if ((size_t)snprintf(k->tmp, sizeof k->tmp, "%s.partial", o->output) >= sizeof k->tmp)
		return -1;
	/* Plain answers: readable by their owner only. */
	int fd = open(k->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	k->fp = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (!k->fp) {
		if (fd >= 0)
			close(fd);
		fprintf(stderr, "survey-export: could not write %s\n", o->output);
		return -1;
	}
	return 0;
}

/* Finishes the output: on success renames it into place; else removes it. */
static int sink_close(struct sink *k, const struct options *o, int ok)
{
	if (k->fp == stdout)
		return fflush(stdout) == 0 && ok ? 0 : 1;
	int written = fflush(k->fp) == 0 && fsync(fileno(k->fp)) == 0;
	fclose(k->fp);
	if (ok && written && rename(k->tmp, o->output) == 0)
		return 0;
	unlink(k->tmp);
	if (ok)
		fprintf(stderr, "survey-export: could not write %s\n", o->output);
	return 1;
}

/*
 * Reads the passphrase and unlocks the keys the consultation's data is
 * sealed to; 0, or the exit status after saying what was wrong.  Runs before
 * anything is written, so a wrong passphrase leaves no file.
 */
static int unlock_keys(const struct options *o, const char *command, struct store *st,
		       const char *consultation, struct export_keys **keys)
{
	char keydir[4096];
	char *passphrase = NULL;
	size_t passlen = 0;

	if (!o->passphrase_file && !isatty(STDIN_FILENO)) {
		fprintf(stderr, "survey-export: %s needs --passphrase-file FILE "
			"(or a terminal to type the passphrase in)\n", command);
		return EXIT_USAGE;
	}
	enum sv_err rc = o->passphrase_file ?
		files_read_secret(o->passphrase_file, &passphrase, &passlen) :
		files_prompt_secret("Passphrase of the secret key: ", 0, &passphrase, &passlen);
	if (rc) {
		fprintf(stderr, "survey-export: cannot read the passphrase%s%s\n",
			o->passphrase_file ? " from the first line of " : "",
			o->passphrase_file ? o->passphrase_file : "");
		return 1;
	}
	snprintf(keydir, sizeof keydir, "%s/keys", o->data);
	rc = export_keys_load(st, consultation, keydir, passphrase, passlen, keys);
	files_secret_free(passphrase);
	if (rc == SV_ERR_CRYPTO)
		fprintf(stderr, "survey-export: wrong passphrase: it opens none of the keys "
			"consultation %s's answers are sealed to; nothing was written\n", consultation);
	else if (rc)
		fprintf(stderr, "survey-export: could not unlock the keys: %s\n", sv_err_str(rc));
	return rc ? 1 : 0;
}

/* "n of N responses" on standard error every two seconds of a long run. */
struct progress {
	long long total;
	struct timespec last;
	int shown;
};

static void show_progress(void *arg, long long done)
{
	struct progress *p = arg;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (p->last.tv_sec == 0)
		p->last = now;
	if (now.tv_sec - p->last.tv_sec < 2)
		return;
	p->last = now;
	p->shown = 1;
	fprintf(stderr, "survey-export: %lld of %lld responses (%lld%%)\n", done, p->total,
		p->total ? done * 100 / p->total : 100);
}

static void say_result(const struct export_result *result, const char *what)
{
	fprintf(stderr, "survey-export: %lld response(s) %s", result->written, what);
	if (result->altered) {
		fprintf(stderr, "; %lld could not be opened (altered?), ids:", result->altered);
		for (long long i = 0; i < result->altered && i < EXPORT_MAX_REPORTED; i++)
			fprintf(stderr, " %lld", result->altered_ids[i]);
		fprintf(stderr, "%s", result->altered > EXPORT_MAX_REPORTED ? " ..." : "");
	}
	if (result->locked)
		fprintf(stderr, "; %lld sealed to a key this passphrase does not open", result->locked);
	fprintf(stderr, "\n");
}

static int cmd_responses(const struct options *o)
{
	struct store *st = NULL;
	struct export_keys *keys = NULL;
	struct sink sink = { 0 };
	struct export_result result;
	struct progress progress = { 0 };
	char consultation[PARSE_MAX_ID + 1];
	int status;

	status = open_consultation(o, &st, consultation, sizeof consultation);
	if (!status)
		status = unlock_keys(o, "responses", st, consultation, &keys);
	if (status)
		goto out;
	status = 1;
	if (store_response_count(st, consultation, &progress.total))
		goto out;
	if (strcmp(o->format, "xlsx") == 0) {
		/* The CSV in memory only (wiped), then the spreadsheet. */
		char *csv = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&csv, &len);
		enum sv_err rc = mem ? export_responses(st, consultation, keys, 0, 0, mem, show_progress,
							&progress, &result) : SV_ERR_NOMEM;
		if (mem && fclose(mem) != 0 && !rc)
			rc = SV_ERR_NOMEM;
		if (!rc)
			status = write_xlsx(o, csv ? csv : "", len, "responses", 0600);
		else
			fprintf(stderr, "survey-export: the export failed (%s); nothing was written\n",
				sv_err_str(rc));
		if (csv)
			sodium_memzero(csv, len);
		free(csv);
		if (!status)
			say_result(&result, "written");
		goto out;
	}
	if (sink_open(&sink, o))
		goto out;
	enum sv_err rc = export_responses(st, consultation, keys, strcmp(o->format, "json") == 0,
					  o->bom, sink.fp, show_progress, &progress, &result);
	status = sink_close(&sink, o, rc == SV_OK);
	if (rc) {
		fprintf(stderr, "survey-export: the export failed (%s); nothing was written\n",
			sv_err_str(rc));
		goto out;
	}
	say_result(&result, "written");
out:
	export_keys_free(keys);
	store_close(st);
	return status;
}

/* report and breakdowns: the themes table and the counts that need the key. */
static int cmd_decrypted_counts(const struct options *o)
{
	struct store *st = NULL;
	struct export_keys *keys = NULL;
	struct export_table *t = NULL;
	struct export_breakdown *b = NULL;
	struct export_result result;
	struct sbuf out;
	char consultation[PARSE_MAX_ID + 1];
	int status;

	sbuf_init(&out, EXPORT_MAX_OUTPUT);
	status = open_consultation(o, &st, consultation, sizeof consultation);
	if (!status)
		status = build_table(o, st, consultation, &t);
	if (!status)
		status = unlock_keys(o, o->command, st, consultation, &keys);
	if (status)
		goto out;
	status = 1;
	enum sv_err rc = export_breakdown_build(st, consultation, keys, t, &b, &result);
	if (rc) {
		fprintf(stderr, "survey-export: could not count the answers: %s\n", sv_err_str(rc));
		goto out;
	}
	export_round(t, o->round_to);
	export_breakdown_round(b, o->round_to);
	if (strcmp(o->format, "html") == 0)
		rc = export_report_html(st, t, b, keys, &out);
	else if (strcmp(o->format, "json") == 0)
		export_breakdown_json(t, b, &out);
	else
		export_breakdown_csv(t, b, &out);
	if (rc) {
		fprintf(stderr, "survey-export: could not write the report: %s\n", sv_err_str(rc));
		goto out;
	}
	status = write_export(o, &out, o->command);
	if (!status)
		say_result(&result, "counted");
out:
	if (out.buf)
		sodium_memzero(out.buf, out.cap);  /* the report holds quotes */
	sbuf_free(&out);
	export_breakdown_free(b);
	export_table_free(t);
	export_keys_free(keys);
	store_close(st);
	return status;
}

/* trends --plan ID: the plan's rounds side by side, each suppressed as its
 * own themes export. */
static int cmd_trends(const struct options *o)
{
	struct store *st = NULL;
	struct export_trend *tr = NULL;
	struct sbuf out;
	int status = 1;

	sbuf_init(&out, EXPORT_MAX_OUTPUT);
	if (store_open_readonly_url(o->data, o->db, &st)) {
		say_no_database(o);
		goto out;
	}
	enum sv_err rc = export_trend_build(st, o->plan, NULL, o->min_cell, o->round_to, &tr);
	if (rc == SV_ERR_NOTFOUND) {
		fprintf(stderr, "survey-export: no consultation is a round of plan \"%s\"\n", o->plan);
		goto out;
	}
	if (rc == SV_ERR_INVALID) {
		fprintf(stderr, "survey-export: at --min-cell %d a round's small counts could be worked "
			"out however many others were hidden; nothing was written\n", o->min_cell);
		goto out;
	}
	if (rc) {
		fprintf(stderr, "survey-export: could not read the rounds: %s\n", sv_err_str(rc));
		goto out;
	}
	if (strcmp(o->format, "json") == 0)
		export_trend_json(tr, &out);
	else
		export_trend_csv(tr, &out);
	status = write_export(o, &out, "trends");
out:
	sbuf_free(&out);
	export_trend_free(tr);
	store_close(st);
	return status;
}

/* ballot --survey ID: where the survey's ballot question is. */
struct ballot_find {
	struct store *st;
	const char *survey;
	char consultation[PARSE_MAX_ID + 1];
	int found;
};

static void on_survey(void *arg, const char *id, const char *title, const char *fields)
{
	struct ballot_find *f = arg;
	(void)title;
	(void)fields;
	f->found |= strcmp(id, f->survey) == 0;
}

static void on_consultation(void *arg, const char *id)
{
	struct ballot_find *f = arg;

	if (f->found)
		return;
	store_survey_each(f->st, id, on_survey, f);
	if (f->found)
		snprintf(f->consultation, sizeof f->consultation, "%s", id);
}

/* ballot --survey ID: the ranked list, suppressed as the results page's. */
static int cmd_ballot(const struct options *o)
{
	struct store *st = NULL;
	struct export_questions *qs = NULL;
	struct export_ballot *b = calloc(1, sizeof *b);
	struct export_ballot_issue issues[EXPORT_BALLOT_MAX];
	struct sbuf out;
	int status = 1;

	sbuf_init(&out, EXPORT_MAX_OUTPUT);
	if (!b)
		goto out;
	if (store_open_readonly_url(o->data, o->db, &st)) {
		say_no_database(o);
		goto out;
	}
	/* Store calls may not nest (one lock): the consultations first. */
	struct id_list l = { .n = 0 };
	struct ballot_find f = { st, o->survey, "", 0 };
	if (store_consultation_each(st, collect_id, &l))
		goto out;
	for (int i = 0; i < l.n && !f.found; i++)
		on_consultation(&f, l.ids[i]);
	const struct export_question *q = NULL;
	if (f.found && export_questions_load(st, f.consultation, &qs) == SV_OK)
		for (int i = 0; i < qs->n && !q; i++)
			for (int k = 0; k < qs->items[i].nsurveys; k++)
				if (strcmp(qs->items[i].type, "ballot") == 0 && !qs->items[i].choice &&
				    strcmp(qs->items[i].surveys[k], o->survey) == 0)
					q = &qs->items[i];
	if (!q) {
		fprintf(stderr, "survey-export: no survey \"%s\" with a ballot question\n", o->survey);
		goto out;
	}
	int n = q->noptions < EXPORT_BALLOT_MAX ? q->noptions : EXPORT_BALLOT_MAX;
	for (int k = 0; k < n; k++)
		issues[k] = (struct export_ballot_issue){ q->options[k].id, q->options[k].label,
							  q->options[k].themes, q->options[k].nthemes };
	enum sv_err rc = export_ballot_count(st, o->survey, issues, n, q->rank ? q->rank : 1, b);
	if (!rc)
		rc = export_ballot_suppress(b, o->min_cell);
	if (rc) {
		fprintf(stderr, "survey-export: could not count the ballot: %s\n", sv_err_str(rc));
		goto out;
	}
	if (strcmp(o->format, "json") == 0)
		export_ballot_json(b, issues, o->survey, q->id, &out);
	else
		export_ballot_csv(b, issues, &out);
	status = write_export(o, &out, "ballot");
out:
	sbuf_free(&out);
	export_questions_free(qs);
	free(b);
	store_close(st);
	return status;
}

int main(int argc, char **argv)
{
	cJSON_Hooks hooks = { .malloc_fn = malloc, .free_fn = wiping_free };
	struct options o = { .data = "./data",
			     .min_cell = EXPORT_DEFAULT_MIN_CELL };

	if (parse_options(argc, argv, &o)) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (o.help) {
		usage(stdout);
		return 0;
	}
	const char *why = NULL;
	if (store_db_usable(o.db, &why)) {
		fprintf(stderr, "survey-export: --db: %s\n", why);
		return EXIT_USAGE;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "survey-export: libsodium could not start\n");
		return 1;
	}
	cJSON_InitHooks(&hooks);
	if (strcmp(o.command, "themes") == 0)
		return cmd_themes(&o);
	if (strcmp(o.command, "trends") == 0)
		return cmd_trends(&o);
	if (strcmp(o.command, "ballot") == 0)
		return cmd_ballot(&o);
	if (strcmp(o.command, "responses") == 0)
		return cmd_responses(&o);
	if (strcmp(o.command, "report") == 0 || strcmp(o.command, "breakdowns") == 0)
		return cmd_decrypted_counts(&o);
	fprintf(stderr, "survey-export: unknown command \"%s\"\n", o.command);
	usage(stderr);
	return EXIT_USAGE;
}
