/*
 * jsoncheck.c - strict JSON definition reading (see jsoncheck.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsoncheck.h"
#include "parse.h"

void json_check_init(struct json_check *c, const char *file)
{
	c->file = file;
	c->msg[0] = '\0';
	c->failed = 0;
}

void json_fail(struct json_check *c, const char *path, const char *fmt, ...)
{
	char problem[320];
	va_list ap;

	if (c->failed)
		return;
	c->failed = 1;
	va_start(ap, fmt);
	vsnprintf(problem, sizeof problem, fmt, ap);
	va_end(ap);
	snprintf(c->msg, sizeof c->msg, "%s: %s: %s", c->file,
		 path && *path ? path : "(top level)", problem);
}

enum sv_err json_parse_text(struct json_check *c, const char *text, size_t len,
			    cJSON **out)
{
	*out = NULL;
	if (!utf8_valid(text, len)) {
		json_fail(c, NULL, "the file is not valid UTF-8");
		return SV_ERR_INVALID;
	}
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!root) {
		/* Tell the line, which is what an editor shows. */
		size_t at = end && end >= text ? (size_t)(end - text) : 0;
		int line = 1;
		for (size_t i = 0; i < at && i < len; i++)
			line += text[i] == '\n';
		json_fail(c, NULL, "not valid JSON (near line %d)", line);
		return SV_ERR_INVALID;
	}
	*out = root;
	return SV_OK;
}

enum sv_err json_load_file(struct json_check *c, const char *file, cJSON **out)
{
	enum sv_err rc = SV_OK;
	char *text = NULL;
	FILE *fp = fopen(file, "rb");

	*out = NULL;
	if (!fp) {
		json_fail(c, NULL, "cannot open: %s", strerror(errno));
		return SV_ERR_IO;
	}
	text = malloc(JSON_MAX_FILE + 1);
	if (!text) {
		rc = SV_ERR_NOMEM;
		json_fail(c, NULL, "out of memory");
		goto out;
	}
	size_t len = fread(text, 1, JSON_MAX_FILE + 1, fp);
	if (ferror(fp)) {
		rc = SV_ERR_IO;
		json_fail(c, NULL, "cannot read: %s", strerror(errno));
		goto out;
	}
	if (len > JSON_MAX_FILE) {
		rc = SV_ERR_TOOBIG;
		json_fail(c, NULL, "larger than %d bytes", JSON_MAX_FILE);
		goto out;
	}
	rc = json_parse_text(c, text, len, out);
out:
	free(text);
	fclose(fp);
	return rc;
}

void json_path_key(char out[JSON_MAX_PATH], const char *path, const char *key)
{
	snprintf(out, JSON_MAX_PATH, "%s%s%s", path, *path ? "." : "", key);
}

void json_path_index(char out[JSON_MAX_PATH], const char *path, int index)
{
	snprintf(out, JSON_MAX_PATH, "%s[%d]", path, index);
}

void json_only_keys(struct json_check *c, const cJSON *obj, const char *path,
		    const char *const *allowed)
{
	if (!cJSON_IsObject(obj)) {
		json_fail(c, path, "should be an object ({...})");
		return;
	}
	for (const cJSON *m = obj->child; m; m = m->next) {
		const char *const *a = allowed;
		while (*a && strcmp(*a, m->string) != 0)
			a++;
		if (!*a) {
			char where[JSON_MAX_PATH];
			json_path_key(where, path, m->string);
			json_fail(c, where, "unknown field (a typing mistake?)");
			return;
		}
	}
}

/* The member key of obj, with its path in where; a problem if required and missing. */
static const cJSON *member(struct json_check *c, const cJSON *obj, const char *path,
			   const char *key, int required, char where[JSON_MAX_PATH])
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	json_path_key(where, path, key);
	if (!item && required)
		json_fail(c, where, "is missing");
	return item;
}

const char *json_string(struct json_check *c, const cJSON *obj, const char *path,
			const char *key, int required, size_t maxlen)
{
	char where[JSON_MAX_PATH];
	const cJSON *item = member(c, obj, path, key, required, where);

	if (!item)
		return NULL;
	if (!cJSON_IsString(item)) {
		json_fail(c, where, "should be a string");
		return NULL;
	}
	size_t n = strlen(item->valuestring);
	if (n == 0) {
		json_fail(c, where, "is empty");
		return NULL;
	}
	if (n > maxlen) {
		json_fail(c, where, "is longer than %zu bytes", maxlen);
		return NULL;
	}
	return item->valuestring;
}

const char *json_id(struct json_check *c, const cJSON *obj, const char *path,
		    const char *key, int required)
{
	const char *s = json_string(c, obj, path, key, required, PARSE_MAX_ID);

	if (s && !id_valid(s, strlen(s))) {
		char where[JSON_MAX_PATH];
		json_path_key(where, path, key);
		json_fail(c, where, "\"%s\" is not an id: use lower-case letters, digits and '-'", s);
		return NULL;
	}
	return s;
}

long long json_int(struct json_check *c, const cJSON *obj, const char *path,
		   const char *key, int required, long long min, long long max,
		   long long dflt)
{
	char where[JSON_MAX_PATH];
	const cJSON *item = member(c, obj, path, key, required, where);

	if (!item)
		return dflt;
	double v = item->valuedouble;
	if (!cJSON_IsNumber(item) || v != (double)(long long)v) {
		json_fail(c, where, "should be a whole number");
		return dflt;
	}
	if (v < (double)min || v > (double)max) {
		json_fail(c, where, "should be from %lld to %lld", min, max);
		return dflt;
	}
	return (long long)v;
}

int json_bool(struct json_check *c, const cJSON *obj, const char *path,
	      const char *key, int dflt)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!item)
		return dflt;
	if (!cJSON_IsBool(item)) {
		char where[JSON_MAX_PATH];
		json_path_key(where, path, key);
		json_fail(c, where, "should be true or false");
		return dflt;
	}
	return cJSON_IsTrue(item);
}

const cJSON *json_array(struct json_check *c, const cJSON *obj, const char *path,
			const char *key, int required, int min_items, int max_items)
{
	char where[JSON_MAX_PATH];
	const cJSON *item = member(c, obj, path, key, required, where);

	if (!item)
		return NULL;
	if (!cJSON_IsArray(item)) {
		json_fail(c, where, "should be a list ([...])");
		return NULL;
	}
	int n = cJSON_GetArraySize(item);
	if (n < min_items || n > max_items) {
		json_fail(c, where, "should have from %d to %d items, not %d",
			  min_items, max_items, n);
		return NULL;
	}
	return item;
}

char *json_strdup(struct json_check *c, const char *s)
{
	char *copy = s ? strdup(s) : NULL;

	if (s && !copy)
		json_fail(c, NULL, "out of memory");
	return copy;
}
