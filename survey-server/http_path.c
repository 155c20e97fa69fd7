/*
 * http_path.c - the router's vocabulary (see http.h): a path under a prefix,
 * a numeric id segment, an exact last step.
 *
 * Plain string work on the decoded request path, with no civetweb, so the
 * unit tests (tests/unit/test_http_path.c) check it alone.  What a matched
 * path means, and which methods it takes, stays with each handler.
 */
#include <string.h>

#include "http.h"

/*
 * A prefix matches only at a segment boundary: "/staff/events" takes
 * "/staff/events" and "/staff/events/..." but not "/staff/eventsX", which
 * the hand-counted strncmp checks this replaces each had to remember.
 */
int http_path_under(const char *path, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);

	if (strncmp(path, prefix, n) != 0 || (path[n] != '\0' && path[n] != '/'))
		return 0;
	if (rest)
		*rest = path + n;
	return 1;
}

/*
 * The digits are counted before any arithmetic, so the value cannot
 * overflow (15 digits stay far below LLONG_MAX).  A leading zero is refused
 * so that each thing has one address: "/012" is not "/12".
 */
int http_path_id(const char *path, long long *id, const char **rest)
{
	if (path[0] != '/' || path[1] < '1' || path[1] > '9')
		return 0;
	const char *digits = path + 1;
	size_t n = strspn(digits, "0123456789");
	if (n > HTTP_MAX_ID_DIGITS || (digits[n] != '\0' && digits[n] != '/'))
		return 0;
	long long v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (digits[i] - '0');
	*id = v;
	*rest = digits + n;
	return 1;
}

int http_path_is(const char *path, const char *want)
{
	return strcmp(path, want) == 0;
}
