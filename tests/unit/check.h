/*
 * check.h - the tiny unit-test harness: CHECK(cond) records a pass or a
 * failure (with file and line) and CHECK_DONE() prints "N passed, M failed"
 * and gives the exit status.  One binary per module: tests/unit/test_<module>.c.
 */
#ifndef SV_CHECK_H
#define SV_CHECK_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int check_passed, check_failed;

#define CHECK(cond) do { \
	if (cond) { \
		check_passed++; \
	} else { \
		check_failed++; \
		fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	} \
} while (0)

/* Compares two C strings, printing both when they differ. */
#define CHECK_STR(got, want) do { \
	const char *check_g_ = (got), *check_w_ = (want); \
	if (check_g_ && check_w_ && strcmp(check_g_, check_w_) == 0) { \
		check_passed++; \
	} else { \
		check_failed++; \
		fprintf(stderr, "FAIL %s:%d: %s\n  got:  %s\n  want: %s\n", __FILE__, __LINE__, \
			#got, check_g_ ? check_g_ : "(null)", check_w_ ? check_w_ : "(null)"); \
	} \
} while (0)

/* Flushes, so the line is there even when LeakSanitizer ends the run with _exit. */
/* Removes a test's temporary folder and the files directly in it. */
static inline void check_remove_dir(const char *d)
{
	DIR *dp = opendir(d);
	struct dirent *e;
	char path[512];

	if (!dp)
		return;
	while ((e = readdir(dp)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", d, e->d_name);
		unlink(path);
	}
	closedir(dp);
	rmdir(d);
}

#define CHECK_DONE() \
	(printf("%d passed, %d failed\n", check_passed, check_failed), fflush(stdout), \
	 check_failed ? 1 : 0)

#endif
