/*
 * jsoncheck.h - strict reading of JSON definition files with cJSON.
 *
 * Survey definitions, consultations and the taxonomy are written by people,
 * so every problem is reported as "FILE: PATH: PROBLEM", for example
 * "forms/surveys/demo.json: questions[2].options[0].themes[1]: unknown theme
 * \"sport\"".  The first problem is kept; later ones are ignored, and callers
 * check c->failed once when done.
 */
#ifndef SV_JSONCHECK_H
#define SV_JSONCHECK_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "err.h"

#define JSON_MAX_FILE (1024 * 1024) /* bytes in one definition file */
#define JSON_MAX_PATH 160           /* bytes in a JSON path in messages */

struct json_check {
	const char *file;  /* shown in messages */
	char msg[512];     /* the first problem, "file: path: problem" */
	int failed;        /* set once a problem was found */
};

void json_check_init(struct json_check *c, const char *file);
void json_fail(struct json_check *c, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Reads and parses a whole file (at most JSON_MAX_FILE bytes). */
enum sv_err json_load_file(struct json_check *c, const char *file,
			   cJSON **out /* OUT: cJSON_Delete it */);
/* Same for text already in memory (the file name is only for messages). */
enum sv_err json_parse_text(struct json_check *c, const char *text, size_t len,
			    cJSON **out /* OUT */);

/* Fails if obj is not an object or has a key not in allowed (NULL-ended). */
void json_only_keys(struct json_check *c, const cJSON *obj, const char *path,
		    const char *const *allowed);

/*
 * Member readers.  With required set, a missing member is a problem; a member
 * of the wrong type always is.  Strings must be non-empty and at most maxlen
 * bytes.  They return NULL or dflt when absent or wrong.
 */
const char *json_string(struct json_check *c, const cJSON *obj, const char *path,
			const char *key, int required, size_t maxlen);
const char *json_id(struct json_check *c, const cJSON *obj, const char *path,
		    const char *key, int required);
long long json_int(struct json_check *c, const cJSON *obj, const char *path,
		   const char *key, int required, long long min, long long max,
		   long long dflt);
int json_bool(struct json_check *c, const cJSON *obj, const char *path,
	      const char *key, int dflt);
const cJSON *json_array(struct json_check *c, const cJSON *obj, const char *path,
			const char *key, int required, int min_items, int max_items);

/* Writes "path.key" or "path[i]" into out (capped at JSON_MAX_PATH). */
void json_path_key(char out[JSON_MAX_PATH], const char *path, const char *key);
void json_path_index(char out[JSON_MAX_PATH], const char *path, int index);

/* Copies a string with strdup, setting c->failed on allocation failure. */
char *json_strdup(struct json_check *c, const char *s);

#endif
