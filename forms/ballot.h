/*
 * ballot.h - the youth ballot's pure parts (docs/ballot.md): a Make Your
 * Mark local results file read against a ballot question.  Knows nothing
 * of HTTP or SQL: survey-server's staff page and its ballot-import command
 * both read a file here, then store what was read.
 */
#ifndef SV_BALLOT_H
#define SV_BALLOT_H

#include <stddef.h>

#include "form.h"

#define BALLOT_MAX_CSV LIMIT_BALLOT_FILE_BYTES /* bytes in an imported results file */
#define BALLOT_MAX_CSV_LINE LIMIT_BALLOT_FILE_LINE /* bytes in one of its lines */
#define BALLOT_MAX_VOTES LIMIT_BALLOT_IMPORT_VOTES /* votes for one issue (STORE_MAX_IMPORT_VOTES) */

/* What a results file says: votes per issue of the ballot. */
struct ballot_import {
	int n;                           /* issues listed */
	int option[FORM_MAX_OPTIONS];    /* each one's option index in the question */
	long long votes[FORM_MAX_OPTIONS];
};

/*
 * Reads a results file (RFC 4180 CSV, UTF-8, an optional byte-order mark,
 * CRLF or LF): an optional header line "issue,votes", then one line per
 * issue, "ISSUE,VOTES", the issue as the ballot labels it (any case, spaces
 * around it ignored) or its option id, the votes a whole number from 0 to
 * BALLOT_MAX_VOTES.  Blank lines are skipped.  Every issue at most once;
 * at least one.  SV_ERR_INVALID (or SV_ERR_TOOBIG for a file or line over
 * its limit) with err saying "line N: what is wrong"; out is then
 * meaningless and nothing should be stored.
 */
enum sv_err ballot_csv_read(const char *text, size_t len, const struct form_question *q,
			    struct ballot_import *out /* OUT */, char *err, size_t errlen);

#endif
