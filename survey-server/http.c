/*
 * http.c - civetweb set-up, routing and response writing (see http.h).
 *
 * civetweb's handler URIs match as prefixes and receive every method, so one
 * handler takes every request and routes it here, checking the exact path
 * and the method itself.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <civetweb.h>
#include <sodium.h>

#include "../core/parse.h"
#include "../forms/render.h"
#include "http.h"
#include "kiosk.h"

/*
 * Sent with every response.  The CSP allows nothing from any other origin;
 * inline script and style are refused too.  Survey pages load only
 * /static/respond.js (never needed); the staff tally page loads /static/tally.js, the results
 * page /static/results.js (never needed), a kiosk page
 * (rc->csp, kiosk.c) the kiosk's scripts.
 */
#define SECURITY_HEADERS \
	"Content-Security-Policy: %s\r\n" \
	"X-Content-Type-Options: nosniff\r\n" \
	"Referrer-Policy: no-referrer\r\n" \
	"X-Frame-Options: DENY\r\n" \
	"Cross-Origin-Opener-Policy: same-origin\r\n" \
	"Cross-Origin-Resource-Policy: same-origin\r\n"

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static const char *status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 416: return "Range Not Satisfiable";
	case 417: return "Expectation Failed";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	}
	return "Unknown";
}

int http_status_from_err(enum sv_err err)
{
	switch (err) {
	case SV_OK: return 200;
	case SV_ERR_INVALID: return 400;
	case SV_ERR_NOTFOUND: return 404;
	case SV_ERR_TOOBIG: return 413;
	case SV_ERR_NOMEM:
	case SV_ERR_DB:
	case SV_ERR_IO: return 503;
	case SV_ERR_CRYPTO: return 500;
	case SV_ERR_EXISTS: return 409;
	}
	return 500;
}

/* The status line and headers of a response with a body of len bytes, into
 * head; its length, or -1 if it does not fit. */
static int response_head(char *head, size_t cap, int status, const char *content_type,
			 size_t len, const char *csp, const char *extra_headers)
{
	int n = snprintf(head, cap,
			 "HTTP/1.1 %d %s\r\n"
			 "Content-Type: %s\r\n"
			 "Content-Length: %zu\r\n"
			 SECURITY_HEADERS
			 "%s\r\n",
			 status, status_text(status), content_type, len, csp ? csp : HTTP_CSP,
			 extra_headers ? extra_headers : "");
	return n < 0 || (size_t)n >= cap ? -1 : n;
}

int http_send(struct req_ctx *rc, int status, const char *content_type,
	      const char *body, size_t len, const char *extra_headers)
{
	char head[2048];
	int n = response_head(head, sizeof head, status, content_type, len, rc->csp, extra_headers);
	if (n < 0)
		return 500;
	/* Header and body in one write: fewer packets on a slow phone link. */
	if (!rc->head_only && len > 0 && len < 16384) {
		char *all = malloc((size_t)n + len);
		if (all) {
			memcpy(all, head, (size_t)n);
			memcpy(all + n, body, len);
			mg_write(rc->conn, all, (size_t)n + len);
			/* The body may be a page holding a decrypted answer. */
			sodium_memzero(all, (size_t)n + len);
			free(all);
			return status;
		}
	}
	mg_write(rc->conn, head, (size_t)n);
	if (!rc->head_only && len > 0)
		mg_write(rc->conn, body, len);
	return status;
}

/* The stream's stdio buffer is ours, so it can be wiped after use. */
#define STREAM_BUFFER (64 * 1024)

struct http_stream {
	struct req_ctx *rc;
	FILE *fp;
	char buffer[STREAM_BUFFER];
	int failed;                 /* the client went away */
};

static ssize_t stream_write(void *cookie, const char *buf, size_t size)
{
	struct http_stream *hs = cookie;

	if (size == 0)
		return 0;
	if (hs->failed || mg_send_chunk(hs->rc->conn, buf, (unsigned)size) < 0) {
		hs->failed = 1;
		return -1;
	}
	return (ssize_t)size;
}

struct http_stream *http_stream_start(struct req_ctx *rc, const char *content_type,
				      const char *extra_headers)
{
	struct http_stream *hs = calloc(1, sizeof *hs);
	cookie_io_functions_t io = { .write = stream_write };
	char head[2048];

	if (!hs)
		return NULL;
	hs->rc = rc;
	hs->fp = fopencookie(hs, "w", io);
	int n = snprintf(head, sizeof head,
			 "HTTP/1.1 200 OK\r\n"
			 "Content-Type: %s\r\n"
			 "Transfer-Encoding: chunked\r\n"
			 "Connection: close\r\n"
			 SECURITY_HEADERS
			 "%s\r\n", content_type, rc->csp ? rc->csp : HTTP_CSP,
			 extra_headers ? extra_headers : "");
	if (!hs->fp || n < 0 || (size_t)n >= sizeof head) {
		if (hs->fp)
			fclose(hs->fp);
		free(hs);
		return NULL;
	}
	setvbuf(hs->fp, hs->buffer, _IOFBF, sizeof hs->buffer);
	mg_disable_connection_keep_alive(rc->conn); /* as the header says */
	mg_write(rc->conn, head, (size_t)n);
	return hs;
}

FILE *http_stream_file(struct http_stream *hs)
{
	return hs->fp;
}

int http_stream_end(struct http_stream *hs, int ok)
{
	if (!hs)
		return 500;
	ok = fflush(hs->fp) == 0 && ok && !hs->failed;
	fclose(hs->fp);
	/* The last, empty chunk says the body is whole; without it a client
	 * sees a cut-off download, never a short file that looks complete. */
	if (ok)
		mg_send_chunk(hs->rc->conn, "", 0);
	sodium_memzero(hs->buffer, sizeof hs->buffer);
	free(hs);
	return ok ? 200 : 500;
}

int http_send_page(struct req_ctx *rc, int status)
{
	if (rc->page.err) {
		fprintf(stderr, "survey-server: could not build a page: %s\n",
			sv_err_str(rc->page.err));
		sbuf_reset(&rc->page);
		return http_send_problem(rc, 503, "Something went wrong on our side. Please try again in a minute.");
	}
	return http_send(rc, status, "text/html; charset=utf-8", rc->page.buf,
			 rc->page.len, "Cache-Control: no-store\r\n");
}

int http_send_redirect(struct req_ctx *rc, const char *location)
{
	char extra[512];
	int n = snprintf(extra, sizeof extra, "Location: %s\r\nCache-Control: no-store\r\n",
			 location);
	if (n < 0 || (size_t)n >= sizeof extra)
		return http_send_problem(rc, 500, "The page address is too long.");
	return http_send(rc, 303, "text/plain; charset=utf-8", "", 0, extra);
}

/* 1 for the answers after which the rest of the stream cannot be trusted
 * (or its body was left unread): the connection closes. */
static int status_closes(int status)
{
	switch (status) {
	case 400: case 408: case 411: case 413: case 414: case 431: case 501: case 505:
		return 1;
	}
	return 0;
}

/*
 * The headers of a problem answer, HTML or JSON: never cached, Allow for a
 * 405, and after an error in the request, do not trust the rest of the
 * stream: say so, and close the connection after this answer (civetweb
 * keeps it open otherwise, whatever the header says).
 */
static void problem_headers(struct req_ctx *rc, int status, const char *allow, char *extra,
			    size_t cap)
{
	int closes = status_closes(status);

	if (closes)
		mg_disable_connection_keep_alive(rc->conn);
	snprintf(extra, cap, "Cache-Control: no-store\r\n%s%s%s%s",
		 closes ? "Connection: close\r\n" : "", allow ? "Allow: " : "", allow ? allow : "",
		 allow ? "\r\n" : "");
}

/*
 * The problem page behind http_send_problem and http_send_not_allowed;
 * allow is NULL, or the methods a 405's Allow header lists.
 */
static int send_problem(struct req_ctx *rc, int status, const char *text, const char *allow)
{
	const char *title;
	char extra[160];

	switch (status) {
	case 404: title = "Page not found"; break;
	case 413: title = "Too much to send"; break;
	case 405: title = "That did not work"; break;
	case 503: title = "Sorry, there is a problem with the service"; break;
	case 501: case 505: title = "Something was wrong with that request"; break;
	default: title = status >= 500 ? "Sorry, there is a problem with the service" :
			 "Something was wrong with that request"; break;
	}
	sbuf_reset(&rc->page);
	render_message(&rc->page, title, text);
	problem_headers(rc, status, allow, extra, sizeof extra);
	if (rc->page.err)
		return http_send(rc, status, "text/plain; charset=utf-8", text, strlen(text),
				 allow ? extra : NULL);
	return http_send(rc, status, "text/html; charset=utf-8", rc->page.buf, rc->page.len, extra);
}

int http_send_problem(struct req_ctx *rc, int status, const char *text)
{
	return send_problem(rc, status, text, NULL);
}

int http_wants_json(const struct req_ctx *rc)
{
	const char *accept = mg_get_header(rc->conn, "Accept");
	return accept && strstr(accept, "application/json") != NULL;
}

static int send_json_problem(struct req_ctx *rc, int status, const char *error, const char *text,
			     const char *allow)
{
	char extra[160];

	sbuf_reset(&rc->page);
	sbuf_adds(&rc->page, "{\"error\":\"");
	sbuf_add_json(&rc->page, error, strlen(error));
	sbuf_adds(&rc->page, "\",\"message\":\"");
	sbuf_add_json(&rc->page, text, strlen(text));
	sbuf_adds(&rc->page, "\"}");
	if (rc->page.err)
		return send_problem(rc, status, text, allow);
	problem_headers(rc, status, allow, extra, sizeof extra);
	return http_send(rc, status, "application/json", rc->page.buf, rc->page.len, extra);
}

int http_send_json_problem(struct req_ctx *rc, int status, const char *error, const char *text)
{
	return send_json_problem(rc, status, error, text, NULL);
}

int http_send_not_allowed(struct req_ctx *rc, const char *allow, const char *text)
{
	if (http_wants_json(rc))
		return send_json_problem(rc, 405, "invalid", text, allow);
	return send_problem(rc, 405, text, allow);
}

int http_content_type_is(const struct req_ctx *rc, const char *type)
{
	const char *ct = mg_get_header(rc->conn, "Content-Type");
	size_t n = strlen(type);

	if (!ct || strncasecmp(ct, type, n) != 0)
		return 0;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

enum sv_err http_read_body(struct req_ctx *rc, size_t max)
{
	const struct mg_request_info *ri = mg_get_request_info(rc->conn);
	long long declared = ri->content_length;

	if (declared > (long long)max)
		return SV_ERR_TOOBIG;
	rc->body = malloc(max + 1);
	if (!rc->body)
		return SV_ERR_NOMEM;
	size_t len = 0;
	/*
	 * mg_read returns only when all it was asked for has come (or nothing
	 * came for the request timeout), so a client sending a byte a second
	 * would hold this thread for hours.  Asking for HTTP_BODY_CHUNK bytes at
	 * a time lets the deadline below be checked every few bytes; what
	 * civetweb already holds (usually the whole body) is only copied.
	 */
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 >
		    LIMIT_REQUEST_MS)
			return SV_ERR_IO;
		size_t want = max + 1 - len;
		int n = mg_read(rc->conn, rc->body + len, want < HTTP_BODY_CHUNK ? want : HTTP_BODY_CHUNK);
		if (n < 0)
			return SV_ERR_IO;
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max)
			return SV_ERR_TOOBIG;
	}
	rc->body[len] = '\0';
	rc->body_len = len;
	return SV_OK;
}

void http_client_addr(const struct req_ctx *rc, char *out, size_t cap)
{
	const struct mg_request_info *ri = mg_get_request_info(rc->conn);
	const char *fwd = NULL;

	snprintf(out, cap, "%s", ri->remote_addr);
	if (!rc->srv->trusted_proxy || strcmp(ri->remote_addr, rc->srv->trusted_proxy) != 0)
		return;
	/*
	 * The proxy appends the address it saw to what the client sent, on the
	 * last X-Forwarded-For line (a client may send lines of its own, before
	 * it): trust only the right-most value of the last line.  Every line is
	 * seen: a head with more lines than civetweb keeps was refused (431).
	 */
	for (int i = 0; i < ri->num_headers; i++)
		if (strcasecmp(ri->http_headers[i].name, "X-Forwarded-For") == 0)
			fwd = ri->http_headers[i].value;
	if (!fwd)
		return;
	const char *last = strrchr(fwd, ',');
	last = last ? last + 1 : fwd;
	last += strspn(last, " \t");
	size_t n = strcspn(last, " \t");
	/* An address, or the proxy's own stays (one bucket for all it sends). */
	if (n > 0 && n < cap && n <= HTTP_MAX_ADDR && last[n + strspn(last + n, " \t")] == '\0' &&
	    strspn(last, "0123456789abcdefABCDEF.:") == n)
		snprintf(out, cap, "%.*s", (int)n, last);
}

/* rest of "/s/ID", "/s/ID/thanks", "/s/ID/poster" or "/s/ID/a/KEY" (what
 * follows "/s"): the survey, and which page of it (0, 1 thanks, 2 poster,
 * 3 a draft: *key). */
static const struct form_survey *survey_from_path(struct server *srv, const char *rest,
						  int *thanks, const char **key)
{
	const char *id = rest + 1; /* after the slash */
	const char *slash = strchr(id, '/');
	size_t n = slash ? (size_t)(slash - id) : strlen(id);

	*thanks = 0;
	if (slash) {
		if (strcmp(slash, "/thanks") == 0)
			*thanks = 1;
		else if (strcmp(slash, "/poster") == 0)
			*thanks = 2;
		else if (http_path_under(slash, "/a", key) && **key == '/' && !strchr(*key + 1, '/')) {
			*thanks = 3;
			(*key)++; /* after "/a/" */
		} else
			return NULL;
	}
	if (!id_valid(id, n))
		return NULL;
	return form_catalog_survey(srv->catalog, id, n);
}

static const char NOT_THAT_WAY[] = "This page cannot be used that way.";

/* The stylesheet and scripts kept in memory (main.c): 1 with what to send
 * if path is one of them. */
static int static_file(const struct server *srv, const char *path, const char **type,
		       const char **body, size_t *len)
{
	static const char css[] = "text/css; charset=utf-8", js[] = "text/javascript; charset=utf-8";
	const struct { const char *path, *type, *body; size_t len; } files[] = {
		{ "/static/style.css", css, srv->stylesheet, srv->stylesheet_len },
		{ "/static/staff.css", css, srv->staff_stylesheet, srv->staff_stylesheet_len },
		{ "/static/respond.js", js, srv->respond_script, srv->respond_script_len },
		{ "/static/tally.js", js, srv->tally_script, srv->tally_script_len },
		{ "/static/results.js", js, srv->results_script, srv->results_script_len },
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		if (http_path_is(path, files[i].path)) {
			*type = files[i].type;
			*body = files[i].body;
			*len = files[i].len;
			return 1;
		}
	return 0;
}

static int route(struct req_ctx *rc, const char *path)
{
	int get = strcmp(rc->method, "GET") == 0 || rc->head_only;
	int post = strcmp(rc->method, "POST") == 0;
	const char *rest;

	if (strcmp(path, "/healthz") == 0) {
		if (!get)
			return http_send_not_allowed(rc, "GET, HEAD", NOT_THAT_WAY);
		return http_send(rc, 200, "text/plain; charset=utf-8", "ok", 2,
				 "Cache-Control: no-store\r\n");
	}
	if (strcmp(path, "/") == 0) {
		if (!get)
			return http_send_not_allowed(rc, "GET, HEAD", NOT_THAT_WAY);
		return respond_index(rc);
	}
	const char *type, *body;
	size_t len;
	if (static_file(rc->srv, path, &type, &body, &len)) {
		if (!get)
			return http_send_not_allowed(rc, "GET, HEAD", NOT_THAT_WAY);
		return http_send(rc, 200, type, body, len, "Cache-Control: public, max-age=3600\r\n");
	}
	if (http_path_under(path, "/display", NULL) || http_path_is(path, "/static/display.css") ||
	    http_path_is(path, "/static/display.js"))
		return display_route(rc, path);
	if (http_path_under(path, "/s", &rest) && *rest) { /* "/s/..." */
		int thanks;
		const char *key = NULL;
		const struct form_survey *s = survey_from_path(rc->srv, rest, &thanks, &key);
		if (!s)
			return http_send_problem(rc, 404, "There is no survey at this address. "
						 "Check the link you were given, or see the surveys that are open.");
		if (thanks == 3)
			return get ? respond_draft(rc, s, key) : http_send_not_allowed(rc, "GET, HEAD", NOT_THAT_WAY);
		if (thanks == 2)
			return get ? poster_survey(rc, s) : http_send_not_allowed(rc, "GET, HEAD", NOT_THAT_WAY);
		if (thanks)
			return get ? respond_thanks(rc, s) : http_send_not_allowed(rc, "GET, HEAD", NOT_THAT_WAY);
		if (post)
			return respond_survey_post(rc, s);
		return get ? respond_survey_form(rc, s) : http_send_not_allowed(rc, "GET, HEAD, POST", NOT_THAT_WAY);
	}
	if (http_path_under(path, "/results", &rest)) /* "you said, we did" (yousaid.c) */
		return yousaid_route(rc, rest);
	if ((http_path_under(path, "/k", &rest) && *rest) ||
	    (http_path_under(path, "/static/kiosk", &rest) && *rest))
		return kiosk_route(rc, path);
	if (http_path_under(path, "/staff", NULL))
		return staff_route(rc, path);
	return http_send_problem(rc, 404, "There is no page at this address.");
}

static int handle_request(struct mg_connection *conn, void *cbdata)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	struct req_ctx rc = {
		.conn = conn,
		.srv = cbdata,
		.method = ri->request_method,
		.head_only = strcmp(ri->request_method, "HEAD") == 0,
	};
	const char *path = ri->local_uri_raw ? ri->local_uri_raw : ri->local_uri;

	sbuf_init(&rc.page, RENDER_MAX_PAGE);
	int status = path ? route(&rc, path) :
		http_send_problem(&rc, 400, "The page address could not be read.");
	sbuf_free(&rc.page);
	free(rc.body);
	return status;
}

/*
 * Set on a connection (civetweb's user connection data) once civetweb has
 * answered its request itself, through on_http_error; cleared when a request
 * reaches on_begin_request.
 */
static char answered_by_civetweb;

_Static_assert(LIMIT_HEADER_LINES < MG_MAX_HEADERS,
	       "a head of MG_MAX_HEADERS lines may have lost some: it must be over the limit");

/*
 * civetweb refuses some requests itself, before any handler: a malformed or
 * oversized request head, a method it does not know.  Those answers get our
 * security headers and a page like ours, never civetweb's plain text.
 */
static int on_http_error(struct mg_connection *conn, int status, const char *msg)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	struct req_ctx rc = {
		.conn = conn,
		.method = "GET",
		.head_only = ri && ri->request_method && strcmp(ri->request_method, "HEAD") == 0,
	};
	const char *text = "The request could not be read.";

	(void)msg; /* may quote the request back: not shown */
	/* civetweb says 411 for a Content-Length it cannot read ("abc", "-1",
	 * empty): that is a malformed request, 400 (RFC 9112 section 6.3). */
	if (status == 411 && mg_get_header(conn, "Content-Length"))
		status = 400;
	if (status == 405)
		text = "This page cannot be used that way.";
	else if (status == 411)
		text = "The request did not say how long its body is.";
	else if (status == 505)
		text = "This service speaks HTTP/1.1 and HTTP/1.0 only.";
	mg_set_user_connection_data(conn, &answered_by_civetweb);
	sbuf_init(&rc.page, RENDER_MAX_PAGE);
	http_send_problem(&rc, status, text);
	sbuf_free(&rc.page);
	return 0;
}

/* 1 if the header value is a decimal number and nothing else (spaces or tabs
 * may follow): no sign, no list, not empty. */
static int length_valid(const char *v)
{
	size_t digits = strspn(v, "0123456789");
	return digits > 0 && v[digits + strspn(v + digits, " \t")] == '\0';
}

/*
 * The request's framing, checked once for every route before any handler
 * reads a body (RFC 9112 section 6): with two lengths, a length and a
 * transfer coding, or a length that is not a plain number, the server and
 * anything in front of it could each see a different body, so the request
 * is refused and the connection closed.  Returns 0 if the framing is sound,
 * or the status to answer with and, in *why, the sentence to show.
 */
static int framing_problem(const struct mg_request_info *ri, const char **why)
{
	int lengths = 0, codings = 0, bad_length = 0, chunked = 0;

	/* civetweb keeps MG_MAX_HEADERS lines and drops the rest unseen (a
	 * Content-Length among them): a head that may have lost some is refused. */
	if (ri->num_headers > LIMIT_HEADER_LINES) {
		*why = "The request has too many header lines.";
		return 431;
	}
	for (int i = 0; i < ri->num_headers; i++) {
		const char *name = ri->http_headers[i].name, *value = ri->http_headers[i].value;
		if (strcasecmp(name, "Content-Length") == 0) {
			lengths++;
			bad_length |= !length_valid(value);
		} else if (strcasecmp(name, "Transfer-Encoding") == 0) {
			codings++;
			chunked = strcasecmp(value, "chunked") == 0;
		}
	}
	*why = "The length of the request could not be told for certain.";
	if (lengths > 1 || codings > 1 || (lengths && codings) || bad_length)
		return 400;
	/* An HTTP/1.0 message with a transfer coding has faulty framing (RFC
	 * 9112 section 6.1). */
	if (codings && ri->http_version && strcmp(ri->http_version, "1.0") == 0)
		return 400;
	if (codings && !chunked) {
		*why = "The request was sent in a transfer coding this service does not read.";
		return 501;
	}
	/* Without a length a POST body would run to the end of the connection. */
	if (!lengths && !codings && strcmp(ri->request_method, "POST") == 0) {
		*why = "The form was sent without saying how long it is.";
		return 411;
	}
	return 0;
}

/* Every request civetweb has read reaches here first, whatever its route. */
static int on_begin_request(struct mg_connection *conn)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	const char *why;

	mg_set_user_connection_data(conn, NULL);
	int status = framing_problem(ri, &why);
	if (!status)
		return 0; /* on to handle_request */
	struct req_ctx rc = {
		.conn = conn,
		.srv = ri->user_data,
		.method = ri->request_method,
		.head_only = strcmp(ri->request_method, "HEAD") == 0,
	};
	sbuf_init(&rc.page, RENDER_MAX_PAGE);
	status = http_send_problem(&rc, status, why); /* and closes the connection */
	sbuf_free(&rc.page);
	return status;
}

/* 1 if connections from addr count towards its cap: not our own proxy's,
 * which brings everyone's. */
static int addr_counted(const struct server *srv, const char *addr)
{
	return srv->conns && !(srv->trusted_proxy && strcmp(addr, srv->trusted_proxy) == 0);
}

static int on_init_connection(const struct mg_connection *conn, void **conn_data)
{
	(void)conn;
	*conn_data = NULL;
	return 0;
}

/*
 * Every connection accept() let through ends here, on its worker thread,
 * while the socket is still open.  Its count is given back.  And a request
 * civetweb read but passed to no handler and did not answer (a target in
 * absolute form for another host or port, "*") gets a 400 rather than
 * silence: civetweb 1.15 only closes the connection on those.
 */
static void on_connection_close(const struct mg_connection *conn)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);

	if (!ri)
		return;
	struct server *srv = ri->user_data;
	if (srv && addr_counted(srv, ri->remote_addr))
		conn_limit_give(srv->conns, ri->remote_addr);
	if (!ri->request_uri || ri->local_uri || mg_get_user_connection_data(conn) == &answered_by_civetweb)
		return;
	struct req_ctx rc = {
		/* civetweb still owns the open socket here; writing the answer is
		 * what it would do itself had it answered. */
		.conn = (struct mg_connection *)(uintptr_t)conn,
		.srv = srv,
		.method = ri->request_method,
		.head_only = ri->request_method && strcmp(ri->request_method, "HEAD") == 0,
	};
	sbuf_init(&rc.page, RENDER_MAX_PAGE);
	http_send_problem(&rc, 400, "This service answers requests for its own pages only.");
	sbuf_free(&rc.page);
}

/* civetweb's own messages can name a client address: keep them off disk. */
static int on_log_message(const struct mg_connection *conn, const char *message)
{
	(void)conn;
	(void)message;
	return 1;
}

/*
 * The per-address connection cap, at accept time.
 *
 * civetweb 1.15 gives each accepted connection to a worker thread, which
 * then waits up to LIMIT_REQUEST_MS for the request head; it has no hook
 * between accept() and that wait.  So this program provides accept() itself:
 * civetweb's listening thread is its only caller here, and the dynamic
 * linker binds libcivetweb's call to this definition.  A connection from an
 * address already at LIMIT_CONNECTIONS_PER_CLIENT is answered at once with
 * a short 503 page and closed, without ever taking a thread; the rest go on
 * to civetweb as before, counted until on_connection_close gives them back.
 */
static struct server *accept_srv;        /* the server being run, while it runs */
static char *busy_response;              /* the whole 503 answer, made at start */
static size_t busy_len;

int accept(int fd, __SOCKADDR_ARG addr, socklen_t *__restrict len)
{
	struct sockaddr_storage own;
	socklen_t own_len = sizeof own;
	char text[INET_ADDRSTRLEN] = "";
	char drain[4096];

	/* The address accept() reports, which civetweb also gives the
	 * connection (and so on_connection_close): the count taken here is the
	 * one given back there, even for a connection reset before this runs. */
	struct sockaddr *peer = addr.__sockaddr__ ? addr.__sockaddr__ : (struct sockaddr *)&own;
	socklen_t *peer_len = addr.__sockaddr__ ? len : &own_len;
	int s = accept4(fd, peer, peer_len, 0);
	struct server *srv = accept_srv;
	if (s < 0 || !srv || !srv->conns)
		return s;
	int refused = peer->sa_family == AF_INET && *peer_len >= sizeof(struct sockaddr_in) &&
		inet_ntop(AF_INET, &((struct sockaddr_in *)peer)->sin_addr, text, sizeof text) &&
		addr_counted(srv, text) && !conn_limit_take(srv->conns, text);
	sodium_memzero(text, sizeof text);
	sodium_memzero(&own, sizeof own);
	if (!refused)
		return s;
	/* Over the cap: the answer fits an empty send buffer, so nothing here
	 * waits; what the client already sent is read first, so that closing
	 * does not reset the connection under the answer. */
	if (busy_response)
		(void)!send(s, busy_response, busy_len, MSG_DONTWAIT | MSG_NOSIGNAL);
	shutdown(s, SHUT_WR);
	for (int i = 0; i < 16 && recv(s, drain, sizeof drain, MSG_DONTWAIT) > 0; i++)
		;
	close(s);
	errno = EAGAIN;
	return -1;
}

/* The 503 answer accept() gives past the cap, made once. */
static enum sv_err busy_response_make(void)
{
	struct sbuf page;
	char head[2048];
	enum sv_err rc = SV_OK;

	sbuf_init(&page, RENDER_MAX_PAGE);
	render_message(&page, "Sorry, the service is busy",
		       "There are too many connections from your network at the moment. "
		       "Please try again in a minute.");
	int n = response_head(head, sizeof head, 503, "text/html; charset=utf-8", page.len, NULL,
			      "Retry-After: " LIMIT_TEXT(LIMIT_BUSY_RETRY_S) "\r\n"
			      "Cache-Control: no-store\r\nConnection: close\r\n");
	if (page.err || n < 0) {
		rc = page.err ? page.err : SV_ERR_TOOBIG;
		goto out;
	}
	busy_response = malloc((size_t)n + page.len);
	if (!busy_response) {
		rc = SV_ERR_NOMEM;
		goto out;
	}
	memcpy(busy_response, head, (size_t)n);
	memcpy(busy_response + n, page.buf, page.len);
	busy_len = (size_t)n + page.len;
out:
	sbuf_free(&page);
	return rc;
}

enum sv_err http_serve(struct server *srv, const char *listen)
{
	const char *options[] = {
		"listening_ports", listen,
		"num_threads", HTTP_THREADS,
		"tcp_nodelay", "1",
		"enable_keep_alive", "yes",
		"keep_alive_timeout_ms", HTTP_KEEPALIVE_MS,
		"request_timeout_ms", HTTP_REQUEST_TIMEOUT_MS,
		"max_request_size", LIMIT_TEXT(LIMIT_HEAD_BYTES),
		"access_control_allow_origin", "",
		"access_control_allow_methods", "",
		"access_control_allow_headers", "",
		"enable_directory_listing", "no",
		/* Route on the path as sent: decoded, "/healthz%00x" would read as "/healthz". */
		"decode_url", "no",
		/* A target in absolute form for our port is served like its path
		 * (RFC 9112 section 3.2.2), whatever host it names. */
		"enable_auth_domain_check", "no",
		NULL
	};
	struct mg_callbacks callbacks;
	struct sigaction sa;

	memset(&callbacks, 0, sizeof callbacks);
	callbacks.log_message = on_log_message;
	callbacks.http_error = on_http_error;
	callbacks.begin_request = on_begin_request;
	callbacks.init_connection = on_init_connection;
	callbacks.connection_close = on_connection_close;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	enum sv_err rc = busy_response_make();
	if (rc) {
		fprintf(stderr, "survey-server: cannot start: %s\n", sv_err_str(rc));
		return rc;
	}
	accept_srv = srv;
	mg_init_library(0);
	struct mg_context *ctx = mg_start(&callbacks, srv, options);
	if (!ctx) {
		fprintf(stderr, "survey-server: cannot listen on %s (in use, or not an address here)\n",
			listen);
		mg_exit_library();
		accept_srv = NULL;
		free(busy_response);
		busy_response = NULL;
		return SV_ERR_IO;
	}
	mg_set_request_handler(ctx, "/", handle_request, srv);

	struct mg_server_port ports[4];
	int nports = mg_get_server_ports(ctx, 4, ports);
	accounts_announce(srv, listen, nports > 0 ? ports[0].port : 0);
	fprintf(stderr, "survey-server: listening on http://%.*s:%d\n",
		(int)strcspn(listen, ":"), listen, nports > 0 ? ports[0].port : 0);

	while (!stop_requested)
		usleep(100 * 1000);
	fprintf(stderr, "survey-server: stopping; letting requests in progress finish\n");
	mg_stop(ctx); /* waits for every worker thread */
	mg_exit_library();
	accept_srv = NULL;
	free(busy_response);
	busy_response = NULL;
	return SV_OK;
}
