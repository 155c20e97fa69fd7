/*
 * taxonomy.c - reading and checking the priorities and themes (see taxonomy.h).
 *
 * The file looks like:
 *   { "priorities": [ {"number": 1, "name": "Ensure the best start for life"}, ...],
 *     "themes": [ {"id": "someone-to-talk-to", "name": "...", "priorities": [2, 5],
 *                  "seeds": ["listen", "trust", ...]}, ...],
 *     "partnership": "Children and Families Partnership" }
 * "seeds" and "partnership" are optional.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsoncheck.h"
#include "taxonomy.h"

static void read_priorities(struct json_check *c, const cJSON *root,
			    struct taxonomy *t)
{
	static const char *const keys[] = { "number", "name", NULL };
	const cJSON *list = json_array(c, root, "", "priorities", 1, 1,
				       TAXONOMY_MAX_PRIORITIES);
	if (!list)
		return;
	t->priorities = calloc((size_t)cJSON_GetArraySize(list), sizeof *t->priorities);
	if (!t->priorities) {
		json_fail(c, NULL, "out of memory");
		return;
	}
	int i = 0;
	for (const cJSON *p = list->child; p && !c->failed; p = p->next, i++) {
		char path[JSON_MAX_PATH];
		json_path_index(path, "priorities", i);
		json_only_keys(c, p, path, keys);
		int number = (int)json_int(c, p, path, "number", 1, 1,
					   TAXONOMY_MAX_PRIORITIES, 0);
		const char *name = json_string(c, p, path, "name", 1, TAXONOMY_MAX_NAME);
		if (c->failed)
			return;
		if (number != i + 1) {
			json_fail(c, path, "priorities should be numbered 1, 2, 3 ... in order; expected %d", i + 1);
			return;
		}
		t->priorities[i].number = number;
		t->priorities[i].name = json_strdup(c, name);
		t->npriorities++;
	}
}

/*
 * Reads a theme's optional "seeds": each a string of 1 to TAXONOMY_MAX_SEED
 * bytes with no space or control character (one word; the classifier splits
 * on hyphens itself), listed once.
 */
static void read_seeds(struct json_check *c, const cJSON *obj, const char *path,
		       struct theme *th)
{
	char spath[JSON_MAX_PATH];
	const cJSON *list = json_array(c, obj, path, "seeds", 0, 0, TAXONOMY_MAX_SEEDS);

	if (!list || c->failed)
		return;
	json_path_key(spath, path, "seeds");
	int n = cJSON_GetArraySize(list);
	if (n == 0)
		return;
	th->seeds = calloc((size_t)n, sizeof *th->seeds);
	if (!th->seeds) {
		json_fail(c, NULL, "out of memory");
		return;
	}
	int k = 0;
	for (const cJSON *s = list->child; s; s = s->next, k++) {
		char where[JSON_MAX_PATH];
		json_path_index(where, spath, k);
		if (!cJSON_IsString(s)) {
			json_fail(c, where, "should be a string");
			return;
		}
		size_t len = strlen(s->valuestring);
		if (len == 0 || len > TAXONOMY_MAX_SEED) {
			json_fail(c, where, "should be a word of 1 to %d bytes", TAXONOMY_MAX_SEED);
			return;
		}
		for (size_t i = 0; i < len; i++) {
			unsigned char ch = (unsigned char)s->valuestring[i];
			if (ch <= ' ' || ch == 0x7f) {
				json_fail(c, where, "should be one word, with no spaces");
				return;
			}
		}
		for (int j = 0; j < k; j++)
			if (strcmp(th->seeds[j], s->valuestring) == 0) {
				json_fail(c, where, "seed \"%s\" is listed twice", s->valuestring);
				return;
			}
		th->seeds[k] = json_strdup(c, s->valuestring);
		if (c->failed)
			return;
		th->nseeds = k + 1;
	}
}

static void read_theme(struct json_check *c, const cJSON *obj, const char *path,
		       struct taxonomy *t, struct theme *th)
{
	static const char *const keys[] = { "id", "name", "priorities", "seeds", NULL };

	json_only_keys(c, obj, path, keys);
	const char *id = json_id(c, obj, path, "id", 1);
	const char *name = json_string(c, obj, path, "name", 1, TAXONOMY_MAX_NAME);
	const cJSON *prios = json_array(c, obj, path, "priorities", 1, 1,
					TAXONOMY_MAX_THEME_PRIORITIES);
	if (c->failed)
		return;
	if (taxonomy_theme_index(t, id) >= 0) {
		json_fail(c, path, "theme id \"%s\" is used twice", id);
		return;
	}
	char ppath[JSON_MAX_PATH];
	json_path_key(ppath, path, "priorities");
	int k = 0;
	for (const cJSON *p = prios->child; p; p = p->next, k++) {
		char where[JSON_MAX_PATH];
		json_path_index(where, ppath, k);
		if (!cJSON_IsNumber(p) || taxonomy_priority_index(t, p->valueint) < 0 ||
		    p->valuedouble != (double)p->valueint) {
			json_fail(c, where, "is not the number of a priority");
			return;
		}
		for (int j = 0; j < k; j++)
			if (th->priorities[j] == p->valueint) {
				json_fail(c, where, "priority %d is listed twice", p->valueint);
				return;
			}
		th->priorities[k] = p->valueint;
	}
	th->npriorities = k;
	th->id = json_strdup(c, id);
	th->name = json_strdup(c, name);
	read_seeds(c, obj, path, th);
}

enum sv_err taxonomy_parse(const char *text, size_t len, const char *file,
			   struct taxonomy **out, char *err, size_t errlen)
{
	static const char *const keys[] = { "priorities", "themes", "partnership", NULL };
	struct json_check c;
	cJSON *root = NULL;
	struct taxonomy *t = NULL;
	enum sv_err rc;

	*out = NULL;
	json_check_init(&c, file);
	rc = json_parse_text(&c, text, len, &root);
	if (rc)
		goto out;
	t = calloc(1, sizeof *t);
	if (!t) {
		rc = SV_ERR_NOMEM;
		goto out;
	}
	json_only_keys(&c, root, "", keys);
	if (!c.failed)
		read_priorities(&c, root, t);
	const char *partnership = c.failed ? NULL :
		json_string(&c, root, "", "partnership", 0, TAXONOMY_MAX_NAME);
	if (partnership)
		t->partnership = json_strdup(&c, partnership);
	const cJSON *themes = c.failed ? NULL :
		json_array(&c, root, "", "themes", 1, 1, TAXONOMY_MAX_THEMES);
	if (themes) {
		t->themes = calloc((size_t)cJSON_GetArraySize(themes), sizeof *t->themes);
		if (!t->themes)
			json_fail(&c, NULL, "out of memory");
		int i = 0;
		for (const cJSON *th = themes->child; th && !c.failed; th = th->next, i++) {
			char path[JSON_MAX_PATH];
			json_path_index(path, "themes", i);
			read_theme(&c, th, path, t, &t->themes[i]);
			t->nthemes++; /* even on failure, so free sees what it holds */
		}
	}
	if (c.failed)
		rc = SV_ERR_INVALID;
out:
	if (c.failed && err)
		snprintf(err, errlen, "%s", c.msg);
	else if (rc && err)
		snprintf(err, errlen, "%s: %s", file, sv_err_str(rc));
	cJSON_Delete(root);
	if (rc)
		taxonomy_free(t);
	else
		*out = t;
	return rc;
}

int taxonomy_theme_index(const struct taxonomy *t, const char *id)
{
	for (size_t i = 0; i < t->nthemes; i++)
		if (strcmp(t->themes[i].id, id) == 0)
			return (int)i;
	return -1;
}

int taxonomy_priority_index(const struct taxonomy *t, int number)
{
	for (size_t i = 0; i < t->npriorities; i++)
		if (t->priorities[i].number == number)
			return (int)i;
	return -1;
}

void taxonomy_to_json(const struct taxonomy *t, struct sbuf *out)
{
	sbuf_adds(out, "{\"priorities\":[");
	for (size_t i = 0; i < t->npriorities; i++) {
		sbuf_addf(out, "%s{\"number\":%d,\"name\":\"", i ? "," : "", t->priorities[i].number);
		sbuf_add_json(out, t->priorities[i].name, strlen(t->priorities[i].name));
		sbuf_adds(out, "\"}");
	}
	sbuf_adds(out, "],\"themes\":[");
	for (size_t i = 0; i < t->nthemes; i++) {
		const struct theme *th = &t->themes[i];
		sbuf_addf(out, "%s{\"id\":\"%s\",\"name\":\"", i ? "," : "", th->id);
		sbuf_add_json(out, th->name, strlen(th->name));
		sbuf_adds(out, "\",\"priorities\":[");
		for (int k = 0; k < th->npriorities; k++)
			sbuf_addf(out, "%s%d", k ? "," : "", th->priorities[k]);
		sbuf_adds(out, "]");
		if (th->nseeds > 0) {
			sbuf_adds(out, ",\"seeds\":[");
			for (int k = 0; k < th->nseeds; k++) {
				sbuf_adds(out, k ? ",\"" : "\"");
				sbuf_add_json(out, th->seeds[k], strlen(th->seeds[k]));
				sbuf_adds(out, "\"");
			}
			sbuf_adds(out, "]");
		}
		sbuf_adds(out, "}");
	}
	sbuf_adds(out, "]");
	if (t->partnership) {
		sbuf_adds(out, ",\"partnership\":\"");
		sbuf_add_json(out, t->partnership, strlen(t->partnership));
		sbuf_adds(out, "\"");
	}
	sbuf_adds(out, "}");
}

void taxonomy_free(struct taxonomy *t)
{
	if (!t)
		return;
	free(t->partnership);
	for (size_t i = 0; i < t->npriorities; i++)
		free(t->priorities[i].name);
	for (size_t i = 0; i < t->nthemes; i++) {
		free(t->themes[i].id);
		free(t->themes[i].name);
		for (int k = 0; k < t->themes[i].nseeds; k++)
			free(t->themes[i].seeds[k]);
		free(t->themes[i].seeds);
	}
	free(t->priorities);
	free(t->themes);
	free(t);
}

int taxonomy_theme_under(const struct theme *th, int p)
{
	for (int k = 0; k < th->npriorities; k++)
		if (th->priorities[k] == p)
			return 1;
	return 0;
}
