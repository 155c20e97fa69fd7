/*
 * limits.h - every limit a request from the internet meets, in one place.
 *
 * The module headers name these for their own code (PARSE_MAX_FIELDS,
 * HTTP_MAX_BODY, FORM_MAX_TEXT, RATE_DEFAULT_PER_MINUTE ...) by pointing here,
 * so a limit is changed here and nowhere else.  docs/limits.md gives each one
 * with its reason, and the limits kept beside the staff and export code that
 * enforces them.  tests/unit/test_limits.c checks that they fit together.
 * Numbers only: nothing here knows HTTP, SQL or surveys.
 */
#ifndef SV_LIMITS_H
#define SV_LIMITS_H

/* The connection (survey-server/http.c, civetweb options). */
#define LIMIT_HEAD_BYTES 16384          /* request line and headers together */
#define LIMIT_BODY_BYTES (64 * 1024)    /* a request body; 413 above */
#define LIMIT_CONNECTIONS 512           /* connections served at once (threads) */
#define LIMIT_CONNECTIONS_PER_CLIENT 128 /* open at once from one address (not the proxy) */
#define LIMIT_HEADER_LINES 63           /* header lines in a request head */
#define LIMIT_BUSY_RETRY_S 10           /* Retry-After on the 503 past the per-address cap */
#define LIMIT_REQUEST_MS 10000          /* to send a whole request head, and again its body */
#define LIMIT_KEEPALIVE_MS 2000         /* idle time between requests on one connection */

/* A form body (core/parse.c): respondents' and staff forms alike. */
#define LIMIT_FORM_FIELDS 256           /* fields in one body */
#define LIMIT_FIELD_NAME 64             /* bytes in a decoded field name */
#define LIMIT_FIELD_VALUE 16384         /* bytes in a decoded field value */
#define LIMIT_ID_BYTES 48               /* bytes in an id: survey, theme, option, consultation */

/* Answers (forms/form_answers.c), in characters. */
#define LIMIT_TEXT_CHARS 2000           /* a free-text answer, at most (a survey may say less) */
#define LIMIT_TEXT_DEFAULT_CHARS 1000   /* a free-text answer when the survey does not say */
#define LIMIT_OTHER_CHARS 200           /* a "something else: tell us" box */

/* Submissions per client per minute (survey-server/ratelimit.c), burst and refill. */
#define LIMIT_SUBMISSIONS_PER_MINUTE 120

/* A staff session (survey-server/staff.c, core/store_staff.c), in seconds:
 * it ends when unused for the idle time, and in any case the lifetime after
 * sign-in, however often a page (the tally big screen) refreshes itself. */
#define LIMIT_SESSION_IDLE (2 * 60 * 60)
#define LIMIT_SESSION_LIFE (12 * 60 * 60)

/* Tries per account (core/store_attempts.c, kept in the database so that
 * they hold across a restart and across servers): LIMIT_ACCOUNT_TRIES
 * passwords, or LIMIT_ACCOUNT_TRIES second-factor and recovery codes, within
 * LIMIT_ACCOUNT_LOCK seconds of the first, and that kind of try is refused
 * for LIMIT_ACCOUNT_LOCK seconds from the last one let through.  A right
 * password or code clears its kind.  Five tries at a 6-digit code (three
 * accepted at once, for a phone's clock) in 15 minutes is about one chance
 * in 67,000; five passwords of at least 12 characters, far less. */
#define LIMIT_ACCOUNT_TRIES 5
#define LIMIT_ACCOUNT_LOCK (15 * 60)

/* The youth ballot (docs/ballot.md): the question (forms/), a setting's
 * paper return (survey-server/ballot.c, core/store_ballot.c, whose table
 * CHECKs repeat the numbers) and a Make Your Mark results file
 * (forms/ballot.c). */
#define LIMIT_BALLOT_ISSUES 32          /* issues in one ballot: a question's options */
#define LIMIT_BALLOT_RANK 3             /* choices a ballot may ask young people to rank */
#define LIMIT_BALLOT_SETTING_BYTES 120  /* a school's or group's name, as typed */
#define LIMIT_BALLOT_PAPERS 100000      /* ballot papers one setting hands out */
#define LIMIT_BALLOT_RETURNS 500        /* returns one ballot's page lists (more: not listed) */
#define LIMIT_BALLOT_FILE_BYTES (16 * 1024) /* an uploaded results file */
#define LIMIT_BALLOT_FILE_LINE 512      /* bytes in one line of it */
#define LIMIT_BALLOT_IMPORT_VOTES 10000000 /* votes for one issue in it */

/* A limit as the text civetweb's options want: LIMIT_TEXT(LIMIT_KEEPALIVE_MS). */
#define LIMIT_TEXT_(x) #x
#define LIMIT_TEXT(x) LIMIT_TEXT_(x)

#endif
