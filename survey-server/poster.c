/*
 * poster.c - a survey's printable QR poster, and the site's own address
 * that posters and kiosk links are made from (see kiosk.h).
 */
#include <stdio.h>
#include <string.h>

#include <civetweb.h>

#include "../forms/render_kiosk.h"
#include "http.h"
#include "kiosk.h"
#include "server.h"

#define POSTER_MAX_HOST 255   /* bytes in a Host header we make a link from */

/* 1 if the request came over HTTPS: itself, or through our proxy saying so. */
static int came_over_https(const struct req_ctx *rc)
{
	const struct mg_request_info *ri = mg_get_request_info(rc->conn);
	const char *proto = mg_get_header(rc->conn, "X-Forwarded-Proto");

	return ri->is_ssl || (proto && rc->srv->trusted_proxy &&
			      strcmp(ri->remote_addr, rc->srv->trusted_proxy) == 0 &&
			      strcmp(proto, "https") == 0);
}

enum sv_err poster_base_url(const struct req_ctx *rc, char *out, size_t cap)
{
	if (rc->srv->public_url) {
		int n = snprintf(out, cap, "%s", rc->srv->public_url);
		return n < 0 || (size_t)n >= cap ? SV_ERR_TOOBIG : SV_OK;
	}
	/* A host name or IPv4 address and a port, nothing else: no user, path,
	 * quote or space can come into a link this way. */
	const char *host = mg_get_header(rc->conn, "Host");
	size_t n = host ? strlen(host) : 0;
	if (n == 0 || n > POSTER_MAX_HOST ||
	    strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:") != n ||
	    host[0] == '.' || host[0] == '-' || host[0] == ':')
		return SV_ERR_INVALID;
	int w = snprintf(out, cap, "%s://%s", came_over_https(rc) ? "https" : "http", host);
	return w < 0 || (size_t)w >= cap ? SV_ERR_TOOBIG : SV_OK;
}

int poster_survey(struct req_ctx *rc, const struct form_survey *s)
{
	char base[300], url[400], results[400];

	if (poster_base_url(rc, base, sizeof base))
		return http_send_problem(rc, 400, "The poster needs the service's address, which this "
					 "request did not give. Ask the admin to start the server with --public-url.");
	snprintf(url, sizeof url, "%s/s/%s", base, s->id);
	snprintf(results, sizeof results, "%s/results/%s", base, s->consultation->id);
	render_poster(&rc->page, s, url, s->consultation->published ? results : NULL);
	return http_send_page(rc, 200);
}
