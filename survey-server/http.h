/*
 * http.h - the civetweb glue: start and stop the listener, route requests,
 * read bodies within limits, and send responses with the security headers
 * every page carries.
 *
 * Only survey-server knows HTTP.  No response ever carries a stack trace, a
 * SQL message or a file path, and nothing here logs a client address.
 */
#ifndef SV_HTTP_H
#define SV_HTTP_H

#include <stddef.h>
#include <stdio.h>

#include "../core/err.h"
#include "../core/limits.h"
#include "../core/sbuf.h"
#include "server.h"

/* The values are in core/limits.h (with docs/limits.md saying why). */
#define HTTP_MAX_BODY LIMIT_BODY_BYTES     /* bytes in a request body (413 above) */
#define HTTP_MAX_HEAD LIMIT_HEAD_BYTES     /* bytes in the request line and headers */
#define HTTP_THREADS LIMIT_TEXT(LIMIT_CONNECTIONS) /* connections served at once */
#define HTTP_REQUEST_TIMEOUT_MS LIMIT_TEXT(LIMIT_REQUEST_MS) /* a slow client is cut off after this */
#define HTTP_KEEPALIVE_MS LIMIT_TEXT(LIMIT_KEEPALIVE_MS) /* idle time a keep-alive connection may hold */
#define HTTP_MAX_ADDR 45                   /* characters in an address (IPv6 with IPv4 tail) */
#define HTTP_BODY_CHUNK 16                 /* bytes asked of each read: the body deadline
                                            * is checked this often */

/* The Content-Security-Policy of every page but a kiosk's (rc->csp). */
#define HTTP_CSP "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; " \
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

struct mg_connection;

/* One request's state, released when the handler returns. */
struct req_ctx {
	struct mg_connection *conn;
	struct server *srv;
	const char *method;         /* "GET", "POST", ... */
	int head_only;              /* HEAD: send headers, no body */
	char *body;                 /* after http_read_body: the bytes, NUL-ended */
	size_t body_len;
	struct sbuf page;           /* the response body being built */
	const char *csp;            /* a Content-Security-Policy other than HTTP_CSP, or NULL */
};

/* Sends rc->page (or its error) as text/html with the given status. */
int http_send_page(struct req_ctx *rc, int status);

/* Sends any body with a content type and optional extra header lines
 * ("Name: value\r\n"...; NULL for none). */
int http_send(struct req_ctx *rc, int status, const char *content_type,
	      const char *body, size_t len, const char *extra_headers);

/*
 * A 200 response whose body is written as it is made (chunked), for exports
 * too large to build in memory.  Write to http_stream_file; http_stream_end
 * with ok 0 cuts the body off so the client cannot mistake it for whole.
 * The buffer is wiped at the end.  NULL if it could not start.
 */
struct http_stream;
struct http_stream *http_stream_start(struct req_ctx *rc, const char *content_type,
				      const char *extra_headers);
FILE *http_stream_file(struct http_stream *hs);
int http_stream_end(struct http_stream *hs, int ok);

/* 303 See Other to a path on this site. */
int http_send_redirect(struct req_ctx *rc, const char *location);

/* 405 with its Allow header ("GET, POST"), as a short HTML page. */
int http_send_not_allowed(struct req_ctx *rc, const char *allow);

/* A short HTML page for an error status: 400, 404, 405, 413 ... */
int http_send_problem(struct req_ctx *rc, int status, const char *text);

/* 1 if the client asked for JSON (its Accept header names application/json):
 * a script such as the tally page's, which must never be handed a redirect
 * or an HTML page it could mistake for success. */
int http_wants_json(const struct req_ctx *rc);

/* A JSON answer to a script, not cacheable: {"error":error,"message":text}.
 * error is a short code the script acts on ("signed-out", "csrf", ...);
 * text is for people. */
int http_send_json_problem(struct req_ctx *rc, int status, const char *error, const char *text);

/* Reads the whole body (at most max bytes) into rc->body.  SV_ERR_TOOBIG
 * past max, SV_ERR_INVALID without a body, SV_ERR_IO if the client went away
 * or took more than LIMIT_REQUEST_MS to send it. */
enum sv_err http_read_body(struct req_ctx *rc, size_t max);

/* 1 if the request's Content-Type is the given media type (parameters ignored). */
int http_content_type_is(const struct req_ctx *rc, const char *type);

/*
 * The client's address, for rate limiting only: never log or store it.
 * Behind the trusted proxy it is the address the proxy appended: the
 * right-most value across every X-Forwarded-For line (the proxy's own
 * address if that is not an address).  Writes into out (at least 64 bytes).
 */
void http_client_addr(const struct req_ctx *rc, char *out, size_t cap);

/* The one place an sv_err becomes an HTTP status. */
int http_status_from_err(enum sv_err err);

/*
 * Listens on listen ("ADDR:PORT") and serves until SIGINT or SIGTERM, then
 * lets in-flight requests finish.  Returns SV_OK after a clean stop.
 */
enum sv_err http_serve(struct server *srv, const char *listen);

#endif
