/*
 * builder_sync.c - at start, the surveys of forms/surveys/ and the versions
 * kept in the database (see builder.c's comment on files and the database).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>
#include <cjson/cJSON.h>

#include "builder_int.h"

/* A survey from the database replaces the file's in the catalogue. */
static int use_stored(struct server *srv, const struct store_survey_version *v)
{
	struct form_survey *s = NULL;
	char err[BUILDER_ERR], file[PARSE_MAX_ID + 24];

	builder_source_name(file, v->survey);
	if (form_survey_new(v->definition, strlen(v->definition), file, v->version, srv->catalog,
			    &s, err, sizeof err)) {
		fprintf(stderr, "survey-server: survey %s version %d from the staff pages cannot be "
			"offered: %s\n", v->survey, v->version, err);
		return 0; /* not offered; the rest of the service starts */
	}
	if (form_catalog_put(srv->catalog, s, err, sizeof err)) {
		fprintf(stderr, "survey-server: survey %s cannot be offered: %s\n", v->survey, err);
		return 0;
	}
	return 0;
}

/* A survey from forms/surveys/: stored, or stored as its next version. */
static int sync_file(struct server *srv, struct form_survey *s)
{
	struct store_survey_version v;
	char *text = NULL, err[BUILDER_ERR];
	size_t len = 0;
	long long answered = 0;
	int version = 0, status = -1;

	if (files_read_all(s->file, JSON_MAX_FILE, &text, &len)) {
		fprintf(stderr, "survey-server: %s: cannot read it again\n", s->file);
		return -1;
	}
	enum sv_err e = store_survey_version_get(srv->store, s->id, 1, &v);
	if (e == SV_ERR_NOTFOUND) {
		if (store_survey_version_add(srv->store, s->id, s->consultation->id, "file", text,
					     "forms/", &version))
			goto out;
		s->version = version;
		status = 0;
		goto out;
	}
	if (e)
		goto out;
	if (strcmp(v.source, "file") != 0) {
		status = use_stored(srv, &v); /* edited in the staff pages: the database wins */
		goto done;
	}
	if (strcmp(v.definition, text) == 0) {
		s->version = v.version;
		status = 0;
		goto done;
	}
	/* The file changed since it was stored: its next version. */
	if (store_survey_answered(srv->store, s->id, &answered))
		goto done;
	if (answered > 0) {
		struct form_survey *prev = NULL;
		char file[PARSE_MAX_ID + 24];
		builder_source_name(file, s->id);
		if (!form_survey_new(v.definition, strlen(v.definition), file, v.version,
				     srv->catalog, &prev, err, sizeof err) &&
		    form_survey_check_successor(prev, s, err, sizeof err)) {
			fprintf(stderr, "survey-server: %s: %s\n", s->file, err);
			form_survey_free(prev);
			goto done;
		}
		form_survey_free(prev);
	}
	if (!store_survey_version_add(srv->store, s->id, s->consultation->id, "file", text,
				      "forms/", &version)) {
		s->version = version;
		status = 0;
	}
done:
	free(v.definition);
out:
	free(text);
	return status;
}

struct stored_ids {
	char (*ids)[sizeof ((struct store_survey_version *)0)->survey];
	int n;
};

static void on_stored(void *arg, const struct store_survey_version *v)
{
	struct stored_ids *l = arg;

	if (l->n < FORM_MAX_SURVEYS * 2)
		snprintf(l->ids[l->n++], sizeof *l->ids, "%s", v->survey);
}

int builder_sync(struct server *srv)
{
	struct stored_ids l = { calloc(FORM_MAX_SURVEYS * 2, sizeof *l.ids), 0 };
	int status = -1;

	if (!l.ids)
		return -1;
	pthread_mutex_lock(&catalog_lock);
	int files = srv->catalog->nsurveys;
	for (int i = 0; i < files; i++)
		if (sync_file(srv, srv->catalog->surveys[i]))
			goto out;
	/* Surveys made in the staff pages, with a published version. */
	if (store_survey_version_each(srv->store, on_stored, &l))
		goto out;
	for (int i = 0; i < l.n; i++) {
		struct store_survey_version v;
		if (form_catalog_survey(srv->catalog, l.ids[i], strlen(l.ids[i])))
			continue;
		enum sv_err e = store_survey_version_get(srv->store, l.ids[i], 1, &v);
		if (e == SV_ERR_NOTFOUND)
			continue; /* only a draft so far */
		if (e)
			goto out;
		use_stored(srv, &v);
		free(v.definition);
	}
	status = 0;
out:
	pthread_mutex_unlock(&catalog_lock);
	free(l.ids);
	if (status)
		fprintf(stderr, "survey-server: cannot store the surveys' versions\n");
	return status;
}

