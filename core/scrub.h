/*
 * scrub.h - removes personal data from young people's free-text answers
 * before they are sealed: e-mail addresses, UK phone numbers, postcodes,
 * National Insurance and NHS numbers, web links, social media names, dates
 * of birth and names people give as their own each become a visible marker
 * such as "[phone number removed]".
 *
 * It works on one answer at a time, in one pass, with patterns compiled once
 * (PCRE2, UTF mode, JIT where the platform has it unless the environment
 * has YOUTHVOICE_NO_JIT=1, as under valgrind; match limits so hostile text
 * cannot make it slow).  It is a safety net for the obvious cases, not a
 * guarantee.  Names are removed only where someone gives their own ("my name
 * is Jade", "I'm Jade from ...", a signature "- Jade, 15"); other names in
 * prose, addresses written in words, schools and anything else that needs
 * understanding are left to the people who read the answers.
 * tests/scrub/ measures it (make scrub-table).
 * Checking that the text is valid UTF-8 and within its size limit, storing,
 * sealing and HTML-escaping the result are left to the callers.
 */
#ifndef SV_SCRUB_H
#define SV_SCRUB_H

#include <stddef.h>

#include "err.h"
#include "sbuf.h"

enum scrub_kind {
	SCRUB_EMAIL,     /* jo.bloggs+tag@mail.example.co.uk */
	SCRUB_PHONE,     /* UK mobiles, landlines, 0800/0300, +44 and 0044 forms */
	SCRUB_POSTCODE,  /* full postcodes, and outward codes after "live in", "near" ... */
	SCRUB_NI,        /* National Insurance numbers, QQ 12 34 56 C */
	SCRUB_NHS,       /* ten-digit NHS numbers that pass the modulus 11 check */
	SCRUB_LINK,      /* http(s):// and www. links, bare domains such as bit.ly/x */
	SCRUB_HANDLE,    /* @names, name#1234, names after "snap:", "my tiktok is", "add me on snap" */
	SCRUB_DOB,       /* full dates with a year: 12/03/2010, 12th March 2010 */
	SCRUB_NAME,      /* a name someone gives as theirs: "my name is Jade", "- Jade, 15" */
	SCRUB_NKINDS
};

/* Compiles the patterns; call once at start before any thread uses scrub_text.
 * Calling it again while ready does nothing.  SV_ERR_NOMEM if memory ran out,
 * SV_ERR_INVALID if a pattern did not compile (logged to stderr; a bug). */
enum sv_err scrub_init(void);

/* Frees what scrub_init made; no thread may be in scrub_text.  Safe to call
 * when not initialised, and scrub_init may be called again afterwards. */
void scrub_free(void);

/* Appends text to out with every piece of personal data replaced by a visible marker
 * such as "[phone number removed]"; counts[kind] (may be NULL) is increased for each. Thread-safe
 * after scrub_init (match data per call). Returns SV_OK, or an error if matching failed, in which case
 * nothing reliable was written and the caller must not store the text.
 *
 * text is len bytes of valid UTF-8 (no NUL needed; invalid UTF-8 is
 * SV_ERR_INVALID).  On any error out is cut back to its length before the
 * call, its sticky err is set (so sbuf_take gives NULL) and counts is left
 * as it was.  Errors: SV_ERR_INVALID (not initialised, or bad UTF-8),
 * SV_ERR_TOOBIG (a match limit was hit, or out's cap), SV_ERR_NOMEM. */
enum sv_err scrub_text(const char *text, size_t len, struct sbuf *out, unsigned counts[SCRUB_NKINDS]);

/* The marker text for a kind, e.g. "[email address removed]". A static string;
 * "[personal data removed]" for a value outside the enum. */
const char *scrub_marker(enum scrub_kind kind);

#endif
