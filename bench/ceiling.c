/*
 * ceiling.c - the least a civetweb server can do, as the benchmark's ceiling.
 *
 *   ceiling PORT
 *
 * GET /hello answers "hello world"; POST /form reads the whole body (the
 * benchmark sends a 600-byte form) and answers "ok".  Same civetweb settings
 * as survey-server (keep-alive, tcp_nodelay, thread count), so that
 * `make bench` can print each figure of the real server as a share of what
 * the HTTP layer alone allows on this machine in the same run.  Prints
 * "listening on PORT" and serves until SIGINT or SIGTERM.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <civetweb.h>

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* Header and body in one write, as survey-server does. */
static int reply(struct mg_connection *conn, const char *body)
{
	char out[256];
	int n = snprintf(out, sizeof out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
			 "Content-Length: %zu\r\n\r\n%s", strlen(body), body);

	mg_write(conn, out, (size_t)n);
	return 200;
}

static int handle(struct mg_connection *conn, void *cbdata)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	char buf[4096];
	int n;

	(void)cbdata;
	if (strcmp(ri->request_method, "POST") == 0) {
		while ((n = mg_read(conn, buf, sizeof buf)) > 0)
			;
		return reply(conn, "ok");
	}
	return reply(conn, "hello world");
}

static int quiet(const struct mg_connection *conn, const char *message)
{
	(void)conn;
	(void)message;
	return 1;
}

int main(int argc, char **argv)
{
	const char *options[] = {
		"listening_ports", argc > 1 ? argv[1] : "127.0.0.1:0",
		"num_threads", "128",
		"tcp_nodelay", "1",
		"enable_keep_alive", "yes",
		"keep_alive_timeout_ms", "2000",
		NULL
	};
	struct mg_callbacks cb;
	struct mg_server_port port;

	memset(&cb, 0, sizeof cb);
	cb.log_message = quiet;
	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	mg_init_library(0);
	struct mg_context *ctx = mg_start(&cb, NULL, options);
	if (!ctx) {
		fprintf(stderr, "ceiling: cannot listen\n");
		return 1;
	}
	mg_set_request_handler(ctx, "/", handle, NULL);
	if (mg_get_server_ports(ctx, 1, &port) == 1)
		fprintf(stderr, "ceiling: listening on %d\n", port.port);
	while (!stop_requested)
		usleep(100 * 1000);
	mg_stop(ctx);
	mg_exit_library();
	return 0;
}
