/*
 * main.c - survey-export, the command-line export.
 *
 *   survey-export [--data DIR] [--passphrase-file FILE] COMMAND [options]
 *     COMMAND: themes | responses | report
 *     options: --consultation ID  --format csv|json|html  --min-cell N  -o FILE
 *
 * Exit status: 0 success, 1 runtime failure, 2 bad usage.  Nothing is written
 * to -o FILE unless the whole export succeeded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/files.h"
#include "../core/parse.h"
#include "export.h"

#define EXIT_USAGE 2

struct options {
	const char *data;
	const char *passphrase_file;
	const char *command;
	const char *consultation;
	const char *format;
	const char *output;
	int min_cell;
};

static void usage(void)
{
	fprintf(stderr,
		"usage: survey-export [--data DIR] [--passphrase-file FILE] COMMAND [options]\n"
		"  COMMAND: themes\n"
		"  options: --consultation ID  --format csv|json  --min-cell N  -o FILE\n");
}

static int parse_options(int argc, char **argv, struct options *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
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
		else if (strcmp(a, "--passphrase-file") == 0) o->passphrase_file = v;
		else if (strcmp(a, "--consultation") == 0) o->consultation = v;
		else if (strcmp(a, "--format") == 0) o->format = v;
		else if (strcmp(a, "-o") == 0) o->output = v;
		else if (strcmp(a, "--min-cell") == 0) {
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
	if (!o->command) {
		fprintf(stderr, "survey-export: say which export: themes\n");
		return -1;
	}
	if (strcmp(o->format, "csv") != 0 && strcmp(o->format, "json") != 0) {
		fprintf(stderr, "survey-export: --format must be csv or json\n");
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

static int cmd_themes(const struct options *o)
{
	struct store *st = NULL;
	struct export_table *t = NULL;
	struct sbuf out;
	char consultation[PARSE_MAX_ID + 1];
	int status = 1;

	sbuf_init(&out, EXPORT_MAX_OUTPUT);
	if (store_open_readonly(o->data, &st)) {
		fprintf(stderr, "survey-export: no youthvoice database in %s\n", o->data);
		goto out;
	}
	status = choose_consultation(st, o, consultation, sizeof consultation);
	if (status)
		goto out;
	status = 1;
	enum sv_err rc = export_table_build(st, consultation, &t);
	if (rc == SV_ERR_NOTFOUND) {
		fprintf(stderr, "survey-export: no consultation \"%s\"\n", consultation);
		goto out;
	}
	if (rc) {
		fprintf(stderr, "survey-export: could not read the counts: %s\n", sv_err_str(rc));
		goto out;
	}
	export_suppress(t, o->min_cell);
	if (strcmp(o->format, "json") == 0)
		export_themes_json(t, &out);
	else
		export_themes_csv(t, &out);
	status = write_output(o, &out);
out:
	sbuf_free(&out);
	export_table_free(t);
	store_close(st);
	return status;
}

int main(int argc, char **argv)
{
	struct options o = { .data = "./data", .format = "csv",
			     .min_cell = EXPORT_DEFAULT_MIN_CELL };

	if (parse_options(argc, argv, &o)) {
		usage();
		return EXIT_USAGE;
	}
	if (strcmp(o.command, "themes") == 0)
		return cmd_themes(&o);
	fprintf(stderr, "survey-export: unknown command \"%s\"\n", o.command);
	usage();
	return EXIT_USAGE;
}
