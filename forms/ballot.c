/*
 * ballot.c - a Make Your Mark local results file read against a ballot
 * question (see ballot.h).  A cursor walks the text line by line with a
 * cap on each line and on the whole; each line splits into at most two
 * CSV fields (a quoted field may hold commas and doubled quotes, never a
 * line break: a results file has none).  Nothing is kept of a file with a
 * mistake: the caller stores only after SV_OK.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../core/parse.h"
#include "ballot.h"

#define FIELD_MAX 256  /* bytes in one field, after unquoting */

/* Splits line[0..n) into at most max CSV fields; returns how many, or -1
 * for a malformed quote, -2 for more than max fields or one too long. */
static int split(const char *line, size_t n, char fields[][FIELD_MAX], int max)
{
	int count = 0;
	size_t i = 0;

	for (;;) {
		size_t len = 0;
		if (count >= max)
			return -2;
		char *f = fields[count++];
		while (i < n && line[i] == ' ')
			i++;
		if (i < n && line[i] == '"') {
			for (i++;; i++) {
				if (i >= n)
					return -1; /* no closing quote */
				if (line[i] == '"') {
					if (i + 1 < n && line[i + 1] == '"')
						i++;
					else
						break;
				}
				if (len + 1 >= FIELD_MAX)
					return -2;
				f[len++] = line[i];
			}
			i++;
			while (i < n && line[i] == ' ')
				i++;
			if (i < n && line[i] != ',')
				return -1; /* text after the closing quote */
		} else {
			while (i < n && line[i] != ',') {
				if (line[i] == '"')
					return -1;
				if (len + 1 >= FIELD_MAX)
					return -2;
				f[len++] = line[i++];
			}
			while (len > 0 && f[len - 1] == ' ')
				len--;
		}
		f[len] = '\0';
		if (i >= n)
			return count;
		i++; /* the comma */
	}
}

/* The option of q that field names (its label in any case, or its id), or -1. */
static int issue_index(const struct form_question *q, const char *field)
{
	for (int k = 0; k < q->noptions; k++)
		if (strcasecmp(q->options[k].label, field) == 0 || strcmp(q->options[k].id, field) == 0)
			return k;
	return -1;
}

enum sv_err ballot_csv_read(const char *text, size_t len, const struct form_question *q,
			    struct ballot_import *out, char *err, size_t errlen)
{
	char fields[2][FIELD_MAX];
	size_t pos = 0;
	int line_no = 0;

	memset(out, 0, sizeof *out);
	if (len > BALLOT_MAX_CSV) {
		snprintf(err, errlen, "the file is over %d KB", BALLOT_MAX_CSV / 1024);
		return SV_ERR_TOOBIG;
	}
	if (!utf8_valid(text, len)) {
		snprintf(err, errlen, "the file is not UTF-8 text");
		return SV_ERR_INVALID;
	}
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		pos = 3; /* a byte-order mark, as spreadsheets write */
	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		pos += n + (nl ? 1 : 0);
		line_no++;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (n > BALLOT_MAX_CSV_LINE) {
			snprintf(err, errlen, "line %d: longer than %d characters", line_no,
				 BALLOT_MAX_CSV_LINE);
			return SV_ERR_TOOBIG;
		}
		size_t blank = 0;
		while (blank < n && (line[blank] == ' ' || line[blank] == '\t'))
			blank++;
		if (blank == n)
			continue; /* blank */
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)line[i] < 0x20 && line[i] != '\t') {
				snprintf(err, errlen, "line %d: holds a control character", line_no);
				return SV_ERR_INVALID;
			}
		int count = split(line, n, fields, 2);
		if (count != 2) {
			snprintf(err, errlen, "line %d: %s", line_no, count == -1 ?
				 "a quote is not closed, or text follows it" :
				 "expected two fields, the issue and its votes (issue,votes)");
			return SV_ERR_INVALID;
		}
		if (out->n == 0 && line_no == 1 && strcasecmp(fields[0], "issue") == 0 &&
		    strcasecmp(fields[1], "votes") == 0)
			continue; /* the header */
		int k = issue_index(q, fields[0]);
		if (k < 0) {
			snprintf(err, errlen, "line %d: \"%.80s\" is not an issue of this ballot", line_no,
				 fields[0]);
			return SV_ERR_INVALID;
		}
		for (int j = 0; j < out->n; j++)
			if (out->option[j] == k) {
				snprintf(err, errlen, "line %d: \"%.80s\" is listed twice", line_no, fields[0]);
				return SV_ERR_INVALID;
			}
		long long votes;
		if (parse_int(fields[1], strlen(fields[1]), 0, BALLOT_MAX_VOTES, &votes)) {
			snprintf(err, errlen, "line %d: the votes should be a whole number from 0 to %d",
				 line_no, BALLOT_MAX_VOTES);
			return SV_ERR_INVALID;
		}
		if (out->n >= FORM_MAX_OPTIONS) {
			snprintf(err, errlen, "line %d: more issues than the ballot has", line_no);
			return SV_ERR_INVALID;
		}
		out->option[out->n] = k;
		out->votes[out->n++] = votes;
	}
	if (out->n == 0) {
		snprintf(err, errlen, "the file lists no issues");
		return SV_ERR_INVALID;
	}
	return SV_OK;
}
