/*
 * files.c - small shared file helpers (see files.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "files.h"

enum sv_err files_read_secret(const char *path, char **out, size_t *len)
{
	enum sv_err rc = SV_OK;
	char *buf = NULL;
	FILE *fp = fopen(path, "rb");

	*out = NULL;
	*len = 0;
	if (!fp)
		return SV_ERR_IO;
	buf = sodium_malloc(FILES_MAX_SECRET + 2);
	if (!buf) {
		rc = SV_ERR_NOMEM;
		goto out;
	}
	size_t n = 0;
	int ch;
	while ((ch = getc(fp)) != EOF && ch != '\n') {
		if (n > FILES_MAX_SECRET) {
			rc = SV_ERR_TOOBIG;
			goto out;
		}
		buf[n++] = (char)ch;
	}
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	if (ferror(fp)) {
		rc = SV_ERR_IO;
		goto out;
	}
	if (n == 0 || n > FILES_MAX_SECRET) {
		rc = n ? SV_ERR_TOOBIG : SV_ERR_INVALID;
		goto out;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	buf = NULL;
out:
	files_secret_free(buf);
	fclose(fp);
	return rc;
}

void files_secret_free(char *secret)
{
	sodium_free(secret); /* wipes before release; NULL is fine */
}

/* Reads one line from the terminal with echo off; returns its length or -1. */
static long read_tty_line(FILE *tty, const char *prompt, char *buf, size_t cap)
{
	struct termios old, quiet;
	int fd = fileno(tty);
	long n = 0;
	int ch;

	if (tcgetattr(fd, &old) != 0)
		return -1;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	/* Echo goes off before the prompt shows, so whatever is typed once the
	 * prompt is on the screen is neither echoed nor flushed away. */
	tcsetattr(fd, TCSAFLUSH, &quiet);
	fputs(prompt, tty);
	fflush(tty);
	while ((ch = getc(tty)) != EOF && ch != '\n') {
		if ((size_t)n + 1 >= cap) {
			n = -1;
			break;
		}
		buf[n++] = (char)ch;
	}
	tcsetattr(fd, TCSAFLUSH, &old);
	fputs("\n", tty);
	if (n > 0)
		buf[n] = '\0';
	return ch == EOF && n == 0 ? -1 : n;
}

enum sv_err files_prompt_secret(const char *prompt, int confirm, char **out, size_t *len)
{
	enum sv_err rc = SV_OK;
	char *first = NULL, *again = NULL;
	FILE *tty = fopen("/dev/tty", "r+");

	*out = NULL;
	*len = 0;
	if (!tty)
		return SV_ERR_IO;
	first = sodium_malloc(FILES_MAX_SECRET + 2);
	again = sodium_malloc(FILES_MAX_SECRET + 2);
	if (!first || !again) {
		rc = SV_ERR_NOMEM;
		goto out;
	}
	long n = read_tty_line(tty, prompt, first, FILES_MAX_SECRET + 1);
	if (n <= 0) {
		rc = n < 0 ? SV_ERR_TOOBIG : SV_ERR_INVALID;
		goto out;
	}
	if (confirm) {
		long m = read_tty_line(tty, "Type it again: ", again, FILES_MAX_SECRET + 1);
		if (m != n || sodium_memcmp(first, again, (size_t)n) != 0) {
			fputs("The two did not match.\n", tty);
			rc = SV_ERR_INVALID;
			goto out;
		}
	}
	*out = first;
	*len = (size_t)n;
	first = NULL;
out:
	sodium_free(first);
	sodium_free(again);
	fclose(tty);
	return rc;
}

enum sv_err files_read_all(const char *path, size_t max, char **out, size_t *len)
{
	enum sv_err rc = SV_OK;
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;

	*out = NULL;
	*len = 0;
	if (!fp)
		return errno == ENOENT ? SV_ERR_NOTFOUND : SV_ERR_IO;
	buf = malloc(max + 1);
	if (!buf) {
		rc = SV_ERR_NOMEM;
		goto out;
	}
	size_t n = fread(buf, 1, max + 1, fp);
	if (ferror(fp)) {
		rc = SV_ERR_IO;
		goto out;
	}
	if (n > max) {
		rc = SV_ERR_TOOBIG;
		goto out;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	buf = NULL;
out:
	free(buf);
	fclose(fp);
	return rc;
}

/* fsyncs the folder that holds path, so that a rename into it lasts. */
static enum sv_err sync_parent(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;

	if (n >= sizeof dir)
		return SV_ERR_TOOBIG;
	if (slash && n == 0)
		n = 1;                  /* a file in / */
	memcpy(dir, slash ? path : ".", slash ? n : 1);
	dir[slash ? n : 1] = '\0';
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return SV_ERR_IO;
	int failed = fsync(fd) != 0;
	close(fd);
	return failed ? SV_ERR_IO : SV_OK;
}

/* Writes data to fd, syncs it and closes it (in every case); 0 or -1. */
static int write_synced(int fd, const void *data, size_t len)
{
	const char *p = data;
	size_t left = len;
	while (left > 0) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return -1;
		}
		p += w;
		left -= (size_t)w;
	}
	if (fsync(fd) != 0) {
		close(fd);
		return -1;
	}
	return close(fd) == 0 ? 0 : -1;
}

enum sv_err files_write_atomic(const char *path, const void *data, size_t len,
			       mode_t mode)
{
	char tmp[4096];
	int fd;

	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
		return SV_ERR_TOOBIG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return SV_ERR_IO;
	if (write_synced(fd, data, len) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return SV_ERR_IO;
	}
	/* The rename is a change to the folder: until the folder is synced, a
	 * power cut may bring the old file back (or none). */
	return sync_parent(path);
}

enum sv_err files_write_new(const char *path, const void *data, size_t len, mode_t mode)
{
	char tmp[4096];
	int fd;

	if ((size_t)snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= sizeof tmp)
		return SV_ERR_TOOBIG;
	/* A temporary name of its own (two processes may write at once), whole
	 * and synced before it is linked: link, unlike rename, never replaces,
	 * so of two writers one links and the other finds the file there. */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return SV_ERR_IO;
	if (fchmod(fd, mode) != 0) {
		close(fd);
		unlink(tmp);
		return SV_ERR_IO;
	}
	if (write_synced(fd, data, len) != 0) {
		unlink(tmp);
		return SV_ERR_IO;
	}
	int linked = link(tmp, path), why = errno;
	unlink(tmp);
	if (linked != 0)
		return why == EEXIST ? SV_ERR_EXISTS : SV_ERR_IO;
	return sync_parent(path);
}

enum sv_err files_ensure_dir(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) == 0)
		return S_ISDIR(st.st_mode) ? SV_OK : SV_ERR_IO;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return SV_ERR_IO;
	return SV_OK;
}

int files_exist(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}
