/*
 * backup.c - online backup of the database (see backup.h).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "backup.h"
#include "files.h"
#include "store.h"

static void backup_log(sqlite3 *db, const char *what)
{
	fprintf(stderr, "backup: %s: %s\n", what, db ? sqlite3_errmsg(db) : "out of memory");
}

/* fsync of a file or folder by name. */
static enum sv_err sync_path(const char *path, int dir)
{
	int fd = open(path, (dir ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return SV_ERR_IO;
	int rc = fsync(fd);
	close(fd);
	return rc ? SV_ERR_IO : SV_OK;
}

/* The folder holding path, for syncing the rename into it. */
static void parent_of(const char *path, char *out, size_t cap)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(out, cap, ".");
	else if (slash == path)
		snprintf(out, cap, "/");
	else
		snprintf(out, cap, "%.*s", (int)(slash - path), path);
}

enum sv_err backup_database(const char *data_dir, const char *out_path, int *pages)
{
	char src_path[4096], tmp_path[4096], dir[4096];
	sqlite3 *src = NULL, *dst = NULL;
	sqlite3_backup *b = NULL;
	enum sv_err rc = SV_OK;
	int in_txn = 0, made_tmp = 0;

	*pages = 0;
	if ((size_t)snprintf(src_path, sizeof src_path, "%s/%s", data_dir, STORE_FILE) >= sizeof src_path ||
	    (size_t)snprintf(tmp_path, sizeof tmp_path, "%s.tmp", out_path) >= sizeof tmp_path)
		return SV_ERR_TOOBIG;
	if (!files_exist(src_path))
		return SV_ERR_NOTFOUND;
	if (files_exist(out_path))
		return SV_ERR_EXISTS;
	if (sqlite3_open_v2(src_path, &src, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		backup_log(src, "opening the database");
		rc = SV_ERR_DB;
		goto out;
	}
	sqlite3_busy_timeout(src, 5000);
	/* One read transaction for the whole copy: a snapshot that the
	 * server's commits neither change nor make the copy start again. */
	if (sqlite3_exec(src, "BEGIN; SELECT count(*) FROM sqlite_schema;", NULL, NULL, NULL) != SQLITE_OK) {
		backup_log(src, "starting to read");
		rc = SV_ERR_DB;
		goto out;
	}
	in_txn = 1;
	unlink(tmp_path); /* what a killed earlier backup left */
	made_tmp = 1;
	if (sqlite3_open_v2(tmp_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		backup_log(dst, "creating the copy");
		rc = SV_ERR_IO;
		goto out;
	}
	b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b) {
		backup_log(dst, "starting the copy");
		rc = SV_ERR_DB;
		goto out;
	}
	for (;;) {
		int step = sqlite3_backup_step(b, BACKUP_PAGES_PER_STEP);
		if (step == SQLITE_DONE)
			break;
		if (step != SQLITE_OK && step != SQLITE_BUSY && step != SQLITE_LOCKED) {
			backup_log(dst, "copying");
			rc = step == SQLITE_IOERR || step == SQLITE_FULL ? SV_ERR_IO : SV_ERR_DB;
			goto out;
		}
		sqlite3_sleep(BACKUP_PAUSE_MS);
	}
	*pages = sqlite3_backup_pagecount(b);
	sqlite3_backup_finish(b);
	b = NULL;
	/* One file, no -wal beside it: what a restore puts in place. */
	if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
		backup_log(dst, "finishing the copy");
		rc = SV_ERR_IO;
		goto out;
	}
	if (sqlite3_close(dst) != SQLITE_OK) {
		rc = SV_ERR_IO;
		goto out;
	}
	dst = NULL;
	parent_of(out_path, dir, sizeof dir);
	if (sync_path(tmp_path, 0) || rename(tmp_path, out_path) != 0 || sync_path(dir, 1)) {
		rc = SV_ERR_IO;
		goto out;
	}
	made_tmp = 0;
out:
	if (b)
		sqlite3_backup_finish(b);
	if (dst)
		sqlite3_close(dst);
	if (in_txn)
		sqlite3_exec(src, "ROLLBACK", NULL, NULL, NULL);
	if (src)
		sqlite3_close(src);
	if (made_tmp)
		unlink(tmp_path);
	return rc;
}

enum sv_err backup_check(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	enum sv_err rc = SV_ERR_DB;

	if (!files_exist(path))
		return SV_ERR_NOTFOUND;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		backup_log(db, "opening the copy");
		goto out;
	}
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *text = sqlite3_column_text(st, 0);
		if (text && strcmp((const char *)text, "ok") == 0)
			rc = SV_OK;
		else
			fprintf(stderr, "backup: %s fails its integrity check: %s\n", path,
				text ? (const char *)text : "(no answer)");
	} else {
		backup_log(db, "checking the copy");
	}
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}
