/*
 * export.h - the export side: the themes table from the stored counters,
 * small-number suppression, and writing it as CSV or JSON.
 *
 * Used by survey-export (export/main.c) and, later, by the staff pages.  It
 * reads through core/store and writes into an sbuf; it knows nothing of HTTP.
 * The table's shape is fixed by CONTRACT.md:
 *   priority_number,priority,theme,survey,focus_group,marketplace,total
 */
#ifndef SV_EXPORT_H
#define SV_EXPORT_H

#include <stddef.h>
#include <stdio.h>

#include "../core/err.h"
#include "../core/sbuf.h"
#include "../core/store.h"
#include "../core/taxonomy.h"
#include "disclosure.h"

#define EXPORT_DEFAULT_MIN_CELL 5
#define EXPORT_MAX_MIN_CELL 1000
#define EXPORT_MAX_OUTPUT (64 * 1024 * 1024)  /* bytes in one export file */

/* The published columns: the three sources, then their total. */
enum export_col { EXPORT_SURVEY, EXPORT_FOCUS_GROUP, EXPORT_MARKETPLACE, EXPORT_TOTAL, EXPORT_NCOLS };

struct export_row {
	const struct priority *priority;
	const struct theme *theme;
	struct cell cells[EXPORT_NCOLS];
};

struct export_subtotal {
	const struct priority *priority;
	struct cell cells[EXPORT_NCOLS];  /* responses, messages, tokens raising any theme */
};

/* Who took part: published beside the table, so suppressed with it. */
struct export_participation {
	struct cell responses;        /* survey responses */
	struct cell messages;         /* focus-group key messages */
	struct cell tokens;           /* marketplace tokens */
	struct cell participants;     /* young people in the focus groups */
	long long focus_groups;       /* groups and events are not people: */
	long long events;             /* published as they are */
	char first_day[11], last_day[11];  /* responses from .. to, or "" */
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

/* Registers the table's cells and relations with d (for a joint audit with
 * breakdowns that share its counts). */
void export_table_relations(struct export_table *t, struct disclosure *d);

/*
 * Rounds every published count to the nearest multiple of n (halves up), as
 * Ofqual and NHS England publish; run after export_suppress.  Totals were
 * summed from the raw counts and are rounded themselves, so a rounded total
 * need not equal the sum of its rounded cells.  n 0 or 1 changes nothing.
 */
void export_round(struct export_table *t, int n);

/* What a cell publishes: the number, "<N", or "[c]". */
void export_cell_text(const struct export_table *t, const struct cell *c,
		      char out[32]);

void export_themes_csv(const struct export_table *t, struct sbuf *out);
void export_themes_json(const struct export_table *t, struct sbuf *out);

/* Appends one RFC 4180 CSV field, quoted, with a leading = + - @ defused. */
void export_csv_field(struct sbuf *out, const char *s);

#define EXPORT_MAX_REPORTED 20   /* altered response ids named in a result */

struct export_result {
	long long written;        /* responses opened and written */
	long long altered;        /* responses whose ciphertext did not open */
	long long locked;         /* responses sealed to a key the passphrase does not open */
	long long altered_ids[EXPORT_MAX_REPORTED]; /* the first few altered ids */
};

/*
 * Opens every response of a consultation and writes one row per response to
 * out: CSV (response_id,survey,day, then each answer key of the consultation's
 * surveys) or a JSON array.  Each response is opened with the key it was
 * sealed to; the keys come from keydir, unlocked with passphrase.
 * SV_ERR_CRYPTO, before anything is written, if the passphrase opens none of
 * the keys needed.  An altered response is skipped and counted, never fatal.
 * Plain text is wiped from memory as soon as it has been written.
 */
enum sv_err export_responses(struct store *st, const char *consultation, const char *keydir,
			     const char *passphrase, size_t passlen, int as_json, FILE *out,
			     struct export_result *result /* OUT */);

#endif
