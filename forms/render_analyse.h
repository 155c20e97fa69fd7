/*
 * render_analyse.h - the pages of analysing free-text answers (issue 15;
 * survey-server/analyse.c): the passphrase form that opens an analysis
 * session, the coding page (one answer at a time), the page at the end of
 * the answers, and the agreement page (Cohen's kappa of two analysts).
 *
 * Keyboard first: "Save and next" is the coding form's first submit button,
 * so Enter saves; the first control has autofocus; progress is text.  Works
 * with JavaScript off (there is none) and at 320 px.  An answer's text is
 * the scrubbed text young people wrote: always through sbuf_add_html.
 * Writes into an sbuf; HTTP, the keys and the store are the caller's.
 */
#ifndef SV_RENDER_ANALYSE_H
#define SV_RENDER_ANALYSE_H

#include <stddef.h>

#include "../core/classify.h"
#include "../core/sbuf.h"
#include "../core/taxonomy.h"
#include "render_staff.h"

/* The passphrase form (GET .../analyse with no session). */
struct render_analyse_open {
	const char *consultation, *title, *csrf;
	int second;                     /* the blind sample chosen (a refused form) */
	const char *notice;             /* "Analysis ended." after an end, or NULL */
	long idle_minutes;              /* the session ends after this many idle minutes */
};
void render_analyse_open_page(struct sbuf *b, const struct render_analyse_open *r,
			      const struct staff_errors *e);

/* A suggestion's confidence is shown as a whole per cent within these
 * bounds: never "100%" (nor "0%"), since no suggestion is certain. */
#define RENDER_ANALYSE_MIN_PERCENT 1
#define RENDER_ANALYSE_MAX_PERCENT 99

/* The words of the answer a suggestion leans on (classify_reasons): spans of its text. */
struct render_analyse_why {
	int n;                                         /* 0 to CLASSIFY_MAX_REASONS */
	struct classify_reason word[CLASSIFY_MAX_REASONS];
};

/* One answer to code. */
struct render_analyse_answer {
	const char *consultation, *title, *csrf;
	int pass;                       /* 1 the main coding, 2 the blind sample */
	long long position, total, coded; /* 1-based place in the list, its length, how many coded */
	const char *question;           /* the question it answers */
	const char *text;               /* the scrubbed answer */
	size_t text_len;
	const struct taxonomy *tax;
	const unsigned char *checked;   /* per theme: 1 if ticked (its code, or the posted form) */
	const double *suggested;        /* per theme: confidence, or < 0 when not suggested */
	const struct render_analyse_why *why; /* per theme: the words it leans on, or NULL */
	int none, follow, quote, names_checked;
	int coded_already;              /* it has a code: saving changes it */
	const char *ends;               /* when the session ends if left idle ("14:52 UTC") */
	int unlocked;                   /* its memory could not be locked: a warning on top */
	int words_only;                 /* the sentence model could not be read: said on top */
	/* The main coding's first codes this session against the suggestions
	 * they were shown: themes suggested, of those kept, chosen unsuggested. */
	long long suggested_total, kept, added;
};
void render_analyse_answer_page(struct sbuf *b, const struct render_analyse_answer *r,
				const struct staff_errors *e);

/* Every answer of the list coded. */
void render_analyse_done_page(struct sbuf *b, const struct render_analyse_answer *r);

/* Cohen's kappa per theme and overall. */
struct render_analyse_agreement {
	const char *consultation, *title, *csrf;
	const struct taxonomy *tax;
	long long both;                 /* answers both analysts coded */
	long long sample;               /* answers in the blind sample */
	const double *kappa;            /* per theme (NaN: undefined) */
	const long long *first, *second;/* per theme: answers each analyst gave it */
	double overall;
};
void render_analyse_agreement_page(struct sbuf *b, const struct render_analyse_agreement *r);

#endif
