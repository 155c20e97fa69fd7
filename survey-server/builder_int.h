/*
 * builder_int.h - what the survey builder's files share; not for other
 * files.  builder.c routes, lists, starts, shows the editor and the preview
 * and publishes; builder_edit.c changes questions and their options by
 * forms; builder_text.c the details and the languages; builder_io.c the
 * survey as a file (download, paste, upload); builder_sync.c files and the
 * database at start.
 *
 * Every handler here parses, calls the store, calls a renderer
 * (forms/render_builder.c), sends; every change is checked by
 * builder_check before it is kept.
 */
#ifndef SV_BUILDER_INT_H
#define SV_BUILDER_INT_H

#include <cjson/cJSON.h>

#include "../core/files.h"
#include "../core/jsoncheck.h"
#include "../forms/render.h"
#include "../forms/render_builder.h"
#include "../forms/render_staff.h"
#include "http.h"
#include "server.h"

#define BUILDER_ERR 600                   /* bytes in a checking message */
#define BUILDER_MAX_FILE PARSE_MAX_VALUE  /* bytes of a pasted or uploaded file (16 KB) */

/* The file name a definition's messages start with: "ID.json". */
void builder_source_name(char out[PARSE_MAX_ID + 24], const char *id);

/*
 * Checks a definition as forms/ files are checked and, if the survey has
 * answers, against its published version.  want_id: the survey it must
 * stay (NULL: any new id).  *out gets the parsed survey (the caller frees
 * it); SV_ERR_INVALID with err (BUILDER_ERR bytes) saying what to fix.
 */
enum sv_err builder_check(struct server *srv, const char *want_id, const char *text,
			  int version, struct form_survey **out, char *err);

/* Saves s's definition text as its draft and redirects (303) to the editor,
 * at anchor (e.g. "#q-food"; "" for none). */
int builder_saved_draft(struct req_ctx *rc, const struct staff_session *sess,
			const struct form_survey *s, const char *text, const char *anchor);

/* Checks text as id's next definition and, if it passes, saves it as the
 * draft and redirects to where (NULL: the editor): 1 with *status set.
 * 0 with err saying what to fix (nothing sent). */
int builder_save_checked(struct req_ctx *rc, const struct staff_session *sess, const char *id,
			 const char *text, const char *where, char *err, int *status);

/* A query string variable into out; NULL if it is not there. */
const char *builder_query_var(struct req_ctx *rc, const char *name, char *out, size_t cap);

/* GET /staff/surveys with status: posted and e the start, paste or upload
 * form again with its problems. */
int builder_list_page(struct req_ctx *rc, const struct staff_session *sess, int status,
		      const struct form_body *posted, const struct staff_errors *e);

/* The editor of survey id; sent: the text in the box if not the draft's;
 * e: the problems of a refused change. */
int builder_edit_page(struct req_ctx *rc, const struct staff_session *sess, const char *id,
		      int status, const char *sent, const struct staff_errors *e);

/* A POST that changes the survey: its body read (CSRF checked) and the
 * version it was made from, still the newest, in *v.  0, or the status
 * of the problem sent (body then freed). */
int builder_read_change(struct req_ctx *rc, const struct staff_session *sess, const char *id,
			struct form_body *body, struct store_survey_version *v);

/* The newest version, parsed (*v too: free v->definition); NULL after
 * sending a problem (*status). */
struct form_survey *builder_newest(struct req_ctx *rc, const struct staff_session *sess,
				   const char *id, struct store_survey_version *v, int *status);

/* Reads "/NAME" at the start of path into id: a short name (id_valid),
 * ended by one of ends or the end; *rest what follows.  0 if it is not
 * one ("/", "/Bad", too long), nothing written. */
int builder_segment(const char *path, const char *ends, char id[PARSE_MAX_ID + 1],
		    const char **rest);

/* obj's string member key, or "" if it has none. */
const char *builder_str(const cJSON *obj, const char *key);

/* Renames a text of doc from old to new in its "translations": a
 * translation follows the words it translates; the old key stays while
 * some other part of doc still says old.  -1 if out of memory. */
int builder_retext(cJSON *doc, const char *old, const char *new);

/* builder_edit.c: questions and options. */
int builder_question_page(struct req_ctx *rc, const struct staff_session *sess, const char *id,
			  int status, const struct form_body *posted, const struct staff_errors *e);
int builder_add_question(struct req_ctx *rc, const struct staff_session *sess, const char *id);
int builder_question_route(struct req_ctx *rc, const struct staff_session *sess, const char *id,
			   const char *rest);

/* builder_text.c: details and languages. */
int builder_details_page(struct req_ctx *rc, const struct staff_session *sess, const char *id,
			 int status, const struct form_body *posted, const struct staff_errors *e);
int builder_save_details(struct req_ctx *rc, const struct staff_session *sess, const char *id);
int builder_languages_page(struct req_ctx *rc, const struct staff_session *sess, const char *id,
			   int status, const struct form_body *posted, const struct staff_errors *e);
int builder_save_languages(struct req_ctx *rc, const struct staff_session *sess, const char *id);

/* builder_io.c: the survey as a file. */
int builder_download(struct req_ctx *rc, const char *id);
int builder_paste(struct req_ctx *rc, const struct staff_session *sess, struct form_body *body);
int builder_upload(struct req_ctx *rc, const struct staff_session *sess);

#endif
