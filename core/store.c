/*
 * store.c - the SQLite database (see store.h).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "files.h"
#include "store.h"
#include "store_int.h"

static const char *const source_names[STORE_NSOURCES] = {
	"survey", "focus_group", "marketplace"
};

const char *store_source_name(enum store_source s)
{
	return s < STORE_NSOURCES ? source_names[s] : "unknown";
}

/*
 * Schema, one entry per version.  Never edit a released entry: add the next.
 * Counters are keyed by text ids so a renamed taxonomy never misattributes.
 */
static const char *const migrations[] = {
	/* 1: consultations, sealed responses and plain counters */
	"CREATE TABLE consultations ("
	"  id TEXT PRIMARY KEY,"
	"  title TEXT NOT NULL,"
	"  taxonomy TEXT NOT NULL"
	");"
	"CREATE TABLE responses ("
	"  id INTEGER PRIMARY KEY,"
	"  consultation TEXT NOT NULL REFERENCES consultations(id),"
	"  survey TEXT NOT NULL,"
	"  day TEXT NOT NULL CHECK (length(day) = 10),"  /* the day, never the time */
	"  key_id TEXT NOT NULL,"
	"  sealed BLOB NOT NULL"
	");"
	"CREATE INDEX responses_by_consultation ON responses(consultation);"
	"CREATE TABLE theme_counts ("
	"  consultation TEXT NOT NULL,"
	"  theme TEXT NOT NULL,"
	"  source INTEGER NOT NULL CHECK (source BETWEEN 0 AND 2),"
	"  count INTEGER NOT NULL CHECK (count >= 0),"
	"  PRIMARY KEY (consultation, theme, source)"
	") WITHOUT ROWID;"
	"CREATE TABLE priority_counts ("
	"  consultation TEXT NOT NULL,"
	"  priority INTEGER NOT NULL,"
	"  source INTEGER NOT NULL CHECK (source BETWEEN 0 AND 2),"
	"  count INTEGER NOT NULL CHECK (count >= 0),"
	"  PRIMARY KEY (consultation, priority, source)"
	") WITHOUT ROWID;"
	"CREATE TABLE survey_counts ("
	"  consultation TEXT NOT NULL,"
	"  survey TEXT NOT NULL,"
	"  responses INTEGER NOT NULL CHECK (responses >= 0),"
	"  PRIMARY KEY (consultation, survey)"
	") WITHOUT ROWID;",

	/* 2: one-time form tokens already used (a nonce and a day, nothing else;
	 * WITHOUT ROWID so that storage order says nothing about arrival) */
	"CREATE TABLE used_tokens ("
	"  id TEXT PRIMARY KEY,"
	"  day TEXT NOT NULL CHECK (length(day) = 10)"
	") WITHOUT ROWID;",

	/* 3: each survey's answer fields in order, so an export can lay out its
	 * columns without the forms folder */
	"CREATE TABLE surveys ("
	"  id TEXT PRIMARY KEY,"
	"  consultation TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  fields TEXT NOT NULL"  /* JSON array of answer keys */
	");",

	/* 4: staff accounts, sessions, the audit log, marketplace events and
	 * their append-only tally changes */
	"CREATE TABLE users ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  role INTEGER NOT NULL CHECK (role BETWEEN 1 AND 3),"
	"  password TEXT NOT NULL"           /* crypto_pwhash_str: Argon2id */
	");"
	"CREATE TABLE sessions ("
	"  id TEXT PRIMARY KEY,"              /* hash of the cookie, never the cookie */
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  csrf TEXT NOT NULL,"
	"  last_seen INTEGER NOT NULL"
	") WITHOUT ROWID;"
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY,"
	"  at TEXT NOT NULL,"                 /* staff actions: to the minute */
	"  who TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  detail TEXT NOT NULL"
	");"
	"CREATE TRIGGER audit_append_only_u BEFORE UPDATE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TRIGGER audit_append_only_d BEFORE DELETE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  consultation TEXT NOT NULL REFERENCES consultations(id),"
	"  name TEXT NOT NULL,"
	"  day TEXT NOT NULL CHECK (length(day) = 10),"
	"  closed INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE event_options ("       /* a stall is a priority; options are themes */
	"  event_id INTEGER NOT NULL REFERENCES events(id),"
	"  priority INTEGER NOT NULL,"
	"  theme TEXT NOT NULL,"
	"  position INTEGER NOT NULL,"
	"  PRIMARY KEY (event_id, priority, theme)"
	") WITHOUT ROWID;"
	"CREATE TABLE tally_changes ("
	"  id INTEGER PRIMARY KEY,"
	"  event_id INTEGER NOT NULL,"
	"  priority INTEGER NOT NULL,"
	"  theme TEXT NOT NULL,"
	"  delta INTEGER NOT NULL,"
	"  who TEXT NOT NULL,"
	"  day TEXT NOT NULL CHECK (length(day) = 10),"
	"  client_id TEXT NOT NULL UNIQUE"     /* a retried tap is the same change */
	");"
	"CREATE INDEX tally_by_option ON tally_changes(event_id, priority, theme);"
	"CREATE TRIGGER tally_append_only_u BEFORE UPDATE ON tally_changes"
	"  BEGIN SELECT RAISE(ABORT, 'tally changes are append-only'); END;"
	"CREATE TRIGGER tally_append_only_d BEFORE DELETE ON tally_changes"
	"  BEGIN SELECT RAISE(ABORT, 'tally changes are append-only'); END;",

	/* 5: focus groups: who took part, in aggregate; key messages with their
	 * themes (plain, scrubbed, counted); notes and quotes sealed */
	"CREATE TABLE focus_groups ("
	"  id INTEGER PRIMARY KEY,"
	"  consultation TEXT NOT NULL REFERENCES consultations(id),"
	"  day TEXT NOT NULL CHECK (length(day) = 10),"
	"  district TEXT NOT NULL,"
	"  participants INTEGER NOT NULL CHECK (participants BETWEEN 1 AND 200),"
	"  age_from INTEGER NOT NULL CHECK (age_from BETWEEN 5 AND 30),"
	"  age_to INTEGER NOT NULL CHECK (age_to BETWEEN age_from AND 30),"
	"  girls INTEGER CHECK (girls >= 0),"           /* optional gender mix, as counts */
	"  boys INTEGER CHECK (boys >= 0),"
	"  other_gender INTEGER CHECK (other_gender >= 0),"
	"  locked INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE focus_messages ("
	"  id INTEGER PRIMARY KEY,"
	"  group_id INTEGER NOT NULL REFERENCES focus_groups(id),"
	"  text TEXT NOT NULL,"
	"  themes TEXT NOT NULL,"       /* theme ids, comma-separated, each once */
	"  priorities TEXT NOT NULL"    /* the priority numbers they sit under */
	");"
	"CREATE TABLE focus_sealed ("
	"  id INTEGER PRIMARY KEY,"
	"  group_id INTEGER NOT NULL REFERENCES focus_groups(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('note', 'quote')),"
	"  key_id TEXT NOT NULL,"
	"  sealed BLOB NOT NULL"
	");",

	/* 6: a consultation's lifecycle, set by commissioners: 0 draft, 1 open,
	 * 2 closed */
	"ALTER TABLE consultations ADD COLUMN status INTEGER NOT NULL DEFAULT 1"
	"  CHECK (status BETWEEN 0 AND 2);",

	/* 7: 1 where commissioners made or refined the theme list in the staff
	 * pages: their version is merged over forms/ at start, never lost */
	"ALTER TABLE consultations ADD COLUMN edited INTEGER NOT NULL DEFAULT 0;",

	/* 8: 1 where commissioners attached a survey to another consultation
	 * than its file names: kept over forms/ at every start */
	"ALTER TABLE surveys ADD COLUMN moved INTEGER NOT NULL DEFAULT 0;",

	/* 9: each marketplace option's count, kept by a trigger as tally
	 * changes are appended, so a tap reads one row instead of summing
	 * every earlier change */
	"ALTER TABLE event_options ADD COLUMN count INTEGER NOT NULL DEFAULT 0 CHECK (count >= 0);"
	"UPDATE event_options SET count = coalesce((SELECT sum(t.delta) FROM tally_changes t"
	"  WHERE t.event_id = event_options.event_id AND t.priority = event_options.priority"
	"  AND t.theme = event_options.theme), 0);"
	"CREATE TRIGGER tally_counts AFTER INSERT ON tally_changes BEGIN"
	"  UPDATE event_options SET count = count + new.delta"
	"  WHERE event_id = new.event_id AND priority = new.priority AND theme = new.theme;"
	"  END;",

	/* 10: the report's first and last day of responses, and their count,
	 * from an index instead of a scan of every sealed row */
	"CREATE INDEX responses_by_day ON responses(consultation, day);",

	/* 11: when a staff session started, for its absolute lifetime (sessions
	 * from before it count as too old: sign in again once); and refused
	 * sign-ins under a name that is no account forget what was typed, which
	 * may have been a password (the one change ever made to the audit log) */
	"ALTER TABLE sessions ADD COLUMN created INTEGER NOT NULL DEFAULT 0;"
	"DROP TRIGGER audit_append_only_u;"
	"UPDATE audit SET who = '(no account)', detail = 'unknown name'"
	"  WHERE action = 'sign-in refused' AND who NOT IN (SELECT name FROM users);"
	"CREATE TRIGGER audit_append_only_u BEFORE UPDATE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",

	/* 12: response ids that carry no order.  New rows get random ids
	 * (store_commit.c); old rows get one here, and the table is rewritten
	 * in the order of the new ids, so that its pages no longer follow
	 * arrival either (secure_delete zeroes the old ones).  Two new ids
	 * alike would fail the migration, which the next start tries afresh. */
	"CREATE TABLE response_ids (old INTEGER PRIMARY KEY, new INTEGER NOT NULL UNIQUE);"
	"INSERT INTO response_ids SELECT id, random() & 0x7fffffffffffffff FROM responses;"
	"CREATE TABLE responses_new ("
	"  id INTEGER PRIMARY KEY,"
	"  consultation TEXT NOT NULL REFERENCES consultations(id),"
	"  survey TEXT NOT NULL,"
	"  day TEXT NOT NULL CHECK (length(day) = 10),"
	"  key_id TEXT NOT NULL,"
	"  sealed BLOB NOT NULL"
	");"
	"INSERT INTO responses_new SELECT i.new, r.consultation, r.survey, r.day, r.key_id, r.sealed"
	"  FROM response_ids i JOIN responses r ON r.id = i.old ORDER BY i.new;"
	"DROP TABLE responses;"
	"DROP TABLE response_ids;"
	"ALTER TABLE responses_new RENAME TO responses;"
	/* responses_by_day serves lookups by consultation alone too: with ids
	 * at random places, each index costs a page written per response, so
	 * responses_by_consultation is not made again. */
	"CREATE INDEX responses_by_day ON responses(consultation, day);",

	/* 13: a response stored during a load has an id in arrival order until
	 * writes pause (store_tidy.c); final_id holds the random id it will
	 * then take, so that every reader sees that one from the start. */
	"ALTER TABLE responses ADD COLUMN final_id INTEGER;",

	/* 14: a read-only display link per marketplace event (the projector),
	 * kept only as a hash of its token, so that a copy of the database
	 * opens no display; it goes when its event goes */
	"CREATE TABLE IF NOT EXISTS display_links ("
	"  event_id INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,"
	"  token_hash TEXT NOT NULL UNIQUE,"  /* BLAKE2b-256 of the token, hex */
	"  made TEXT NOT NULL"                /* when, to the minute (UTC) */
	");",

	/* 15: nothing: kept for a part of issue 13 that in the end needed no
	 * change of schema, so that the versions stay as they were released. */
	"SELECT 1;",

	/* 16: kiosk links (survey-server/kiosk.c): a shared tablet sends sealed
	 * answers to one survey with a token of which only a hash is kept; a
	 * member of staff made it and may switch it off (revoked) for good.
	 * Nothing here says which responses came through which kiosk.  (IF NOT
	 * EXISTS: tests replay migrations over a newer folder.) */
	"CREATE TABLE IF NOT EXISTS kiosks ("
	"  id INTEGER PRIMARY KEY,"
	"  token_hash TEXT NOT NULL UNIQUE,"   /* BLAKE2b-256 of the token, hex */
	"  survey TEXT NOT NULL,"
	"  name TEXT NOT NULL,"                /* what staff call the tablet */
	"  made_by TEXT NOT NULL,"
	"  day TEXT NOT NULL CHECK (length(day) = 10),"
	"  revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))"
	");",

	/* 17: the help signposting a commissioner set for a consultation's
	 * surveys (none: the default), and how many responses the results page
	 * last showed (survey-server/results.c), so that after a restart it
	 * still moves only in steps of at least the small-number threshold.
	 * Neither says anything of a young person. */
	"CREATE TABLE IF NOT EXISTS consultation_help ("
	"  consultation TEXT PRIMARY KEY REFERENCES consultations(id),"
	"  text TEXT NOT NULL"
	");"
	"CREATE TABLE IF NOT EXISTS results_shown ("
	"  consultation TEXT PRIMARY KEY REFERENCES consultations(id),"
	"  responses INTEGER NOT NULL CHECK (responses >= 0)"
	");",

	/* 18: account lifecycle and the second factor (store_accounts.c).  An
	 * account's state lives beside users, one row once anything is set:
	 * disabled, must choose a new password at the next sign-in, and its
	 * TOTP secret sealed under a key derived from form-token.key (never in
	 * the clear) with the last time step accepted, so that a code is taken
	 * once.  Recovery codes and the first-admin setup link keep only
	 * hashes.  (IF
	 * NOT EXISTS: tests replay migrations over a newer folder.) */
	"CREATE TABLE IF NOT EXISTS user_state ("
	"  user_id INTEGER PRIMARY KEY REFERENCES users(id),"
	"  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
	"  must_change INTEGER NOT NULL DEFAULT 0 CHECK (must_change IN (0, 1)),"
	"  totp_secret BLOB,"                  /* nonce + secretbox of the secret */
	"  totp_last INTEGER NOT NULL DEFAULT 0" /* last time step accepted */
	");"
	"CREATE TABLE IF NOT EXISTS recovery_codes ("
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  code_hash TEXT NOT NULL,"           /* keyed BLAKE2b of the code, hex */
	"  PRIMARY KEY (user_id, code_hash)"
	") WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS setup_tokens ("
	"  token_hash TEXT PRIMARY KEY"        /* BLAKE2b-256 of the token, hex */
	") WITHOUT ROWID;",

	/* 19: nothing: kept for a part of issue 14 that in the end needed no
	 * change of schema, so that the versions stay as they were released. */
	"SELECT 1;",

	/* 20: survey definitions with versions (core/store_survey.c): the JSON
	 * text of each version, published (1) or a draft (0), from a file in
	 * forms/surveys/ or the staff pages, who saved it and on which day.  A
	 * response says its version inside its sealed payload, not here. */
	"CREATE TABLE IF NOT EXISTS survey_versions ("
	"  survey TEXT NOT NULL,"
	"  version INTEGER NOT NULL CHECK (version >= 1),"
	"  consultation TEXT NOT NULL,"
	"  status INTEGER NOT NULL CHECK (status IN (0, 1)),"
	"  source TEXT NOT NULL CHECK (source IN ('file', 'staff')),"
	"  definition TEXT NOT NULL,"
	"  who TEXT NOT NULL,"
	"  day TEXT NOT NULL CHECK (length(day) = 10),"
	"  PRIMARY KEY (survey, version)"
	") WITHOUT ROWID;",

	/* 21: the limit on wrong passwords and second-factor codes, per
	 * account, kept here so that it holds across a restart and across
	 * servers on one database (core/store_attempts.c).  One row per
	 * account and kind while it matters: how many tries in the current
	 * window and when the window, or the lock, ends (to the minute).  No
	 * client address, no time of each try; the row goes once that time
	 * has passed.  (IF NOT EXISTS: tests replay migrations over a newer
	 * folder.) */
	"CREATE TABLE IF NOT EXISTS account_attempts ("
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  kind INTEGER NOT NULL CHECK (kind IN (1, 2)),"   /* 1 password, 2 code */
	"  tries INTEGER NOT NULL CHECK (tries >= 1),"
	"  ends INTEGER NOT NULL,"                          /* seconds, a whole minute */
	"  PRIMARY KEY (user_id, kind)"
	") WITHOUT ROWID;",

	/* ---- 22: "you said, we did" (issue 16; core/store_decisions.c) ----
	 * Whether a consultation's public results page is published, and the
	 * day that last changed; and the decision log commissioners keep per
	 * priority: what young people said, what was decided, by the board or
	 * a lead, where it stands (and why not, when it cannot be done), the
	 * day decided and the day it last changed.  Days only, never a time of
	 * day; no respondent data; every text bounded as store.h says.  (IF
	 * NOT EXISTS: tests replay migrations over a newer folder.) */
	"CREATE TABLE IF NOT EXISTS results_public ("
	"  consultation TEXT PRIMARY KEY REFERENCES consultations(id),"
	"  published INTEGER NOT NULL CHECK (published IN (0, 1)),"
	"  day TEXT NOT NULL CHECK (length(day) = 10)"
	");"
	"CREATE TABLE IF NOT EXISTS decisions ("
	"  id INTEGER PRIMARY KEY,"
	"  consultation TEXT NOT NULL REFERENCES consultations(id),"
	"  priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 99),"
	"  said TEXT NOT NULL CHECK (length(CAST(said AS BLOB)) BETWEEN 1 AND 600),"
	"  decided TEXT NOT NULL CHECK (length(CAST(decided AS BLOB)) BETWEEN 1 AND 600),"
	"  by_board INTEGER NOT NULL CHECK (by_board IN (0, 1)),"
	"  lead TEXT NOT NULL CHECK (length(CAST(lead AS BLOB)) <= 120),"
	"  status INTEGER NOT NULL CHECK (status BETWEEN 0 AND 3),"
	"  why TEXT NOT NULL CHECK (length(CAST(why AS BLOB)) <= 600),"
	"  decided_on TEXT NOT NULL CHECK (length(decided_on) = 10),"
	"  changed_on TEXT NOT NULL CHECK (length(changed_on) = 10)"
	");"
	"CREATE INDEX IF NOT EXISTS decisions_by_consultation"
	"  ON decisions (consultation, priority, id);",
	/* ---- end of 22 ---- */

	/* ---- 23: analysing free-text answers (issue 15; core/store_analysis.c) ----
	 * An analyst's codes for one free-text answer (a response id and a
	 * question id; pass 1 the main coding, 2 a second analyst's blind
	 * sample), sealed to the server's public key like the answers: the
	 * themes, "no theme", "needs follow-up" and "quote for the report" are
	 * inside the box, never in a column.  Beside it, plain counts of the
	 * main pass's codes per theme and per priority, changed in the same
	 * transaction as the code.  WITHOUT ROWID, keyed by random response
	 * ids, so storage order says nothing about the order of coding; days
	 * only.  (IF NOT EXISTS: tests replay migrations over a newer folder.) */
	"CREATE TABLE IF NOT EXISTS analysis_codes ("
	"  consultation TEXT NOT NULL REFERENCES consultations(id),"
	"  response INTEGER NOT NULL,"
	"  question TEXT NOT NULL CHECK (length(CAST(question AS BLOB)) BETWEEN 1 AND 80),"
	"  pass INTEGER NOT NULL CHECK (pass IN (1, 2)),"
	"  analyst TEXT NOT NULL CHECK (length(CAST(analyst AS BLOB)) BETWEEN 1 AND 64),"
	"  day TEXT NOT NULL CHECK (length(day) = 10),"
	"  key_id TEXT NOT NULL,"
	"  sealed BLOB NOT NULL,"
	"  PRIMARY KEY (consultation, response, question, pass)"
	") WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS analysis_theme_counts ("
	"  consultation TEXT NOT NULL,"
	"  theme TEXT NOT NULL,"
	"  count INTEGER NOT NULL CHECK (count >= 0),"
	"  PRIMARY KEY (consultation, theme)"
	") WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS analysis_priority_counts ("
	"  consultation TEXT NOT NULL,"
	"  priority INTEGER NOT NULL,"
	"  count INTEGER NOT NULL CHECK (count >= 0),"
	"  PRIMARY KEY (consultation, priority)"
	") WITHOUT ROWID;",
	/* ---- end of 23 ---- */
	/* ---- 24: the youth ballot (issue 16; core/store_ballot.c) ----
	 * ballot_counts: the online votes of
	 * each survey's ballot question, per issue and rank, bumped in the
	 * response's own transaction: a plain counter no finer than the
	 * published ranked list.  ballot_returns: one row per setting's paper
	 * return (a school or youth group), entered by a youth worker: papers
	 * handed out and returned, locked by a commissioner; form_key is the
	 * one-time key of the form that entered it, so a form sent twice stores
	 * one return.  ballot_return_votes: its votes per issue.
	 * ballot_imports: a Make Your Mark local results file, votes per issue,
	 * replaced whole by the next import.  Days only; no respondent data.
	 * (IF NOT EXISTS: tests replay migrations over a newer folder.) */
	"CREATE TABLE IF NOT EXISTS ballot_counts ("
	"  survey TEXT NOT NULL,"
	"  question TEXT NOT NULL,"
	"  option TEXT NOT NULL,"
	"  rank INTEGER NOT NULL CHECK (rank BETWEEN 1 AND 3),"
	"  count INTEGER NOT NULL CHECK (count >= 0),"
	"  PRIMARY KEY (survey, question, option, rank)"
	") WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS ballot_returns ("
	"  id INTEGER PRIMARY KEY,"
	"  survey TEXT NOT NULL,"
	"  setting TEXT NOT NULL CHECK (length(CAST(setting AS BLOB)) BETWEEN 1 AND 120),"
	"  handed_out INTEGER NOT NULL CHECK (handed_out BETWEEN 0 AND 100000),"
	"  returned INTEGER NOT NULL CHECK (returned BETWEEN 0 AND handed_out),"
	"  locked INTEGER NOT NULL CHECK (locked IN (0, 1)),"
	"  who TEXT NOT NULL,"
	"  day TEXT NOT NULL CHECK (length(day) = 10),"
	"  form_key TEXT NOT NULL UNIQUE,"
	"  UNIQUE (survey, setting)"
	");"
	"CREATE TABLE IF NOT EXISTS ballot_return_votes ("
	"  return_id INTEGER NOT NULL REFERENCES ballot_returns(id),"
	"  option TEXT NOT NULL,"
	"  votes INTEGER NOT NULL CHECK (votes BETWEEN 0 AND 100000),"
	"  PRIMARY KEY (return_id, option)"
	") WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS ballot_imports ("
	"  survey TEXT NOT NULL,"
	"  option TEXT NOT NULL,"
	"  votes INTEGER NOT NULL CHECK (votes BETWEEN 0 AND 10000000),"
	"  who TEXT NOT NULL,"
	"  day TEXT NOT NULL CHECK (length(day) = 10),"
	"  PRIMARY KEY (survey, option)"
	") WITHOUT ROWID;",
	/* ---- end of 24 ---- */

	/* ---- 25: rounds and who took part (issue 16; core/store_rounds.c) ----
	 * Which plan a consultation is a round of, and the round's name (from
	 * consultations.json, written at every start), so that survey-export
	 * finds a plan's rounds with only the data folder; and the population
	 * figures a commissioner enters per equalities category ("who lives
	 * here"), for the plan's Equality and Human Rights Impact Assessment.
	 * Nothing here is a young person's.  (IF NOT EXISTS: tests replay
	 * migrations over a newer folder.) */
	"CREATE TABLE IF NOT EXISTS consultation_rounds ("
	"  consultation TEXT PRIMARY KEY REFERENCES consultations(id),"
	"  plan TEXT NOT NULL CHECK (length(plan) BETWEEN 1 AND 64),"
	"  round TEXT NOT NULL CHECK (length(round) BETWEEN 1 AND 64)"
	");"
	"CREATE INDEX IF NOT EXISTS rounds_by_plan ON consultation_rounds (plan, round);"
	"CREATE TABLE IF NOT EXISTS population_figures ("
	"  consultation TEXT NOT NULL REFERENCES consultations(id),"
	"  category TEXT NOT NULL CHECK (length(category) BETWEEN 3 AND 80),"
	"  people INTEGER NOT NULL CHECK (people BETWEEN 0 AND 100000000),"
	"  PRIMARY KEY (consultation, category)"
	") WITHOUT ROWID;",
	/* ---- end of 25 ---- */

	/* ---- 26: key custody per consultation (issue 18) ----
	 * A key's passphrase typed on the staff pages (the Key page, exports,
	 * the equalities view, analysis) is a try of its own kind, 3, limited
	 * apart from passwords, so that wrong passphrases never stop a person
	 * signing in.  SQLite cannot change a CHECK in place: the table is made
	 * again with the rows it held.  Which key serves which consultation is
	 * kept in the key folder (core/seal.h), not here; every sealed row
	 * already names its key (key_id), so nothing sealed changes.  (IF
	 * EXISTS: tests replay migrations over a newer folder.) */
	"DROP TABLE IF EXISTS account_attempts_26;"
	"CREATE TABLE account_attempts_26 ("
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  kind INTEGER NOT NULL CHECK (kind IN (1, 2, 3)),"  /* 1 password, 2 code, 3 passphrase */
	"  tries INTEGER NOT NULL CHECK (tries >= 1),"
	"  ends INTEGER NOT NULL,"                             /* seconds, a whole minute */
	"  PRIMARY KEY (user_id, kind)"
	") WITHOUT ROWID;"
	"INSERT INTO account_attempts_26 SELECT user_id, kind, tries, ends FROM account_attempts;"
	"DROP TABLE account_attempts;"
	"ALTER TABLE account_attempts_26 RENAME TO account_attempts;",
	/* ---- end of 26 ---- */

	/* ---- 27: rounds chosen in the staff pages (issue 16; store_rounds.c) ----
	 * The plan and round a commissioner gave a consultation on its Round
	 * page (both NULL: a round of none), kept apart from consultation_rounds
	 * so that it wins over consultations.json at every start, as a refined
	 * theme list wins over forms/.  No respondent data. */
	"CREATE TABLE IF NOT EXISTS round_choices ("
	"  consultation TEXT PRIMARY KEY REFERENCES consultations(id),"
	"  plan TEXT CHECK (plan IS NULL OR length(plan) BETWEEN 1 AND 64),"
	"  round TEXT CHECK (round IS NULL OR length(round) BETWEEN 1 AND 64),"
	"  CHECK ((plan IS NULL) = (round IS NULL))"
	") WITHOUT ROWID;",
	/* ---- end of 27 ---- */

	/* 28: PostgreSQL only (pg_migrations below): SQLite compares text
	 * byte by byte (BINARY) already. */
	"-- nothing to do on SQLite",
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

/*
 * The PostgreSQL baseline (store_schema_pg.c) is the schema at 27: no
 * PostgreSQL database was made by a released version before it, so 26 and
 * 27 went into the baseline itself.  Each migration after 27 has its
 * PostgreSQL text here, applied from STORE_PG_BASELINE on, in the same
 * transaction as the baseline on a new database.  Never edit a released
 * entry: add the next.
 */
static const char *const pg_migrations[] = {
	/* 28: text sorts byte by byte, as on SQLite, whatever the database's
	 * collation (an en_GB database would put "b" before "B" and ignore
	 * "_" in accounts, consultations and every list sorted by a name).
	 * Every text column of this schema gets COLLATE "C"; a table made
	 * later says COLLATE "C" itself (test_store_both checks there is no
	 * other).  Equality is the same under any deterministic collation, so
	 * no stored row changes meaning; the keys' indexes are rebuilt. */
	"DO $$ DECLARE c record; BEGIN"
	"  FOR c IN SELECT table_name, column_name FROM information_schema.columns"
	"    WHERE table_schema = current_schema() AND data_type = 'text'"
	"      AND collation_name IS DISTINCT FROM 'C'"
	"    ORDER BY table_name, column_name LOOP"
	"    EXECUTE format('ALTER TABLE %I ALTER COLUMN %I TYPE text COLLATE \"C\"',"
	"                   c.table_name, c.column_name);"
	"  END LOOP;"
	"END $$;",
};

_Static_assert(NMIGRATIONS == STORE_SCHEMA_VERSION, "store.h's schema version is the last migration's");
_Static_assert(NMIGRATIONS == STORE_PG_BASELINE +
			      (int)(sizeof pg_migrations / sizeof pg_migrations[0]),
	       "each migration after the PostgreSQL baseline needs a PostgreSQL text");

void store_today(char out[11])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Brings a SQLite database to the current schema, one migration per
 * transaction, each holding the write lock (DB_TX_SCHEMA: BEGIN IMMEDIATE). */
static enum sv_err migrate_sqlite(struct db *db)
{
	int version = 0;

	if (db_schema_version(db, &version)) {
		db_log(db, "reading schema version");
		return SV_ERR_DB;
	}
	if (version > NMIGRATIONS) {
		fprintf(stderr, "store: the database is from a newer youthvoice (schema %d, this one knows %d)\n",
			version, NMIGRATIONS);
		return SV_ERR_DB;
	}
	for (int v = version; v < NMIGRATIONS; v++) {
		if (db_begin(db, DB_TX_SCHEMA) != DB_DONE || db_exec(db, migrations[v]) ||
		    db_set_schema_version(db, v + 1) || db_commit(db) != DB_DONE) {
			db_rollback(db);
			return SV_ERR_DB;
		}
	}
	return SV_OK;
}

enum sv_err store_kept(struct store *st, struct db_stmt **slot, const char *sql)
{
	return *slot ? SV_OK : db_prepare_kept(st->conn, sql, slot);
}

enum open_mode { OPEN_SERVE, OPEN_READONLY, OPEN_BULK };

/* Brings a PostgreSQL database to the current schema: the baseline on a new
 * one, then each PostgreSQL migration after it, all in one transaction.  One
 * server at a time (DB_TX_SCHEMA holds an advisory lock), so of several
 * starting together one migrates and the others find it done. */
static enum sv_err migrate_pg(struct db *db)
{
	int version = 0;
	enum sv_err rc = db_begin(db, DB_TX_SCHEMA) == DB_DONE ? SV_OK : SV_ERR_DB;

	if (!rc)
		rc = db_schema_version(db, &version);
	if (!rc && version == 0) {
		rc = db_exec(db, store_pg_baseline);
		if (!rc)
			rc = db_set_schema_version(db, STORE_PG_BASELINE);
		version = STORE_PG_BASELINE;
	}
	for (; !rc && version >= STORE_PG_BASELINE && version < NMIGRATIONS; version++) {
		rc = db_exec(db, pg_migrations[version - STORE_PG_BASELINE]);
		if (!rc)
			rc = db_set_schema_version(db, version + 1);
	}
	if (!rc && version != NMIGRATIONS) {
		fprintf(stderr, "store: the PostgreSQL database is at schema %d; this youthvoice knows %d\n",
			version, NMIGRATIONS);
		rc = SV_ERR_DB;
	}
	if (!rc && db_commit(db) != DB_DONE)
		rc = SV_ERR_DB;
	if (rc)
		db_rollback(db);
	return rc;
}

/* Opens st on PostgreSQL.  No data-folder file, so no tidier: what the
 * server keeps (WAL, statistics) is its administrator's (docs/postgresql.md). */
static enum sv_err open_pg(struct store *st, const char *url, enum open_mode mode)
{
	int version = 0;
	enum sv_err rc;

	if (mode == OPEN_BULK)
		return SV_ERR_INVALID;   /* the benchmark's bulk load is SQLite's */
	rc = db_open(url, mode == OPEN_READONLY ? DB_OPEN_READONLY : 0, &st->conn);
	if (rc)
		return rc;
	if (mode != OPEN_READONLY)
		return migrate_pg(st->conn);
	rc = db_schema_version(st->conn, &version);
	if (!rc && version == 0)
		return SV_ERR_NOTFOUND;   /* nothing made here yet: the caller says so */
	if (!rc && version != STORE_SCHEMA_VERSION) {
		fprintf(stderr, "store: the PostgreSQL database is not a youthvoice database of schema %d "
			"(start the server once to make or upgrade it)\n", STORE_SCHEMA_VERSION);
		rc = SV_ERR_DB;
	}
	return rc;
}

static enum sv_err open_db(const char *data_dir, const char *url, enum open_mode mode,
			   struct store **out)
{
	int readonly = mode == OPEN_READONLY;
	struct store *st = NULL;
	enum sv_err rc = SV_OK;

	*out = NULL;
	st = calloc(1, sizeof *st);
	if (!st)
		return SV_ERR_NOMEM;
	char *path = st->path;
	if ((size_t)snprintf(path, sizeof st->path, "%s/%s", data_dir, STORE_FILE) >= sizeof st->path) {
		free(st);
		return SV_ERR_TOOBIG;
	}
	int pg = db_is_postgres_url(url);
	if (readonly && !pg && !files_exist(path)) {
		free(st);
		return SV_ERR_NOTFOUND; /* the caller says so; nothing to log */
	}
	pthread_mutex_init(&st->lock, NULL);
	pthread_mutex_init(&st->qlock, NULL);
	pthread_cond_init(&st->qdone[0], NULL);
	pthread_cond_init(&st->qdone[1], NULL);
	pthread_cond_init(&st->qfree, NULL);
	st->queue_tail = &st->queue; /* once: a tidy reopens wdb with writes queued */
	st->target = st->path;
	if (pg) {
		st->path[0] = '\0';   /* no file: nothing to reopen or tidy */
		st->target = st->url = strdup(url);
		rc = st->url ? open_pg(st, url, mode) : SV_ERR_NOMEM;
		if (!rc && mode != OPEN_READONLY)
			rc = store_commit_open(st, st->url);
		goto out;
	}
	rc = db_open(path, readonly ? DB_OPEN_READONLY : DB_OPEN_CREATE, &st->conn);
	if (rc)
		goto out;
	if (readonly) {
		/* Refuse a database from a newer schema rather than misread it. */
		int version = 0;
		if (db_schema_version(st->conn, &version) || version != STORE_SCHEMA_VERSION) {
			fprintf(stderr, "store: %s is not a youthvoice database of schema %d "
				"(start the server once to upgrade it)\n", path, STORE_SCHEMA_VERSION);
			rc = SV_ERR_DB;
		}
		goto out;
	}
	/* WAL lets exports read while the server writes; FULL makes each
	 * commit durable before we acknowledge it. */
	rc = db_exec(st->conn, "PRAGMA journal_mode = WAL");
	if (!rc) rc = db_exec(st->conn, "PRAGMA synchronous = FULL");
	/* Freed cells and pages are zeroed, not left readable (store_tidy.c);
	 * set before migrating, so rows a migration rewrites leave nothing. */
	if (!rc) rc = db_exec(st->conn, "PRAGMA secure_delete = ON");
	if (!rc) rc = migrate_sqlite(st->conn);
	/* A bulk load writes each page once, with no journal file and no
	 * fsync; store_close turns WAL back on. */
	st->bulk = mode == OPEN_BULK;
	if (!rc && st->bulk) rc = db_exec(st->conn, "PRAGMA journal_mode = MEMORY");
	if (!rc) rc = store_commit_open(st, path);
	if (!rc && mode == OPEN_SERVE) rc = store_tidy_start(st);
out:
	if (rc)
		store_close(st);
	else
		*out = st;
	return rc;
}

enum sv_err store_open(const char *data_dir, struct store **out)
{
	return open_db(data_dir, NULL, OPEN_SERVE, out);
}

enum sv_err store_open_readonly(const char *data_dir, struct store **out)
{
	return open_db(data_dir, NULL, OPEN_READONLY, out);
}

enum sv_err store_open_url(const char *data_dir, const char *db, struct store **out)
{
	return open_db(data_dir, db, OPEN_SERVE, out);
}

enum sv_err store_open_readonly_url(const char *data_dir, const char *db, struct store **out)
{
	return open_db(data_dir, db, OPEN_READONLY, out);
}

enum sv_err store_db_usable(const char *db, const char **why)
{
	*why = "";
	if (!db)
		return SV_OK;
	if (!db_is_postgres_url(db)) {
		*why = "--db takes a postgresql://user@host:port/database URL; leave it out to use "
			"SQLite in the data folder";
		return SV_ERR_INVALID;
	}
	return SV_OK;
}

enum sv_err store_open_bulk(const char *data_dir, struct store **out)
{
	return open_db(data_dir, NULL, OPEN_BULK, out);
}

void store_close(struct store *st)
{
	if (!st)
		return;
	store_tidy_stop(st);
	store_commit_close(st);
	db_finalize(st->session_get);
	db_finalize(st->event_get);
	if (st->bulk && st->conn)
		db_exec(st->conn, "PRAGMA journal_mode = WAL");
	db_close(st->conn);
	pthread_mutex_destroy(&st->lock);
	pthread_mutex_destroy(&st->qlock);
	pthread_cond_destroy(&st->qdone[0]);
	pthread_cond_destroy(&st->qdone[1]);
	pthread_cond_destroy(&st->qfree);
	free(st->url);
	free(st);
}

/* Runs one statement binding ?1 to ?n to the texts given (NULL binds
 * NULL), for its effect, under the store's lock; *changes (may be NULL)
 * gets how many rows it changed.  SV_ERR_EXISTS for a UNIQUE refusal. */
static enum sv_err run_texts(struct store *st, const char *sql, const char *const *texts, int n,
			     long long *changes, const char *what)
{
	struct db_stmt *s = NULL;
	enum sv_err rc;

	pthread_mutex_lock(&st->lock);
	rc = db_prepare(st->conn, sql, &s);
	if (!rc) {
		for (int i = 0; i < n; i++)
			db_bind_text(s, i + 1, texts[i]);
		enum db_rc r = db_step(s);
		rc = r == DB_DONE ? SV_OK : r == DB_UNIQUE ? SV_ERR_EXISTS : SV_ERR_DB;
		if (rc == SV_ERR_DB)
			db_log(st->conn, what);
		if (changes)
			*changes = rc ? 0 : db_changes(st->conn);
	}
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_consultation_put(struct store *st, const char *id,
				   const char *title, const char *taxonomy_json)
{
	const char *const v[] = { id, title, taxonomy_json };
	return run_texts(st, "INSERT INTO consultations (id, title, taxonomy) VALUES (?1, ?2, ?3)"
			 " ON CONFLICT (id) DO UPDATE SET title = excluded.title, taxonomy = excluded.taxonomy",
			 v, 3, NULL, "saving a consultation");
}

enum sv_err store_consultation_get(struct store *st, const char *id,
				   char **title, char **taxonomy_json)
{
	struct db_stmt *s = NULL;
	enum sv_err rc = SV_OK;

	*title = *taxonomy_json = NULL;
	pthread_mutex_lock(&st->lock);
	if (db_prepare(st->conn, "SELECT title, taxonomy FROM consultations WHERE id = ?1", &s)) {
		rc = SV_ERR_DB;
		goto out;
	}
	db_bind_text(s, 1, id);
	enum db_rc r = db_step(s);
	if (r == DB_DONE) {
		rc = SV_ERR_NOTFOUND;
		goto out;
	}
	if (r != DB_ROW) {
		db_log(st->conn, "reading a consultation");
		rc = SV_ERR_DB;
		goto out;
	}
	*title = strdup(store_str(s, 0));
	*taxonomy_json = strdup(store_str(s, 1));
	if (!*title || !*taxonomy_json) {
		free(*title);
		free(*taxonomy_json);
		*title = *taxonomy_json = NULL;
		rc = SV_ERR_NOMEM;
	}
out:
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/*
 * Runs a read-only query with one optional text parameter and hands each row
 * to on_row.  The one loop every reader shares.
 */
enum sv_err store_rows(struct store *st, const char *sql, const char *param,
		       void (*on_row)(struct db_stmt *row, void *ctx), void *ctx,
		       const char *what)
{
	struct db_stmt *s = NULL;
	enum db_rc r = DB_ERROR;

	pthread_mutex_lock(&st->lock);
	if (db_prepare(st->conn, sql, &s) == SV_OK) {
		if (param)
			db_bind_text(s, 1, param);
		while ((r = db_step(s)) == DB_ROW)
			on_row(s, ctx);
	}
	if (r != DB_DONE)
		db_log(st->conn, what);
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return r == DB_DONE ? SV_OK : SV_ERR_DB;
}

enum sv_err store_number(struct store *st, struct db_stmt *s, long long *out, const char *what)
{
	if (db_step(s) == DB_ROW) {
		*out = db_column_int64(s, 0);
		return SV_OK;
	}
	db_log(st->conn, what);
	return SV_ERR_DB;
}

const char *store_str(struct db_stmt *row, int col)
{
	const char *t = db_column_text(row, col);
	return t ? t : "";
}

void store_copy(char *out, size_t cap, struct db_stmt *row, int col)
{
	snprintf(out, cap, "%s", store_str(row, col));
}

struct each_id { void (*fn)(void *arg, const char *id); void *arg; };

static void on_consultation_row(struct db_stmt *row, void *ctx)
{
	struct each_id *e = ctx;
	e->fn(e->arg, store_str(row, 0));
}

enum sv_err store_consultation_each(struct store *st,
				    void (*fn)(void *arg, const char *id), void *arg)
{
	struct each_id e = { fn, arg };
	return store_rows(st, "SELECT id FROM consultations ORDER BY id", NULL,
			  on_consultation_row, &e, "listing consultations");
}

struct each_theme {
	void (*fn)(void *arg, const char *theme, enum store_source source, long long count);
	void *arg;
};

static void on_theme_row(struct db_stmt *row, void *ctx)
{
	struct each_theme *e = ctx;
	int source = db_column_int(row, 1);

	if (source >= 0 && source < STORE_NSOURCES)
		e->fn(e->arg, store_str(row, 0), (enum store_source)source, db_column_int64(row, 2));
}

enum sv_err store_theme_counts(struct store *st, const char *consultation,
			       void (*fn)(void *arg, const char *theme,
					  enum store_source source, long long count),
			       void *arg)
{
	struct each_theme e = { fn, arg };
	return store_rows(st, "SELECT theme, source, count FROM theme_counts WHERE consultation = ?1",
			  consultation, on_theme_row, &e, "reading theme counts");
}

struct each_priority {
	void (*fn)(void *arg, int priority, enum store_source source, long long count);
	void *arg;
};

static void on_priority_row(struct db_stmt *row, void *ctx)
{
	struct each_priority *e = ctx;
	int source = db_column_int(row, 1);

	if (source >= 0 && source < STORE_NSOURCES)
		e->fn(e->arg, db_column_int(row, 0), (enum store_source)source,
		      db_column_int64(row, 2));
}

enum sv_err store_priority_counts(struct store *st, const char *consultation,
				  void (*fn)(void *arg, int priority,
					     enum store_source source, long long count),
				  void *arg)
{
	struct each_priority e = { fn, arg };
	return store_rows(st, "SELECT priority, source, count FROM priority_counts WHERE consultation = ?1",
			  consultation, on_priority_row, &e, "reading priority counts");
}

static void on_count_row(struct db_stmt *row, void *ctx)
{
	*(long long *)ctx = db_column_int64(row, 0);
}

enum sv_err store_response_count(struct store *st, const char *consultation,
				 long long *out)
{
	*out = 0;
	/* The CAST: PostgreSQL cannot tell the type of ?1 from IS NULL. */
	return store_rows(st, "SELECT count(*) FROM responses WHERE CAST(?1 AS TEXT) IS NULL"
			  " OR consultation = ?1", consultation, on_count_row, out, "counting responses");
}

enum sv_err store_survey_put(struct store *st, const char *id, const char *consultation,
			     const char *title, const char *fields_json)
{
	const char *const v[] = { id, consultation, title, fields_json };
	return run_texts(st, "INSERT INTO surveys (id, consultation, title, fields) VALUES (?1, ?2, ?3, ?4)"
			 " ON CONFLICT (id) DO UPDATE SET consultation = CASE WHEN surveys.moved = 1"
			 " THEN surveys.consultation ELSE excluded.consultation END, title = excluded.title,"
			 " fields = excluded.fields", v, 4, NULL, "saving a survey");
}

struct each_survey {
	void (*fn)(void *arg, const char *id, const char *title, const char *fields_json);
	void *arg;
};

static void on_survey_row(struct db_stmt *row, void *ctx)
{
	struct each_survey *e = ctx;
	e->fn(e->arg, store_str(row, 0), store_str(row, 1), store_str(row, 2));
}

enum sv_err store_survey_each(struct store *st, const char *consultation,
			      void (*fn)(void *arg, const char *id, const char *title,
					 const char *fields_json),
			      void *arg)
{
	struct each_survey e = { fn, arg };
	return store_rows(st, "SELECT id, title, fields FROM surveys WHERE consultation = ?1"
			  " OR id IN (SELECT DISTINCT survey FROM responses WHERE consultation = ?1) ORDER BY id",
			  consultation, on_survey_row, &e, "listing surveys");
}

struct each_key { void (*fn)(void *arg, const char *key_id, long long count); void *arg; };

static void on_key_row(struct db_stmt *row, void *ctx)
{
	struct each_key *e = ctx;
	e->fn(e->arg, store_str(row, 0), db_column_int64(row, 1));
}

enum sv_err store_key_ids(struct store *st, const char *consultation,
			  void (*fn)(void *arg, const char *key_id, long long count), void *arg)
{
	struct each_key e = { fn, arg };
	return store_rows(st, "SELECT key_id, count(*) FROM responses WHERE consultation = ?1"
			  " GROUP BY key_id ORDER BY key_id",
			  consultation, on_key_row, &e, "listing keys");
}

struct each_response { store_response_fn fn; void *arg; };

static void on_response_row(struct db_stmt *row, void *ctx)
{
	struct each_response *e = ctx;
	struct store_sealed r = {
		.id = db_column_int64(row, 0),
		.survey = store_str(row, 1),
		.day = store_str(row, 2),
		.key_id = store_str(row, 3),
	};
	r.sealed = db_column_blob(row, 4, &r.sealed_len);
	e->fn(e->arg, &r);
}

/* A response that still has its arrival-order id, and its final one. */
struct fresh_row { long long id, final_id; };

static int by_final_id(const void *a, const void *b)
{
	long long x = ((const struct fresh_row *)a)->final_id, y = ((const struct fresh_row *)b)->final_id;

	return (x > y) - (x < y);
}

/* A consultation's responses that still have arrival-order ids (stored
 * since writes last paused), into *rows in the order of their final ids
 * (the caller frees it); n is how many. */
static enum sv_err fresh_rows_by_final_id(struct store *st, const char *consultation,
					  struct fresh_row **rows, size_t *n)
{
	struct db_stmt *s = NULL;
	enum sv_err rc = SV_OK;
	size_t cap = 0;
	enum db_rc r = DB_DONE;

	*rows = NULL;
	*n = 0;
	if (db_prepare(st->conn, "SELECT id, coalesce(final_id, id) FROM responses"
		       " WHERE consultation = ?1 AND id >= ?2", &s))
		return SV_ERR_DB;
	db_bind_text(s, 1, consultation);
	db_bind_int64(s, 2, STORE_FRESH_ID);
	while (!rc && (r = db_step(s)) == DB_ROW) {
		if (*n == cap) {
			size_t more = cap ? 2 * cap : 256;
			struct fresh_row *grown = realloc(*rows, more * sizeof **rows);
			if (!grown) {
				rc = SV_ERR_NOMEM;
				break;
			}
			*rows = grown;
			cap = more;
		}
		(*rows)[*n].id = db_column_int64(s, 0);
		(*rows)[*n].final_id = db_column_int64(s, 1);
		++*n;
	}
	if (!rc && r != DB_DONE)
		rc = SV_ERR_DB;
	db_finalize(s);
	if (!rc && *n)
		qsort(*rows, *n, sizeof **rows, by_final_id);
	return rc;
}

/* Hands fn the response stored under arrival-order id `id`, under its
 * final id; `by_id` is the prepared "SELECT ... WHERE id = ?1". */
static void emit_fresh_row(struct db_stmt *by_id, long long id, struct each_response *e)
{
	db_bind_int64(by_id, 1, id);
	if (db_step(by_id) == DB_ROW)
		on_response_row(by_id, e);
	db_reset(by_id);
}

/*
 * Each response in the order of its final id: the rows that have it walk
 * the table in id order, and those that still have arrival-order ids are
 * merged in where their final ids fall, each under its final id.  No
 * reader sees arrival, an id read now is the id the row keeps, and the
 * order is the same before and after a tidy, so two exports of the same
 * answers list them alike.  One read transaction holds both.
 */
enum sv_err store_response_each(struct store *st, const char *consultation,
				store_response_fn fn, void *arg)
{
	struct each_response e = { fn, arg };
	struct fresh_row *fresh = NULL;
	struct db_stmt *s = NULL, *by_id = NULL;
	enum sv_err rc = SV_OK;
	size_t n = 0, next = 0;
	enum db_rc r;

	pthread_mutex_lock(&st->lock);
	if (db_begin(st->conn, DB_TX_READ) != DB_DONE) {
		rc = SV_ERR_DB;
		goto out;
	}
	rc = fresh_rows_by_final_id(st, consultation, &fresh, &n);
	if (rc)
		goto out;
	/* Pages of STORE_PAGE_ROWS in id order, each after the last id of the
	 * one before, all in the one read transaction: PostgreSQL hands a
	 * statement's whole result over at once, and a million sealed rows are
	 * 5 GB.  "+consultation": walk the table in id order, never the day
	 * index and a sort of every sealed row through a temporary file
	 * (SQLite's planner; PostgreSQL's chooses alone). */
	if (db_prepare(st->conn, db_dialect(st->conn) == DB_SQLITE ?
		       "SELECT id, survey, day, key_id, sealed FROM responses"
		       " WHERE +consultation = ?1 AND id > ?2 AND id < ?3 ORDER BY id LIMIT ?4" :
		       "SELECT id, survey, day, key_id, sealed FROM responses"
		       " WHERE consultation = ?1 AND id > ?2 AND id < ?3 ORDER BY id LIMIT ?4", &s) ||
	    db_prepare(st->conn, "SELECT coalesce(final_id, id), survey, day, key_id, sealed"
		       " FROM responses WHERE id = ?1", &by_id)) {
		rc = SV_ERR_DB;
		goto out;
	}
	long long after = -1, rows;
	do {
		db_reset(s);
		db_bind_text(s, 1, consultation);
		db_bind_int64(s, 2, after);
		db_bind_int64(s, 3, STORE_FRESH_ID);
		db_bind_int64(s, 4, STORE_PAGE_ROWS);
		rows = 0;
		while ((r = db_step(s)) == DB_ROW) {
			long long id = db_column_int64(s, 0);
			while (next < n && fresh[next].final_id < id)
				emit_fresh_row(by_id, fresh[next++].id, &e);
			on_response_row(s, &e);
			after = id;
			rows++;
		}
		if (r != DB_DONE) {
			rc = SV_ERR_DB;
			goto out;
		}
	} while (rows == STORE_PAGE_ROWS);
	while (next < n)
		emit_fresh_row(by_id, fresh[next++].id, &e);
out:
	if (rc)
		db_log(st->conn, "reading responses");
	free(fresh);
	db_finalize(s);
	db_finalize(by_id);
	if (db_in_transaction(st->conn) && db_commit(st->conn) != DB_DONE)
		db_rollback(st->conn);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_consultation_status(struct store *st, const char *id, int set, int *status)
{
	struct db_stmt *s = NULL;
	enum sv_err rc = SV_OK;

	pthread_mutex_lock(&st->lock);
	if (db_prepare(st->conn, set ? "UPDATE consultations SET status = ?2 WHERE id = ?1" :
		       "SELECT status FROM consultations WHERE id = ?1", &s)) {
		rc = SV_ERR_DB;
		goto out;
	}
	db_bind_text(s, 1, id);
	if (set)
		db_bind_int64(s, 2, *status);
	enum db_rc r = db_step(s);
	if (set)
		rc = r != DB_DONE ? SV_ERR_DB : db_changes(st->conn) ? SV_OK : SV_ERR_NOTFOUND;
	else if (r == DB_ROW)
		*status = db_column_int(s, 0);
	else
		rc = r == DB_DONE ? SV_ERR_NOTFOUND : SV_ERR_DB;
	if (rc == SV_ERR_DB)
		db_log(st->conn, "consultation status");
out:
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_consultation_edit(struct store *st, const char *id, const char *title,
				    const char *taxonomy_json, int status)
{
	struct db_stmt *s = NULL;
	enum sv_err rc;

	pthread_mutex_lock(&st->lock);
	rc = db_prepare(st->conn, title ?
		"INSERT INTO consultations (id, title, taxonomy, status, edited) VALUES (?1, ?2, ?3, ?4, 1)" :
		"UPDATE consultations SET taxonomy = ?3, edited = 1 WHERE id = ?1", &s);
	if (!rc) {
		db_bind_text(s, 1, id);
		if (title) {
			db_bind_text(s, 2, title);
			db_bind_int64(s, 4, status);
		}
		db_bind_text(s, 3, taxonomy_json);
		enum db_rc r = db_step(s);
		rc = r == DB_DONE ? SV_OK : r == DB_UNIQUE || r == DB_CONSTRAINT ? SV_ERR_EXISTS : SV_ERR_DB;
		if (rc == SV_ERR_DB)
			db_log(st->conn, "editing a consultation");
		if (!rc && !title && db_changes(st->conn) == 0)
			rc = SV_ERR_NOTFOUND;
	}
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

struct each_full {
	void (*fn)(void *arg, const char *id, const char *title, const char *taxonomy_json,
		   int status, int edited);
	void *arg;
};

static void on_full_row(struct db_stmt *row, void *ctx)
{
	struct each_full *e = ctx;
	e->fn(e->arg, store_str(row, 0), store_str(row, 1), store_str(row, 2), db_column_int(row, 3),
	      db_column_int(row, 4));
}

enum sv_err store_consultation_each_full(struct store *st, void (*fn)(void *arg, const char *id,
					 const char *title, const char *taxonomy_json, int status,
					 int edited), void *arg)
{
	struct each_full e = { fn, arg };
	return store_rows(st, "SELECT id, title, taxonomy, status, edited FROM consultations"
			  " ORDER BY id", NULL, on_full_row, &e, "listing consultations");
}

enum sv_err store_survey_move(struct store *st, const char *id, const char *consultation)
{
	const char *const v[] = { id, consultation };
	long long changed = 0;
	enum sv_err rc = run_texts(st, "UPDATE surveys SET consultation = ?2, moved = 1 WHERE id = ?1",
				   v, 2, &changed, "moving a survey");

	return rc ? rc : changed ? SV_OK : SV_ERR_NOTFOUND;
}

struct each_moved { void (*fn)(void *arg, const char *id, const char *consultation); void *arg; };

static void on_moved_row(struct db_stmt *row, void *ctx)
{
	struct each_moved *e = ctx;
	e->fn(e->arg, store_str(row, 0), store_str(row, 1));
}

enum sv_err store_survey_moved_each(struct store *st, void (*fn)(void *arg, const char *id,
				    const char *consultation), void *arg)
{
	struct each_moved e = { fn, arg };
	return store_rows(st, "SELECT id, consultation FROM surveys WHERE moved = 1 ORDER BY id",
			  NULL, on_moved_row, &e, "listing moved surveys");
}
