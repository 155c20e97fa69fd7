/*
 * export.h - the export side: the themes table from the stored counters,
 * small-number suppression, and writing it as CSV or JSON.
 *
 * Used by survey-export (export/main.c) and, later, by the staff pages.  It
 * reads through core/store and writes into an sbuf; it knows nothing of HTTP.
 * The table's shape is fixed by CONTRACT.md:
 *   priority_number,priority,theme,survey,focus_group,marketplace,total
 * and one column after it, free_text: free-text answers the main analysis
 * coded with the theme (docs/analysis.md).  It is not part of total (those
 * answers come from survey respondents, who may be counted under survey).
 */
#ifndef SV_EXPORT_H
#define SV_EXPORT_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "../core/err.h"
#include "../core/limits.h"
#include "../core/sbuf.h"
#include "../core/seal.h"
#include "../core/store.h"
#include "../core/taxonomy.h"
#include "disclosure.h"

#define EXPORT_DEFAULT_MIN_CELL 5
#define EXPORT_MAX_MIN_CELL 1000
#define EXPORT_MAX_OUTPUT (64 * 1024 * 1024)  /* bytes in one export file */

/* The published columns: the three sources, then their total, then the
 * free-text answers coded with the theme (outside the total). */
enum export_col { EXPORT_SURVEY, EXPORT_FOCUS_GROUP, EXPORT_MARKETPLACE, EXPORT_TOTAL,
		  EXPORT_FREE_TEXT, EXPORT_NCOLS };

struct export_row {
	const struct priority *priority;
	const struct theme *theme;
	struct cell cells[EXPORT_NCOLS];
};

struct export_subtotal {
	const struct priority *priority;
	struct cell cells[EXPORT_NCOLS];  /* responses, messages, tokens, coded answers
					     raising any of its themes */
};

/* Who took part: published beside the table, so suppressed with it. */
struct export_participation {
	struct cell responses;        /* survey responses */
	struct cell messages;         /* focus-group key messages */
	struct cell tokens;           /* marketplace tokens */
	struct cell participants;     /* young people in the focus groups */
	struct cell coded;            /* free-text answers coded in the main analysis */
	char first_day[11], last_day[11];  /* responses from .. to, or "" */
};

/*
 * One survey of the consultation and how many answered it: published in the
 * report and the JSON, and what bounds each theme's survey count (a theme
 * only surveys with an option raising it can raise).
 */
struct export_survey {
	char *id;
	char *title;                  /* "" for a survey since moved elsewhere */
	struct cell responses;
	int defined;                  /* its questions are known: themes[] is complete */
	char **themes;                /* theme ids its options can raise */
	int nthemes;
};

#define EXPORT_MAX_SURVEYS 64         /* surveys in one consultation */
#define EXPORT_MAX_LISTED_MESSAGES 60 /* key messages listed in the report */

/* A focus-group key message as the report lists it, with its themes: the
 * list publishes how many messages carry each theme. */
struct export_message {
	char *text;
	char *themes;                 /* theme ids, comma-separated */
};

struct export_table {
	char *consultation;           /* id */
	char *title;                  /* consultation title */
	struct taxonomy *taxonomy;    /* as stored with the consultation */
	struct export_row *rows;      /* one per (priority, theme), priority order */
	size_t nrows;
	struct export_subtotal *subtotals;  /* one per priority */
	size_t nsubtotals;
	struct export_participation took_part;
	struct export_survey *surveys;     /* responses per survey */
	size_t nsurveys;
	struct export_message *messages;   /* the key messages listed, in meeting order */
	size_t nmessages;
	long long more_messages;      /* messages beyond the listed ones */
	struct cell *listed;          /* per row: messages listed with its theme */
	struct cell groups;           /* focus groups (each of at least one person): */
	struct cell events;           /* marketplace events; not people, published as they are */
	long long secondary;          /* counts hidden to protect small ones */
	int min_cell;                 /* threshold used; 0 = no suppression */
	int round_to;                 /* published counts rounded to this; 0 = exact */
	char generated[11];           /* YYYY-MM-DD */
};

/* Reads the counters of one consultation into a table (unsuppressed). */
enum sv_err export_table_build(struct store *st, const char *consultation,
			       struct export_table **out /* OUT */);
void export_table_free(struct export_table *t);

/*
 * Applies small-number suppression to every count the table publishes (rows,
 * per-priority subtotals, participation): each below min_cell becomes
 * CELL_SMALL, and enough others CELL_HIDDEN that none can be worked out from
 * row totals, subtotals, participation totals or a theme printed under two
 * priorities (disclosure.h).  min_cell 0 leaves every cell shown.  On an
 * error every count is hidden.
 */
enum sv_err export_suppress(struct export_table *t, int min_cell);

/*
 * export_suppress with a breakdown of the responses by day published beside
 * the table (the staff results page): days[0..ndays) are the responses of
 * each day, summing to took_part.responses.  The table is suppressed first
 * exactly as export_suppress does (so it publishes what the CSV does), then
 * the days by the same rule with the table's counts fixed: only days are
 * hidden to protect a day.  On an error every day is hidden too.
 */
enum sv_err export_suppress_days(struct export_table *t, struct cell *days, size_t ndays,
				 int min_cell);

/*
 * Whether a live page that last published counts of `shown` survey responses
 * may publish counts of `now`: only when none has arrived since (other
 * sources may have moved) or at least min_cell have, so that two views never
 * differ by the answers of fewer than min_cell people (the differencing rule,
 * docs/threat-model.md).  min_cell 0 or 1 allows any step.
 */
int export_may_follow(long long shown, long long now, int min_cell);

/* Marks every count of t (suppressed already) as published in d: a later
 * audit with more counts may hide only those (disclosure_fixed). */
void export_table_fix(struct export_table *t, struct disclosure *d);

/* Registers the table's cells and relations with d (for a joint audit with
 * breakdowns that share its counts). */
enum sv_err export_table_relations(struct export_table *t, struct disclosure *d);

/*
 * Rounds every published count (rows, subtotals, participation) to the
 * nearest multiple of n (halves up), as
 * Ofqual and NHS England publish; run after export_suppress.  Totals were
 * summed from the raw counts and are rounded themselves, so a rounded total
 * need not equal the sum of its rounded cells.  n 0 or 1 changes nothing.
 */
void export_round(struct export_table *t, int n);
/* One published count to the nearest multiple of n (a shown one only). */
void export_round_cell(struct cell *c, int n);

/* What a cell publishes: the number, "<N", or "[c]". */
void export_cell_text(const struct export_table *t, const struct cell *c,
		      char out[32]);

void export_themes_csv(const struct export_table *t, struct sbuf *out);
void export_themes_json(const struct export_table *t, struct sbuf *out);

/* Adds key: a published count to a JSON object: a number when shown
 * exactly, else its text ("<5", "[c]"). */
void export_json_count(const struct export_table *t, cJSON *obj, const char *key,
		       const struct cell *c);

/* Appends root as indented JSON and a newline to out, then deletes root
 * (NULL, or no memory: out->err is SV_ERR_NOMEM). */
void export_json_print(cJSON *root, struct sbuf *out);

/* Appends one RFC 4180 CSV field, quoted, with a leading = + - @ defused. */
void export_csv_field(struct sbuf *out, const char *s);

/* ---- the decision log as evidence (decisions.c) ---- */

/*
 * A consultation's decision log ("you said, we did", issue 16), n entries
 * by priority then id, as RFC 4180 CSV (formula-safe: export_csv_field) or
 * JSON.  The CSV's columns:
 *   id,priority_number,priority,young_people_said,decided,decided_by,lead,
 *   status,why_not_possible,decided_on,last_changed
 * decided_by is "board" or "lead"; status as store_decision_status_name;
 * the days are YYYY-MM-DD.  The JSON: {consultation, generated, decisions:
 * [each with the same keys]}.  t names the priorities (a number it lacks is
 * written with an empty name).
 */
void export_decisions_csv(const struct taxonomy *t, const struct store_decision *d, size_t n,
			  struct sbuf *out);
void export_decisions_json(const char *consultation, const char *generated, const struct taxonomy *t,
			   const struct store_decision *d, size_t n, struct sbuf *out);

/* ---- spreadsheets (xlsx.c) ---- */

/*
 * Writes the CSV export csv[0..len) (themes, breakdowns or responses, as
 * this module writes them) as an .xlsx workbook of one sheet at path: cell
 * for cell the CSV's text, a quoted field a string (never a formula, its
 * leading apostrophe kept), an unquoted whole number a number.  libxlsxwriter
 * keeps its parts in temporary files in tmpdir (NULL: the system's) until
 * the file is written.  SV_ERR_INVALID for malformed CSV, SV_ERR_TOOBIG past
 * a spreadsheet's 1,048,576 rows or 32,767 characters in a cell.
 */
enum sv_err export_xlsx_write(const char *csv, size_t len, const char *sheet, const char *path,
			      const char *tmpdir);
/* The same into out (by way of a temporary file, deleted): for the staff
 * pages, which publish only suppressed counts this way. */
enum sv_err export_xlsx_bytes(const char *csv, size_t len, const char *sheet, struct sbuf *out);

/* ---- the questions (questions.c) ---- */

#define EXPORT_MAX_QUESTIONS 256     /* answer keys across a consultation's surveys */
#define EXPORT_MAX_OPTIONS 64
#define EXPORT_MAX_OPTION_THEMES 8

struct export_option {
	char *id;                     /* the answer value */
	char *label;                  /* what the respondent read */
	char *themes[EXPORT_MAX_OPTION_THEMES];
	int nthemes;
};

struct export_question {
	char *id;                     /* the payload's answer key */
	char *survey;                 /* the first survey that asks it */
	char **surveys;               /* every survey that asks it */
	int nsurveys;
	int answered_by_all;          /* required, always shown, in every one of them */
	char *type;                   /* "single", "multiple", "text", "age_band", ... */
	char *title;
	int multiple;                 /* answers are a list of option ids */
	int rank;                     /* a ballot: choices ranked, 1 to 3 (else 0) */
	int choice;                   /* a ranked ballot's later choice: 2 or 3 (else 0) */
	int other;                    /* has a "something else" box: key "ID.other" */
	struct export_option *options;
	int noptions;
};

struct export_questions {
	struct export_question items[EXPORT_MAX_QUESTIONS];
	int n;
};

/* Every question of a consultation's surveys, once per answer key, in survey
 * and question order; free with export_questions_free. */
enum sv_err export_questions_load(struct store *st, const char *consultation,
				  struct export_questions **out /* OUT */);
void export_questions_free(struct export_questions *qs);
/* The option with this id, or NULL. */
const struct export_option *export_option_find(const struct export_question *q, const char *id);

/* ---- opening sealed responses (opener.c) ---- */

#define EXPORT_MAX_KEYS 64            /* keys one consultation's data is sealed to */
#define EXPORT_MAX_REPORTED 20        /* altered response ids named in a result */

struct export_keys;

/*
 * Unlocks every key a consultation's responses, quotes and codes are sealed
 * to (by the key id stored with each row), and its own current key if it has
 * one, that the passphrase opens.  SV_ERR_CRYPTO if it opens none of them:
 * so another consultation's passphrase opens nothing here.  (With nothing
 * sealed yet and no key of its own, any passphrase will do.)  Free with
 * export_keys_free.
 */
enum sv_err export_keys_load(struct store *st, const char *consultation, const char *keydir,
			     const char *passphrase, size_t passlen,
			     struct export_keys **out /* OUT */);
/* The unlocked key with this id, or NULL. */
const struct seal_secret *export_key(const struct export_keys *k, const char *id);
void export_keys_free(struct export_keys *k);
/* 1 if every unlocked key is in locked memory, 0 (errno set) if the system
 * refused to lock one (RLIMIT_MEMLOCK): it could be swapped to disk. */
int export_keys_locked(struct export_keys *k);

/* What a pass writes for one batch of responses. */
struct export_opened {
	struct sbuf text;             /* e.g. rows of the export; wiped after use */
	long long *counts;            /* the pass's tallies, zero at each batch */
	long long opened;             /* responses handed to on_response */
};

struct export_pass {
	/* Called on a worker thread for each response opened, in any order
	 * across batches: write into out (nothing shared). */
	void (*on_response)(void *arg, struct export_opened *out, const struct store_sealed *s,
			    const cJSON *answers);
	/* Called on the calling thread for each batch, in the order the
	 * responses were stored; a failure stops the pass. */
	enum sv_err (*on_batch)(void *arg, const struct export_opened *out);
	void *arg;
	/* Optional: responses dealt with so far, after each batch. */
	void (*progress)(void *progress_arg, long long done);
	void *progress_arg;
	size_t ncounts;               /* tallies per batch, if any */
};

struct export_result {
	long long written;        /* responses opened and handed to the pass */
	long long altered;        /* responses whose ciphertext did not open */
	long long locked;         /* responses sealed to a key the passphrase does not open */
	long long altered_ids[EXPORT_MAX_REPORTED]; /* the first few altered ids */
};

/*
 * Opens every response of a consultation with keys, on one worker thread
 * per core, in bounded memory.  An altered response is skipped and counted,
 * never fatal.  Plain text is wiped as soon as a batch is done.
 */
enum sv_err export_open_each(struct store *st, const char *consultation,
			     const struct export_keys *keys, const struct export_pass *pass,
			     struct export_result *result /* OUT */);

/* ---- analysts' codes (codes.c) ---- */

/*
 * One analyst's code of one free-text answer (survey-server/analyse.c), as
 * sealed: the theme ids and priority numbers it counts, and its marks.
 * Sealed payload (v 1), padded to EXPORT_CODE_SEAL_SIZE:
 *   {"v":1,"kind":"code","themes":["THEME-ID",...],"priorities":[N,...],
 *    "none":0|1,"follow":0|1,"quote":0|1}
 */
#define EXPORT_CODE_SEAL_SIZE 4096
struct export_code {
	char themes[STORE_MAX_CODE_THEMES][LIMIT_ID_BYTES + 1];
	const char *theme_ptrs[STORE_MAX_CODE_THEMES];  /* into themes, for struct store_code */
	size_t nthemes;
	int priorities[STORE_MAX_CODE_PRIORITIES];
	size_t npriorities;
	int none, follow, quote;
};

/* Writes c's payload into out. */
void export_code_payload(const struct export_code *c, struct sbuf *out);
/* Opens a sealed code with keys into *out.  SV_ERR_CRYPTO without its key
 * or when altered, SV_ERR_INVALID when it does not parse. */
enum sv_err export_code_open(const struct export_keys *keys, const char *key_id,
			     const unsigned char *box, size_t len, struct export_code *out /* OUT */);

/* ---- the decrypted export (responses.c) ---- */

/*
 * Writes one row per response of a consultation to out: CSV (response_id,
 * survey, day, then one column per question, a multiple-choice question one
 * column per option, 1 or 0), with a byte-order mark first if bom is set
 * (Excel wants one), or a JSON array of {id, survey, day, answers}.  A partly written file is the
 * caller's to discard on an error.
 */
enum sv_err export_responses(struct store *st, const char *consultation,
			     const struct export_keys *keys, int as_json, int bom, FILE *out,
			     void (*progress)(void *arg, long long done), void *progress_arg,
			     struct export_result *result /* OUT */);

/* ---- breakdowns that need the key (breakdown.c) ---- */

enum export_grouping { EXPORT_BY_AGE, EXPORT_BY_DISTRICT };

/*
 * The report's view of one grouping when most of its cells would be
 * suppressed: neighbouring age bands merged, small districts gathered into
 * "Other areas", until at most a third of the cells are small (or one group
 * is left: then the report does not break down by it).  Its cells are
 * audited with all the others.
 */
#define EXPORT_MAX_GROUPS (EXPORT_MAX_OPTIONS + 1)
struct export_merge {
	int merged;                   /* 1 if any groups were merged */
	int ngroups;                  /* merged groups, "not given" last */
	int of[EXPORT_MAX_GROUPS];    /* per group of by[]: the merged group */
	int other;                    /* the "Other areas" group, or -1 */
	struct cell *cells;           /* per choice question, option, merged group */
	size_t *base;                 /* per question: its first cell */
	size_t ncells;
	struct cell sizes[EXPORT_MAX_GROUPS];  /* responses in each merged group */
};

struct export_breakdown {
	const struct export_questions *qs;  /* owned */
	struct {
		int question;         /* the age-band (district) question, or -1 */
		int ngroups;          /* its options, then "not given" */
	} by[2];                      /* [enum export_grouping] */
	struct {
		int choice;           /* counted: a question with options */
		size_t base;          /* its first slot in cells */
	} *q;                         /* per question of qs */
	struct cell *cells;           /* every count, laid out per question */
	size_t nslots;
	struct cell not_given[2];     /* responses without an age band (district) */
	struct export_merge merge[2]; /* [enum export_grouping] */
	long long opened;             /* responses counted */
	long long secondary;          /* counts hidden to protect small ones */
	int min_cell;
};

/*
 * Opens every response and counts each choice question's options, overall
 * and by age band and by district; then suppresses them with the same rule,
 * together with t (already suppressed, published as it is).
 */
enum sv_err export_breakdown_build(struct store *st, const char *consultation,
				   const struct export_keys *keys, struct export_table *t,
				   struct export_breakdown **out /* OUT */,
				   struct export_result *result /* OUT */);
void export_breakdown_round(struct export_breakdown *b, int n);
void export_breakdown_free(struct export_breakdown *b);
/* The published cells: how many answered question q; chose its option k;
 * did so in group g of a grouping; are in group g (g = ngroups - 1: not given). */
const struct cell *export_breakdown_answered(const struct export_breakdown *b, int q);
const struct cell *export_breakdown_option(const struct export_breakdown *b, int q, int k);
const struct cell *export_breakdown_group(const struct export_breakdown *b, int q, int k, int by,
					  int g);
const struct cell *export_breakdown_group_size(struct export_breakdown *b, int by, int g);
/* The same for the merged groups of export_merge (only when merged). */
const struct cell *export_breakdown_merged(const struct export_breakdown *b, int q, int k, int by,
					   int m);
/* The merged group's label: "11 to 15", "Other areas", or the group's own. */
void export_breakdown_merged_label(const struct export_breakdown *b, int by, int m,
				   char *out, size_t outlen);

/* The breakdowns as CSV (by,group,question_id,question,option_id,option,count)
 * or JSON ({consultation, generated, min_cell, responses, questions: [...]}). */
void export_breakdown_csv(const struct export_table *t, struct export_breakdown *b,
			  struct sbuf *out);
void export_breakdown_json(const struct export_table *t, struct export_breakdown *b,
			   struct sbuf *out);

/* ---- the report (report.c) ---- */

/*
 * Writes the report of t (suppressed, and rounded if asked) as one
 * self-contained HTML page: who took part, each priority's themes as a bar
 * chart and a table, the focus groups' key messages, a few quotes (opened
 * with keys; none without), the answers by question from b (left out when
 * NULL) and a note on method.
 */
enum sv_err export_report_html(struct store *st, const struct export_table *t,
			       struct export_breakdown *b, const struct export_keys *keys,
			       struct sbuf *out);

/* ---- the youth ballot's ranked list (ballot.c) ---- */

#define EXPORT_BALLOT_MAX LIMIT_BALLOT_ISSUES /* issues in one ballot */

/* First-choice votes by source, then their total. */
enum export_ballot_col { EXPORT_BALLOT_ONLINE, EXPORT_BALLOT_PAPER, EXPORT_BALLOT_IMPORT,
			 EXPORT_BALLOT_TOTAL, EXPORT_BALLOT_NCOLS };

struct export_ballot_row {
	int issue;                              /* the caller's index (its option) */
	struct cell first[EXPORT_BALLOT_NCOLS]; /* first choices; the caller fills the
	                                         * three sources' values */
	struct cell later[2];                   /* online second and third choices */
	long long points;                       /* online: 3 a first, 2 a second, 1 a third */
	int points_shown;                       /* its three online counts are all shown */
};

struct export_ballot {
	int rank;                               /* choices ranked online, 1 to 3 */
	int nrows;
	struct export_ballot_row rows[EXPORT_BALLOT_MAX];
	struct cell totals[EXPORT_BALLOT_NCOLS];/* each column's sum */
	struct cell later_totals[2];            /* second and third choices given */
	int by_points[EXPORT_BALLOT_MAX];       /* rows in points order (rank 3) */
	long long secondary;                    /* counts hidden to protect small ones */
	int min_cell;
};

/*
 * Sums b's columns and rows, suppresses every count as the themes table is
 * (counts 1 to min_cell - 1 "<N", others hidden where a small one could be
 * worked out from the totals; imported votes are a published Make Your Mark
 * result, so known and shown), works out the points of rows whose three
 * online counts are shown, and orders the rows by the total the published
 * counts make sure of (the total shown, else the least that its shown,
 * "<N" (1 or more) and "[c]" (N or more) counts add up to), largest first,
 * ties in issue order: so the order tells nothing the counts do not.
 * by_points likewise by points.  On an error every count is hidden.
 */
enum sv_err export_ballot_suppress(struct export_ballot *b, int min_cell);

/* An issue of a ballot, as the files name it. */
struct export_ballot_issue {
	const char *id;                         /* the option id */
	const char *label;                      /* what young people read */
	char *const *themes;                    /* its theme ids */
	int nthemes;
};

/* Fills b (zeroed first) with survey's counts from the store: a row per
 * issue (row.issue its index in issues, n of them, at most
 * EXPORT_BALLOT_MAX), online first choices and, up to rank, later ones;
 * paper and imported first choices.  Suppress it next. */
enum sv_err export_ballot_count(struct store *st, const char *survey,
				const struct export_ballot_issue *issues, int n, int rank,
				struct export_ballot *b /* OUT */);
/* What a cell of b publishes: the number, "<N" or "[c]". */
void export_ballot_cell_text(const struct export_ballot *b, const struct cell *c, char out[32]);
/*
 * The suppressed ranked list as the results page shows it, in its order, as
 * RFC 4180 CSV (formula-safe: export_csv_field), one row per issue:
 *   place,issue_id,issue,themes,online,paper,imported,total,second_choices,
 *   third_choices,points
 * place only where the total is shown; themes the issue's theme ids joined
 * by ";"; a count shown as its number, else its text ("<5", "[c]");
 * second_choices and third_choices empty where the ballot does not rank so
 * far, points only where shown (rank 3).  JSON: {survey, question,
 * generated, min_cell, rank, issues: [{place, id, label, themes, online,
 * paper, imported, total, second_choices, third_choices, points}], totals:
 * {online, paper, imported, total, second_choices, third_choices}}, a
 * count a number when shown, else its text; place and points null when not
 * printed; later choices only up to rank.
 */
void export_ballot_csv(const struct export_ballot *b, const struct export_ballot_issue *issues,
		       struct sbuf *out);
void export_ballot_json(const struct export_ballot *b, const struct export_ballot_issue *issues,
			const char *survey, const char *question, struct sbuf *out);
/* ---- rounds of a plan side by side (trends.c) ---- */

#define EXPORT_MAX_ROUNDS 20          /* rounds of one plan in a trend */

/* One round: its consultation's themes table, suppressed as its own export. */
struct export_trend_round {
	char *consultation;
	char *round;                  /* its name, e.g. "2023" */
	struct export_table *t;       /* built and suppressed alone, never again */
};

struct export_trend {
	char *plan;
	struct export_trend_round *rounds;  /* in the order of their names */
	size_t nrounds;
	const struct taxonomy *frame; /* the latest round's: the priorities and themes shown */
	int min_cell;
	int borrowed;                 /* the tables are the caller's: free leaves them */
	char generated[11];
};

/*
 * The rounds of plan, oldest first, with no tables yet (each t NULL, frame
 * NULL, borrowed 0): only those up to and including consultation upto's own
 * round when upto is given (NULL: all).  SV_ERR_NOTFOUND for a plan with no
 * rounds, or upto not one of them.  A caller that fills t with tables it
 * keeps (a live page's snapshots) sets borrowed and frame.  Free with
 * export_trend_free.
 */
enum sv_err export_trend_rounds(struct store *st, const char *plan, const char *upto,
				struct export_trend **out /* OUT */);

/*
 * The rounds of plan side by side.  Each round's table is built and
 * suppressed by export_suppress (min_cell) exactly as its own themes export,
 * and rounded to round_to (0: exact) as that export with --round, so a trend
 * publishes no count its rounds' exports do not; upto as export_trend_rounds.
 * SV_ERR_NOTFOUND for a plan with no rounds.  Free with export_trend_free.
 */
enum sv_err export_trend_build(struct store *st, const char *plan, const char *upto, int min_cell,
			       int round_to, struct export_trend **out /* OUT */);
void export_trend_free(struct export_trend *tr);
/* Round r's cell for priority number p: with theme NULL its subtotal (any of
 * its themes), else that theme's row; NULL if the round has no such. */
const struct cell *export_trend_cell(const struct export_trend *tr, size_t r, int p,
				     const char *theme, enum export_col col);
/*
 * The trend as CSV, one row per (priority, theme, round), the priority's own
 * row (theme_id empty) first:
 *   plan,round,consultation,priority_number,priority,theme_id,theme,responses,
 *   survey,focus_group,marketplace,total,free_text
 * A theme a round's list lacks has empty counts in that round.  JSON: {plan,
 * generated, min_cell, rounds: [{round, consultation, title, responses}],
 * priorities: [{number, name, rounds: [cells], themes: [{id, name, rounds:
 * [cells]}]}]}, each cell {survey, focus_group, marketplace, total} (null for
 * a theme the round lacks); a shown count a number, else its text ("<5").
 */
void export_trend_csv(const struct export_trend *tr, struct sbuf *out);
void export_trend_json(const struct export_trend *tr, struct sbuf *out);

#endif
