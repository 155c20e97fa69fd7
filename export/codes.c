/*
 * codes.c - the sealed payload of an analyst's code (see export.h): written
 * by survey-server/analyse.c, read back there and by the report
 * (report.c), which prints the answers marked "quote for the report".
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "export.h"

void export_code_payload(const struct export_code *c, struct sbuf *out)
{
	sbuf_adds(out, "{\"v\":1,\"kind\":\"code\",\"themes\":[");
	for (size_t i = 0; i < c->nthemes; i++) {
		sbuf_adds(out, i ? ",\"" : "\"");
		sbuf_add_json_plain(out, c->themes[i], strlen(c->themes[i]));
		sbuf_adds(out, "\"");
	}
	sbuf_adds(out, "],\"priorities\":[");
	for (size_t i = 0; i < c->npriorities; i++)
		sbuf_addf(out, i ? ",%d" : "%d", c->priorities[i]);
	sbuf_addf(out, "],\"none\":%d,\"follow\":%d,\"quote\":%d}", c->none ? 1 : 0, c->follow ? 1 : 0,
		  c->quote ? 1 : 0);
}

static int flag(const cJSON *j, const char *name)
{
	return cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, name)) == 1;
}

static enum sv_err parse(const char *json, size_t len, struct export_code *out)
{
	cJSON *j = cJSON_ParseWithLength(json, len);
	const cJSON *v;

	memset(out, 0, sizeof *out);
	if (!j)
		return SV_ERR_INVALID;
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(j, "themes")) {
		if (cJSON_IsString(v) && out->nthemes < STORE_MAX_CODE_THEMES) {
			snprintf(out->themes[out->nthemes], sizeof out->themes[0], "%s", v->valuestring);
			out->theme_ptrs[out->nthemes] = out->themes[out->nthemes];
			out->nthemes++;
		}
	}
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(j, "priorities")) {
		if (cJSON_IsNumber(v) && out->npriorities < STORE_MAX_CODE_PRIORITIES)
			out->priorities[out->npriorities++] = v->valueint;
	}
	out->none = flag(j, "none");
	out->follow = flag(j, "follow");
	out->quote = flag(j, "quote");
	cJSON_Delete(j);
	return SV_OK;
}

enum sv_err export_code_open(const struct export_keys *keys, const char *key_id,
			     const unsigned char *box, size_t len, struct export_code *out)
{
	const struct seal_secret *key = export_key(keys, key_id);
	char *plain = NULL;
	size_t n = 0;

	memset(out, 0, sizeof *out);
	if (!key)
		return SV_ERR_CRYPTO;
	enum sv_err err = seal_open(key, box, len, &plain, &n);
	if (!err)
		err = parse(plain, n, out);
	seal_plain_free(plain);
	return err;
}
