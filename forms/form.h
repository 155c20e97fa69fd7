/*
 * form.h - survey definitions, and the answers a respondent sends to one.
 *
 * A survey is data: forms/surveys/NAME.json, checked strictly when the server
 * starts (see forms/README.md for the format).  This module turns definitions
 * into a catalogue, checks a decoded form body against a survey, and says
 * which themes the answers raise and what payload gets sealed.  It knows
 * nothing of HTTP, SQL or keys.
 *
 * This is the one header of the module; its code is split by seam:
 *   form_define.c   a survey's JSON text checked and read (form_survey_parse)
 *   form_catalog.c  consultations, taxonomies, surveys: loaded, grown, refined
 *   form_answers.c  a form body read against a survey; shown questions; themes
 *   form_lang.c     translations, form_tr, form_fill
 *   form_payload.c  the sealed payload, and every sealed format documented
 * They share one set of structs, which every caller uses whole (a renderer
 * reads questions, answers and languages together), so separate headers
 * would only split one vocabulary in five; internals they share are in
 * form_int.h.
 */
#ifndef SV_FORM_H
#define SV_FORM_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "../core/err.h"
#include "../core/limits.h"
#include "../core/parse.h"
#include "../core/sbuf.h"
#include "../core/taxonomy.h"

#define FORM_MAX_SURVEYS 64
#define FORM_MAX_CONSULTATIONS 16
#define FORM_MAX_QUESTIONS 40
#define FORM_MAX_OPTIONS 32          /* options in one question (fits a bitmask) */
#define FORM_MAX_OPTION_THEMES 4     /* themes one option may raise */
#define FORM_MAX_TEXT LIMIT_TEXT_CHARS /* characters in a free-text answer, at most */
#define FORM_DEFAULT_TEXT LIMIT_TEXT_DEFAULT_CHARS /* characters when a question does not say */
#define FORM_MAX_LABEL 300           /* bytes in a title, label or hint */
#define FORM_MAX_PROSE 4000          /* bytes in an introduction or privacy notice */
#define FORM_MAX_PAGES 20
#define FORM_MAX_LANGS 4             /* the source language and up to 3 more */
#define FORM_MAX_OTHER LIMIT_OTHER_CHARS /* characters in "something else: tell us" */
#define FORM_PREFER_NOT "prefer-not-to-say"
#define FORM_OTHER "other"           /* the "something else" option's id */
#define FORM_MAX_RANK LIMIT_BALLOT_RANK /* choices a ballot may rank (docs/ballot.md) */

/* The last five are the equalities questions (docs/equalities.md): built-in
 * options, always optional, always with "Prefer not to say". */
enum form_qtype { FORM_SINGLE, FORM_MULTIPLE, FORM_TEXT, FORM_AGE_BAND, FORM_DISTRICT,
		  FORM_RATING, FORM_YES_NO, FORM_BALLOT, FORM_GENDER, FORM_ETHNICITY,
		  FORM_DISABILITY, FORM_YOUNG_CARER, FORM_CARE_EXPERIENCE };
#define FORM_NQTYPES (FORM_CARE_EXPERIENCE + 1)
enum form_status { FORM_DRAFT, FORM_OPEN, FORM_CLOSED };

/* A language a survey can be read in. */
struct form_lang {
	char code[8];               /* "en", "ur" */
	char *name;                 /* its own name, for the switch link: "اردو" */
	int rtl;                    /* written right to left */
	cJSON *text;                /* the survey's own text: source -> translation;
	                             * NULL for the source language */
	const cJSON *ui;            /* the service's words (forms/i18n/CODE.json);
	                             * owned by the catalogue */
};

struct form_option {
	char *id;                             /* value sent by the browser */
	char *label;                          /* what the respondent reads */
	char *emoji;                          /* rating only: shown beside the
	                                       * words, hidden from screen readers */
	char *themes[FORM_MAX_OPTION_THEMES]; /* theme ids, resolved against the
	                                       * consultation's list when counted */
	int nthemes;
	int hidden;                           /* kept for earlier answers, no
	                                       * longer offered ("hidden": true) */
};

struct form_question {
	char *id;                   /* field name ("ID[]" for multiple); payload key */
	enum form_qtype type;
	char *title;                /* the question, shown as legend or label */
	char *hint;                 /* optional help under the title, or NULL */
	char *error;                /* optional message when a required answer is missing */
	int required;               /* 0: shown as "(optional)" */
	struct form_option *options;/* choice types only */
	int noptions;
	int max_choices;            /* FORM_MULTIPLE: most one may pick; 0 = no limit */
	int max_length;             /* FORM_TEXT: characters */
	int other;                  /* ends with "Something else" and a box to say what */
	int page;                   /* 0-based page it is shown on */
	int show_if_question;       /* shown only when this earlier question ... */
	int show_if_option;         /* ... has this option chosen; -1 = always shown */
	int hidden;                 /* kept for earlier answers, never shown now */
	int rank;                   /* FORM_BALLOT: choices ranked, 1 (choose one)
	                             * to FORM_MAX_RANK; fields ID, ID.2, ID.3 */
};

struct form_consultation {
	char *id;
	char *title;
	char *taxonomy_json;        /* the taxonomy's text as loaded at start */
	struct taxonomy *_Atomic taxonomy; /* replaced whole when commissioners refine
	                             * it (form_consultation_refine); read it once */
	_Atomic int status;         /* enum form_status, set by commissioners (kept
	                             * in the database); FORM_OPEN when loaded */
	char *_Atomic help;         /* help signposting set by commissioners, or NULL
	                             * for FORM_HELP_DEFAULT (form_consultation_help) */
	_Atomic int published;      /* 1: its "you said, we did" page /results/ID is
	                             * published (kept in the database; yousaid.c) */
	char *plan;                 /* the plan it is a round of, or NULL (consultations.json
	                             * "plan"; docs/rounds.md) */
	char *round;                /* its round's name, e.g. "2023"; set with plan */
};

/* The help signposting every survey of a consultation shows on its first
 * page and its thanks page, unless commissioners set their own (plain text,
 * at most FORM_MAX_HELP characters; translated where forms/i18n has it). */
#define FORM_HELP_DEFAULT "We can\xe2\x80\x99t reply to what you write. If you need to talk to " \
	"someone now: Childline 0800 1111, childline.org.uk"
#define FORM_MAX_HELP 500            /* characters in a help text */

struct form_survey {
	char *id;                   /* also the URL: /s/ID */
	char *file;                 /* where it was defined, for messages */
	char *title;
	char *introduction;
	char *privacy;              /* plain-language privacy notice */
	enum form_status status;
	char opens[11];             /* "YYYY-MM-DD" (UTC) or "": first day it takes answers */
	char closes[11];            /* "YYYY-MM-DD" or "": last day it takes answers */
	const struct form_consultation *_Atomic consultation; /* may move (form_survey_move) */
	struct form_question *questions;
	int nquestions;
	int npages;                 /* 1 for a single-page survey */
	int check_answers;          /* show "check your answers" before sending */
	size_t seal_size;           /* every response is padded to exactly this many
	                             * bytes (whole blocks): more than the longest
	                             * payload its answers can make (seal_box_fixed) */
	struct form_lang langs[FORM_MAX_LANGS]; /* [0] is the language it is written in */
	int nlangs;
	int version;                /* 1, 2, ...: its version in the database
	                             * (form_catalog_put); 1 for a file never stored */
};

struct form_ui_lang {
	char code[8];
	cJSON *doc;                 /* forms/i18n/CODE.json: name, dir, strings */
};

#define FORM_MAX_RETIRED 256         /* replaced taxonomies, and replaced
                                      * surveys, kept until exit (each) */

struct form_catalog {
	struct form_ui_lang ui[FORM_MAX_LANGS]; /* languages the service speaks */
	int nui;
	struct form_consultation *consultations; /* room for FORM_MAX_CONSULTATIONS */
	_Atomic int nconsultations;   /* grows while serving (form_catalog_add) */
	struct taxonomy *retired[FORM_MAX_RETIRED]; /* may still be read by a request */
	int nretired;
	char *retired_help[FORM_MAX_RETIRED]; /* replaced help texts, likewise */
	int nretired_help;
	char *retired_names[FORM_MAX_RETIRED]; /* replaced plan and round names, likewise */
	int nretired_names;
	struct form_survey *_Atomic *surveys; /* room for FORM_MAX_SURVEYS: files in
	                               * name order, then those added while serving;
	                               * a slot is swapped whole (form_catalog_put) */
	_Atomic int nsurveys;
	struct form_survey *retired_surveys[FORM_MAX_RETIRED]; /* replaced versions a
	                               * request may still be reading */
	int nretired_surveys;
};

/*
 * Loads FORMS_DIR/consultations.json, each consultation's taxonomy, the
 * service's translations FORMS_DIR/i18n/ *.json and every
 * FORMS_DIR/surveys/ *.json.  On error, err holds "file: path: problem".
 */
enum sv_err form_catalog_load(const char *forms_dir,
			      struct form_catalog **out /* OUT */,
			      char *err, size_t errlen);
void form_catalog_free(struct form_catalog *cat);

/*
 * Adds a consultation while the server runs (one writer at a time: the
 * caller serialises).  Readers see it whole or not at all.  SV_ERR_TOOBIG
 * when the catalogue is full, SV_ERR_EXISTS for a taken id.
 */
enum sv_err form_catalog_add(struct form_catalog *cat, const char *id, const char *title,
			     const char *taxonomy_json, int status, char *err, size_t errlen);

/* The consultation with this id, or NULL. */
struct form_consultation *form_catalog_consultation(struct form_catalog *cat, const char *id);

/*
 * Replaces a consultation's taxonomy with taxonomy_json, which must keep
 * every theme it has now, in the same order (names and priorities may
 * change; new themes go at the end), so that surveys and counts keep their
 * meaning.  The old one is retired, not freed: a request may be reading it.
 * One writer at a time.  SV_ERR_INVALID with err saying why.
 */
enum sv_err form_consultation_refine(struct form_catalog *cat, struct form_consultation *c,
				     const char *taxonomy_json, char *err, size_t errlen);

/*
 * Sets a consultation's help text to a copy of text (NULL: back to the
 * default).  The old one is retired, not freed, as a replaced taxonomy is:
 * a request may be reading it.  One writer at a time.  SV_ERR_TOOBIG once
 * FORM_MAX_RETIRED have been replaced.
 */
enum sv_err form_consultation_help(struct form_catalog *cat, struct form_consultation *c,
				   const char *text);

/*
 * Makes a consultation round `round` of `plan` (copies of both), or with
 * both NULL a round of none.  The old names are retired, not freed, as a
 * replaced help text is.  One writer at a time.  SV_ERR_INVALID for one
 * without the other; SV_ERR_TOOBIG once FORM_MAX_RETIRED have been replaced.
 */
enum sv_err form_consultation_round(struct form_catalog *cat, struct form_consultation *c,
				    const char *plan, const char *round);

/*
 * Merges staff refinements (edited_json) over a taxonomy from forms/
 * (base): themes matched by id take the edited name, priorities and seed
 * words (an edited theme with no "seeds" keeps base's); themes only in
 * edited_json are added at the end.  *out is malloc'd JSON text.
 */
enum sv_err form_taxonomy_merge(const char *base_json, const char *edited_json, char **out /* OUT */);

/* The survey with this id (n bytes), or NULL. */
const struct form_survey *form_catalog_survey(const struct form_catalog *cat,
					      const char *id, size_t n);

/*
 * Adds a survey while serving, or replaces the one with its id: s (from
 * form_survey_new) is taken over whatever the result.  Readers see the old
 * survey or the new one whole; the old one is retired, not freed, so a
 * request holding it keeps a valid pointer until exit.  One writer at a
 * time (the caller serialises).  SV_ERR_TOOBIG when the catalogue or its
 * retired list is full.
 */
enum sv_err form_catalog_put(struct form_catalog *cat, struct form_survey *s,
			     char *err, size_t errlen);

/* Parses one survey definition from text (for tests and fuzzing).  Every
 * mistake is told in err as "file: json.path: problem". */
enum sv_err form_survey_parse(const char *text, size_t len, const char *file,
			      const struct form_catalog *cat,
			      struct form_survey *out /* OUT */,
			      char *err, size_t errlen);
void form_survey_reset(struct form_survey *s);

/* form_survey_parse into a heap survey of this version; free it with
 * form_survey_free (NULL does nothing). */
enum sv_err form_survey_new(const char *text, size_t len, const char *file, int version,
			    const struct form_catalog *cat, struct form_survey **out /* OUT */,
			    char *err, size_t errlen);
void form_survey_free(struct form_survey *s);

/*
 * Whether next may follow prev once prev has answers: every question of
 * prev is still there with the same type, and every option with its id and
 * every theme it raised (hide them with "hidden": true instead), so that
 * earlier answers read the same under next.  SV_ERR_INVALID with err saying
 * which question or option went.
 */
enum sv_err form_survey_check_successor(const struct form_survey *prev,
					const struct form_survey *next,
					char *err, size_t errlen);

struct form_answer {
	const char *value;          /* chosen option id or text; NULL if none.
	                             * Points into the form body. */
	uint32_t chosen;            /* FORM_MULTIPLE: bit i set if option i picked */
	const char *other_text;     /* "something else": what they wrote, or NULL */
	const char *ranked[FORM_MAX_RANK - 1]; /* FORM_BALLOT: the second and third
	                             * choices (option ids), or NULL; value is the first */
	char error[200];            /* message for the respondent (source language), or "" */
	const char *error_template; /* the same before translation: "{max}" and
	                             * "{n}" stand for error_max and error_n */
	int error_max, error_n;
};

struct form_answers {
	struct form_answer items[FORM_MAX_QUESTIONS]; /* one per question */
	int nerrors;                /* questions with an error */
};

/*
 * Checks a decoded body against a survey.  SV_OK means it was read; it may
 * still have nerrors > 0 (the respondent must fix something).  SV_ERR_INVALID
 * means the body could not come from our form (a field sent twice where one
 * is expected): a malformed request, not a mistake to explain.
 */
enum sv_err form_answers_read(const struct form_survey *s,
			      const struct form_body *body,
			      struct form_answers *out /* OUT */,
			      const char **why /* OUT */);

/* What a required question says when it has no answer (source language;
 * form_tr translates it). */
const char *form_missing_message(const struct form_question *q);

/* 1 if question i is shown, given the answers so far (show_if). */
int form_question_shown(const struct form_survey *s, const struct form_answers *a, int i);

/* Clears the errors of every question not on page (-1: keep every page's). */
void form_answers_only_page(const struct form_survey *s, struct form_answers *a, int page);

/* Today's state: FORM_OPEN only if the survey and its consultation are open
 * and today is within opens..closes. */
enum form_status form_survey_status_on(const struct form_survey *s, const char *today);

/* 1 if the language with this code is written right to left. */
int form_lang_rtl(const char *code);

/* Index of the language with this code, or 0 (the source language). */
int form_lang_index(const struct form_survey *s, const char *code, size_t n);

/* The text in language lang: the survey's translation, else the service's,
 * else text itself.  Never NULL. */
const char *form_tr(const struct form_survey *s, int lang, const char *text);

/* An answer's error message in language lang, with its numbers filled in. */
void form_error_text(const struct form_survey *s, int lang, const struct form_answer *a,
		     struct sbuf *out);

struct form_var {
	const char *name;           /* "n" stands for {n} */
	long value;                 /* written in digits ... */
	const char *text;           /* ... unless this is set */
};

/* Appends tmpl with each {name} replaced by its value.  The placeholders are
 * ours, so a translation can never act as a printf format. */
void form_fill(struct sbuf *out, const char *tmpl, const struct form_var *vars, int nvars);

/* Theme indices in tax (each once, taxonomy order) raised by valid answers.
 * Pass the survey's consultation's list, read once for the whole request. */
int form_answers_themes(const struct form_survey *s, const struct taxonomy *tax,
			const struct form_answers *a, int themes[TAXONOMY_MAX_THEMES] /* OUT */);

/*
 * Attaches a survey to another consultation (one writer at a time).  Every
 * theme its options raise must be in the target's list: SV_ERR_INVALID with
 * err naming the first that is not.  New responses count there; those
 * already stored stay where they were counted.
 */
enum sv_err form_survey_move(struct form_survey *s, const struct form_consultation *to,
			     char *err, size_t errlen);

/* One ballot vote: question qi's option k chosen at rank (1 = first). */
struct form_vote {
	int question, option, rank;
};

/* The ballot votes in valid answers (each question's choices in rank
 * order), at most FORM_MAX_RANK per ballot question; returns how many. */
int form_answers_votes(const struct form_survey *s, const struct form_answers *a,
		       struct form_vote *out /* OUT */, int max);

/* The survey's ballot question (a survey has at most one), or NULL. */
const struct form_question *form_survey_ballot(const struct form_survey *s);

/* Priority numbers (each once, ascending) that those themes sit under. */
int form_themes_priorities(const struct taxonomy *t, const int *themes, int nthemes,
			   int priorities[TAXONOMY_MAX_PRIORITIES] /* OUT */);

/*
 * Describes the survey's questions as a JSON array, in question order, for
 * the export (which has no forms folder): each {"id", "type", "title",
 * "other": true where it has a "something else" box (answer key "ID.other"),
 * "options": [{"id", "label", "themes": [...]}]}.  The ids are the keys of
 * the sealed payload's "answers".
 */
void form_survey_fields(const struct form_survey *s, struct sbuf *out);

/* Writes the answers as the JSON object that gets sealed (its format is
 * documented at the top of form_payload.c), free text scrubbed
 * of contact details (core/scrub: scrub_init must have run).  If scrubbing
 * fails, out->err is set and nothing may be stored. */
void form_answers_payload(const struct form_survey *s, const struct form_answers *a,
			  struct sbuf *out);

/* ---- the equalities questions' standard categories (docs/equalities.md) ---- */

#define FORM_NEQUALITIES 5

struct form_equalities {
	enum form_qtype type;
	const char *name;            /* the type's name in a definition: "ethnicity" */
	const char *title;           /* what it asks about, for staff: "Ethnic group" */
	const char *const (*options)[2];  /* { id, label } */
	int noptions;                /* "Prefer not to say" not counted */
};

/* The five equalities types in the order the staff pages list them. */
const struct form_equalities *form_equalities_list(void);

#endif
