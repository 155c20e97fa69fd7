/*
 * files.h - the few file operations the programs share: reading a secret's
 * first line, writing a file so that a crash never leaves half of it, and
 * making the data folder.
 */
#ifndef SV_FILES_H
#define SV_FILES_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

#define FILES_MAX_SECRET 1024  /* bytes in a passphrase or password line */

/*
 * Reads the first line of path (without its newline) into sodium_malloc'd
 * memory, for passphrases and passwords.  Free with files_secret_free, which
 * wipes it.  SV_ERR_INVALID if the line is empty or too long.
 */
enum sv_err files_read_secret(const char *path, char **out /* OUT */,
			      size_t *len /* OUT */);
void files_secret_free(char *secret);

/*
 * Asks for a secret on the terminal (/dev/tty) with echo off, into
 * sodium_malloc'd memory like files_read_secret.  With confirm set, asks
 * twice and fails with SV_ERR_INVALID if the two differ.  SV_ERR_IO if there
 * is no terminal.
 */
enum sv_err files_prompt_secret(const char *prompt, int confirm, char **out /* OUT */,
				size_t *len /* OUT */);

/* Reads a whole small file (at most max bytes) into malloc'd memory, NUL-ended. */
enum sv_err files_read_all(const char *path, size_t max, char **out /* OUT */,
			   size_t *len /* OUT */);

/* Writes data to path through a temporary file: write, fsync, rename over
 * path, fsync the folder.  A crash leaves the old file or the new, whole. */
enum sv_err files_write_atomic(const char *path, const void *data, size_t len,
			       mode_t mode);

/* Writes data to path only if path does not exist: through a temporary
 * file of its own, written and synced, then linked into place.
 * SV_ERR_EXISTS if another file (another process's) is already there. */
enum sv_err files_write_new(const char *path, const void *data, size_t len, mode_t mode);

/* Creates dir (and only dir) with mode 0700 if missing. */
enum sv_err files_ensure_dir(const char *dir);

/* 1 if path exists. */
int files_exist(const char *path);

#endif
