/*
 * backup.h - a consistent copy of the database, taken while the server
 * runs, with SQLite's online backup API; and the check that a copy is whole.
 *
 * The copy is the database as it stood at one moment (the start of the
 * backup): it holds one read transaction on the live database for the whole
 * copy, so writers (the server, in WAL mode) carry on and nothing they commit
 * meanwhile gets half into it.  Pages are copied a few at a time with a pause
 * between, so a large copy never keeps the disk from the server for long.
 * The copy is one self-contained file (rollback journal mode, no -wal): the
 * server turns it back to WAL when it opens it after a restore.
 *
 * Besides core/store, this is the only code that opens the database, and it
 * reads no table: it knows pages, not SQL.  The keys (DATA/keys/) and
 * DATA/form-token.key are plain files, copied by the operator (README).
 */
#ifndef SV_BACKUP_H
#define SV_BACKUP_H

#include "err.h"

#define BACKUP_PAGES_PER_STEP 64   /* pages copied at a time (256 KiB at 4 KiB a page) */
#define BACKUP_PAUSE_MS 2          /* between steps */

/*
 * Copies DATA_DIR's database to out_path, through out_path.tmp which is
 * synced and then renamed (a failed backup leaves no file at out_path).
 * *pages receives the number of pages copied.  SV_ERR_NOTFOUND if there is
 * no database, SV_ERR_EXISTS if out_path exists already (never overwritten),
 * SV_ERR_IO if it cannot be written, SV_ERR_DB if SQLite failed (logged).
 */
enum sv_err backup_database(const char *data_dir, const char *out_path, int *pages /* OUT */);

/* Opens a copy read-only and runs PRAGMA integrity_check: SV_OK if "ok",
 * SV_ERR_DB (logged) if not, SV_ERR_NOTFOUND if there is no such file. */
enum sv_err backup_check(const char *path);

#endif
