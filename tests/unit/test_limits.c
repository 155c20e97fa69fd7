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
#include "../../forms/form.h"
#include "../../forms/render.h"
#include "../../survey-server/http.h"
#include "../../survey-server/ratelimit.h"
#include "check.h"

#define UTF8_MAX 4       /* bytes in one character */
#define PERCENT 3        /* bytes for one byte percent-encoded */
#define HTML_ESCAPE 6    /* "&quot;" for '"' */

int main(void)
{
	/* One name, one value. */
	CHECK(PARSE_MAX_FIELDS == LIMIT_FORM_FIELDS);
	CHECK(PARSE_MAX_VALUE == LIMIT_FIELD_VALUE);
	CHECK(PARSE_MAX_NAME == LIMIT_FIELD_NAME);
	CHECK(PARSE_MAX_ID == LIMIT_ID_BYTES);
	CHECK(HTTP_MAX_BODY == LIMIT_BODY_BYTES);
	CHECK(HTTP_MAX_HEAD == LIMIT_HEAD_BYTES);
	CHECK_STR(HTTP_THREADS, "512");
	CHECK_STR(HTTP_REQUEST_TIMEOUT_MS, "10000");
	CHECK_STR(HTTP_KEEPALIVE_MS, "2000");
	CHECK(FORM_MAX_TEXT == LIMIT_TEXT_CHARS);
	CHECK(FORM_MAX_OTHER == LIMIT_OTHER_CHARS);
	CHECK(RATE_DEFAULT_PER_MINUTE == LIMIT_SUBMISSIONS_PER_MINUTE);

	/* A respondent within the survey's limits is never refused for size. */
	CHECK(LIMIT_TEXT_DEFAULT_CHARS <= LIMIT_TEXT_CHARS);
	CHECK(LIMIT_OTHER_CHARS <= LIMIT_TEXT_CHARS);
	CHECK(LIMIT_TEXT_CHARS * UTF8_MAX <= LIMIT_FIELD_VALUE);
	CHECK(LIMIT_TEXT_CHARS * UTF8_MAX * PERCENT + LIMIT_OTHER_CHARS * UTF8_MAX * PERCENT <
	      LIMIT_BODY_BYTES);
	CHECK(LIMIT_FIELD_VALUE < LIMIT_BODY_BYTES);
	/* Staff texts fit one field. */
	CHECK(STORE_MAX_MESSAGE <= LIMIT_FIELD_VALUE);
	CHECK(STORE_MAX_EVENT_NAME <= LIMIT_FIELD_VALUE);
	CHECK(TAXONOMY_MAX_NAME <= LIMIT_FIELD_VALUE);
	CHECK(FORM_MAX_LABEL <= LIMIT_FIELD_VALUE);
	CHECK(STORE_MAX_NAME <= LIMIT_FIELD_NAME * 4);
	/* A body a browser sent (a quote percent-encoded: 3 bytes sent, 6
	 * shown), echoed twice (shown, and kept in a hidden field), takes at
	 * most half a page.  (Raw quotes in a hand-made body escape to more; the
	 * page's cap then turns the 422 into a 503, never an overflow.) */
	CHECK(2 * HTML_ESCAPE * (size_t)LIMIT_BODY_BYTES / PERCENT <= RENDER_MAX_PAGE / 2);
	/* The slow-client cut-off is longer than the keep-alive wait. */
	CHECK(LIMIT_KEEPALIVE_MS < LIMIT_REQUEST_MS);
	CHECK_STR(LIMIT_TEXT(LIMIT_HEAD_BYTES), "16384");
	return CHECK_DONE();
}
