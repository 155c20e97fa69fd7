/*
 * scrub.c - personal data out of free text (see scrub.h).
 *
 * Each kind of data is one or more rules: a PCRE2 pattern and, where a
 * pattern alone cannot decide, a check in C (the NHS modulus 11 sum, a real
 * day and month, the HMRC prefix letters).  scrub_text keeps, for every
 * rule, the next place it matches at or after the current position, and
 * repeatedly takes the match that starts first; when two start at the same
 * byte the rule earlier in scrub_rules wins.  The text before the match is
 * copied, the match becomes its marker, and the rules whose next match was
 * swallowed look again from the end of it.  So the text is read once, left
 * to right, and a marker is never scrubbed a second time.
 *
 * Every pattern starts with a look-behind (or \b, or a fixed word) that
 * refuses to start in the middle of a word, number or address, so a run of 16 KiB of digits or
 * letters is tried from one place only, and runs are repeated possessively
 * or within a bound; with the match limits below no input can make matching
 * slow.  Numbers and letters in the patterns are ASCII, except that e-mail
 * addresses, links and @names may hold any letters (\p{L}).
 *
 * Rules chosen for the ambiguous cases (tests/unit/test_scrub.c has each):
 * - Phone: a UK number starts 0, +44, 0044 or +44 (0), has 10 or 11 digits
 *   in all (9 or 10 after the 44), and may be broken by spaces, dots, dashes
 *   or brackets.  Numbers without the leading 0 ("7700 900123") stay.  Other
 *   countries' numbers count when written with + or 00 and 8 to 15 digits.
 * - NHS: ten digits as 3-3-4 (spaces or dashes optional) that pass the
 *   modulus 11 check.  A failing run is left to the other rules, so a
 *   landline such as 0113496000 is still removed as a phone number.
 * - NI: two prefix letters per HMRC (first not D F I Q U V, second not
 *   D F I O Q U V, not BG GB KN NK NT TN ZZ), six digits and a suffix A-D, any
 *   spacing, any case.  HMRC's own specimen prefix QQ is removed too, since
 *   people copy it.  Without the suffix letter it is not removed.
 * - Postcode: the area must be one of the real UK postcode areas (so "Y11",
 *   "KS3", "PS5", "A1" are never postcodes).  A full postcode (outward code,
 *   up to two spaces or none, inward code) is removed anywhere, in any case,
 *   except an inward part that is a lower-case ordinal after a space ("S4
 *   2nd"), which is read as a school year.  An outward code on its own is
 *   removed only after "postcode", "post code", "live(s/d) in/near/at" or
 *   "living in/near/at" (any shape: "live in M1"), or of 3-4 characters
 *   after "in", "at", "near", "around" or "from" ("in LS6"); so "in S4" (a
 *   Scottish school year) and "on the M1" stay, but "in N64" goes.
 * - Date of birth: any full date with a year is treated as one: d/m/y and
 *   m/d/y with / - or . (with dots and a two-digit year, day and month need
 *   two digits: "01.02.10" goes, the version-like "1.2.10" stays), y-m-d,
 *   "12th March 2010", "3rd of May 2011", "March 12, 2010".  Four-digit
 *   years must be 1900-2099, day and month must be in range (31/02 is
 *   allowed).  Dates without a year ("on 3 May") stay.
 * - Links: http(s)://... and www.... always; a bare domain when its ending
 *   is an unambiguous TLD (com, net, org, uk, io, ...); an ending that is an
 *   English word or slang (me, co, ly, be, to, gg, it, ...) only with a
 *   /path after it, or for the known short hosts bit.ly, youtu.be, t.me, t.co,
 *   wa.me, m.me, linktr.ee, discord.gg.  Punctuation ending a sentence or
 *   bracket after a link stays outside the marker.
 * - @names: '@' not after a letter or digit, followed by a name with at
 *   least one letter or '_', and not a time: "meet @ 5", "@5", "@5pm" and
 *   "@10.30am" stay as "at"; "@123" stays too.  A name after "snap:",
 *   "insta =", "snapchat - ", "tiktok name:" ... goes unless it is a plain
 *   no ("none", "private"); after "my snap is" only when it looks like a
 *   handle (has a digit, '_' or '.'), so "my insta is private" stays.
 * - E-mail: also "name@gmail" and the like without ".com".
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse.h"
#include "scrub.h"

/* Per pcre2_match call.  The worst 16 KiB inputs in tests/unit need under
 * 500 steps and a depth of under 50, so these leave wide room for real text
 * while stopping any pattern mistake that would backtrack wildly. */
#define SCRUB_MATCH_LIMIT 100000u
#define SCRUB_DEPTH_LIMIT 1000u
#define SCRUB_HEAP_LIMIT 1024u     /* KiB, interpreter only */

/* Says whether a match is wanted, and may move its end back (trailing
 * punctuation); 0 rejects it.  ov holds every capture pair of the rule. */
typedef int scrub_check_fn(const char *text, const PCRE2_SIZE *ov, size_t *end);

struct scrub_rule {
	enum scrub_kind kind;   /* what a match is */
	const char *pattern;    /* PCRE2 source, UTF mode */
	scrub_check_fn *check;  /* or NULL: every match is wanted */
};

/* The next wanted match of one rule, if any. */
struct scrub_found {
	int ok;        /* 1 if start and end hold a match */
	size_t start;  /* first byte to replace */
	size_t end;    /* one past the last */
};

/* The real postcode areas (Royal Mail), as used by every outward code. */
#define AREAS "(?:A[BL]|B[ABDHLNRST]?|C[ABFHMORTVW]|D[ADEGHLNTY]|E[CHNX]?|F[KY]" \
	"|G[LUY]?|H[ADGPRSUX]|I[GMPV]|JE|K[ATWY]|L[ADELNSU]?|M[EKL]?|N[EGNPRW]?" \
	"|O[LX]|P[AEHLOR]|R[GHM]|S[AEGKLMNOPRSTWY]?|T[ADFNQRSTW]|UB|W[ACDFNRSV]?|YO|ZE)"
#define OUTWARD AREAS "[0-9][0-9A-HJKMNPR-Y]?"
#define MONTHS "(?:january|february|march|april|may|june|july|august|september" \
	"|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)(?![a-z])"
/* One DNS label, taken whole. */
#define LABEL "(?>[\\p{L}\\p{N}][\\p{L}\\p{N}\\-]{0,62})"
/* Not inside a word, a number, an address or after an apostrophe. */
#define DOMAIN_START "(?<![\\p{L}\\p{N}@._\\-/'\\x{2019}])"
#define URL_REST "(?:[/?#][^\\s<>\"]*+)?"
/* Between the digits of a phone number: spaces, dots, dashes, brackets. */
#define PSEP "(?:[ .\\-]{1,3}\\(?|\\)[ .\\-]?|\\()?"

static scrub_check_fn check_trim_url, check_date_dmy_num, check_date_ymd,
	check_date_day, check_nhs, check_ni, check_postcode, check_outward,
	check_handle, check_handle_phrase;

/* In priority order: at the same start the earlier rule wins. */
static const struct scrub_rule scrub_rules[] = {
	{ SCRUB_EMAIL,
	  "(?<![\\p{L}\\p{N}_%+\\-]|[\\p{L}\\p{N}_%+\\-][.'\\x{2019}])"
	  "[\\p{L}\\p{N}_%+\\-]++(?:[.'\\x{2019}][\\p{L}\\p{N}_%+\\-]++)*+@"
	  "(?:(?:" LABEL "\\.){1,10}[A-Za-z]{2,24}(?![\\p{L}\\p{N}\\-])"
	  "|(?i:gmail|googlemail|hotmail|outlook|yahoo|icloud|btinternet|aol|protonmail)"
	  "(?![\\p{L}\\p{N}_\\-]|\\.[\\p{L}\\p{N}]))",
	  NULL },
	{ SCRUB_LINK,
	  "(?i)\\b(?:https?://|www\\.)[\\p{L}\\p{N}][^\\s<>\"]*+",
	  check_trim_url },
	{ SCRUB_DOB, /* 12/03/2010, 3-5-11, 12.03.2010, 03/25/2010 */
	  "(?<![0-9]|[0-9][/.\\-])([0-9]{1,2})([/.\\-])([0-9]{1,2})\\2([0-9]{4}|[0-9]{2})"
	  "(?![0-9]|[/.\\-][0-9])",
	  check_date_dmy_num },
	{ SCRUB_DOB, /* 2010-03-12 */
	  "(?<![0-9]|[0-9][/.\\-])((?:19|20)[0-9]{2})([/.\\-])([0-9]{1,2})\\2([0-9]{1,2})"
	  "(?![0-9]|[/.\\-][0-9])",
	  check_date_ymd },
	{ SCRUB_DOB, /* 12th March 2010, 3rd of May 2011, 12-Mar-2010 */
	  "(?i)(?<![\\p{L}\\p{N}])([0-9]{1,2})(?:st|nd|rd|th)?(?:\\s*+of)?[\\s\\-/.,]*+"
	  MONTHS "\\.?,?[\\s\\-/]*+((?:19|20)[0-9]{2})(?![0-9])",
	  check_date_day },
	{ SCRUB_DOB, /* March 12, 2010 */
	  "(?i)(?<![\\p{L}\\p{N}])" MONTHS "\\.?\\s*+([0-9]{1,2})(?:st|nd|rd|th)?(?![0-9])"
	  "\\s*+,?\\s*+((?:19|20)[0-9]{2})(?![0-9])",
	  check_date_day },
	{ SCRUB_NHS,
	  "(?<![0-9]|[0-9][.,])[0-9]{3}[ \\-]?[0-9]{3}[ \\-]?[0-9]{4}(?![0-9])",
	  check_nhs },
	{ SCRUB_PHONE,
	  "(?<![0-9])(?:(?:\\+[ ]?|00[ ]?)44[ .\\-]?(?:\\(0\\)[ .\\-]?|0)?|\\(?0)"
	  "[1-9](?:" PSEP "[0-9]){8,9}(?![0-9])",
	  NULL },
	{ SCRUB_PHONE, /* other countries: +92 300 1234567, 001 555 123 4567 */
	  "(?<![0-9])(?:\\+[ ]?|00)[1-9](?:" PSEP "[0-9]){7,14}(?![0-9])",
	  NULL },
	{ SCRUB_NI,
	  "(?i)(?<![\\p{L}\\p{N}])(?:[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]|QQ)"
	  "[ \\-]?[0-9](?:[ \\-]?[0-9]){5}[ \\-]?[A-D](?![\\p{L}\\p{N}])",
	  check_ni },
	{ SCRUB_POSTCODE,
	  "(?i)(?<![\\p{L}\\p{N}])(?:" OUTWARD "|GIR)[ ]{0,2}[0-9][ABD-HJLNP-UW-Z]{2}"
	  "(?![\\p{L}\\p{N}])",
	  check_postcode },
	{ SCRUB_POSTCODE, /* group 1: strong context, group 2: weak */
	  "(?i)\\b(?:(post\\s?code(?:\\s+is)?|live[sd]?\\s+(?:in|near|at)|living\\s+(?:in|near|at))"
	  "|(in|at|near|around|from))(?:\\s*+[:\\-]\\s*+|\\s++)\\K" OUTWARD "(?![\\p{L}\\p{N}])",
	  check_outward },
	{ SCRUB_LINK,
	  "(?i)" DOMAIN_START "(?:" LABEL "\\.){1,8}"
	  "(?:com|net|org|edu|gov|uk|io|tv|fm|app|dev|info|biz|xyz|online|site|blog|shop"
	  "|store|eu|ie|de|nl|ca|au|nz|ai|gl|ee)(?![\\p{L}\\p{N}_\\-])" URL_REST,
	  check_trim_url },
	{ SCRUB_LINK,
	  "(?i)" DOMAIN_START "(?:(?:bit\\.ly|youtu\\.be|t\\.me|t\\.co|wa\\.me|m\\.me|linktr\\.ee"
	  "|discord\\.gg)(?![\\p{L}\\p{N}_\\-])|(?:" LABEL "\\.){1,8}"
	  "(?:me|co|ly|be|to|gg|it|is|in|at|so|us|my|cc|la|ws|sh|im|am|do|no|go|fr|es|tk|gd)"
	  "(?=/[^\\s/]))" URL_REST,
	  check_trim_url },
	{ SCRUB_HANDLE,
	  "(?<![\\p{L}\\p{N}_])@"
	  "(?![0-9]{1,2}(?:[:.][0-9]{2})?(?i:\\s*+[ap]\\.?m\\.?)?(?![\\p{L}\\p{N}_]))"
	  "(?=[\\p{N}.]*+[\\p{L}_])[\\p{L}\\p{N}_][\\p{L}\\p{N}_.]*+",
	  check_handle },
	{ SCRUB_HANDLE, /* groups: 1 ':' or '=', 2 " - ", 3 "is", 4 the name */
	  "(?i)\\b(?:snap(?:chat)?|insta(?:gram)?|ig|tik\\s?tok|twitter|discord|twitch|youtube"
	  "|yt|kik|telegram|psn|xbox|gamertag|roblox|steam|facebook|fb|threads|bereal)"
	  "(?:\\s+(?:user\\s?name|name|handle|id|tag|account|acc))?"
	  "(?:\\s*+([:=])\\s*+|\\s+(-)\\s+|\\s+(is)\\s+)\\K(?!@)([\\p{L}\\p{N}_.]{2,40}+)"
	  "(?![\\p{L}\\p{N}_.@])",
	  check_handle_phrase },
};

#define SCRUB_NRULES (sizeof scrub_rules / sizeof scrub_rules[0])

static const char *const scrub_markers[SCRUB_NKINDS] = {
	[SCRUB_EMAIL] = "[email address removed]",
	[SCRUB_PHONE] = "[phone number removed]",
	[SCRUB_POSTCODE] = "[postcode removed]",
	[SCRUB_NI] = "[National Insurance number removed]",
	[SCRUB_NHS] = "[NHS number removed]",
	[SCRUB_LINK] = "[link removed]",
	[SCRUB_HANDLE] = "[social media name removed]",
	[SCRUB_DOB] = "[date of birth removed]",
	[SCRUB_NAME] = "[name removed]",
};

static pcre2_code *scrub_code[SCRUB_NRULES];  /* compiled rules, shared read-only */
static pcre2_match_context *scrub_mctx;       /* the limits, shared read-only */
static uint32_t scrub_pairs;                  /* ovector pairs the largest rule needs */
static int scrub_ready;                       /* 1 between scrub_init and scrub_free */

/* 1 if capture group g took part in the match. */
static int group_set(const PCRE2_SIZE *ov, unsigned g)
{
	return ov[2 * g] != PCRE2_UNSET;
}

/* The value of capture group g, all ASCII digits (at most 4 of them). */
static unsigned group_num(const char *text, const PCRE2_SIZE *ov, unsigned g)
{
	unsigned n = 0;

	for (size_t i = ov[2 * g]; i < ov[2 * g + 1]; i++)
		n = n * 10 + (unsigned)(text[i] - '0');
	return n;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Drops trailing sentence punctuation from a link. */
static int check_trim_url(const char *text, const PCRE2_SIZE *ov, size_t *end)
{
	while (*end > ov[0] && text[*end - 1] != '\0' && strchr(".,;:!?)]}'*", text[*end - 1]))
		(*end)--;
	return *end > ov[0];
}

static int valid_day_month(unsigned d, unsigned m)
{
	return d >= 1 && d <= 31 && m >= 1 && m <= 12;
}

/* Groups: 1 day or month, 2 separator, 3 month or day, 4 year. */
static int check_date_dmy_num(const char *text, const PCRE2_SIZE *ov, size_t *end)
{
	unsigned a = group_num(text, ov, 1), b = group_num(text, ov, 3);
	unsigned y = group_num(text, ov, 4);

	(void)end;
	if (ov[9] - ov[8] == 4) {
		if (y < 1900 || y > 2099)
			return 0;
	} else if (text[ov[4]] == '.' && (ov[3] - ov[2] != 2 || ov[7] - ov[6] != 2)) {
		return 0; /* 1.2.10 is more likely a version; 01.02.10 is a date */
	}
	return valid_day_month(a, b) || valid_day_month(b, a);
}

/* Groups: 1 year, 2 separator, 3 month, 4 day. */
static int check_date_ymd(const char *text, const PCRE2_SIZE *ov, size_t *end)
{
	(void)end;
	return valid_day_month(group_num(text, ov, 4), group_num(text, ov, 3));
}

/* Group 1 is the day of a date with the month in words. */
static int check_date_day(const char *text, const PCRE2_SIZE *ov, size_t *end)
{
	unsigned d = group_num(text, ov, 1);

	(void)end;
	return d >= 1 && d <= 31;
}

/* The NHS modulus 11 check over the ten digits of the match. */
static int check_nhs(const char *text, const PCRE2_SIZE *ov, size_t *end)
{
	unsigned d[10], n = 0, sum = 0, check;

	for (size_t i = ov[0]; i < *end && n < 10; i++)
		if (is_digit(text[i]))
			d[n++] = (unsigned)(text[i] - '0');
	if (n != 10)
		return 0;
	for (unsigned k = 0; k < 9; k++)
		sum += d[k] * (10 - k);
	check = 11 - sum % 11;
	if (check == 11)
		check = 0;
	return check != 10 && check == d[9];
}

/* Refuses the prefixes HMRC never issues that the pattern lets through. */
static int check_ni(const char *text, const PCRE2_SIZE *ov, size_t *end)
{
	static const char *const bad[] = { "BG", "GB", "KN", "NK", "NT", "TN", "ZZ" };

	(void)end;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (strncasecmp(text + ov[0], bad[i], 2) == 0)
			return 0;
	return 1;
}

/* Refuses "S4 2nd": a lower-case ordinal after a space is a school year. */
static int check_postcode(const char *text, const PCRE2_SIZE *ov, size_t *end)
{
	const char *in = text + *end - 3;
	char d = in[0];

	if (*end - ov[0] < 5 || in[-1] != ' ')
		return 1;
	if (strncmp(in + 1, "st", 2) == 0)
		return d != '1';
	if (strncmp(in + 1, "nd", 2) == 0)
		return d != '2';
	if (strncmp(in + 1, "rd", 2) == 0)
		return d != '3';
	if (strncmp(in + 1, "th", 2) == 0)
		return d == '1' || d == '2' || d == '3';
	return 1;
}

/* After a weak word ("in", "at") an outward code needs 3 or 4 characters. */
static int check_outward(const char *text, const PCRE2_SIZE *ov, size_t *end)
{
	(void)text;
	return !group_set(ov, 2) || *end - ov[0] >= 3;
}

/* Drops the dots that end a sentence after an @name. */
static int check_handle(const char *text, const PCRE2_SIZE *ov, size_t *end)
{
	while (*end > ov[0] + 1 && text[*end - 1] == '.')
		(*end)--;
	return *end > ov[0] + 1;
}

/* Group 3 set: "snap is name", else "snap: name"; the name starts at ov[0]. */
static int check_handle_phrase(const char *text, const PCRE2_SIZE *ov, size_t *end)
{
	static const char *const plain[] = { "no", "none", "nope", "na", "nah", "yes", "yeah",
		"private", "idk", "dont", "don", "not", "never", "nothing" };
	size_t n;

	while (*end > ov[0] && text[*end - 1] == '.')
		(*end)--;
	n = *end - ov[0];
	if (n < 2)
		return 0;
	if (group_set(ov, 3)) {
		for (size_t i = ov[0]; i < *end; i++)
			if (is_digit(text[i]) || text[i] == '_' || text[i] == '.')
				return 1;
		return 0;
	}
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
		if (strlen(plain[i]) == n && strncasecmp(text + ov[0], plain[i], n) == 0)
			return 0;
	return 1;
}

enum sv_err scrub_init(void)
{
	enum sv_err rc = SV_OK;

	if (scrub_ready)
		return SV_OK;
	scrub_mctx = pcre2_match_context_create(NULL);
	if (!scrub_mctx) {
		rc = SV_ERR_NOMEM;
		goto out;
	}
	pcre2_set_match_limit(scrub_mctx, SCRUB_MATCH_LIMIT);
	pcre2_set_depth_limit(scrub_mctx, SCRUB_DEPTH_LIMIT);
	pcre2_set_heap_limit(scrub_mctx, SCRUB_HEAP_LIMIT);
	const char *env = getenv("YOUTHVOICE_NO_JIT");
	int no_jit = env && strcmp(env, "1") == 0;
	scrub_pairs = 1;
	for (size_t r = 0; r < SCRUB_NRULES; r++) {
		int errcode;
		PCRE2_SIZE erroff;
		uint32_t captures = 0;

		scrub_code[r] = pcre2_compile((PCRE2_SPTR)scrub_rules[r].pattern,
					      PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_NEVER_BACKSLASH_C,
					      &errcode, &erroff, NULL);
		if (!scrub_code[r]) {
			PCRE2_UCHAR msg[120];
			if (errcode == PCRE2_ERROR_HEAP_FAILED) {
				rc = SV_ERR_NOMEM;
				goto out;
			}
			pcre2_get_error_message(errcode, msg, sizeof msg);
			fprintf(stderr, "scrub: rule %zu does not compile at offset %zu: %s\n", r,
				(size_t)erroff, (const char *)msg);
			rc = SV_ERR_INVALID;
			goto out;
		}
		/* Without JIT (or if it fails) the interpreter is used.  valgrind
		 * cannot follow JIT code and reports false errors in it, so
		 * YOUTHVOICE_NO_JIT=1 (make valgrind) asks for the interpreter. */
		if (!no_jit)
			(void)pcre2_jit_compile(scrub_code[r], PCRE2_JIT_COMPLETE);
		pcre2_pattern_info(scrub_code[r], PCRE2_INFO_CAPTURECOUNT, &captures);
		if (captures + 1 > scrub_pairs)
			scrub_pairs = captures + 1;
	}
	scrub_ready = 1;
out:
	if (rc)
		scrub_free();
	return rc;
}

void scrub_free(void)
{
	for (size_t r = 0; r < SCRUB_NRULES; r++) {
		pcre2_code_free(scrub_code[r]);
		scrub_code[r] = NULL;
	}
	pcre2_match_context_free(scrub_mctx);
	scrub_mctx = NULL;
	scrub_ready = 0;
}

const char *scrub_marker(enum scrub_kind kind)
{
	if ((unsigned)kind >= SCRUB_NKINDS)
		return "[personal data removed]";
	return scrub_markers[kind];
}

/* The offset of the character after the one at i. */
static size_t next_char(const char *text, size_t len, size_t i)
{
	i++;
	while (i < len && ((unsigned char)text[i] & 0xc0) == 0x80)
		i++;
	return i;
}

static enum sv_err err_from_pcre(int rc)
{
	switch (rc) {
	case PCRE2_ERROR_MATCHLIMIT:
	case PCRE2_ERROR_DEPTHLIMIT:
	case PCRE2_ERROR_HEAPLIMIT:
	case PCRE2_ERROR_JIT_STACKLIMIT:
		return SV_ERR_TOOBIG;
	case PCRE2_ERROR_NOMEMORY:
		return SV_ERR_NOMEM;
	default:
		return SV_ERR_INVALID;
	}
}

/* Finds the first wanted match of rule r starting at or after from. */
static enum sv_err find_next(size_t r, const char *text, size_t len, size_t from,
			     pcre2_match_data *md, struct scrub_found *f /* OUT */)
{
	const struct scrub_rule *rule = &scrub_rules[r];

	f->ok = 0;
	while (from < len) {
		int rc = pcre2_match(scrub_code[r], (PCRE2_SPTR)text, len, from,
				     PCRE2_NO_UTF_CHECK, md, scrub_mctx);
		if (rc == PCRE2_ERROR_NOMATCH)
			return SV_OK;
		if (rc <= 0)
			return rc == 0 ? SV_ERR_INVALID : err_from_pcre(rc);
		const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		size_t end = ov[1];
		if (end > ov[0] && (!rule->check || rule->check(text, ov, &end))) {
			f->ok = 1;
			f->start = ov[0];
			f->end = end;
			return SV_OK;
		}
		from = next_char(text, len, ov[0]);
	}
	return SV_OK;
}

enum sv_err scrub_text(const char *text, size_t len, struct sbuf *out, unsigned counts[SCRUB_NKINDS])
{
	struct scrub_found found[SCRUB_NRULES];
	unsigned seen[SCRUB_NKINDS] = { 0 };
	pcre2_match_data *md = NULL;
	size_t before = out->len, pos = 0;
	enum sv_err rc = SV_OK;

	if (!scrub_ready || (!text && len)) {
		rc = SV_ERR_INVALID;
		goto out;
	}
	if (len == 0)
		goto out;
	if (!utf8_valid(text, len)) {
		rc = SV_ERR_INVALID;
		goto out;
	}
	md = pcre2_match_data_create(scrub_pairs, NULL);
	if (!md) {
		rc = SV_ERR_NOMEM;
		goto out;
	}
	for (size_t r = 0; r < SCRUB_NRULES; r++) {
		rc = find_next(r, text, len, 0, md, &found[r]);
		if (rc)
			goto out;
	}
	for (;;) {
		size_t best = SCRUB_NRULES;
		for (size_t r = 0; r < SCRUB_NRULES; r++)
			if (found[r].ok && (best == SCRUB_NRULES || found[r].start < found[best].start))
				best = r;
		if (best == SCRUB_NRULES)
			break;
		enum scrub_kind kind = scrub_rules[best].kind;
		sbuf_add(out, text + pos, found[best].start - pos);
		sbuf_adds(out, scrub_markers[kind]);
		seen[kind]++;
		pos = found[best].end;
		for (size_t r = 0; r < SCRUB_NRULES; r++) {
			if (!found[r].ok || found[r].start >= pos)
				continue;
			rc = find_next(r, text, len, pos, md, &found[r]);
			if (rc)
				goto out;
		}
	}
	sbuf_add(out, text + pos, len - pos);
	rc = out->err;
out:
	pcre2_match_data_free(md);
	if (rc) {
		/* Nothing half-scrubbed may be stored by mistake. */
		if (out->buf && out->len > before) {
			out->len = before;
			out->buf[before] = '\0';
		}
		if (!out->err)
			out->err = rc;
		return rc;
	}
	if (counts)
		for (unsigned k = 0; k < SCRUB_NKINDS; k++)
			counts[k] += seen[k];
	return SV_OK;
}
