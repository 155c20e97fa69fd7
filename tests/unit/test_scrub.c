/*
 * test_scrub.c - core/scrub: every kind of personal data in its common
 * spellings, the look-alikes that must stay (ages, school years, times,
 * prices, scores, dates without a year, "@ 5", emoji, Urdu), the choices for
 * ambiguous text, priority between kinds, counts, markers in the input,
 * empty and unterminated input, bad UTF-8, 16 KiB hostile inputs, several
 * threads at once, and init/free (leak-free under ASan).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../core/scrub.h"
#include "check.h"

#define EM "[email address removed]"
#define PH "[phone number removed]"
#define PC "[postcode removed]"
#define NI "[National Insurance number removed]"
#define NHS "[NHS number removed]"
#define LK "[link removed]"
#define HD "[social media name removed]"
#define DOB "[date of birth removed]"
#define NM "[name removed]"

static struct sbuf out;                /* the last result */
static unsigned counts[SCRUB_NKINDS];  /* the last counts */

/* Scrubs a NUL-ended string into out; the result, or "(error N)". */
static const char *scrub(const char *s)
{
	static char err[32];
	enum sv_err rc;

	sbuf_reset(&out);
	sbuf_add(&out, "", 0);
	memset(counts, 0, sizeof counts);
	rc = scrub_text(s, strlen(s), &out, counts);
	if (rc) {
		snprintf(err, sizeof err, "(error %d)", (int)rc);
		return err;
	}
	return out.buf;
}

/* Markers added by the last scrub, over all kinds. */
static unsigned total(void)
{
	unsigned n = 0;

	for (int k = 0; k < SCRUB_NKINDS; k++)
		n += counts[k];
	return n;
}

#define SAME(s) do { CHECK_STR(scrub(s), s); CHECK(total() == 0); } while (0)
#define GIVES(s, want) CHECK_STR(scrub(s), want)

/* Each raw item in "before <item> after" becomes the marker, counted once as kind. */
static void check_items(const char *const *items, size_t n, const char *marker,
			enum scrub_kind kind)
{
	char in[256], want[256];

	for (size_t i = 0; i < n; i++) {
		snprintf(in, sizeof in, "before %s after", items[i]);
		snprintf(want, sizeof want, "before %s after", marker);
		CHECK_STR(scrub(in), want);
		if (counts[kind] != 1 || total() != 1)
			fprintf(stderr, "  counts wrong for \"%s\"\n", items[i]);
		CHECK(counts[kind] == 1 && total() == 1);
	}
}

/* Each item stays exactly as written, alone and in a sentence. */
static void check_kept(const char *const *items, size_t n)
{
	char in[256];

	for (size_t i = 0; i < n; i++) {
		SAME(items[i]);
		snprintf(in, sizeof in, "so %s ok", items[i]);
		SAME(in);
	}
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_markers(void)
{
	CHECK_STR(scrub_marker(SCRUB_EMAIL), EM);
	CHECK_STR(scrub_marker(SCRUB_PHONE), PH);
	CHECK_STR(scrub_marker(SCRUB_POSTCODE), PC);
	CHECK_STR(scrub_marker(SCRUB_NI), NI);
	CHECK_STR(scrub_marker(SCRUB_NHS), NHS);
	CHECK_STR(scrub_marker(SCRUB_LINK), LK);
	CHECK_STR(scrub_marker(SCRUB_HANDLE), HD);
	CHECK_STR(scrub_marker(SCRUB_DOB), DOB);
	CHECK_STR(scrub_marker(SCRUB_NAME), NM);
	CHECK_STR(scrub_marker(SCRUB_NKINDS), "[personal data removed]");
	CHECK_STR(scrub_marker((enum scrub_kind)-1), "[personal data removed]");
}

static void test_email(void)
{
	static const char *const yes[] = {
		"jo.bloggs@example.com", "first.last+tag@mail.dept.example.ac.uk",
		"JANE_DOE99@Hotmail.CO.UK", "jo-x@sub.example.org", "j.o'brien@example.com",
		"me@gmail", "you@hotmail", "Ahmed_99@yahoo.co.uk", "jos\xc3\xa9.garc\xc3\xad" "a@correo.es",
		"a1%b@x-y.io", "07700900123@sms.example.com",
	};
	static const char *const no[] = {
		"jo@localhost", "a @ b", "email@", "me@home", "look at gmail", "jo at home dot",
	};

	check_items(yes, N(yes), EM, SCRUB_EMAIL);
	GIVES("email me at jo.bloggs@example.com please", "email me at " EM " please");
	GIVES("first.last+tag@mail.example.ac.uk.", EM ".");
	GIVES("<jo@example.com> (jo@example.com) \"jo@example.com\"",
	      "<" EM "> (" EM ") \"" EM "\"");
	GIVES("later...john@x.com", "later..." EM);
	GIVES("'jo@x.com' it's jo@x.com", "'" EM "' it's " EM);
	GIVES("me@gmail or you@hotmail", EM " or " EM);
	CHECK(counts[SCRUB_EMAIL] == 2 && counts[SCRUB_HANDLE] == 0);
	/* An e-mail is never partly a handle or a link. */
	GIVES("jess@instagram.com", EM);
	CHECK(counts[SCRUB_EMAIL] == 1 && counts[SCRUB_HANDLE] == 0 && counts[SCRUB_LINK] == 0);
	GIVES("Ahmed_99@yahoo.co.uk \xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7",
	      EM " \xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7");
	check_kept(no, N(no));
}

static void test_phone(void)
{
	static const char *const yes[] = {
		"07700 900123", "07700900123", "07700-900-123", "07700.900.123", "07700 900 123",
		"077 0090 0123", "+44 7700 900123", "+447700900123", "+44 (0)7700 900123",
		"+44(0)7700 900123", "0044 7700 900123", "(07700) 900123", "+44 07700 900123",
		"01632 960123", "020 7946 0000", "020-7946-0000", "0207 946 0000", "(020) 7946 0000",
		"0113 496 0000", "(01632) 960 123", "+44 20 7946 0000", "+44 (0) 20 7946 0000",
		"0044 (0) 161 496 0000", "0161 496 0000", "029 2018 0000", "028 9018 0000",
		"0800 123 4567", "0300 123 1234", "0800 123456", "0345 300 0000", "0333 123 4567",
		"07700 - 900123", "020 (7946) 0000", "+92 300 1234567", "+1 (555) 123-4567",
		"001 555 123 4567", "+33 6 12 34 56 78",
	};
	static const char *const no[] = {
		"0800 1111", "999", "116 123", "077009001234", "0 7 7 0 0", "07:30", "+100 people",
		"score +5", "+1 555 12", "+12345678901234567",
	};

	check_items(yes, N(yes), PH, SCRUB_PHONE);
	GIVES("ring me on07700900123", "ring me on" PH);
	GIVES("tel:07700900123", "tel:" PH);
	GIVES("phone 07700 900 123.", "phone " PH ".");
	GIVES("my number is 07700900123, call me", "my number is " PH ", call me");
	GIVES("text 07700900123/07700900124", "text " PH "/" PH);
	CHECK(counts[SCRUB_PHONE] == 2);
	GIVES("Childline 0800 1111 or 07700 900123", "Childline 0800 1111 or " PH);
	check_kept(no, N(no));
}

static void test_postcode(void)
{
	static const char *const full[] = {
		"SW1A 1AA", "sw1a1aa", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A 1BB",
		"W1A 0AX", "N1C 4AA", "n1c4aa", "BT1 1AA", "GIR 0AA", "E1W 1AA", "ls6  3hn",
		"M11AE",
	};
	static const char *const no[] = {
		"I'm in S4 2nd year", "I'm in S4", "in Y11", "stuck on the M1", "KS3 and KS4",
		"a PS5", "an A1 grade", "in year 10", "B2 level", "L3 course", "in Y7", "in P7",
		"at 10:30", "in 2019", "on the M25 today", "I play GTA5", "in WW2", "M1 1st",
	};

	check_items(full, N(full), PC, SCRUB_POSTCODE);
	GIVES("I live in LS6", "I live in " PC);
	GIVES("I live in ls6.", "I live in " PC ".");
	GIVES("I'm from LS6, living in M14 and I go near B33",
	      "I'm from " PC ", living in " PC " and I go near " PC);
	CHECK(counts[SCRUB_POSTCODE] == 3);
	GIVES("live in M1", "live in " PC);
	GIVES("my postcode is M1", "my postcode is " PC);
	GIVES("post code: SW1A", "post code: " PC);
	GIVES("it's in LS6 3HN", "it's in " PC);
	CHECK(counts[SCRUB_POSTCODE] == 1);
	GIVES("near DN55 around EC1A at B33", "near " PC " around " PC " at " PC);
	GIVES("my postcode is sw1a 1aa, near EC1A1BB and", "my postcode is " PC ", near " PC " and");
	/* "S4 2ND" in capitals is a postcode; "S4 2nd" is a school year. */
	GIVES("S4 2ND", PC);
	check_kept(no, N(no));
}

static void test_ni(void)
{
	static const char *const yes[] = {
		"QQ 12 34 56 C", "QQ123456C", "AB123456C", "ab 123456 c", "JG 10 37 68 A", "jg103768a",
		"AB-12-34-56-D", "CE 123 456 B", "TW 98 76 54 A", "ZY 12 34 56 B",
	};
	static const char *const no[] = {
		"GB123456A", "BG 12 34 56 A", "NK123456A", "ZZ123456A", "DA123456A", "AO123456A",
		"AB123456E", "AB12345C", "AB1234567C", "XAB123456C",
	};

	check_items(yes, N(yes), NI, SCRUB_NI);
	GIVES("NI: JG 10 37 68 A.", "NI: " NI ".");
	check_kept(no, N(no));
}

static void test_nhs(void)
{
	static const char *const yes[] = {
		"943 476 5919", "9434765919", "943-476-5919", "401 023 2137", "4010232137",
		"679 574 2288", "8070378921", "579 582 3848", "839 187 4311", "9490776653",
	};
	static const char *const no[] = {
		"943 476 5918", "9434765918", "1234567890", "485 777 3456", "943 476 0020",
		"94347659190", "3.1415926535", "943 476 591",
	};

	check_items(yes, N(yes), NHS, SCRUB_NHS);
	GIVES("NHS number 401 023 2137.", "NHS number " NHS ".");
	/* Ten digits from 0 that pass the check are an NHS number, else a phone. */
	GIVES("0113496001", NHS);
	CHECK(counts[SCRUB_NHS] == 1 && counts[SCRUB_PHONE] == 0);
	GIVES("0113496000", PH);
	CHECK(counts[SCRUB_NHS] == 0 && counts[SCRUB_PHONE] == 1);
	check_kept(no, N(no));
}

static void test_link(void)
{
	static const char *const yes[] = {
		"http://example.com/path?x=1", "https://www.example.co.uk/a/b", "www.example.com",
		"example.co.uk", "site.com/path", "bit.ly/xyz", "bit.ly", "youtu.be/abc",
		"linktr.ee/jess", "discord.gg/abc", "t.me/jess", "instagram.com/jess_22/",
		"HTTPS://EXAMPLE.COM", "example.me/x", "sub.domain.example.org/a?b=c#d",
		"wa.me/447700900123",
	};
	static const char *const no[] = {
		"it was fun.me and", "went out.so good", "school.it was", "Node.js", "index.html",
		"e.g. this i.e. that", "version 1.2.3", "Dr.Who", "gg", "yes/no", "www", "a.b",
	};

	check_items(yes, N(yes), LK, SCRUB_LINK);
	GIVES("visit https://example.com, or (www.example.org).", "visit " LK ", or (" LK ").");
	GIVES("see http://example.com/path?x=1.", "see " LK ".");
	GIVES("[my page](https://example.com/me)", "[my page](" LK ")");
	GIVES("youtube.com/watch?v=abc123 and instagram.com/jess_22/", LK " and " LK);
	CHECK(counts[SCRUB_LINK] == 2);
	check_kept(no, N(no));
}

static void test_handle(void)
{
	static const char *const yes[] = {
		"@jess_22", "@tom.smith", "@everyone", "@_x", "@2day", "@jos\xc3\xa9", "@JESS",
		"@a.b_c",
	};
	static const char *const no[] = {
		"meet @ 5", "meet @5", "meet @5pm", "@10:30", "@10.30am", "@5 pm", "@123",
		"my insta is private", "snap: none", "snap is jess", "me@home", "@",
		"insta: no", "snapchat is fun",
	};

	check_items(yes, N(yes), HD, SCRUB_HANDLE);
	/* "@@name": the second '@' starts the handle. */
	GIVES("@@name", "@" HD);
	GIVES("hi @jess_22 and @tom.smith.", "hi " HD " and " HD ".");
	CHECK(counts[SCRUB_HANDLE] == 2);
	GIVES("snap: jess2010", "snap: " HD);
	GIVES("my tiktok is funny_vids", "my tiktok is " HD);
	GIVES("my insta: jess.smith and snapchat - jesss", "my insta: " HD " and snapchat - " HD);
	GIVES("ig: @jess", "ig: " HD);
	GIVES("add me on snap: jess_22!", "add me on snap: " HD "!");
	GIVES("snapchat username = jessx.", "snapchat username = " HD ".");
	GIVES("Insta name:JessSmith", "Insta name:" HD);
	GIVES("my snap is jess_x", "my snap is " HD);
	check_kept(no, N(no));
}

static void test_dob(void)
{
	static const char *const yes[] = {
		"12/03/2010", "12-03-10", "12.03.2010", "01.02.10", "1/2/2010", "03/25/2010",
		"12th March 2010", "March 12, 2010", "3 May 2011", "2010-03-12", "2010/02/01",
		"3rd of May 2011", "May 3rd, 2011", "3 May, 2011", "3-May-2011", "1st Jan 2009",
		"Sept 9 2008", "31 DECEMBER 1999",
	};
	static const char *const no[] = {
		"on 3 May", "12th March", "March 12th", "1st of June", "1.2.10", "45/12/2010",
		"12/13/14/15", "12/03/1850", "24/7", "9/10", "in 2019", "May 2010", "2019/20",
		"2020-21", "in March 2019", "32 March 2010", "0 May 2011", "March 32, 2010",
		"2010-13-01", "2010-02-32", "00/00/2010",
	};

	check_items(yes, N(yes), DOB, SCRUB_DOB);
	GIVES("born on 3 May 2011", "born on " DOB);
	GIVES("DOB 01/02/2010", "DOB " DOB);
	GIVES("DOB:01/02/2010.", "DOB:" DOB ".");
	GIVES("born 1/2/2010 and 2010/02/01 and 01-02-2010",
	      "born " DOB " and " DOB " and " DOB);
	CHECK(counts[SCRUB_DOB] == 3);
	check_kept(no, N(no));
}

/* Issue 12: contact details as teenagers write them, self-identification,
 * and "App: words" read as talk, not as a handle. */
static void test_issue12(void)
{
	static const char *const talk[] = {
		"YouTube: loads of videos about vaping", "twitter: people are mean", "xbox: too expensive",
		"tiktok is addictive", "Snapchat: people send stuff", "insta - too much pressure",
		"my insta is private", "my snap streaks", "Twitter: trolls", "BeReal: it's fine",
		"tiktok: 2hrs a day", "they call me names", "people call me fat", "I'm 14 and I'm scared",
		"I'm from Northvale", "I'm Polish and my English is ok", "my name is on the list",
		"Childline 0800 1111", "NSPCC 0808 800 5000", "the 42 bus", "in 2023", "at 16",
		"at 7:30", "\xc2\xa3" "3.50", "year 9", "Year 10, 15", "Jade and me went to the park",
	};

	check_kept(talk, N(talk));
	GIVES("add me on snapchat jessx", "add me on snapchat " HD);
	GIVES("my insta is jadeyyy", "my insta is " HD);
	GIVES("my snap is jess", "my snap is " HD);
	GIVES("tt: kai.m and sc: liamm", "tt: " HD " and sc: " HD);
	GIVES("discord jess#1234", "discord " HD);
	GIVES("my youtube channel is JessPlaysMC", "my youtube channel is " HD);
	GIVES("0 7700 900123", PH);
	GIVES("07700/900123", PH);
	GIVES("447700900123", PH);
	GIVES("jo.bloggs @ gmail.com", EM);
	GIVES("jo.bloggs[at]gmail.com", EM);
	GIVES("jo at gmail dot com", EM);
	GIVES("ollie dot smith at gmail dot com", EM);
	GIVES("dob: 12 03 2010", "dob: " DOB);
	GIVES("my birthday is 12th march", "my birthday is " DOB);
	GIVES("\"Nobody listens\" - Jade, 15", "\"Nobody listens\" - " NM ", 15");
	GIVES("we need more clubs. Jade, 14", "we need more clubs. " NM ", 14");
	GIVES("my name is Jade", "my name is " NM);
	GIVES("my name is Harry Jones and I'm 13", "my name is " NM " and I'm 13");
	GIVES("I'm Jade from Northvale", "I'm " NM " from Northvale");
	GIVES("you can call me jaz", "you can call me " NM);
	GIVES("love from Grace x", "love from " NM " x");
	CHECK(counts[SCRUB_NAME] == 1 && total() == 1);
	GIVES("jessb dot com", LK);
	/* A plain "at" after a common word is talk, not an e-mail's @. */
	GIVES("it was at bbc.co.uk", "it was at " LK);
}

static void test_everyday(void)
{
	static const char *const keep[] = {
		"I'm 14", "I am 15 years old", "year 10", "Y11", "3 to 5pm", "at 10:30", "from 9-5",
		"top 3", "2 hours a day", "100 people", "\xc2\xa3" "5", "\xc2\xa3" "12.50", "50%",
		"12.5%", "24/7", "1 in 4", "3-1", "in 2019", "7", "42", "2-2 and 10-0",
		"1/2 or 3/4", "9 to 5", "10.30am", "7.45", "\xc2\xa3" "1,000", "10k followers",
		"GCSE grades 9-4", "level 3", "I sleep 8 hrs",
	};

	check_kept(keep, N(keep));
	SAME("I'm 14, I am 15 years old, year 10, Y11, 3 to 5pm, at 10:30, from 9-5, top 3, "
	     "2 hours a day, 100 people, \xc2\xa3" "5, \xc2\xa3" "12.50, 50%, 24/7, 1 in 4, 3-1, "
	     "in 2019, meet @ 5");
	SAME("I think school should start later because I am always tired and I can't "
	     "concentrate in the first lesson. My friends feel the same!");
	SAME("ok \xf0\x9f\x91\x8d\xf0\x9f\x98\x82 caf\xc3\xa9 na\xc3\xafve \xc3\x85se");
	/* Urdu: "how are you" in Arabic script, with an Arabic-Indic digit. */
	SAME("\xda\xa9\xdb\x8c\xd8\xa7 \xd8\xad\xd8\xa7\xd9\x84 \xdb\x81\xdb\x92\xd8\x9f "
	     "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 \xd9\xa3");
	SAME("call 999 or 111 or 116 123 (Samaritans) or 0800 1111 (Childline)");
	SAME("I live in the city centre, near the park");
	SAME("e.g. this i.e. that, etc. Mr. Smith, the score was 1-0-2");
	SAME("multi\nline\ttext\n\n");
}

static void test_mixed(void)
{
	/* "I'm Jess, 14" names the writer (issue 12): the name goes, the age stays. */
	GIVES("Hi I'm Jess, 14, email jess@example.com or text 07700 900123, I live at LS6 3HN "
	      "and my snap is jess_22, DOB 3/5/2011, see bit.ly/jess",
	      "Hi I'm " NM ", 14, email " EM " or text " PH ", I live at " PC
	      " and my snap is " HD ", DOB " DOB ", see " LK);
	CHECK(counts[SCRUB_EMAIL] == 1 && counts[SCRUB_PHONE] == 1 && counts[SCRUB_POSTCODE] == 1 &&
	      counts[SCRUB_HANDLE] == 1 && counts[SCRUB_DOB] == 1 && counts[SCRUB_LINK] == 1 &&
	      counts[SCRUB_NI] == 0 && counts[SCRUB_NHS] == 0 && counts[SCRUB_NAME] == 1);
	GIVES("NI QQ123456C, NHS 943 476 5919, tel +44 20 7946 0000, @me_1 on 12th March 2010",
	      "NI " NI ", NHS " NHS ", tel " PH ", " HD " on " DOB);
	CHECK(counts[SCRUB_NI] == 1 && counts[SCRUB_NHS] == 1 && counts[SCRUB_PHONE] == 1 &&
	      counts[SCRUB_HANDLE] == 1 && counts[SCRUB_DOB] == 1 && total() == 5);
	/* No gaps: items touching each other or punctuation. */
	GIVES("jo@x.com,07700900123;SW1A1AA.", EM "," PH ";" PC ".");
	CHECK(total() == 3);
	/* A date is taken before a phone number it could look like. */
	GIVES("01-02-2010 01-02-2011", DOB " " DOB);
	CHECK(counts[SCRUB_DOB] == 2 && counts[SCRUB_PHONE] == 0);
	/* Several of one kind on separate lines. */
	GIVES("a@b.com\nc@d.org\ne@f.net\n", EM "\n" EM "\n" EM "\n");
	CHECK(counts[SCRUB_EMAIL] == 3);
}

static void test_markers_in_input(void)
{
	for (int k = 0; k < SCRUB_NKINDS; k++)
		SAME(scrub_marker((enum scrub_kind)k));
	SAME(EM " " PH " " PC " " NI " " NHS " " LK " " HD " " DOB " " NM);
	SAME("my number is " PH " and my email is " EM ".");
	GIVES(PH " and 07700900123", PH " and " PH);
	CHECK(counts[SCRUB_PHONE] == 1 && total() == 1);
}

static void test_counts(void)
{
	unsigned c[SCRUB_NKINDS] = { 0 };
	struct sbuf b;
	const char *s = "jo@x.com 07700900123 jo@y.com";

	sbuf_init(&b, 4096);
	/* Counts are added to, not reset. */
	c[SCRUB_EMAIL] = 5;
	CHECK(scrub_text(s, strlen(s), &b, c) == SV_OK);
	CHECK(c[SCRUB_EMAIL] == 7 && c[SCRUB_PHONE] == 1 && c[SCRUB_LINK] == 0);
	CHECK(scrub_text(s, strlen(s), &b, c) == SV_OK);
	CHECK(c[SCRUB_EMAIL] == 9 && c[SCRUB_PHONE] == 2);
	/* NULL counts is fine; output is appended after what was there. */
	CHECK(scrub_text(s, strlen(s), &b, NULL) == SV_OK);
	CHECK_STR(b.buf, EM " " PH " " EM EM " " PH " " EM EM " " PH " " EM);
	sbuf_free(&b);
}

static void test_edges(void)
{
	struct sbuf b;
	const char *s = "07700900123XYZ jo@example.com";
	unsigned c[SCRUB_NKINDS] = { 0 };
	char *exact;

	/* Empty input appends nothing. */
	GIVES("", "");
	CHECK(out.len == 0 && total() == 0);
	sbuf_init(&b, 4096);
	sbuf_adds(&b, "prefix:");
	CHECK(scrub_text("", 0, &b, c) == SV_OK);
	CHECK(scrub_text(NULL, 0, &b, c) == SV_OK);
	CHECK_STR(b.buf, "prefix:");
	CHECK(b.len == 7);
	/* Only len bytes are read; no NUL is needed. */
	CHECK(scrub_text(s, 11, &b, c) == SV_OK);
	CHECK_STR(b.buf, "prefix:" PH);
	sbuf_reset(&b);
	CHECK(scrub_text(s + 15, 6, &b, c) == SV_OK);
	CHECK_STR(b.buf, "jo@exa");
	CHECK(c[SCRUB_PHONE] == 1 && c[SCRUB_EMAIL] == 0);
	/* A heap block of exactly the text, so ASan sees any read past it. */
	exact = malloc(14);
	CHECK(exact != NULL);
	if (exact) {
		memcpy(exact, "jo@example.com", 14);
		sbuf_reset(&b);
		CHECK(scrub_text(exact, 14, &b, c) == SV_OK);
		CHECK_STR(b.buf, EM);
		memcpy(exact, "call 0770090", 12);
		sbuf_reset(&b);
		CHECK(scrub_text(exact, 12, &b, c) == SV_OK);
		CHECK_STR(b.buf, "call 0770090");
		free(exact);
	}

	/* Bad UTF-8: an error, out cut back to where it was and its err set. */
	sbuf_reset(&b);
	sbuf_adds(&b, "kept");
	memset(c, 0, sizeof c);
	CHECK(scrub_text("07700900123 \xff", 13, &b, c) == SV_ERR_INVALID);
	CHECK(b.len == 4 && strcmp(b.buf, "kept") == 0);
	CHECK(b.err == SV_ERR_INVALID);
	CHECK(c[SCRUB_PHONE] == 0);
	CHECK(sbuf_take(&b, NULL) == NULL);

	/* Out's cap met half-way: SV_ERR_TOOBIG, nothing of this call left in
	 * out (not even the part that fitted), counts untouched. */
	sbuf_init(&b, 40);
	sbuf_adds(&b, "kept");
	s = "07700900123 and then a long tail that does not fit in the cap";
	CHECK(scrub_text(s, strlen(s), &b, c) == SV_ERR_TOOBIG);
	CHECK(b.len == 4 && b.buf && strcmp(b.buf, "kept") == 0);
	CHECK(b.err == SV_ERR_TOOBIG && c[SCRUB_PHONE] == 0);
	sbuf_free(&b);
}

static double seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char big[16384];  /* the last hostile input */
static size_t big_len;   /* its length: whole copies of the unit, then the tail */

/* Scrubs 16 KiB of unit repeated, ending with tail, into b; the result code
 * and, in *took, the best time of three runs (so a busy machine does not
 * make it fail). */
static enum sv_err scrub_big(const char *unit, const char *tail, struct sbuf *b, unsigned *c,
			     double *took)
{
	size_t u = strlen(unit), t = strlen(tail);
	enum sv_err rc = SV_OK;

	big_len = (sizeof big - t) / u * u;
	for (size_t i = 0; i < big_len; i++)
		big[i] = unit[i % u];
	memcpy(big + big_len, tail, t);
	big_len += t;
	*took = 1e9;
	for (int run = 0; run < 3; run++) {
		sbuf_reset(b);
		memset(c, 0, SCRUB_NKINDS * sizeof *c);
		double start = seconds();
		rc = scrub_text(big, big_len, b, c);
		double d = seconds() - start;
		*took = d < *took ? d : *took;
	}
	return rc;
}

/* 1 if b holds the last hostile input unchanged. */
static int big_unchanged(const struct sbuf *b)
{
	return b->len == big_len && memcmp(b->buf, big, big_len) == 0;
}

static void test_hostile(void)
{
	/* Units and tails that must come back unchanged. */
	static const char *const same[][2] = {
		{ "0", "" }, { "7", "" }, { "0123456789", "" }, { "@", "" }, { "a@", "" },
		{ "a.", "" }, { "a", "" }, { "0 7 ", "" }, { "0-7-", "" }, { ".", "" }, { " ", "" },
		{ "1 ", "" }, { "1/1/", "" }, { "943 476 5918 ", "" }, { "1 March ", "" },
		{ "a.b@c.d.", "" }, { "a-b+c%d_", "" }, { "snap is ", "" }, { "+44 ", "" },
		{ "(0", "" }, { "may 1 ", "" }, { "in ", "" }, { "AB 12 ", "" }, { "a-", "" },
		{ "1.", "" }, { "1-", "" }, { "@5pm ", "" }, { "3 of ", "" }, { "ab.cd.", "" },
		{ "@1", "" }, { "\xf0\x9f\x91\x8d", "" }, { "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 ", "" },
		{ "@ ", "" }, { "07700900123", "" }, { "a", "@" }, { "a.", "@" }, { "a", "@b" },
		{ "a.", "com" }, { "a-", ".c" }, { "0", "@x.c" }, { " ", "live" }, { "@1.", "" },
		{ "a..", "@" }, { "a'", "@" }, { "live ", "" }, { "snap ", ":" },
	};
	struct sbuf b;
	unsigned c[SCRUB_NKINDS];
	double took, worst = 0;

	sbuf_init(&b, 1 << 20);
	for (size_t i = 0; i < N(same); i++) {
		enum sv_err rc = scrub_big(same[i][0], same[i][1], &b, c, &took);
		int ok = rc == SV_OK && big_unchanged(&b);
		if (!ok)
			fprintf(stderr, "  16 KiB of \"%s\" + \"%s\": rc %d, %zu bytes out\n",
				same[i][0], same[i][1], (int)rc, b.len);
		CHECK(ok);
		worst = took > worst ? took : worst;
	}
	/* Inputs full of matches: the output is exactly the markers. */
	CHECK(scrub_big("@a ", "", &b, c, &took) == SV_OK);
	CHECK(c[SCRUB_HANDLE] == big_len / 3 && b.len == c[SCRUB_HANDLE] * (strlen(HD) + 1));
	worst = took > worst ? took : worst;
	CHECK(scrub_big("07700 900123 ", "", &b, c, &took) == SV_OK);
	CHECK(c[SCRUB_PHONE] == big_len / 13 && b.len == c[SCRUB_PHONE] * (strlen(PH) + 1));
	worst = took > worst ? took : worst;
	CHECK(scrub_big("943 476 5919 ", "", &b, c, &took) == SV_OK);
	CHECK(c[SCRUB_NHS] == big_len / 13 && b.len == c[SCRUB_NHS] * (strlen(NHS) + 1));
	worst = took > worst ? took : worst;
	CHECK(scrub_big("a.com/", "", &b, c, &took) == SV_OK);
	CHECK(c[SCRUB_LINK] == 1 && b.len == strlen(LK));
	worst = took > worst ? took : worst;
	/* Linear matching takes about a millisecond; anything quadratic takes
	 * over a hundred, and real backtracking minutes. */
	if (worst > 0.05)
		fprintf(stderr, "  slowest 16 KiB input took %.3f s\n", worst);
	CHECK(worst < 0.05);
	sbuf_free(&b);
}

struct worker {
	int bad;  /* results that differed */
};

static const char *const thread_in = "jo@x.com, 07700 900123, SW1A 1AA, QQ123456C, "
	"943 476 5919, bit.ly/x, @jess_1, 3 May 2011, year 10";
static const char *const thread_want = EM ", " PH ", " PC ", " NI ", " NHS ", " LK ", "
	HD ", " DOB ", year 10";

static void *thread_main(void *arg)
{
	struct worker *w = arg;
	struct sbuf b;

	sbuf_init(&b, 4096);
	for (int i = 0; i < 300; i++) {
		sbuf_reset(&b);
		if (scrub_text(thread_in, strlen(thread_in), &b, NULL) != SV_OK ||
		    strcmp(b.buf, thread_want) != 0)
			w->bad++;
	}
	sbuf_free(&b);
	return NULL;
}

static void test_threads(void)
{
	pthread_t t[4];
	struct worker w[4];
	int started = 0, bad = 0;

	for (int i = 0; i < 4; i++) {
		w[i].bad = 0;
		if (pthread_create(&t[i], NULL, thread_main, &w[i]) == 0)
			started++;
		else
			break;
	}
	for (int i = 0; i < started; i++) {
		pthread_join(t[i], NULL);
		bad += w[i].bad;
	}
	CHECK(started == 4);
	CHECK(bad == 0);
}

static void test_lifecycle(void)
{
	struct sbuf b;

	sbuf_init(&b, 4096);
	scrub_free();
	scrub_free(); /* twice is fine */
	CHECK(scrub_text("07700900123", 11, &b, NULL) == SV_ERR_INVALID);
	CHECK(b.len == 0);
	sbuf_reset(&b);
	CHECK(scrub_init() == SV_OK);
	CHECK(scrub_init() == SV_OK); /* again while ready: nothing */
	CHECK(scrub_text("07700900123", 11, &b, NULL) == SV_OK);
	CHECK_STR(b.buf, PH);
	scrub_free();
	CHECK(scrub_init() == SV_OK);
	sbuf_free(&b);
}

int main(void)
{
	sbuf_init(&out, 1 << 20);
	CHECK(scrub_text("x", 1, &out, NULL) == SV_ERR_INVALID); /* before scrub_init */
	CHECK(scrub_init() == SV_OK);
	test_markers();
	test_email();
	test_phone();
	test_postcode();
	test_ni();
	test_nhs();
	test_link();
	test_handle();
	test_dob();
	test_issue12();
	test_everyday();
	test_mixed();
	test_markers_in_input();
	test_counts();
	test_edges();
	test_hostile();
	test_threads();
	test_lifecycle();
	scrub_free();
	sbuf_free(&out);
	return CHECK_DONE();
}
