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
 * One struct store may be shared by many threads; writes are serialised.
 */
#ifndef SV_STORE_H
#define SV_STORE_H

#include <stddef.h>

#include "err.h"

#define STORE_FILE "youthvoice.db"   /* name inside the data folder */
#define STORE_SCHEMA_VERSION 3

struct store;

/* The sources that count towards a theme, as named in the themes table. */
enum store_source { STORE_SURVEY, STORE_FOCUS_GROUP, STORE_MARKETPLACE, STORE_NSOURCES };
const char *store_source_name(enum store_source s);

/* Opens (creating and migrating) DIR/youthvoice.db. */
enum sv_err store_open(const char *data_dir, struct store **out /* OUT */);
/* Opens an existing database read-only (for exports). */
enum sv_err store_open_readonly(const char *data_dir, struct store **out /* OUT */);
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

/* Calls fn for each consultation id, in id order. */
enum sv_err store_consultation_each(struct store *st,
				    void (*fn)(void *arg, const char *id), void *arg);

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
};

/*
 * Stores a sealed response and, in the same transaction, adds one to the
 * survey counters of each theme and priority it raised and to the survey's
 * response count.  Returns only after the commit is durable.  SV_ERR_EXISTS,
 * storing nothing, if r->once was used before.
 */
enum sv_err store_response_insert(struct store *st, const struct store_response *r);

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

/* Calls fn for each survey of a consultation, in id order. */
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

/* Calls fn for each response of a consultation, oldest first. */
enum sv_err store_response_each(struct store *st, const char *consultation,
				store_response_fn fn, void *arg);

/* Number of stored responses for a consultation (NULL: all). */
enum sv_err store_response_count(struct store *st, const char *consultation,
				 long long *out /* OUT */);

#endif
