/*
 * render_accounts.h - the pages of staff accounts: the admins' list and
 * one account's actions with their confirmations, the first-admin setup
 * page, and the steps of signing in after the password (a second-factor
 * code, a new password after a reset, enrolling a second factor and its
 * recovery codes).
 *
 * Each writes a page's content between render_staff_page_start and
 * render_staff_page_end (forms/render_staff.h); the handlers are in
 * survey-server/accounts.c.  Names go through sbuf_add_html; secrets
 * shown once (a temporary password, a TOTP secret, recovery codes) are
 * written only into the one response that shows them.
 */
#ifndef SV_RENDER_ACCOUNTS_H
#define SV_RENDER_ACCOUNTS_H

#include "../core/parse.h"
#include "../core/sbuf.h"
#include "render_staff.h"

#define RENDER_MIN_PASSWORD 12        /* characters in a staff password, at least */

/* One account as the pages show it. */
struct render_account {
	long long id;
	const char *name;
	int role;                         /* 1 youth worker, 2 commissioner, 3 admin */
	int disabled;
	int must_change;                  /* must choose a new password at sign-in */
	int has_totp;                     /* has a second factor */
};

/* "youth-worker", "commissioner", "admin" for role 1 to 3, else NULL. */
const char *render_role_id(int role);
/* The role for an id above, or 0. */
int render_role_from_id(const char *id);

/* On the sign-in page while there is no admin: where the setup link is and
 * the command that makes one instead (naming no path: no response does). */
void render_accounts_no_admin(struct sbuf *b);

/* The list: start, one row per account, then the form that adds one
 * (posted and e: a refused form's values and problems, or NULL). */
void render_accounts_list_start(struct sbuf *b, const char *notice);
void render_accounts_row(struct sbuf *b, const struct render_account *a);
void render_accounts_list_end(struct sbuf *b, const char *csrf, const struct staff_errors *e,
			      const struct form_body *posted);

/* One account: its state and a form for each action; notice (or NULL)
 * says what was just done or refused. */
void render_account_page(struct sbuf *b, const struct render_account *a, const char *csrf,
			 const char *notice, int notice_is_problem);

/* The confirmation of a destructive action: question as the heading, text
 * under it, a button yes posting confirm=yes to /staff/accounts/ID/action,
 * and a link back. */
void render_account_confirm(struct sbuf *b, const struct render_account *a, const char *csrf,
			    const char *action, const char *question, const char *text, const char *yes);

/* After a reset: the temporary password, shown this once. */
void render_account_temporary(struct sbuf *b, const struct render_account *a, const char *password);

/* The first-admin form, posting to action. */
void render_setup_form(struct sbuf *b, const char *action, const char *csrf,
		       const struct staff_errors *e, const char *name);

/* Sign-in step: the code from the app, or a recovery code. */
void render_signin_code(struct sbuf *b, const char *csrf, const struct staff_errors *e);

/* Sign-in step: a new password (after a reset). */
void render_new_password(struct sbuf *b, const char *csrf, const struct staff_errors *e);

/* Sign-in step: enrol a second factor: the secret as text and as a QR code
 * of uri, and the code to confirm it; pending carries the sealed secret
 * back with the form.  required says the role needs one. */
void render_enrol(struct sbuf *b, const char *csrf, const char *secret32, const char *uri,
		  const char *pending, int required, const struct staff_errors *e);

/* Recovery codes, shown once: after enrolment, or made anew on Your
 * account (replaced).  The page prints on its own (name, day, the codes);
 * a box to tick, "I have saved these", leads on to Your account. */
struct render_recovery {
	const char *name;                 /* the account's */
	const char *day;                  /* "YYYY-MM-DD", made on */
	const char *const *codes;
	int n;
	int replaced;                     /* 1: they replace earlier codes */
};
void render_recovery_codes(struct sbuf *b, const struct render_recovery *r);

/* Your account (/staff/account), for whoever is signed in. */
struct render_your_account {
	const char *name;
	int role;
	int has_totp;
	int codes_left, codes_total;      /* unused recovery codes, of how many */
	const char *codes_mark;           /* the form's mark of the codes it would replace */
	int may_remove;                   /* the role may sign in without a second factor */
	const char *notice;               /* what was just done, or NULL */
};
/* Its content: name, role, second factor; a form to change the password;
 * with a second factor, new recovery codes (and turning it off where
 * may_remove), else a link to set one up.  e: a refused form's problems. */
void render_your_account(struct sbuf *b, const struct render_your_account *y, const char *csrf,
			 const struct staff_errors *e);

#endif
