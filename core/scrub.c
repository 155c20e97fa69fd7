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
 * - E-mail: also "name@gmail" and the like without ".com", and the ways
 *   people dodge filters: "jo @ gmail.com", "jo[at]gmail.com", "jo (at) x
 *   (dot) com", "jo dot b at gmail dot com" (a domain ending in a real TLD
 *   is needed, so "look at gmail" stays).  "jessb dot com" is a link.
 * - Phone: also "0 7700 900123" (a space after the 0, when no digit follows
 *   the number, so "0 7 0 7 ..." stays), "07700/900123" and "447700900123".
 *   Public helplines (NSPCC, Papyrus, Frank, Mind, The Mix, Refuge,
 *   Switchboard, Victim Support) stay: they are nobody's own number.
 * - Handles after an app's name ("snap:", "tt -", "my insta is", "add me on
 *   snapchat", "on twitch as", "snap me") go when the word looks like a
 *   handle (a digit, '_', '.', an inner capital) or is not a common English
 *   word (scrub_words.c).  So "YouTube: loads of videos", "twitter: people are
 *   mean" and "my insta is private" stay, while "snap: jessx" and "my insta
 *   is jadeyyy" go.  Without "my" or an invitation ("snapchat is jess") only
 *   a handle-looking word goes.  A Discord tag name#1234 goes anywhere.
 * - Date of birth: after "dob", "born", "birthday", "bday" also a date
 *   without a year ("my birthday is 12th march"), "12 03 10", and 120310 or
 *   12032010; anywhere else "12 03 2010" (spaces, four-digit year).
 * - Names: only a name someone gives as their own: after "my name is",
 *   "name:", "call me", "I'm called"; "hi I'm Jade"; "I'm Jade" followed by
 *   "from", ", 14", "and I'm 14"; a signature "- Jade, 15", "~ Jade (15)",
 *   a line or sentence "Jade, 14", "thanks, Callum", "love from Grace x",
 *   "Mo here,".  The name must not be a common word ("they call me names",
 *   "I'm Polish from ...").  Names anywhere else in prose ("Jade and me went")
 *   are NOT recognised and stay: forms ask people not to write them.
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
#include "scrub_int.h"

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
#define PSEP "(?:[ .\\-]{1,3}\\(?|\\)[ .\\-]?|\\(|/)?"
/* An e-mail address written to dodge filters: "jo [at] gmail [dot] com". */
#define OBF_LOCAL "[\\p{L}\\p{N}_%+\\-]++(?:(?:[.'\\x{2019}]|\\s++(?:dot|underscore|dash)\\s++)" \
	"[\\p{L}\\p{N}_%+\\-]++)*+"
#define OBF_AT "(?:\\s*+(?:@|\\[\\s*+(?:at|@)\\s*+\\]|\\(\\s*+(?:at|@)\\s*+\\)|\\{\\s*+(?:at|@)\\s*+\\}" \
	"|<\\s*+at\\s*+>)\\s*+|\\s++at\\s++)"
#define OBF_DOT "(?:\\s*+(?:\\.|\\[\\s*+(?:dot|\\.)\\s*+\\]|\\(\\s*+(?:dot|\\.)\\s*+\\)|\\{\\s*+dot\\s*+\\})\\s*+" \
	"|\\s++dot\\s++)"
#define OBF_TLD "(?:com|net|org|uk|io|me|edu|gov|info|biz|ie|eu|de|fr|es|nl|ca|au|nz|app|dev|xyz|online)" \
	"(?![\\p{L}\\p{N}\\-])"
/* Apps whose names people give after "snap:", "my insta is", "add me on ...". */
#define APPS "(snap(?:chat)?|sc|insta(?:gram)?|ig|tik\\s?tok|tt|twitter|x|discord|twitch|youtube|yt" \
	"|kik|telegram|psn|xbox|xbl|gamertag|roblox|steam|facebook|fb|threads|bereal|fortnite" \
	"|minecraft|reddit|pinterest|tumblr|spotify|soundcloud|playstation|ps[345]?)"
/* A name as people write their own: letters, maybe a hyphen (Mary-Jane). */
#define NAME "(\\p{L}[\\p{L}\\-]{0,30}+)"
/* A name, then maybe a surname (groups 1, 2 the space, 3). */
#define NAMES NAME "(?:([ \\t]++)" NAME ")?"
/* An age after a signed name: ", 15", " (15)", ", aged 15", then at most a
 * place and the end of the line. */
#define AGE_TAIL "(?:\\s*,\\s*+|[ \\t]++|\\s*\\(\\s*+)(?:aged?\\s*+)?(?:[5-9]|1[0-9]|2[0-5])(?![0-9])" \
	"\\s*+\\)?(?:\\s*+[,.]\\s*+[\\p{L} ]{0,40}+)?[.!]?[ \\t]*+(?:$|[\\r\\n])"

static scrub_check_fn check_email_words, check_trim_url, check_date_dmy_num, check_date_ymd,
	check_date_day, check_date_context, check_nhs, check_phone, check_ni, check_postcode,
	check_outward, check_handle, check_handle_phrase, check_link_words, check_name_given,
	check_name_intro, check_name_line;

/* In priority order: at the same start the earlier rule wins. */
static const struct scrub_rule scrub_rules[] = {
	{ SCRUB_EMAIL,
	  "(?<![\\p{L}\\p{N}_%+\\-]|[\\p{L}\\p{N}_%+\\-][.'\\x{2019}])"
	  "[\\p{L}\\p{N}_%+\\-]++(?:[.'\\x{2019}][\\p{L}\\p{N}_%+\\-]++)*+@"
	  "(?:(?:" LABEL "\\.){1,10}[A-Za-z]{2,24}(?![\\p{L}\\p{N}\\-])"
	  "|(?i:gmail|googlemail|hotmail|outlook|yahoo|icloud|btinternet|aol|protonmail)"
	  "(?![\\p{L}\\p{N}_\\-]|\\.[\\p{L}\\p{N}]))",
	  NULL },
	{ SCRUB_EMAIL, /* jo [at] gmail [dot] com, jo.b @ gmail.com, jo at gmail dot com */
	  "(?i)(?<![\\p{L}\\p{N}_%+\\-.@'\\x{2019}])(?<!\\bdot\\s)(?<!\\bunderscore\\s)"
	  "(" OBF_LOCAL ")(" OBF_AT ")(?:" LABEL OBF_DOT "){1,4}" OBF_TLD,
	  check_email_words },
	{ SCRUB_LINK,
	  "(?i)\\b(?:https?://|www\\.)[\\p{L}\\p{N}][^\\s<>\"]*+",
	  check_trim_url },
	{ SCRUB_DOB, /* after "dob", "born", "birthday": also without a year, 120310 */
	  "(?i)\\b(?:d\\.?o\\.?b\\.?|date\\s+of\\s+birth|born(?:\\s+on)?"
	  "|(?:birthday|b[\\-']?day)(?:\\s+is)?(?:\\s+on)?)\\s*+[:\\-=]?\\s*+(?:the\\s+)?\\K"
	  "(?:([0-9]{1,2})(?:st|nd|rd|th)?(?:\\s*+of)?[\\s\\-/.]*+" MONTHS
	  "(?:\\.?,?[\\s\\-/]*+(?:(?:19|20)[0-9]{2}|[0-9]{2}))?"
	  "|" MONTHS "\\.?\\s*+[0-9]{1,2}(?:st|nd|rd|th)?(?:,?\\s*+(?:(?:19|20)[0-9]{2}|[0-9]{2}))?"
	  "|[0-9]{1,2}\\s?[/.\\-]\\s?[0-9]{1,2}(?:\\s?[/.\\-]\\s?(?:[0-9]{4}|[0-9]{2}))?"
	  "|[0-9]{1,2}[ ][0-9]{1,2}[ ](?:[0-9]{4}|[0-9]{2})"
	  "|([0-9]{6}|[0-9]{8}))(?![0-9])",
	  check_date_context },
	{ SCRUB_DOB, /* 12/03/2010, 3-5-11, 12.03.2010, 03/25/2010, 12 03 2010 */
	  "(?<![0-9]|[0-9][/.\\-])([0-9]{1,2})([ ]?[/.\\-][ ]?|[ ])([0-9]{1,2})\\2([0-9]{4}|[0-9]{2})"
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
	  check_phone },
	{ SCRUB_PHONE, /* 0 7700 900123: a space after the 0, and nothing numeric after */
	  "(?<![0-9]|[0-9][ .\\-])0[ .\\-]{1,2}[1-9](?:" PSEP "[0-9]){8,9}(?![0-9]|[ .\\-/]{1,3}[0-9])",
	  check_phone },
	{ SCRUB_PHONE, /* 447700900123: a mobile with the country code but no + */
	  "(?<![0-9+])44[ .\\-]?7(?:" PSEP "[0-9]){9}(?![0-9])",
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
	{ SCRUB_LINK, /* jessb dot com, example dot co dot uk */
	  "(?i)" DOMAIN_START "(?<!\\bdot\\s)(" LABEL ")(?:\\s++dot\\s++" LABEL "){0,3}?\\s++dot\\s++"
	  "(?:co\\s++dot\\s++uk|com|net|org|uk|io|tv|me)(?![\\p{L}\\p{N}_\\-])",
	  check_link_words },
	{ SCRUB_HANDLE, /* an old Discord tag: name#1234 */
	  "(?<![\\p{L}\\p{N}_.#@])[\\p{L}\\p{N}_.]{2,32}+#[0-9]{4}(?![\\p{L}\\p{N}_])",
	  NULL },
	{ SCRUB_HANDLE,
	  "(?<![\\p{L}\\p{N}_])@"
	  "(?![0-9]{1,2}(?:[:.][0-9]{2})?(?i:\\s*+[ap]\\.?m\\.?)?(?![\\p{L}\\p{N}_]))"
	  "(?=[\\p{N}.]*+[\\p{L}_])[\\p{L}\\p{N}_][\\p{L}\\p{N}_.]*+",
	  check_handle },
	{ SCRUB_HANDLE,
	  /* groups: 1 "add me on", 2 "my", 3 the app, then how the name follows:
	   * 4 ':' or '=', 5 a dash, 6 "is", 7 "as", 8 "me", 9 a space; 10 the name */
	  "(?i)\\b(?:((?:add|follow|message|msg|dm|find|hmu|text|sub(?:scribe)?)\\s+"
	  "(?:(?:me|us)\\s+(?:on|at|@)|my|to\\s+my)\\s+)|(my|our)\\s+)?"
	  APPS "(?:\\s+(?:user\\s?name|name|handle|id|tag|account|acc|channel|gamertag|@))?"
	  "(?:\\s*+([:=])\\s*+|\\s+([\\-\\x{2013}])\\s+|\\s+(is|its|it'?s|it\\x{2019}s)\\s+"
	  "|\\s+(as)\\s+|\\s+(me)\\s+|([ \\t]+))"
	  "\\K(?!@)([\\p{L}\\p{N}_.]{2,40}+)(?![\\p{L}\\p{N}_.@#'\\x{2019}])",
	  check_handle_phrase },
	{ SCRUB_NAME, /* my name is Jade, name: Jade, call me Jade, I'm called Jade */
	  "(?i)\\b(?:my\\s+(?:(?:full|first|real|actual|nick|last|sur)\\s*+)?name(?:\\s+is|\\s*+'s"
	  "|\\s*+\\x{2019}s|s)|(?<![\\p{L}\\[])name\\s*+[:=\\-]|i\\s*+['\\x{2019}]?\\s*+a?m\\s+called"
	  "|calls?\\s+me|i\\s*+['\\x{2019}]?\\s*+a?m\\s+known\\s+as|known\\s+as)\\s*+[:\\-]?\\s*+\\K"
	  NAMES "(?![\\p{L}\\p{N}_@#])",
	  check_name_given },
	{ SCRUB_NAME, /* hi I'm Jade; I'm Jade from ..., I'm Jade, 14; this is Jade, 14 */
	  "(?i)(?:\\b(?:hi|hello|hey|hiya|heya)\\b[\\s,!.]*+(?:i\\s*+['\\x{2019}]?\\s*+m|i\\s+am"
	  "|it\\s*+['\\x{2019}]?\\s*+s|this\\s+is)\\s++\\K" NAMES "(?![\\p{L}\\p{N}_@#'\\x{2019}])"
	  "|\\b(i\\s*+['\\x{2019}]?\\s*+m|i\\s+am|this\\s+is)\\s++\\K" NAMES
	  "(?=\\s*+,\\s*+(?:aged?\\s*+)?[0-9]{1,2}(?![0-9])|\\s*+\\(\\s*+[0-9]{1,2}\\s*+\\)"
	  "|\\s++from\\s|\\s++here\\b|\\s++and\\s++(?:i\\s*+['\\x{2019}]?\\s*+m|i\\s+am)\\s++[0-9]{1,2}\\b"
	  "|\\s*+,\\s*+(?:year|yr|y)\\s*+[0-9]{1,2}\\b"
	  "|\\s*+,\\s*+(?:and\\s++)?(?:i\\s*+['\\x{2019}]?\\s*+m|i\\s+am)\\s++[0-9]{1,2}\\b"
	  "|\\s++(?:aged?\\s++)?[0-9]{1,2}\\s*+(?:years?\\s+old|yo|yrs?)\\b))",
	  check_name_intro },
	{ SCRUB_NAME, /* - Jade, 15;  ~ Jade (15);  -Jade 15 */
	  "(?<![\\p{L}\\p{N}])[\\-\\x{2013}\\x{2014}~]++\\s*+\\K" NAMES "(?=" AGE_TAIL ")",
	  check_name_intro },
	{ SCRUB_NAME, /* a line or sentence that is a name and an age: "Jade, 14", "From Jade, 14" */
	  "(?im)(?:^|[.!?\"\\x{201D}]\\s*+)[ \\t]*+(?:(?:from|by|written\\s+by|love(?:\\s+from)?)\\s+)?\\K"
	  NAMES "(?=" AGE_TAIL ")",
	  check_name_line },
	{ SCRUB_NAME, /* sign-offs at the end: thanks, Callum; love from Grace x; Mo here */
	  "(?i)(?:\\b(?:thanks|thank\\s+you|thx|cheers|love(?:\\s+from)?|lots\\s+of\\s+love"
	  "|best\\s+wishes|regards)(?:\\s*+,\\s*+|\\s++)\\K" NAMES
	  "(?=\\s*+(?:x++|xo)?\\s*+[.!]?\\s*+$)"
	  "|(?m)^[ \\t]*+\\K" NAMES "(?=\\s++here\\s*+[,.!\\-]))",
	  check_name_line },
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

	int dot = memchr(text + ov[4], '.', ov[5] - ov[4]) != NULL;

	(void)end;
	if (ov[9] - ov[8] == 4) {
		if (y < 1900 || y > 2099)
			return 0;
	} else if (text[ov[4]] == ' ' && ov[5] - ov[4] == 1) {
		return 0; /* "12 03 10" only after "dob" or "born" (check_date_context) */
	} else if (dot && (ov[3] - ov[2] != 2 || ov[7] - ov[6] != 2)) {
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

/* How a word after "snap:" or "my name is" reads. */
enum word_class {
	WORD_COMMON,   /* an English word or slang: talk, not a name */
	WORD_PLAIN,    /* letters only, not a known word: a name or a handle */
	WORD_HANDLE,   /* has a digit, '_', '.' or an inner capital: only a handle looks so */
	WORD_NUMBER,   /* no letter, or a number with a unit: "2hrs", "10k" */
};

static int is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static int is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static enum word_class word_class(const char *w, size_t n)
{
	size_t digits = 0, letters = 0, lead_digits = 0;
	int marks = 0, inner_cap = 0;

	for (size_t i = 0; i < n; i++) {
		char c = w[i];
		if (is_digit(c)) {
			digits++;
			if (letters == 0)
				lead_digits++;
		} else if (c == '_' || c == '.') {
			marks = 1;
		} else {
			letters++;
			if (i > 0 && is_upper(c) && is_lower(w[i - 1]))
				inner_cap = 1;
		}
	}
	if (letters == 0 || (lead_digits == digits && digits > 0 && !marks && letters <= 4))
		return WORD_NUMBER;
	if (digits || marks || inner_cap)
		return WORD_HANDLE;
	return scrub_common_word(w, n) ? WORD_COMMON : WORD_PLAIN;
}

/* Groups: 1 "add me on", 2 "my", 3 the app, 4 ':' or '=', 5 a dash, 6 "is",
 * 7 "as", 8 "me", 9 a space, 10 the name (which starts at ov[0]). */
static int check_handle_phrase(const char *text, const PCRE2_SIZE *ov, size_t *end)
{
	enum word_class wc;
	int invited = group_set(ov, 1), mine = group_set(ov, 2);

	while (*end > ov[0] && text[*end - 1] == '.')
		(*end)--;
	if (*end - ov[0] < 2)
		return 0;
	wc = word_class(text + ov[0], *end - ov[0]);
	if (wc == WORD_COMMON || wc == WORD_NUMBER)
		return 0;
	/* "x" is a kiss as often as an app: only "x: name" and "my x is name". */
	if (ov[7] - ov[6] == 1 && !group_set(ov, 4) && !(group_set(ov, 6) && mine))
		return 0;
	if (group_set(ov, 4) || group_set(ov, 5) || group_set(ov, 7) || group_set(ov, 8))
		return 1;
	if (group_set(ov, 6))
		return wc == WORD_HANDLE || invited || mine;
	return wc == WORD_HANDLE || invited; /* "add me on snap jessx", "my snap jess_22" */
}

/* "jess at gmail dot com", not "it was at bbc.co.uk": with the plain word
 * "at", a local part that is one common word is talk.  Groups: 1 the local
 * part, 2 the "at". */
static int check_email_words(const char *text, const PCRE2_SIZE *ov, size_t *end)
{
	size_t a = ov[4], b = ov[5];

	(void)end;
	while (a < b && (text[a] == ' ' || text[a] == '\t' || text[a] == '\n' || text[a] == '\r'))
		a++;
	if (b - a < 2 || strncasecmp(text + a, "at", 2) != 0)
		return 1;
	return word_class(text + ov[2], ov[3] - ov[2]) != WORD_COMMON;
}

/* "jessb dot com", not "the dot com era". Group 1 is the first label. */
static int check_link_words(const char *text, const PCRE2_SIZE *ov, size_t *end)
{
	static const char *const not_site[] = { "the", "a", "this", "that", "its", "my", "your",
		"his", "her", "our", "their", "like", "whole", "old" };
	size_t n = ov[3] - ov[2];

	(void)end;
	for (size_t i = 0; i < sizeof not_site / sizeof not_site[0]; i++)
		if (strlen(not_site[i]) == n && strncasecmp(text + ov[2], not_site[i], n) == 0)
			return 0;
	return 1;
}

/* A date after "dob", "born", "birthday".  Group 2, when set, is 6 or 8 digits
 * (120310, 12032010): the first two must be a day and the next two a month. */
static int check_date_context(const char *text, const PCRE2_SIZE *ov, size_t *end)
{
	(void)end;
	if (group_set(ov, 1) && (group_num(text, ov, 1) < 1 || group_num(text, ov, 1) > 31))
		return 0;
	if (!group_set(ov, 2))
		return 1;
	const char *d = text + ov[4];
	unsigned day = (unsigned)(d[0] - '0') * 10 + (unsigned)(d[1] - '0');
	unsigned month = (unsigned)(d[2] - '0') * 10 + (unsigned)(d[3] - '0');
	return valid_day_month(day, month);
}

/* Public helplines people write about, not anyone's own number. */
static int check_phone(const char *text, const PCRE2_SIZE *ov, size_t *end)
{
	static const char *const helplines[] = {
		"08088005000",  /* NSPCC */
		"08000684141",  /* Papyrus HOPELINEUK */
		"03001236600",  /* Frank */
		"08082000247",  /* National Domestic Abuse Helpline (Refuge) */
		"03001233393",  /* Mind infoline */
		"08088084994",  /* The Mix */
		"08000119100",  /* Switchboard LGBT+ */
		"08081689111",  /* Victim Support */
	};
	char digits[24];
	size_t n = 0;

	for (size_t i = ov[0]; i < *end && n < sizeof digits - 1; i++)
		if (is_digit(text[i]))
			digits[n++] = text[i];
	digits[n] = '\0';
	for (size_t i = 0; i < sizeof helplines / sizeof helplines[0]; i++)
		if (strcmp(digits, helplines[i]) == 0)
			return 0;
	return 1;
}

/* A word of a name: where it starts and how long it is. */
struct name_word {
	const char *p;  /* first byte */
	size_t n;       /* bytes */
};

/* Splits the match (one or two words) at the first space or tab. */
static int name_words(const char *text, size_t start, size_t end, struct name_word w[2])
{
	size_t i = start;

	while (i < end && text[i] != ' ' && text[i] != '\t')
		i++;
	w[0].p = text + start;
	w[0].n = i - start;
	while (i < end && (text[i] == ' ' || text[i] == '\t'))
		i++;
	w[1].p = text + i;
	w[1].n = end - i;
	return w[1].n ? 2 : 1;
}

/* First letter capital and some lower case after it (not "GCSE"); a
 * non-ASCII first letter counts as capital. */
static int capitalised(const struct name_word *w)
{
	unsigned char c = (unsigned char)w->p[0];
	int lower = 0;

	if (!(is_upper(w->p[0]) || c >= 0x80))
		return 0;
	for (size_t i = 1; i < w->n; i++)
		lower |= is_lower(w->p[i]) || (unsigned char)w->p[i] >= 0x80;
	return lower;
}

/* Words that follow "my name is" when no name does. */
static int name_stop(const struct name_word *w)
{
	static const char *const stop[] = { "a", "an", "the", "not", "on", "in", "is", "at", "of",
		"and", "or", "but", "so", "too", "very", "really", "just", "also", "always", "never",
		"spelt", "spelled", "written", "private", "secret", "hidden", "none", "nothing",
		"unknown", "important", "hard", "weird", "long", "short", "same", "different", "there",
		"here", "what", "who", "down", "up", "out", "me", "it", "that", "this", "my", "your",
		"names", "if", "when", "because", "to", "for", "with", "by", "from" };

	for (size_t i = 0; i < sizeof stop / sizeof stop[0]; i++)
		if (strlen(stop[i]) == w->n && strncasecmp(w->p, stop[i], w->n) == 0)
			return 1;
	return 0;
}

/* Ends the match after the first word, or keeps a surname. */
static size_t name_end(const char *text, const struct name_word w[2], int nw)
{
	if (nw == 2 && !scrub_common_word(w[1].p, w[1].n) && !name_stop(&w[1]) &&
	    (!capitalised(&w[0]) || capitalised(&w[1])))
		return (size_t)(w[1].p + w[1].n - text);
	return (size_t)(w[0].p + w[0].n - text);
}

/* After "my name is", "name:", "call me": a capitalised word unless it is a
 * plain stop word ("my name is Not important"), a lower-case one unless it
 * is a common word ("they call me names"). */
static int check_name_given(const char *text, const PCRE2_SIZE *ov, size_t *end)
{
	struct name_word w[2];
	int nw = name_words(text, ov[0], *end, w);

	if (name_stop(&w[0]) || (!capitalised(&w[0]) && scrub_common_word(w[0].p, w[0].n)))
		return 0;
	*end = name_end(text, w, nw);
	return 1;
}

/* "hi I'm Jade", "I'm Jade from ...", "I'm Jade, 14", "- jade, 15": any
 * case, never a common word ("I'm Polish and", "hi I'm new here"). */
static int check_name_intro(const char *text, const PCRE2_SIZE *ov, size_t *end)
{
	struct name_word w[2];
	int nw = name_words(text, ov[0], *end, w);

	if (name_stop(&w[0]) || scrub_common_word(w[0].p, w[0].n))
		return 0;
	*end = name_end(text, w, nw);
	return 1;
}

/* "Jade, 14" on its own line or sentence, "thanks, Callum", "Mo here":
 * capitalised and not a common word ("Year 10", "Football, 15" stay). */
static int check_name_line(const char *text, const PCRE2_SIZE *ov, size_t *end)
{
	struct name_word w[2];

	name_words(text, ov[0], *end, w);
	if (!capitalised(&w[0]))
		return 0;
	return check_name_intro(text, ov, end);
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
