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

#include <stddef.h>

#include "../core/seal.h"
#include "../core/store.h"
#include "../core/token.h"
#include "../forms/form.h"
#include "ratelimit.h"

struct server {
	struct form_catalog *catalog;   /* surveys and consultations, read at start */
	struct store *store;            /* the database */
	struct seal_public key;         /* the active public key; no secret here */
	struct token_key token_key;     /* signs one-time form tokens */
	struct rate_limiter *limiter;   /* submissions per client, in memory */
	const char *trusted_proxy;      /* address of our reverse proxy, or NULL */
	char *stylesheet;               /* forms/static/style.css, served from memory */
	size_t stylesheet_len;
};

struct req_ctx;

/* Respondent pages (respond.c).  Each returns the HTTP status it sent. */
int respond_index(struct req_ctx *rc);
int respond_survey_form(struct req_ctx *rc, const struct form_survey *s);
int respond_survey_post(struct req_ctx *rc, const struct form_survey *s);
int respond_thanks(struct req_ctx *rc, const struct form_survey *s);

#endif
