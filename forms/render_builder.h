/*
 * render_builder.h - the survey builder's staff pages (survey-server/
 * builder.c): the list of surveys with their versions, the editor of a
 * survey's JSON definition with its error summary, and the preview banner.
 *
 * The caller starts and ends the staff page (render_staff.h) and writes
 * these in between; every text from a definition or a commissioner goes
 * through sbuf_add_html.  This module writes into an sbuf; HTTP and the
 * database are the caller's.
 */
#ifndef SV_RENDER_BUILDER_H
#define SV_RENDER_BUILDER_H

#include "../core/sbuf.h"
#include "form.h"
#include "render_staff.h"

#define RENDER_BUILDER_MAX_DEFINITION PARSE_MAX_VALUE /* bytes of JSON one may send (one
                                      * form field: core/limits.h) */

/* One survey in the list. */
struct render_builder_row {
	const char *id;
	const char *title;              /* its published title, or NULL for a draft only */
	const char *consultation;       /* its consultation's title (or id) */
	int published;                  /* the version respondents answer, 0 if none */
	int draft;                      /* the version being edited, 0 if none */
	long long responses;
};

/*
 * GET /staff/surveys: each survey with its version and state, links to
 * edit, preview and download it, then the forms to start one and to paste
 * one in.  posted and e: the start or paste form again with its problems
 * (which one by posted's "form" field).
 */
void render_builder_list(struct sbuf *b, const struct render_builder_row *rows, int nrows,
			 const struct form_catalog *cat, const char *csrf,
			 const struct form_body *posted, const struct staff_errors *e);

/* What the editor shows about the survey. */
struct render_builder_edit {
	const char *id;
	const char *definition;         /* the text in the box: the draft, or the
	                                 * newest version, or what was sent */
	int published;                  /* version respondents answer, 0 if none */
	int draft;                      /* the draft's version, 0 if none */
	int version;                    /* the newest version (the forms carry it) */
	const struct form_survey *survey; /* that version parsed, or NULL */
	long long responses;
	const char *saved;              /* "saved" or "published" after a redirect, or NULL */
};

/*
 * GET /staff/surveys/ID: its questions page by page, each with Edit, Move
 * up, Move down and Hide or Show (small POST forms; the question's heading
 * is #q-QID, focusable, where a move lands); links to add a question or a
 * page, change the details, translate; then the definition in a large box
 * with Save draft; Preview and Publish when there is a draft.  e: the
 * problem of the box or of a question's button.
 */
void render_builder_edit(struct sbuf *b, const struct render_builder_edit *ed, const char *csrf,
			 const struct staff_errors *e);

/* One language a survey can be translated into (the service speaks it). */
struct render_builder_lang {
	const char *code;               /* "ur": checked letters only */
	const char *name;               /* its own name: "اردو" */
	int rtl;
};

/* One piece of the survey's own text, and its translation in each
 * language (values[k] for langs[k]; "" or NULL for none yet). */
struct render_builder_text {
	const char *source;
	const char *values[FORM_MAX_LANGS];
};

/*
 * GET /staff/surveys/ID/languages: each source text of the survey with a
 * box per language beside it (under it on a phone), fields "t-K-I" for
 * language K and text I; version is the one translated (a hidden field, so
 * that a change meanwhile is noticed).  e: the problem of a refused save.
 */
void render_builder_languages(struct sbuf *b, const char *id, int version,
			      const struct render_builder_lang *langs, int nlangs,
			      const struct render_builder_text *texts, int ntexts,
			      const char *csrf, const struct staff_errors *e);

/* The survey's details as the details form shows them. */
struct render_builder_details {
	const char *id;
	int version;                    /* the version they were read from */
	const char *title, *introduction, *privacy;
	const char *opens, *closes;     /* "YYYY-MM-DD" or "" */
	const char *status;             /* "draft", "open" or "closed" */
};

/* GET /staff/surveys/ID/details: title, introduction, privacy notice,
 * opening and closing days and status, as a form (no JSON to write);
 * fields d-title, d-introduction ...  e: the problems of a refused save. */
void render_builder_details(struct sbuf *b, const struct render_builder_details *d,
			    const char *csrf, const struct staff_errors *e);

/*
 * GET /staff/surveys/ID/questions: a form adding one question without
 * JSON: its page, type, short name, title, hint, whether it must be
 * answered, its options one per line ("Label | theme-id, theme-id"), and a
 * condition on an earlier question's answer.  s is the survey's newest
 * version (for its pages and earlier questions), tax its consultation's
 * themes (listed, to map options to).  posted and e: the form again.
 */
void render_builder_question(struct sbuf *b, const struct form_survey *s, int version,
			     const struct taxonomy *tax, const char *csrf,
			     const struct form_body *posted, const struct staff_errors *e);

/* A question's edit form. */
struct render_builder_qedit {
	const struct form_survey *s;    /* the newest version */
	int version;
	int index;                      /* the question: s->questions[index] */
	int own_options;                /* 1 if the definition lists its options: then
	                                 * they are edited, hidden, shown, added to */
	const struct taxonomy *tax;     /* its consultation's themes */
	const char *saved;              /* "draft" after a redirect, or NULL */
};

/*
 * GET /staff/surveys/ID/questions/QID: the page it is on, its words, hint,
 * whether it must be answered, each option's words and theme ids (fields
 * o-K-label, o-K-themes for the K-th option the definition lists), and its
 * condition; then each option with Hide or Show (#o-OID), and a form to
 * add an option.  posted and e: the form again with its problems.
 */
void render_builder_question_edit(struct sbuf *b, const struct render_builder_qedit *q,
				  const char *csrf, const struct form_body *posted,
				  const struct staff_errors *e);

/* The banner above a preview: answers are not saved; links back. */
#define RENDER_BUILDER_PREVIEW_NOTICE "Preview \xe2\x80\x94 answers are not saved"

#endif
