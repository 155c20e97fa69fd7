/*
 * store.h - everything youthvoice keeps, in one SQLite database in WAL mode.
 *
 * Only this module knows SQL, and every statement binds its values.  The
 * schema is created and migrated by number (PRAGMA user_version).  What is
 * stored is what the privacy model allows: sealed payloads with the day they
 * arrived (never the time), and plain counters no finer than what would be
 * published anyway.  A write returns only after its transaction has committed
 * with synchronous=FULL, so a caller may acknowledge it.
 *
 * A few seconds after the last write, the data folder holds no history: no
 * WAL, no order of arrival in ids or pages, no freed content (store_tidy.c;
 * above 64 MiB the pages keep a partial order, docs/threat-model.md).
 *
 * One struct store may be shared by many threads.  Responses and tally
 * changes from many threads are committed together (one transaction and one
 * fsync for all that are waiting: store_commit.c), each with its own result.
 */
#ifndef SV_STORE_H
#define SV_STORE_H

#include <stddef.h>

#include "err.h"
#include "limits.h"

#define STORE_FILE "youthvoice.db"   /* name inside the data folder */
#define STORE_SCHEMA_VERSION 28

struct store;

/* The sources that count towards a theme, as named in the themes table. */
enum store_source { STORE_SURVEY, STORE_FOCUS_GROUP, STORE_MARKETPLACE, STORE_NSOURCES };
const char *store_source_name(enum store_source s);

/* Opens (creating and migrating) DIR/youthvoice.db. */
enum sv_err store_open(const char *data_dir, struct store **out /* OUT */);
/* Opens for loading made-up data fast (the benchmark's generator): no
 * journal file and no fsync, so nothing is durable until store_close, which
 * puts the database back in WAL mode.  Never for a database in use. */
enum sv_err store_open_bulk(const char *data_dir, struct store **out /* OUT */);
/* Opens an existing database read-only (for exports). */
enum sv_err store_open_readonly(const char *data_dir, struct store **out /* OUT */);
/* store_open and store_open_readonly on the database db names: NULL for
 * DIR/youthvoice.db as above, or a postgresql://user@host:port/db URL
 * (docs/postgresql.md: on PostgreSQL, for now, the files of the store
 * already on core/db.h work; the rest fail with SV_ERR_DB). */
enum sv_err store_open_url(const char *data_dir, const char *db, struct store **out /* OUT */);
/* Whether a program's --db value names a database this build serves:
 * SV_OK for NULL (SQLite in the data folder); SV_ERR_INVALID for anything
 * but a postgresql:// URL; SV_ERR_NOTFOUND for PostgreSQL until the whole
 * store is on it (docs/postgresql.md).  *why: a one-line reason, which
 * never repeats the value (a URL may hold a password). */
enum sv_err store_db_usable(const char *db, const char **why /* OUT */);
enum sv_err store_open_readonly_url(const char *data_dir, const char *db,
				    struct store **out /* OUT */);
void store_close(struct store *st);

/* Creates or updates a consultation and the taxonomy JSON it uses. */
enum sv_err store_consultation_put(struct store *st, const char *id,
				   const char *title, const char *taxonomy_json);

/*
 * Reads one consultation.  *title and *taxonomy_json are malloc'd (free them).
 * SV_ERR_NOTFOUND if there is none with that id.
 */
enum sv_err store_consultation_get(struct store *st, const char *id,
				   char **title /* OUT */,
				   char **taxonomy_json /* OUT */);

/* Reads (set 0) or changes (set 1) a consultation's lifecycle: 0 draft,
 * 1 open, 2 closed.  SV_ERR_NOTFOUND for no such consultation. */
enum sv_err store_consultation_status(struct store *st, const char *id, int set,
				      int *status /* IN/OUT */);

/*
 * A commissioner's change, marked edited so that it is merged over forms/ at
 * every start: with title, adds a consultation (SV_ERR_EXISTS if the id is
 * taken); without, replaces its taxonomy JSON (SV_ERR_NOTFOUND if none).
 */
enum sv_err store_consultation_edit(struct store *st, const char *id, const char *title,
				    const char *taxonomy_json, int status);

/* Calls fn for each consultation with everything kept about it. */
enum sv_err store_consultation_each_full(struct store *st, void (*fn)(void *arg, const char *id,
					 const char *title, const char *taxonomy_json, int status,
					 int edited), void *arg);

/* Calls fn for each consultation id, in id order. */
enum sv_err store_consultation_each(struct store *st,
				    void (*fn)(void *arg, const char *id), void *arg);

/* One online ballot vote: an issue (option id) chosen at a rank (1 = first). */
struct store_vote {
	const char *question;       /* the ballot question's id */
	const char *option;         /* the issue's option id */
	int rank;                   /* 1 to 3 */
};

struct store_response {
	const char *consultation;   /* consultation id */
	const char *survey;         /* survey id */
	const char *day;            /* "YYYY-MM-DD", the day it arrived */
	const char *key_id;         /* the public key it was sealed to */
	const unsigned char *sealed;/* the sealed payload */
	size_t sealed_len;
	const char *const *themes;  /* theme ids the response raised, each once */
	size_t nthemes;
	const int *priorities;      /* priority numbers it raised, each once */
	size_t npriorities;
	const char *once;           /* one-time token id, or NULL: a second
	                             * response with the same id is refused */
	const struct store_vote *votes; /* ballot votes it holds (may be NULL), each */
	size_t nvotes;              /* added to ballot_counts at its rank */
};

/*
 * Stores a sealed response and, in the same transaction, adds one to the
 * survey counters of each theme and priority it raised and to the survey's
 * response count.  Returns only after the commit is durable.  SV_ERR_EXISTS,
 * storing nothing, if r->once was used before.
 */
enum sv_err store_response_insert(struct store *st, const struct store_response *r);

/*
 * Stores n responses in one transaction (bulk loads and benchmarks), each
 * as store_response_insert would; results[i] (may be NULL) gets each one's
 * result.  Returns SV_ERR_DB if any failed that way, else SV_OK.
 */
enum sv_err store_response_insert_many(struct store *st, const struct store_response *r,
				       size_t n, enum sv_err *results /* OUT */);

/* Calls fn for each theme counter of a consultation. */
enum sv_err store_theme_counts(struct store *st, const char *consultation,
			       void (*fn)(void *arg, const char *theme,
					  enum store_source source, long long count),
			       void *arg);

/* Calls fn for each priority counter of a consultation. */
enum sv_err store_priority_counts(struct store *st, const char *consultation,
				  void (*fn)(void *arg, int priority,
					     enum store_source source, long long count),
				  void *arg);

/*
 * Records a survey's answer keys (a JSON array, in question order) so that
 * exports can lay out columns from the data folder alone.
 */
enum sv_err store_survey_put(struct store *st, const char *id, const char *consultation,
			     const char *title, const char *fields_json);

/* A commissioner attached a survey to another consultation: kept over
 * forms/ at every start.  SV_ERR_NOTFOUND for an unknown survey. */
enum sv_err store_survey_move(struct store *st, const char *id, const char *consultation);
enum sv_err store_survey_moved_each(struct store *st, void (*fn)(void *arg, const char *id,
				    const char *consultation), void *arg);

/*
 * Survey definitions with versions (store_survey.c, schema 20).  A survey's
 * versions are 1, 2, ... in order; every one but perhaps the newest is
 * published, and the newest may be a draft (status 0), which saving again
 * replaces.  source is "file" (forms/surveys/) or "staff" (the staff pages).
 */
struct store_survey_version {
	char survey[65];            /* its id */
	int version;                /* 1, 2, ... */
	char consultation[65];
	int published;              /* 0: a draft, not offered to anyone */
	char source[8];             /* "file" or "staff" */
	char *definition;           /* the JSON text, malloc'd: free it */
	char who[65];               /* who saved it (a staff name, or "forms/") */
	char day[11];               /* the day it was saved, UTC */
};

/* The newest version of survey (published_only: the newest published),
 * into *out (free out->definition).  SV_ERR_NOTFOUND when there is none. */
enum sv_err store_survey_version_get(struct store *st, const char *survey, int published_only,
				     struct store_survey_version *out /* OUT */);

/* Saves definition as the survey's draft: the newest version while it is a
 * draft, else a new version after the newest.  *version gets its number. */
enum sv_err store_survey_draft_save(struct store *st, const char *survey,
				    const char *consultation, const char *definition,
				    const char *who, int *version /* OUT */);

/* Adds definition as a new published version after the newest (a file's
 * changed text at start); *version gets its number.  If the newest version
 * is already published with this definition, source and consultation
 * (another server starting with the same file added it a moment ago), that
 * version is the one: nothing is added. */
enum sv_err store_survey_version_add(struct store *st, const char *survey,
				     const char *consultation, const char *source,
				     const char *definition, const char *who, int *version /* OUT */);

/* Publishes the draft numbered version.  SV_ERR_NOTFOUND if that version is
 * not the survey's draft (published meanwhile, or replaced). */
enum sv_err store_survey_publish(struct store *st, const char *survey, int version,
				 const char *who);

/* Calls fn with the newest version of every survey, by id (definition is
 * NULL here: the list needs none); published is that of the newest one. */
enum sv_err store_survey_version_each(struct store *st,
				      void (*fn)(void *arg, const struct store_survey_version *v),
				      void *arg);

/* How many responses the survey has, from the counters (never a scan). */
enum sv_err store_survey_answered(struct store *st, const char *survey, long long *out /* OUT */);

/* Calls fn for each survey of a consultation, and each survey that has
 * responses in it (a survey may have moved since), in id order. */
enum sv_err store_survey_each(struct store *st, const char *consultation,
			      void (*fn)(void *arg, const char *id, const char *title,
					 const char *fields_json),
			      void *arg);

/* Calls fn for each key that responses of a consultation are sealed to. */
enum sv_err store_key_ids(struct store *st, const char *consultation,
			  void (*fn)(void *arg, const char *key_id, long long count), void *arg);

/* One stored response as read back: still sealed.  Valid only during the call. */
struct store_sealed {
	long long id;
	const char *survey;
	const char *day;
	const char *key_id;
	const unsigned char *sealed;
	size_t sealed_len;
};
typedef void (*store_response_fn)(void *arg, const struct store_sealed *r);

/* Calls fn for each response of a consultation, in id order (the final id
 * of a row not yet tidied): ids are random, so this is no order of arrival,
 * and a tidy between two calls changes neither ids nor order. */
enum sv_err store_response_each(struct store *st, const char *consultation,
				store_response_fn fn, void *arg);

/* Number of stored responses for a consultation (NULL: all). */
enum sv_err store_response_count(struct store *st, const char *consultation,
				 long long *out /* OUT */);

/* ---- staff (store_staff.c) ---- */

#define STORE_MAX_NAME 64          /* bytes in a staff user name */
#define STORE_MAX_HASH 128         /* bytes in a stored password hash */

/* Roles, each with everything the one before it may do. */
enum store_role { STORE_YOUTH_WORKER = 1, STORE_COMMISSIONER = 2, STORE_ADMIN = 3 };

struct store_user {
	long long id;
	char name[STORE_MAX_NAME + 1];
	enum store_role role;
	char password[STORE_MAX_HASH + 1];  /* Argon2id hash string */
	int disabled;                       /* cannot sign in; has no session */
	int must_change;                    /* must choose a new password first */
	int has_totp;                       /* has a second factor */
};

/* Adds an account.  SV_ERR_EXISTS if the name is taken. */
enum sv_err store_user_add(struct store *st, const char *name, enum store_role role,
			   const char *password_hash);
/* SV_ERR_NOTFOUND if there is no such account. */
enum sv_err store_user_get(struct store *st, const char *name, struct store_user *out /* OUT */);

/* Calls fn for each account (never its password hash), by name. */
enum sv_err store_user_each(struct store *st, void (*fn)(void *arg, const char *name,
			    enum store_role role), void *arg);

/* Sessions are found by the hash of their cookie (hex). */
enum sv_err store_session_add(struct store *st, const char *id_hash, long long user_id,
			      const char *csrf, long long now);
/* The session's user and CSRF token, if it was used within idle seconds and
 * started within life seconds; marks it used now.  SV_ERR_NOTFOUND otherwise
 * (and forgets it). */
enum sv_err store_session_get(struct store *st, const char *id_hash, long long now,
			      long long idle, long long life, struct store_user *user /* OUT */,
			      char csrf[65] /* OUT */);
enum sv_err store_session_end(struct store *st, const char *id_hash);
/* The role (enum store_role) of the session's account, or 0 when the session
 * has ended or its account is disabled.  Reads only (the analysis session
 * checks its holder with it: survey-server/analyse.c). */
enum sv_err store_session_role(struct store *st, const char *id_hash, int *role /* OUT */);

/* ---- account lifecycle and second factor (store_accounts.c) ---- */

#define STORE_RECOVERY_CODES 10      /* recovery codes per second factor */
#define STORE_MAX_TOTP_SEALED 128    /* bytes of a sealed TOTP secret */

/* The account with this id.  SV_ERR_NOTFOUND if there is none. */
enum sv_err store_user_by_id(struct store *st, long long id, struct store_user *out /* OUT */);
/* Calls fn for each account, by name (password empty). */
enum sv_err store_account_each(struct store *st, void (*fn)(void *arg, const struct store_user *u),
			       void *arg);
/* How many enabled admins there are. */
enum sv_err store_admin_count(struct store *st, long long *out /* OUT */);
/*
 * Disables (1) or enables (0) an account; disabling ends its sessions in
 * the same transaction.  SV_ERR_INVALID when it would leave no enabled
 * admin; SV_ERR_NOTFOUND for no such account.
 */
enum sv_err store_user_set_disabled(struct store *st, long long id, int disabled);
/* Changes a role.  SV_ERR_INVALID when it would leave no enabled admin. */
enum sv_err store_user_set_role(struct store *st, long long id, enum store_role role);
/*
 * Sets a new password hash.  must_change 1 (a reset) also ends every
 * session of the account, and its next sign-in asks for a new password;
 * 0 (the person chose it) clears that.
 */
enum sv_err store_user_set_password(struct store *st, long long id, const char *hash, int must_change);
/* Ends every session of the account; *ended says how many there were. */
enum sv_err store_user_end_sessions(struct store *st, long long id, long long *ended /* OUT */);
/*
 * A second factor: its sealed secret (n bytes, at most STORE_MAX_TOTP_SEALED)
 * and the hashes (hex, NUL-ended) of its STORE_RECOVERY_CODES recovery codes
 * replace any before; no time step has been used yet.
 */
enum sv_err store_totp_set(struct store *st, long long id, const unsigned char *sealed, size_t n,
			   const char *const codes[STORE_RECOVERY_CODES]);
/* The sealed secret and the last time step taken.  SV_ERR_NOTFOUND if none. */
enum sv_err store_totp_get(struct store *st, long long id, unsigned char *sealed /* OUT */,
			   size_t *n /* OUT */, long long *last /* OUT */);
/* Takes time step once: SV_ERR_EXISTS if it, or a later one, was taken. */
enum sv_err store_totp_take(struct store *st, long long id, long long step);
/* Removes the second factor and its recovery codes. */
enum sv_err store_totp_clear(struct store *st, long long id);
/* Uses a recovery code (its hash) once: SV_ERR_NOTFOUND if it is not one. */
enum sv_err store_recovery_use(struct store *st, long long id, const char *code_hash);
/* How many unused recovery codes an account has left. */
enum sv_err store_recovery_left(struct store *st, long long id, long long *out /* OUT */);
/*
 * Changes an account's password (hash) at its owner's request: every other
 * session of the account ends, the one whose hash is keep stays; *ended
 * says how many ended.  SV_ERR_NOTFOUND for no such account.
 */
enum sv_err store_user_change_password(struct store *st, long long id, const char *hash,
				       const char *keep, long long *ended /* OUT */);
/* New recovery codes (hashes, hex) replace the account's others at once.
 * SV_ERR_NOTFOUND if it has no second factor. */
enum sv_err store_recovery_replace(struct store *st, long long id,
				   const char *const codes[STORE_RECOVERY_CODES]);
/* The hashes of the account's unused recovery codes, in order, joined by
 * commas into out (cap bytes, NUL-ended; empty for none): what a form
 * compares to know the codes have not changed since it was shown. */
enum sv_err store_recovery_hashes(struct store *st, long long id, char *out /* OUT */, size_t cap);

/* ---- tries per account (store_attempts.c) ---- */

/* What is tried: a password, a second-factor or recovery code, or a key's
 * passphrase (the Key page, exports, analysis: schema 26), each limited on
 * its own, so wrong passphrases never stop the account signing in. */
enum store_attempt { STORE_ATTEMPT_PASSWORD = 1, STORE_ATTEMPT_CODE = 2, STORE_ATTEMPT_PASSPHRASE = 3 };
/*
 * Charges one try of kind to account id at now (seconds since the epoch),
 * before the password or code is checked, in one statement, so that tries
 * sent at once, to one server or several, all count.  The first try opens a
 * window of lock seconds (rounded up to a whole minute); the max-th within
 * it moves its end to lock seconds after that try; later ones in the window
 * are refused.  *wait is 0 if this try may go ahead, else the seconds until
 * one may (and this one is not counted).  Rows whose end has passed go.
 */
enum sv_err store_attempt_charge(struct store *st, long long id, enum store_attempt kind,
				 long long now, int max, long long lock, long long *wait /* OUT */);
/* A right password or code: the account's tries of kind are forgotten. */
enum sv_err store_attempt_clear(struct store *st, long long id, enum store_attempt kind);
/* Forgets every window that ended by now (at start). */
enum sv_err store_attempt_expire(struct store *st, long long now);

/* The first-admin setup link: its token's hash replaces any before. */
enum sv_err store_setup_token_set(struct store *st, const char *token_hash);
/* SV_OK if token_hash is the setup link's; SV_ERR_NOTFOUND otherwise. */
enum sv_err store_setup_token_check(struct store *st, const char *token_hash);
/*
 * Makes the first admin through the setup link, once: SV_ERR_NOTFOUND if
 * the token is not the link's or an admin exists already (the link is
 * then gone for good), SV_ERR_EXISTS if the name is taken.
 */
enum sv_err store_setup_first_admin(struct store *st, const char *token_hash, const char *name,
				    const char *password_hash);

/* Appends who did what to the audit log (never respondent data). */
enum sv_err store_audit(struct store *st, const char *who, const char *action,
			const char *detail);
enum sv_err store_audit_each(struct store *st, void (*fn)(void *arg, const char *at,
			     const char *who, const char *action, const char *detail), void *arg);

/* ---- marketplace events ---- */

#define STORE_MAX_EVENT_NAME 120

struct store_event {
	long long id;
	char consultation[64];
	char name[STORE_MAX_EVENT_NAME + 1];
	char day[11];
	int closed;
};

/* Creates an event with n options: stall priorities[i] holds themes[i]. */
enum sv_err store_event_add(struct store *st, const char *consultation, const char *name,
			    const char *day, const int *priorities,
			    const char *const *themes, size_t n, long long *id /* OUT */);
enum sv_err store_event_get(struct store *st, long long id, struct store_event *out /* OUT */);
enum sv_err store_event_each(struct store *st, void (*fn)(void *arg,
			     const struct store_event *e), void *arg);
/* Each option of an event, in stall order, with its current count. */
enum sv_err store_event_options(struct store *st, long long id, void (*fn)(void *arg,
				int priority, const char *theme, long long count), void *arg);
/* Locks an event's tallies (until a commissioner reopens it). */
enum sv_err store_event_close(struct store *st, long long id);
/* Takes taps again.  SV_ERR_NOTFOUND for no such event. */
enum sv_err store_event_reopen(struct store *st, long long id);
/* Corrects an open event's name and day.  SV_ERR_INVALID if it is closed
 * or gone. */
enum sv_err store_event_edit(struct store *st, long long id, const char *name, const char *day);
/* How many tally changes (taps and totals set) an event has had. */
enum sv_err store_event_taps(struct store *st, long long id, long long *taps /* OUT */);
/* Deletes an event and its options, only if it has had no tally change at
 * all: else SV_ERR_INVALID with *taps saying how many (tally changes are
 * never deleted).  SV_ERR_NOTFOUND for no such event. */
enum sv_err store_event_delete(struct store *st, long long id, long long *taps /* OUT */);

struct store_tally {
	long long event_id;
	int priority;               /* the stall */
	const char *theme;          /* the option */
	long long delta;            /* +1, -1 ...; or the total when set_total */
	int set_total;              /* delta is the new total, not a change */
	const char *who;            /* staff user name */
	const char *day;            /* YYYY-MM-DD */
	const char *client_id;      /* made by the client; the same id counts once */
};

/* Tokens per (stall priority, theme) over all of a consultation's events:
 * the themes table's marketplace cells, each counted at its own stall. */
enum sv_err store_marketplace_counts(struct store *st, const char *consultation,
				     void (*fn)(void *arg, int priority, const char *theme,
						long long count), void *arg);

/*
 * Appends one change to an option's tally and, in the same transaction, to
 * the stall's marketplace priority subtotal; returns the option's count after
 * it.  A client_id seen before changes nothing: SV_ERR_EXISTS, with the
 * current count (even once the event is closed).  SV_ERR_INVALID if the
 * count would go below zero or the event is closed (count: the option's
 * count now), or the option is not the event's (count -1).
 */
enum sv_err store_tally_change(struct store *st, const struct store_tally *t,
			       long long *count /* OUT */);

/* ---- display links for a projector (store_display.c) ---- */

#define STORE_DISPLAY_HASH_HEX 64    /* hex characters in a display token's hash */

/* Gives an event its display link, replacing any it had: the old token
 * stops working in the same transaction.  hash_hex is the token's hash,
 * never the token.  SV_ERR_NOTFOUND if there is no such event. */
enum sv_err store_display_set(struct store *st, long long event_id, const char *hash_hex);
/* Takes an event's display link away.  SV_ERR_NOTFOUND if it had none. */
enum sv_err store_display_revoke(struct store *st, long long event_id);
/* The event whose link has this hash.  SV_ERR_NOTFOUND if none. */
enum sv_err store_display_find(struct store *st, const char *hash_hex, long long *event_id /* OUT */);
/* When the event's link was made ("YYYY-MM-DDTHH:MMZ").  SV_ERR_NOTFOUND
 * if it has none. */
enum sv_err store_display_made(struct store *st, long long event_id, char made[20] /* OUT */);

/* ---- focus groups (store_focus.c) ---- */

#define STORE_MAX_DISTRICT 64
#define STORE_MAX_MESSAGE 500        /* bytes in one key message */

struct store_focus {
	long long id;
	char consultation[64];
	char day[11];
	char district[STORE_MAX_DISTRICT + 1];
	int participants;
	int age_from, age_to;
	int girls, boys, other_gender;   /* -1 where not given */
	int locked;
	int notes, quotes;               /* sealed items so far (read back only) */
};

/* Adds a group (id ignored) or, with id set, updates one not yet locked
 * (SV_ERR_INVALID if locked).  *id receives the group's id. */
enum sv_err store_focus_put(struct store *st, const struct store_focus *g, long long *id /* OUT */);
enum sv_err store_focus_get(struct store *st, long long id, struct store_focus *out /* OUT */);
enum sv_err store_focus_each(struct store *st, void (*fn)(void *arg, const struct store_focus *g),
			     void *arg);
enum sv_err store_focus_lock(struct store *st, long long id);

/* Adds a key message tagged with themes (and the priorities they sit under),
 * moving the consultation's focus_group counters in the same transaction.
 * SV_ERR_INVALID if the group is locked. */
enum sv_err store_focus_message_add(struct store *st, long long group_id, const char *text,
				    const char *const *themes, size_t nthemes,
				    const int *priorities, size_t npriorities);
/* Removes a key message and takes its counts back. */
enum sv_err store_focus_message_delete(struct store *st, long long group_id, long long message_id);
enum sv_err store_focus_messages(struct store *st, long long group_id,
				 void (*fn)(void *arg, long long id, const char *text,
					    const char *themes_csv), void *arg);

/* Appends a sealed note or quote ("note" or "quote").  SV_ERR_INVALID if locked. */
enum sv_err store_focus_seal_add(struct store *st, long long group_id, const char *kind,
				 const char *key_id, const unsigned char *sealed, size_t len);

/* ---- kiosk links (store_kiosk.c) ---- */

#define STORE_MAX_KIOSK_NAME 60      /* bytes in what staff call a kiosk tablet */

struct store_kiosk {
	long long id;
	char survey[64];                 /* the one survey it may send answers to */
	char name[STORE_MAX_KIOSK_NAME + 1];
	char made_by[STORE_MAX_NAME + 1];/* staff user name */
	char day[11];                    /* the day it was made */
	int revoked;                     /* switched off for good */
};

/* Adds a kiosk link; token_hash is the hex hash of its token (the token
 * itself is never stored).  *id receives its id. */
enum sv_err store_kiosk_add(struct store *st, const char *token_hash, const char *survey,
			    const char *name, const char *made_by, const char *day,
			    long long *id /* OUT */);
/* The kiosk whose token has this hash, revoked or not.  SV_ERR_NOTFOUND if
 * there is none. */
enum sv_err store_kiosk_find(struct store *st, const char *token_hash,
			     struct store_kiosk *out /* OUT */);
/* Calls fn for each kiosk, newest first. */
enum sv_err store_kiosk_each(struct store *st, void (*fn)(void *arg, const struct store_kiosk *k),
			     void *arg);
/* Switches a kiosk off for good; *out receives it as it now is.
 * SV_ERR_NOTFOUND for no such kiosk. */
enum sv_err store_kiosk_revoke(struct store *st, long long id, struct store_kiosk *out /* OUT */);

/* ---- what the report reads (store_report.c) ---- */

struct store_participation {
	long long responses;           /* survey responses */
	long long focus_groups, participants, messages;  /* groups, people, key messages */
	long long events, tokens;      /* marketplace events and tokens placed */
	long long coded;               /* free-text answers coded in the main analysis */
	char first_day[11], last_day[11];      /* responses, "" if none */
	char first_group[11], last_group[11];  /* focus groups */
	char first_event[11], last_event[11];  /* events */
};

enum sv_err store_participation(struct store *st, const char *consultation,
				struct store_participation *out /* OUT */);
/* Each key message of a consultation's focus groups, in the order the
 * groups met, with its theme ids comma-separated. */
enum sv_err store_consultation_messages(struct store *st, const char *consultation,
					void (*fn)(void *arg, long long group_id, const char *text,
						   const char *themes_csv), void *arg);
/* Each key id a consultation's responses or focus-group notes are sealed to,
 * with how many. */
enum sv_err store_sealed_key_ids(struct store *st, const char *consultation,
				 void (*fn)(void *arg, const char *key_id, long long count),
				 void *arg);
/* How many responses each survey has in a consultation (surveys since moved
 * elsewhere included), by survey id. */
enum sv_err store_survey_response_counts(struct store *st, const char *consultation,
					 void (*fn)(void *arg, const char *survey, long long count),
					 void *arg);
/* ---- the results page and help signposting (store_results.c) ---- */

/* How many responses a consultation has on each day that has any, oldest
 * day first (read in one statement: the days sum to one moment's total). */
enum sv_err store_response_days(struct store *st, const char *consultation,
				void (*fn)(void *arg, const char *day, long long count), void *arg);

/* Reads (set 0) or records (set 1) how many responses the results page last
 * showed for a consultation.  Reading: SV_ERR_NOTFOUND if it never has. */
enum sv_err store_results_shown(struct store *st, const char *consultation, int set,
				long long *responses /* IN/OUT */);

/* The help text a commissioner set for a consultation's surveys: *text is
 * malloc'd (free it), or NULL when none is set (the default applies). */
enum sv_err store_help_get(struct store *st, const char *consultation, char **text /* OUT */);
/* Sets it; text NULL goes back to the default. */
enum sv_err store_help_set(struct store *st, const char *consultation, const char *text);

/* Each sealed focus-group quote of a consultation, oldest first (survey is
 * "", day the group's). */
enum sv_err store_focus_quotes(struct store *st, const char *consultation, store_response_fn fn,
			       void *arg);

/* ---- "you said, we did" (store_decisions.c, schema 22) ---- */

#define STORE_MAX_DECISION_TEXT 600  /* bytes in what young people said, what was
                                      * decided, and why it is not possible */
#define STORE_MAX_DECIDER 120        /* bytes in the name of the lead who decided */

/* Where a decision stands, as the staff form posts it
 * (store_decision_status_name). */
enum store_decision_status { STORE_PLANNED, STORE_IN_PROGRESS, STORE_DONE, STORE_NOT_POSSIBLE,
			     STORE_NSTATUSES };
/* "planned", "in-progress", "done", "not-possible"; NULL out of range. */
const char *store_decision_status_name(int status);

/* One entry of a consultation's decision log, under one of its priorities.
 * Dates are days (YYYY-MM-DD), never a time of day. */
struct store_decision {
	long long id;                               /* 1, 2, ... over all consultations */
	char consultation[65];
	int priority;                               /* the priority's number */
	char said[STORE_MAX_DECISION_TEXT + 1];     /* what young people said */
	char decided[STORE_MAX_DECISION_TEXT + 1];  /* what was decided */
	int by_board;                               /* 1 the partnership board, 0 a lead */
	char lead[STORE_MAX_DECIDER + 1];           /* the lead who decided ("" for the board) */
	int status;                                 /* enum store_decision_status */
	char why[STORE_MAX_DECISION_TEXT + 1];      /* why not possible ("" otherwise) */
	char decided_on[11];                        /* the day it was decided */
	char changed_on[11];                        /* the day it last changed (set by the store) */
};

/* Adds d (its id and changed_on ignored; changed_on becomes today, UTC) to
 * the log; *id receives its id.  Texts longer than the limits are refused
 * with SV_ERR_TOOBIG (the caller checks first). */
enum sv_err store_decision_add(struct store *st, const struct store_decision *d,
			       long long *id /* OUT */);
/* Replaces entry d->id of d->consultation with d, changed today.
 * SV_ERR_NOTFOUND if the consultation has no such entry. */
enum sv_err store_decision_update(struct store *st, const struct store_decision *d);
/* Entry id of consultation.  SV_ERR_NOTFOUND if it has none such. */
enum sv_err store_decision_get(struct store *st, const char *consultation, long long id,
			       struct store_decision *out /* OUT */);
/* Calls fn for each entry of a consultation, by priority, then id. */
enum sv_err store_decision_each(struct store *st, const char *consultation,
				void (*fn)(void *arg, const struct store_decision *d), void *arg);

/* Whether a consultation's public results page (/results/ID) is published:
 * reads into *published (0 or 1) and *day (the day it last changed, "" if
 * never), or, with set, publishes (1) or withdraws (0) it today. */
enum sv_err store_results_published(struct store *st, const char *consultation, int set,
				    int *published /* IN/OUT */, char day[11] /* OUT, may be NULL */);

/* ---- analysing free-text answers (store_analysis.c, schema 23) ---- */

#define STORE_MAX_CODE_QUESTION 80   /* bytes in a coded answer's key ("ID" or "ID.other") */
#define STORE_MAX_CODE_THEMES 40     /* themes one code may count */
#define STORE_MAX_CODE_PRIORITIES 12 /* priorities one code may count */
#define STORE_MAX_CODE_SEALED 8192   /* bytes in one sealed code */

/* The passes of coding: the main one, whose codes are counted, and a second
 * analyst's blind sample, kept only to measure agreement. */
enum store_pass { STORE_PASS_MAIN = 1, STORE_PASS_SECOND = 2 };

/*
 * One analyst's code for one free-text answer: the code itself only sealed
 * (sealed, to key_id), and, for the main pass, the theme ids and priority
 * numbers it counts (each once), which the caller took from the code before
 * sealing it.  Nothing else of the code is kept in the clear.
 */
struct store_code {
	const char *consultation;
	long long response;          /* the response's id, as store_response_each gives it */
	const char *question;        /* its answer key */
	int pass;                    /* enum store_pass */
	const char *analyst;         /* staff user name */
	const char *key_id;
	const unsigned char *sealed;
	size_t sealed_len;
	const char *const *themes;   /* counted (main pass only) */
	size_t nthemes;
	const int *priorities;
	size_t npriorities;
};

/*
 * Saves code now, in place of the answer's code of that pass, and in the
 * same transaction gives back the counts of was (the code the caller opened
 * as the one stored: its sealed box and what it counted) and adds those of
 * now, for the main pass only.  was is NULL for an answer not coded yet in
 * that pass.  SV_ERR_EXISTS, changing nothing, when the stored code is not
 * was's box (another save came between: open it again); SV_ERR_NOTFOUND
 * for no such response in the consultation; SV_ERR_INVALID for a theme or
 * priority given twice, or too many; SV_ERR_DB if a count would go below
 * zero (nothing changes).  The day (UTC) is kept, never the time.
 */
enum sv_err store_analysis_code(struct store *st, const struct store_code *now,
				const struct store_code *was);

/* Removes the code was (as above), giving back its counts.  SV_ERR_EXISTS
 * when the stored code is not was's box, SV_ERR_NOTFOUND when there is none. */
enum sv_err store_analysis_uncode(struct store *st, const struct store_code *was);

/* One stored code as read back: still sealed.  Valid only during the call. */
struct store_sealed_code {
	long long response;
	const char *question;
	int pass;
	const char *analyst;
	const char *day;
	const char *key_id;
	const unsigned char *sealed;
	size_t sealed_len;
};

/* Calls fn for each code of a consultation's pass (0: both), by response,
 * question, then pass. */
enum sv_err store_analysis_each(struct store *st, const char *consultation, int pass,
				void (*fn)(void *arg, const struct store_sealed_code *c), void *arg);

/* Calls fn with the sealed response id of a consultation (its id as
 * store_response_each gives it).  SV_ERR_NOTFOUND if there is none. */
enum sv_err store_response_one(struct store *st, const char *consultation, long long id,
			       store_response_fn fn, void *arg);

/* Calls fn for each count of the main pass's codes in a consultation, by
 * theme id or priority number (counts of zero included). */
enum sv_err store_analysis_theme_counts(struct store *st, const char *consultation,
					void (*fn)(void *arg, const char *theme, long long count),
					void *arg);
enum sv_err store_analysis_priority_counts(struct store *st, const char *consultation,
					   void (*fn)(void *arg, int priority, long long count),
					   void *arg);

/*
 * One analysis session at a time across every server of the database: a
 * server holds this while its analysis is open.  On PostgreSQL it is an
 * advisory lock of the database's, on a connection of its own, so a
 * server that dies (or loses PostgreSQL) lets it go with its connection;
 * on SQLite one server has the file, and the hold is always granted.
 * SV_ERR_EXISTS when another server holds it; SV_ERR_DB if PostgreSQL
 * cannot be reached (logged).
 */
struct store_hold;
enum sv_err store_analysis_hold(struct store *st, struct store_hold **out /* OUT */);
/* SV_OK while h still holds; anything else means it may not (its
 * connection was lost, so another server may hold it now): end the
 * analysis.  Asks PostgreSQL, so not under a lock others wait on long. */
enum sv_err store_analysis_hold_check(struct store_hold *h);
/* Lets go (NULL is fine). */
void store_analysis_release(struct store_hold *h);

/* ---- the youth ballot (store_ballot.c, schema 24) ----
 * A survey has at most one ballot question, so a ballot is named by its
 * survey.  Three sources of votes, kept apart: online answers (counted as
 * they are committed: store_response.votes), paper returns a youth worker
 * enters per setting, and a Make Your Mark results file imported whole. */

#define STORE_MAX_SETTING LIMIT_BALLOT_SETTING_BYTES /* bytes in a setting's name */
#define STORE_MAX_PAPERS LIMIT_BALLOT_PAPERS /* ballot papers one setting hands out, at most */
#define STORE_MAX_ISSUES LIMIT_BALLOT_ISSUES /* issues in one ballot (FORM_MAX_OPTIONS) */
#define STORE_MAX_IMPORT_VOTES LIMIT_BALLOT_IMPORT_VOTES /* votes for one issue in an imported file */

enum store_ballot_source { STORE_BALLOT_ONLINE, STORE_BALLOT_PAPER, STORE_BALLOT_IMPORT,
			   STORE_BALLOT_NSOURCES };

/* One setting's paper return. */
struct store_ballot_return {
	long long id;
	char survey[65];
	char setting[STORE_MAX_SETTING + 1];  /* the school or group, as typed */
	long long handed_out, returned;       /* ballot papers */
	int locked;                           /* a commissioner locked it: no more changes */
	char who[65];                         /* who entered or last corrected it */
	char day[11];                         /* the day it was entered or last corrected */
	int nissues;
	char issues[STORE_MAX_ISSUES][65];    /* option ids ... */
	long long votes[STORE_MAX_ISSUES];    /* ... and their votes */
};

/*
 * Stores a new return r (its id is ignored) entered by the form whose
 * one-time key is form_key.  *id gets its id.  A form sent again (the same
 * key) stores nothing and gives the first one's id with *replay set, so a
 * return is counted once however often its form is sent.  SV_ERR_EXISTS
 * when the ballot has a return for that setting already (correct it
 * instead); SV_ERR_INVALID when returned > handed_out or a count is out of
 * range; SV_ERR_TOOBIG for a setting name over its limit.
 */
enum sv_err store_ballot_return_add(struct store *st, const struct store_ballot_return *r,
				    const char *form_key, long long *id /* OUT */,
				    int *replay /* OUT */);
/*
 * Replaces return r->id of r->survey with r (setting, papers, votes), as
 * corrected by r->who today.  SV_ERR_NOTFOUND for no such return;
 * SV_ERR_EXISTS when it is locked (nothing changed) or the new setting
 * name is another return's; SV_ERR_INVALID as for add.
 */
enum sv_err store_ballot_return_update(struct store *st, const struct store_ballot_return *r);
/* Locks (1) or unlocks (0) return id of survey.  SV_ERR_NOTFOUND if none. */
enum sv_err store_ballot_return_lock(struct store *st, const char *survey, long long id, int locked);
/* Return id of survey, with its votes.  SV_ERR_NOTFOUND if none. */
enum sv_err store_ballot_return_get(struct store *st, const char *survey, long long id,
				    struct store_ballot_return *out /* OUT */);
/* Calls fn for each return of survey (with its votes), by setting name. */
enum sv_err store_ballot_return_each(struct store *st, const char *survey,
				     void (*fn)(void *arg, const struct store_ballot_return *r),
				     void *arg);
/* Calls fn with every count of survey's ballot: online votes per issue and
 * rank, paper and imported votes per issue (rank 1: paper ballots choose
 * one).  Only issues with a stored row are given. */
enum sv_err store_ballot_counts(struct store *st, const char *survey,
				void (*fn)(void *arg, enum store_ballot_source source,
					   const char *issue, int rank, long long count),
				void *arg);
/* Replaces survey's imported votes with issues[i]: votes[i] (n of them),
 * in one transaction, as imported by who today. */
enum sv_err store_ballot_import(struct store *st, const char *survey, const char *const *issues,
				const long long *votes, int n, const char *who);
/* ---- rounds of a plan and population figures (store_rounds.c) ---- */

#define STORE_MAX_POPULATION 100000000LL   /* people in one category (a county's
					      young people are far fewer) */
#define STORE_MAX_CATEGORY 80              /* bytes in a category key, "question:option" */

/* Records that consultation is round `round` of `plan` (both ids), or with
 * plan NULL that it is a round of none. */
enum sv_err store_round_set(struct store *st, const char *consultation, const char *plan,
			    const char *round);
/* Calls fn for each round of plan, in the order of the rounds' names (then
 * consultation id).  No rounds is SV_OK with no call. */
enum sv_err store_plan_rounds(struct store *st, const char *plan,
			      void (*fn)(void *arg, const char *consultation, const char *round),
			      void *arg);
/* Records a commissioner's choice: consultation is round `round` of `plan`
 * (both ids), or with both NULL a round of none; kept apart so that it wins
 * over consultations.json at start, and written to the rounds at once, in
 * one transaction.  SV_ERR_INVALID for one without the other or a bad id. */
enum sv_err store_round_choose(struct store *st, const char *consultation, const char *plan,
			       const char *round);
/* Calls fn for each choice store_round_choose recorded (plan and round NULL
 * for a round of none), by consultation. */
enum sv_err store_round_choices(struct store *st,
				void (*fn)(void *arg, const char *consultation, const char *plan,
					   const char *round), void *arg);
/* The plan and round consultation is a round of, into plan and round (each
 * PARSE_MAX_ID + 1 bytes); SV_ERR_NOTFOUND when it is a round of none. */
enum sv_err store_round_of(struct store *st, const char *consultation, char *plan /* OUT */,
			   char *round /* OUT */);
/* Sets the people a commissioner entered for one category of a consultation
 * (0 to STORE_MAX_POPULATION; SV_ERR_INVALID outside), or with people < 0
 * clears it. */
enum sv_err store_population_set(struct store *st, const char *consultation,
				 const char *category, long long people);
/* Calls fn for each population figure of a consultation, by category. */
enum sv_err store_population_each(struct store *st, const char *consultation,
				  void (*fn)(void *arg, const char *category, long long people),
				  void *arg);

#endif
