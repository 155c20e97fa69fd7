/*
 * taxonomy.h - the priorities and the themes under them.
 *
 * The taxonomy is data (forms/taxonomy.json), copied into the database with
 * each consultation so that survey-export needs only the data folder.  A theme
 * may sit under more than one priority.  A theme may list seed words (one
 * word each: no spaces, up to TAXONOMY_MAX_SEED bytes, each once) that the
 * answer classifier (core/classify.h) starts from.  This module reads and
 * checks it; it knows nothing of surveys or counts.
 */
#ifndef SV_TAXONOMY_H
#define SV_TAXONOMY_H

#include <stddef.h>

#include "err.h"
#include "sbuf.h"

#define TAXONOMY_MAX_PRIORITIES 12
#define TAXONOMY_MAX_THEMES 200
#define TAXONOMY_MAX_THEME_PRIORITIES 4   /* priorities one theme may sit under */
#define TAXONOMY_MAX_NAME 200             /* bytes in a priority or theme name */
#define TAXONOMY_MAX_SEEDS 60             /* seed words one theme may list */
#define TAXONOMY_MAX_SEED 40              /* bytes in one seed word */

struct priority {
	int number;  /* 1, 2, ...: as the plan numbers them */
	char *name;  /* "Keep children safe and free from harm" */
};

struct theme {
	char *id;                                   /* "online-safety" */
	char *name;                                 /* "Online safety" */
	int priorities[TAXONOMY_MAX_THEME_PRIORITIES]; /* priority numbers */
	int npriorities;                            /* 1 or more */
	char **seeds;    /* words that suggest the theme ("bus", "fares"), or NULL */
	int nseeds;      /* 0 to TAXONOMY_MAX_SEEDS */
};

struct taxonomy {
	struct priority *priorities; /* in number order */
	size_t npriorities;
	struct theme *themes;        /* in the order of the file */
	size_t nthemes;
	char *partnership;           /* who runs the plan, for the report; NULL if not given */
};

/*
 * Parses taxonomy JSON text.  file names it in messages.  On error, err holds
 * "file: path: problem".  Free the result with taxonomy_free.
 */
enum sv_err taxonomy_parse(const char *text, size_t len, const char *file,
			   struct taxonomy **out /* OUT */,
			   char *err, size_t errlen);

/* Index of the theme with this id, or -1. */
int taxonomy_theme_index(const struct taxonomy *t, const char *id);

/* Index of the priority with this number, or -1. */
int taxonomy_priority_index(const struct taxonomy *t, int number);

/* Writes t as taxonomy JSON (what taxonomy_parse reads). */
void taxonomy_to_json(const struct taxonomy *t, struct sbuf *out);

void taxonomy_free(struct taxonomy *t);

/* 1 if theme th sits under priority number p. */
int taxonomy_theme_under(const struct theme *th, int p);

#endif
