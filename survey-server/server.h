/*
 * server.h - what the survey-server's parts share: the running service's
 * state, and the handlers that the router in http.c calls.
 *
 * main.c builds a struct server (catalogue, store, public key, stylesheet),
 * http.c runs civetweb and routes each request to a handler, and the
 * handlers (respond.c) do the work through forms/ and core/.
 */
#ifndef SV_SERVER_H
#define SV_SERVER_H

#include <pthread.h>
#include <stddef.h>

#include "../core/seal.h"
#include "../core/store.h"
#include "../core/token.h"
#include "../forms/form.h"
#include "connlimit.h"
#include "ratelimit.h"

struct staff_auth;   /* staff.c: sign-in throttling and the password-hash gate */
struct kiosk;        /* kiosk.c: kiosk mode's transport key and scripts */
struct display;      /* display.c: the projector display's stylesheet and script */
struct accounts;     /* accounts.c: the second factor's keys and code throttling */

struct server {
	struct form_catalog *catalog;   /* surveys and consultations, read at start */
	struct store *store;            /* the database */
	struct seal_public key;         /* the active public key once key_ready; no secret here */
	int key_ready;                  /* set (atomically) once key is loaded */
	pthread_mutex_t key_lock;       /* serialises looking for a key made after start */
	long long key_checked;          /* when keys/ was last looked at (monotonic seconds) */
	struct token_key token_key;     /* signs one-time form tokens */
	struct rate_limiter *limiter;   /* submissions per client, in memory */
	struct conn_limit *conns;       /* open connections per client, in memory */
	const char *trusted_proxy;      /* address of our reverse proxy, or NULL */
	const char *key_dir;            /* DATA/keys: sealed secret keys, opened only
	                                 * for an export with the passphrase typed in */
	struct staff_auth *auth;        /* staff sign-in state, in memory */
	char *stylesheet;               /* forms/static/style.css, served from memory */
	size_t stylesheet_len;
	char *staff_stylesheet;         /* forms/static/staff.css: staff pages only */
	size_t staff_stylesheet_len;
	char *tally_script;             /* forms/static/tally.js, the staff tally page's */
	size_t tally_script_len;
	char *respond_script;           /* forms/static/respond.js, survey pages' (never needed) */
	size_t respond_script_len;
	char *results_script;           /* forms/static/results.js, the results page's (never needed) */
	size_t results_script_len;
	struct drafts *drafts;          /* core/draft.h: encrypted pages for Back, in memory */
	const char *public_url;         /* --public-url: the site's address as the public
	                                 * reaches it (posters, kiosk links), or NULL */
	struct kiosk *kiosk;            /* kiosk mode (kiosk.c): its transport key, scripts */
	struct display *display;        /* display.c's, made by display_init */
	struct accounts *accounts;      /* accounts.c's, made by accounts_init */
	int second_factor_optional;     /* --second-factor optional: commissioners and
	                                 * admins may sign in without one (tests, demos) */
};

struct req_ctx;
struct staff_errors;   /* forms/render_staff.h: a refused form's problems */

/*
 * The public key to seal to (serverkey.c): the one loaded at start, or one an
 * operator has made since with `survey-server keygen`.  SV_ERR_NOTFOUND while
 * there is none: nothing can be sealed yet.
 */
enum sv_err server_key(struct server *srv, const struct seal_public **out /* OUT */);

/*
 * The public key to seal consultation's answers to (serverkey.c): its own
 * key when it has one (keygen --consultation; one made or rotated while the
 * server runs is taken up within a second), else server_key's.  Copied into
 * out.  SV_ERR_NOTFOUND while there is no key to seal to; another error
 * when its own key cannot be read (nothing is sealed to any other).
 */
enum sv_err server_key_for(struct server *srv, const char *consultation, struct seal_public *out /* OUT */);

/* Respondent pages (respond.c).  Each returns the HTTP status it sent. */
int respond_index(struct req_ctx *rc);
int respond_survey_form(struct req_ctx *rc, const struct form_survey *s);
int respond_survey_post(struct req_ctx *rc, const struct form_survey *s);
int respond_thanks(struct req_ctx *rc, const struct form_survey *s);
/* GET /s/ID/a/KEY: a step of the survey again from its draft (core/draft.h). */
int respond_draft(struct req_ctx *rc, const struct form_survey *s, const char *key);
/* ?lang=CODE on a GET, as an index into the survey's languages (0 if none). */
int respond_query_lang(const struct req_ctx *rc, const struct form_survey *s);

/*
 * What every submission ends with, from a form or a kiosk: answers already
 * checked (no errors) become the payload, free text scrubbed, sealed to the
 * consultation's key at the survey's one size, and stored with their
 * counters through the shared commit, once for the one-time id once.
 * SV_ERR_EXISTS if once was used before (nothing stored); SV_ERR_TOOBIG
 * when the scrubbed payload does not fit; SV_ERR_NOTFOUND with no key yet.
 */
enum sv_err respond_store_answers(struct server *srv, const struct form_survey *s,
				  const struct form_answers *answers, const char *once);

/* A signed-in member of staff, for the length of one request. */
struct staff_session {
	struct store_user user;
	char csrf[65];                  /* must come back with every staff POST */
};

/* Staff pages (staff.c, tally.c).  staff_route takes every /staff path. */
enum sv_err staff_init(struct server *srv);
void staff_free(struct server *srv);
int staff_route(struct req_ctx *rc, const char *path);

/* The staff building blocks tally.c uses (staff.c). */
int staff_require(struct req_ctx *rc, enum store_role role, struct staff_session *out);
int staff_read_post(struct req_ctx *rc, const struct staff_session *sess,
		    struct form_body *body);
/* staff_read_post for a form that carries a passphrase: the request's raw
 * body is wiped as soon as it is read, whether or not the form is taken. */
int staff_read_secret_post(struct req_ctx *rc, const struct staff_session *sess,
			   struct form_body *body);
/* Reads and decodes a staff form without checking a token (the sign-in
 * pages check theirs); non-zero: the status already sent. */
int staff_read_form(struct req_ctx *rc, struct form_body *body);

/* 0 if token is the session's CSRF token; otherwise sends 403 as
 * staff_read_post does and returns its status (for a form read another
 * way: the builder's multipart upload). */
int staff_check_csrf(struct req_ctx *rc, const struct staff_session *sess, const char *token);
int staff_forbidden(struct req_ctx *rc, const char *why);

/* A file sent from a staff form as multipart/form-data (the builder's
 * upload, a ballot's results file): the part "file" and the CSRF token. */
#define STAFF_UPLOAD_MAX PARSE_MAX_VALUE  /* bytes of an uploaded file (16 KB) */
struct staff_upload {
	char file[STAFF_UPLOAD_MAX + 1];  /* the file, NUL-ended */
	size_t len;
	int chosen;                     /* a file part with a file name came */
	int too_big;                    /* the body or the file passed its limit: 413 */
	char csrf[128];                 /* the form token (64 hex digits), NUL-ended */
	size_t csrf_len;
	size_t total;                   /* bytes of every part read */
	int part;                       /* the part being read: 1 file, 2 token, 0 other */
};
/* Reads the request's multipart body into u with civetweb's
 * mg_handle_form_request (a body declared larger than the limit is not
 * read) and checks its CSRF token against sess.  0 when read, or when too
 * big (u->too_big: the caller answers 413); otherwise the status already
 * sent (400 when it did not arrive, 403 for a bad token). */
int staff_upload_read(struct req_ctx *rc, const struct staff_session *sess, struct staff_upload *u);

/* Stores a results file read against survey s's ballot (ballot.c), replacing
 * the import before, and audit-logs it as who; *total gets its votes. */
struct ballot_import;
enum sv_err ballot_import_save(struct store *st, const struct form_survey *s,
			       const struct ballot_import *imp, const char *who, long long *total /* OUT */);
/* A problem answered as JSON ({"error":error,"message":text}) to a script
 * that asked for it, and as a short HTML page to a person. */
int staff_problem(struct req_ctx *rc, int status, const char *error, const char *text);
/* Ends the request's staff session, if any, for good (kiosk.c: a tablet
 * becomes a kiosk with no staff sign-in left on it).  The response must
 * then carry STAFF_COOKIE_CLEAR. */
void staff_session_end(struct req_ctx *rc, const struct staff_session *sess);
#define STAFF_COOKIE_CLEAR "Set-Cookie: yv_staff=; Path=/staff; HttpOnly; SameSite=Strict; Max-Age=0\r\n"

/* The session of the request, whatever step of signing in is left (the
 * pages of those steps use it); staff_require is for every other page. */
int staff_session_load(struct req_ctx *rc, struct staff_session *out);
/* The page of the sign-in step u has left (a new password, enrolling a
 * second factor), or NULL when there is none. */
const char *staff_step_left(const struct server *srv, const struct store_user *u);
/* Starts a session for u (the password, and any second factor, checked),
 * audit-logged as how; sends 303 to the next step or /staff, with extra
 * headers ("" for none).  Returns the status sent. */
int staff_session_start(struct req_ctx *rc, const struct store_user *user, const char *how,
			const char *extra);
/* Hashes a password with Argon2id, waiting for a free slot; hash has
 * crypto_pwhash_STRBYTES.  0, or -1 without the memory. */
int staff_hash_password(struct server *srv, const char *password, char *hash /* OUT */);
/* Charges one try of kind (a password, a code) to account id before it is
 * checked (core/store_attempts.c, LIMIT_ACCOUNT_TRIES in core/limits.h): 0
 * if it may go on, else the whole minutes to wait; -1 if the database
 * failed.  staff_try_ok forgets the account's tries of kind after a right
 * one. */
long long staff_try(struct server *srv, long long id, enum store_attempt kind);
void staff_try_ok(struct server *srv, long long id, enum store_attempt kind);
/* 1 if password matches the Argon2id hash (waiting for a free slot). */
int staff_password_ok(struct server *srv, const char *hash, const char *password);
/* The hash of this request's session cookie, as the sessions table keeps
 * it: 0, or -1 without one. */
int staff_session_id(const struct req_ctx *rc, char out[65] /* OUT */);
/* What a page says after a change, by the query ?done=KEY of the redirect
 * that led to it: the text of list's KEY, or NULL. */
struct staff_notice { const char *key, *text; };
const char *staff_done_notice(const struct req_ctx *rc, const struct staff_notice *list, size_t n);
/* "WHAT Try again in N minutes, OR_ELSE" into out. */
void staff_wait_text(char *out, size_t cap, const char *what, long long minutes, const char *or_else);
/* "; Secure" when the request came over HTTPS through our proxy, else "". */
const char *staff_secure_attr(const struct req_ctx *rc);

/* Accounts and the steps of signing in after the password (accounts.c).
 * accounts_route takes what follows /staff/accounts (admins only);
 * accounts_signin_route what follows /staff for /staff/login/... and
 * /staff/setup/...; accounts_code_step sends a person whose password was
 * right, and whose account has a second factor, on to its code. */
enum sv_err accounts_init(struct server *srv);
void accounts_free(struct server *srv);
int accounts_route(struct req_ctx *rc, const struct staff_session *sess, const char *rest);
int accounts_signin_route(struct req_ctx *rc, const char *rest);
int accounts_code_step(struct req_ctx *rc, const struct store_user *u);
/* Once listening on listen (ADDR:PORT) at port: with no admin account, a
 * new one-time setup link (only its hash kept) printed to standard error,
 * at --public-url or the address listened on. */
void accounts_announce(struct server *srv, const char *listen, int port);
/* Checks a code typed by account u: a code of its app (the time step is
 * then taken), or, with recovery_too, one of its recovery codes (then used
 * up; *recovery says so).  SV_OK; SV_ERR_EXISTS for an app code used
 * already; SV_ERR_INVALID for a wrong one. */
enum sv_err accounts_take_code(struct server *srv, const struct store_user *u, const char *code,
			       int recovery_too, int *recovery /* OUT */);
/* STORE_RECOVERY_CODES new recovery codes ("xxxxx-xxxxx") and the hashes
 * the database keeps of them. */
#define ACCOUNTS_RECOVERY_LEN 11
void accounts_recovery_make(struct server *srv, char codes[STORE_RECOVERY_CODES][ACCOUNTS_RECOVERY_LEN + 1],
			    char hashes[STORE_RECOVERY_CODES][65]);
/* Sends the page that shows new recovery codes once (never cached);
 * replaced: they replace earlier ones. */
int accounts_recovery_page(struct req_ctx *rc, const struct staff_session *sess, const char *const *codes,
			   int replaced);
/* Hex of the MAC of text for purpose under the accounts' own key. */
void accounts_mac(const struct server *srv, const char *purpose, const char *text, char out[65]);

/* Your account (your_account.c): what follows /staff/account, for whoever
 * is signed in: the page, a new password, new recovery codes, turning the
 * second factor off where the role allows. */
int your_account_route(struct req_ctx *rc, const struct staff_session *sess, const char *rest);

/* A random temporary password (a reset's): 16 letters and digits (80
 * bits) in groups of four, NUL-ended. */
#define ACCOUNTS_TEMP_PASSWORD_LEN 19
void accounts_temporary_password(char out[ACCOUNTS_TEMP_PASSWORD_LEN + 1] /* OUT */);

/* Marketplace events (tally.c) and focus groups (focus.c): rest is the path
 * after /staff/events or /staff/groups.  Each returns the HTTP status sent. */
int tally_route(struct req_ctx *rc, const struct staff_session *sess, const char *rest);
int focus_route(struct req_ctx *rc, const struct staff_session *sess, const char *rest);
int consult_route(struct req_ctx *rc, const struct staff_session *sess, const char *rest);
/* Surveys built in the browser (builder.c): rest follows /staff/surveys. */
int builder_route(struct req_ctx *rc, const struct staff_session *sess, const char *rest);
/* At start, after the consultations: stores each forms/ survey as a version
 * (or its next), and offers the versions published from the staff pages.
 * -1 when it cannot (it said why). */
int builder_sync(struct server *srv);
/* Taken by whoever changes the catalogue while serving (consult.c,
 * builder.c); readers need none. */
extern pthread_mutex_t catalog_lock;
/* Closing an event (after a confirmation), reopening it, correcting its name
 * and day, and deleting it while it has no taps (event_admin.c).  action
 * is what follows /staff/events/ID; 0 when it is none of these pages. */
int event_admin_route(struct req_ctx *rc, const struct staff_session *sess,
		      const struct store_event *e, const char *action);
/* The tally page's link to what sess may still do with the event, if any. */
void event_admin_link(struct req_ctx *rc, const struct staff_session *sess,
		      const struct store_event *e);
/* Notes what is wrong with an event's name and day (fields event-name and
 * event-day); e is a struct staff_errors (forms/render_staff.h). */
void event_check(const char *name, const char *day, struct staff_errors *e);
/* A consultation's results page (results.c): json for results.json.
 * results_free drops what it keeps in memory (at exit). */
int results_route(struct req_ctx *rc, const struct staff_session *sess,
		  const struct form_consultation *c, int json);
void results_free(void);
struct export_table;
/* Calls fn, under the results page's lock, with the suppressed tables that
 * page shows now for consultations ids[0..n) (n at most
 * FORM_MAX_CONSULTATIONS; a plan's rounds): each its snapshot, under the same
 * differencing rule, or NULL while none may be shown yet.  An error (fn not
 * called) when the counters cannot be read. */
enum sv_err results_tables_with(struct server *srv, const char *const *ids, size_t n,
				void (*fn)(void *arg, const struct export_table *const *tables),
				void *arg);
/* "You said, we did" (yousaid.c): yousaid_route takes /results/...;
 * yousaid_staff_route what follows /staff/consultations/ID for /decisions...
 * and /publish (0 when it is none of these); yousaid_load reads at start
 * which public pages are published. */
int yousaid_route(struct req_ctx *rc, const char *rest);
int yousaid_staff_route(struct req_ctx *rc, const struct staff_session *sess,
			struct form_consultation *c, const char *action);
enum sv_err yousaid_load(struct server *srv);
/* A consultation's help signposting page (help.c); help_load puts the
 * texts kept in the database into the catalogue at start. */
int help_route(struct req_ctx *rc, const struct staff_session *sess, struct form_consultation *c);
/* A plan's rounds side by side and the Round page (trends.c), and who took
 * part (equalities.c): what follows /staff/consultations/ID for /trends...,
 * /round and /equalities... (0 when it is none of these).  rounds_load
 * applies, at start, the rounds commissioners chose over consultations.json. */
int trends_route(struct req_ctx *rc, const struct staff_session *sess,
		 struct form_consultation *c, const char *action);
enum sv_err rounds_load(struct server *srv);
int equalities_route(struct req_ctx *rc, const struct staff_session *sess,
		     const struct form_consultation *c, const char *action);
enum sv_err help_load(struct server *srv);
/* Analysing free-text answers (analyse.c): analyse_route takes what follows
 * /staff/consultations/ID/analyse; analyse_init starts the thread that ends
 * an analysis session left idle for idle_seconds (0: 30 minutes) and
 * notes where the sentence model is (model_dir; NULL: SENTENCE_MODEL_DIR);
 * analyse_signed_out ends the one held by that staff session (its hash);
 * analyse_check_holder ends it at once if its holder's staff session has
 * ended, or the account is disabled or no longer a commissioner's (the
 * accounts page calls it; the thread also checks every few seconds, for
 * `survey-server user disable` in another process); analyse_free ends any,
 * wiping its keys and answers. */
int analyse_route(struct req_ctx *rc, const struct staff_session *sess, const struct form_consultation *c,
		  const char *rest);
enum sv_err analyse_init(struct server *srv, long idle_seconds, const char *model_dir);
void analyse_signed_out(struct server *srv, const char *session);
void analyse_check_holder(struct server *srv);
void analyse_free(struct server *srv);
/* The youth ballot's staff pages (ballot.c): rest is what follows /staff/ballots. */
int ballot_route(struct req_ctx *rc, const struct staff_session *sess, const char *rest);
/* Exports (exports.c): rest is what follows /staff/export.  One export or
 * view that unlocks the key runs at a time: it holds exports_decrypting. */
extern pthread_mutex_t exports_decrypting;
struct export_keys;
/* Takes exports_decrypting, charges sess's account a passphrase try
 * (staff_try, STORE_ATTEMPT_PASSPHRASE) and unlocks consultation id's keys
 * into *keys with pass (wiped after): returns 0 with the lock held and the
 * result in *err (the caller frees the keys, then unlocks); *wait is the
 * minutes the account must wait (nothing was opened: *err SV_ERR_TOOBIG), or
 * 0.  Or, when another unlocking runs, the status of the 503 it sent. */
int exports_unlock(struct req_ctx *rc, const struct staff_session *sess, const char *id, const char *pass,
		   struct export_keys **keys, enum sv_err *err, long long *wait /* OUT */);
/* Says why a passphrase typed on a staff page was refused, under field:
 * too many wrong ones (wait > 0: 429) or this one wrong (422); the status. */
int staff_passphrase_refused(struct staff_errors *e, const char *field, long long wait, char *why,
			     size_t cap);
int exports_route(struct req_ctx *rc, const struct staff_session *sess, const char *rest);
/* The Key page (keypage.c): rest is what follows /staff/key; commissioners
 * and admins check and change a key's passphrase there. */
int keypage_route(struct req_ctx *rc, const struct staff_session *sess, const char *rest);

/* The projector display (display.c).  display_init reads its stylesheet
 * and script from forms_dir/static; display_route takes /display/... and
 * /static/display.*; display_staff_route takes what follows
 * /staff/events/ID/display (the event's "Projector display" page, making
 * and revoking its link; the tally page links to it, forms/render_tally.c). */
enum sv_err display_init(struct server *srv, const char *forms_dir);
void display_free(struct server *srv);
int display_route(struct req_ctx *rc, const char *path);
int display_staff_route(struct req_ctx *rc, const struct staff_session *sess,
			const struct store_event *e, const char *rest);

/* Shared by the staff pages (staff.c). */
/* Starts a staff page for sess: the menu of what its role may open, and
 * e's problems summarised at the top (e NULL or empty for none).  End it
 * with render_staff_page_end (forms/render_staff.h). */
void staff_page_start(struct sbuf *b, const struct staff_session *sess, const char *title,
		      const struct staff_errors *e);
/* Sends a refusal (409 closed, 404 gone ...) as a staff page with sess's
 * menu: a heading, a sentence and a link onwards.  Returns status. */
int staff_refuse(struct req_ctx *rc, const struct staff_session *sess, int status, const char *title,
		 const char *text, const char *href, const char *link);
void staff_csrf_field(struct sbuf *b, const struct staff_session *sess);
const struct form_consultation *staff_consultation(const struct server *srv, const char *id);
void staff_today(char out[11]);

#endif
