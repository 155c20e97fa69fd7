/*
 * test_limits.c - core/limits.h: the limits fit together, and each module's
 * name for a limit is the value limits.h gives it.
 *
 * Relations (docs/limits.md says why each limit is what it is):
 * - the longest answer a survey may allow, in the widest UTF-8 and then
 *   percent-encoded, fits the parser's value limit and a request body, so a
 *   respondent within the survey's limits never meets a 400 or 413;
 * - a field value fits in a body, and the staff pages' longest texts fit in
 *   a field;
 * - a 422 page that echoes a whole body of escaped characters (as a browser
 *   sends it) still fits a rendered page.
 */
#include "../../core/limits.h"
#include "../../core/parse.h"
#include "../../core/store.h"
#include "../../core/taxonomy.h"
#include "../../export/export.h"
#include "../../forms/ballot.h"
#include "../../forms/form.h"
#include "../../forms/render.h"
#include "../../survey-server/http.h"
#include "../../survey-server/ratelimit.h"
#include "check.h"

#define UTF8_MAX 4       /* bytes in one character */
#define PERCENT 3        /* bytes for one byte percent-encoded */
#define HTML_ESCAPE 6    /* "&quot;" for '"' */

/*
 * The relations are between constants, so the compiler checks them: a
 * change to limits.h or a module header that breaks one stops the build
 * (a CHECK of a constant against itself could only ever pass at run time).
 */

/* One name, one value. */
_Static_assert(PARSE_MAX_FIELDS == LIMIT_FORM_FIELDS, "PARSE_MAX_FIELDS is LIMIT_FORM_FIELDS");
_Static_assert(PARSE_MAX_VALUE == LIMIT_FIELD_VALUE, "PARSE_MAX_VALUE is LIMIT_FIELD_VALUE");
_Static_assert(PARSE_MAX_NAME == LIMIT_FIELD_NAME, "PARSE_MAX_NAME is LIMIT_FIELD_NAME");
_Static_assert(PARSE_MAX_ID == LIMIT_ID_BYTES, "PARSE_MAX_ID is LIMIT_ID_BYTES");
_Static_assert(HTTP_MAX_BODY == LIMIT_BODY_BYTES, "HTTP_MAX_BODY is LIMIT_BODY_BYTES");
_Static_assert(HTTP_MAX_HEAD == LIMIT_HEAD_BYTES, "HTTP_MAX_HEAD is LIMIT_HEAD_BYTES");
_Static_assert(FORM_MAX_TEXT == LIMIT_TEXT_CHARS, "FORM_MAX_TEXT is LIMIT_TEXT_CHARS");
_Static_assert(FORM_MAX_OTHER == LIMIT_OTHER_CHARS, "FORM_MAX_OTHER is LIMIT_OTHER_CHARS");
_Static_assert(RATE_DEFAULT_PER_MINUTE == LIMIT_SUBMISSIONS_PER_MINUTE,
	       "RATE_DEFAULT_PER_MINUTE is LIMIT_SUBMISSIONS_PER_MINUTE");

/* A respondent within the survey's limits is never refused for size. */
_Static_assert(LIMIT_TEXT_DEFAULT_CHARS <= LIMIT_TEXT_CHARS, "a survey's default text limit is allowed");
_Static_assert(LIMIT_OTHER_CHARS <= LIMIT_TEXT_CHARS, "an \"other\" answer is no longer than a text");
_Static_assert(LIMIT_TEXT_CHARS * UTF8_MAX <= LIMIT_FIELD_VALUE, "the longest text fits a field value");
_Static_assert(LIMIT_TEXT_CHARS * UTF8_MAX * PERCENT + LIMIT_OTHER_CHARS * UTF8_MAX * PERCENT <
	       LIMIT_BODY_BYTES, "the longest text and \"other\", percent-encoded, fit a body");
_Static_assert(LIMIT_FIELD_VALUE < LIMIT_BODY_BYTES, "a field value fits a body");
/* Staff texts fit one field. */
_Static_assert(STORE_MAX_MESSAGE <= LIMIT_FIELD_VALUE, "a key message fits a field");
_Static_assert(STORE_MAX_DECISION_TEXT <= LIMIT_FIELD_VALUE, "a decision log text fits a field");
_Static_assert(STORE_MAX_DECIDER <= LIMIT_FIELD_VALUE, "a lead's name fits a field");
_Static_assert(STORE_MAX_EVENT_NAME <= LIMIT_FIELD_VALUE, "an event name fits a field");
_Static_assert(TAXONOMY_MAX_NAME <= LIMIT_FIELD_VALUE, "a theme name fits a field");
_Static_assert(FORM_MAX_LABEL <= LIMIT_FIELD_VALUE, "a label fits a field");
_Static_assert(STORE_MAX_NAME <= LIMIT_FIELD_NAME * 4, "an account name fits a field");
/* A body a browser sent (a quote percent-encoded: 3 bytes sent, 6
 * shown), echoed twice (shown, and kept in a hidden field), takes at
 * most half a page.  (Raw quotes in a hand-made body escape to more; the
 * page's cap then turns the 422 into a 503, never an overflow.) */
_Static_assert(2 * HTML_ESCAPE * (size_t)LIMIT_BODY_BYTES / PERCENT <= RENDER_MAX_PAGE / 2,
	       "a 422 page echoing a whole body fits half a page");
/* The slow-client cut-off is longer than the keep-alive wait. */
_Static_assert(LIMIT_KEEPALIVE_MS < LIMIT_REQUEST_MS, "the request deadline outlasts keep-alive");

/* The youth ballot: one name, one value, and they fit together. */
_Static_assert(STORE_MAX_ISSUES == LIMIT_BALLOT_ISSUES && EXPORT_BALLOT_MAX == LIMIT_BALLOT_ISSUES,
	       "a ballot's issues are LIMIT_BALLOT_ISSUES in the store and the export");
_Static_assert(LIMIT_BALLOT_ISSUES <= FORM_MAX_OPTIONS, "a ballot's issues are a question's options");
_Static_assert(FORM_MAX_RANK == LIMIT_BALLOT_RANK, "FORM_MAX_RANK is LIMIT_BALLOT_RANK");
_Static_assert(STORE_MAX_SETTING == LIMIT_BALLOT_SETTING_BYTES, "STORE_MAX_SETTING is LIMIT_BALLOT_SETTING_BYTES");
_Static_assert(STORE_MAX_PAPERS == LIMIT_BALLOT_PAPERS, "STORE_MAX_PAPERS is LIMIT_BALLOT_PAPERS");
_Static_assert(BALLOT_MAX_CSV == LIMIT_BALLOT_FILE_BYTES && BALLOT_MAX_CSV_LINE == LIMIT_BALLOT_FILE_LINE,
	       "the results file's limits are limits.h's");
_Static_assert(BALLOT_MAX_VOTES == LIMIT_BALLOT_IMPORT_VOTES && STORE_MAX_IMPORT_VOTES == LIMIT_BALLOT_IMPORT_VOTES,
	       "an imported issue's votes are LIMIT_BALLOT_IMPORT_VOTES in the reader and the store");
_Static_assert(LIMIT_BALLOT_SETTING_BYTES <= LIMIT_FIELD_VALUE, "a setting's name fits a field");
_Static_assert(LIMIT_BALLOT_FILE_BYTES * 2 <= LIMIT_BODY_BYTES,
	       "a results file, with its multipart wrapping, fits a request body");
_Static_assert(LIMIT_BALLOT_FILE_LINE < LIMIT_BALLOT_FILE_BYTES, "a line fits the file");

/* What only runs can see: a limit's decimal text (LIMIT_TEXT) is its value,
 * not its name, as civetweb's options take it. */
int main(void)
{
	CHECK_STR(HTTP_THREADS, "512");
	CHECK_STR(HTTP_REQUEST_TIMEOUT_MS, "10000");
	CHECK_STR(HTTP_KEEPALIVE_MS, "2000");
	CHECK_STR(LIMIT_TEXT(LIMIT_HEAD_BYTES), "16384");
	return CHECK_DONE();
}
