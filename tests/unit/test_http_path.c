/*
 * test_http_path.c - the router's vocabulary (survey-server/http_path.c):
 * prefixes match only at a segment boundary, an id segment is bounded and
 * canonical, and nothing is written when a path does not match.
 */
#include "../../survey-server/http.h"
#include "check.h"

static void test_under(void)
{
	const char *rest = "untouched";

	CHECK(http_path_under("/staff/events", "/staff/events", &rest));
	CHECK_STR(rest, "");
	CHECK(http_path_under("/staff/events/", "/staff/events", &rest));
	CHECK_STR(rest, "/");
	CHECK(http_path_under("/staff/events/12/close", "/staff/events", &rest));
	CHECK_STR(rest, "/12/close");

	rest = "untouched";
	CHECK(!http_path_under("/staff/eventsX", "/staff/events", &rest));
	CHECK(!http_path_under("/staff/events.csv", "/staff/events", &rest));
	CHECK(!http_path_under("/staff/event", "/staff/events", &rest));
	CHECK(!http_path_under("/staffevents", "/staff", &rest));
	CHECK(!http_path_under("", "/staff", &rest));
	CHECK(!http_path_under("/STAFF", "/staff", &rest));
	CHECK_STR(rest, "untouched");
	CHECK(http_path_under("/staff", "/staff", NULL));
}

static void test_id(void)
{
	long long id = -1;
	const char *rest = "untouched";

	CHECK(http_path_id("/12", &id, &rest));
	CHECK(id == 12);
	CHECK_STR(rest, "");
	CHECK(http_path_id("/7/close", &id, &rest));
	CHECK(id == 7);
	CHECK_STR(rest, "/close");
	CHECK(http_path_id("/3/", &id, &rest));
	CHECK(id == 3);
	CHECK_STR(rest, "/");
	CHECK(http_path_id("/999999999999999", &id, &rest)); /* 15 digits: the most */
	CHECK(id == 999999999999999LL);

	id = -1;
	rest = "untouched";
	CHECK(!http_path_id("", &id, &rest));                  /* empty */
	CHECK(!http_path_id("/", &id, &rest));                 /* no digits */
	CHECK(!http_path_id("//3", &id, &rest));
	CHECK(!http_path_id("12", &id, &rest));                /* no slash */
	CHECK(!http_path_id("/12a", &id, &rest));              /* not a whole segment */
	CHECK(!http_path_id("/12.json", &id, &rest));
	CHECK(!http_path_id("/a12", &id, &rest));
	CHECK(!http_path_id("/-1", &id, &rest));
	CHECK(!http_path_id("/+1", &id, &rest));
	CHECK(!http_path_id("/ 1", &id, &rest));
	CHECK(!http_path_id("/0", &id, &rest));                /* ids start at 1 */
	CHECK(!http_path_id("/012", &id, &rest));              /* one address per thing */
	CHECK(!http_path_id("/00000000000000000000001", &id, &rest));
	CHECK(!http_path_id("/1000000000000000", &id, &rest)); /* 16 digits */
	CHECK(!http_path_id("/99999999999999999999999999", &id, &rest)); /* would overflow */
	CHECK(!http_path_id("/9223372036854775808", &id, &rest));
	CHECK(id == -1);
	CHECK_STR(rest, "untouched");
}

static void test_is(void)
{
	CHECK(http_path_is("/close", "/close"));
	CHECK(http_path_is("", ""));
	CHECK(!http_path_is("/close/", "/close"));
	CHECK(!http_path_is("/closeX", "/close"));
	CHECK(!http_path_is("/clos", "/close"));
	CHECK(!http_path_is("", "/close"));
}

int main(void)
{
	test_under();
	test_id();
	test_is();
	return CHECK_DONE();
}
