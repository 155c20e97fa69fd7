/*
 * render_accounts.c - the account pages and the sign-in steps (see
 * render_accounts.h).
 */
#include <stdio.h>
#include <string.h>

#include "qr.h"
#include "render_accounts.h"

static const char *const role_ids[] = { NULL, "youth-worker", "commissioner", "admin" };
static const char *const role_names[] = { NULL, "Youth worker", "Commissioner", "Admin" };
static const char *const role_hints[] = {
	NULL, "Youth worker: events, tallies and focus groups",
	"Commissioner: also consultations and exports", "Admin: also accounts",
};

const char *render_role_id(int role)
{
	return role >= 1 && role <= 3 ? role_ids[role] : NULL;
}

int render_role_from_id(const char *id)
{
	for (int r = 1; id && r <= 3; r++)
		if (strcmp(id, role_ids[r]) == 0)
			return r;
	return 0;
}

static void csrf_field(struct sbuf *b, const char *csrf)
{
	sbuf_adds(b, "<input type=\"hidden\" name=\"_csrf\" value=\"");
	sbuf_adds_html(b, csrf);
	sbuf_adds(b, "\">");
}

/* Starts a form posting to /staff/accounts/ID/action. */
static void action_form(struct sbuf *b, const struct render_account *a, const char *action,
			const char *csrf)
{
	sbuf_addf(b, "<form method=\"post\" action=\"/staff/accounts/%lld/%s\" novalidate>", a->id, action);
	csrf_field(b, csrf);
}

void render_accounts_no_admin(struct sbuf *b)
{
	sbuf_adds(b, "<div class=\"notice\" id=\"no-admin\"><h2>No admin account yet</h2>\n"
		  "<p>To make the first one, open the setup link that survey-server printed in the "
		  "terminal where it was started (the line that begins "
		  "<code>survey-server: first admin</code>). It works once.</p>\n"
		  "<p>Or, on the server, put a password in a file and run:</p>\n<p><code>"
		  "survey-server user add --data DATA --name NAME --role admin --password-file FILE"
		  "</code></p>\n<p>where DATA is the data folder survey-server was started with "
		  "(<code>--data</code>, <code>./data</code> by default).</p></div>\n");
}

void render_accounts_list_start(struct sbuf *b, const char *notice)
{
	sbuf_adds(b, "<h1>Accounts</h1>\n");
	if (notice) {
		sbuf_adds(b, "<div class=\"notice\" role=\"status\"><p>");
		sbuf_adds_html(b, notice);
		sbuf_adds(b, "</p></div>\n");
	}
	sbuf_adds(b, "<p>Choose an account to disable or enable it, reset its password, change its "
		  "role, sign it out everywhere or remove its second factor.</p>\n<dl class=\"summary\">\n");
}

static void state_text(struct sbuf *b, const struct render_account *a)
{
	sbuf_adds(b, a->disabled ? "Disabled" : "Enabled");
	if (a->must_change)
		sbuf_adds(b, "; must choose a new password");
	sbuf_adds(b, a->has_totp ? "; second factor set up" : "; no second factor");
}

void render_accounts_row(struct sbuf *b, const struct render_account *a)
{
	sbuf_addf(b, "<div class=\"summary-row\"><dt><a href=\"/staff/accounts/%lld\">", a->id);
	sbuf_adds_html(b, a->name);
	sbuf_adds(b, "</a></dt><dd>");
	sbuf_adds(b, render_role_id(a->role) ? role_names[a->role] : "Unknown role");
	sbuf_adds(b, "</dd><dd>");
	state_text(b, a);
	sbuf_adds(b, "</dd></div>\n");
}

/* Radios for the three roles, chosen the current one. */
static void role_choices(struct sbuf *b, const struct staff_errors *e, const char *prefix,
			 const char *label, const char *current)
{
	char first[24];

	snprintf(first, sizeof first, "%s-1", prefix);
	render_staff_field_start(b, e, first, label, NULL, 1);
	sbuf_adds(b, "<div class=\"choices\">");
	for (int r = 1; r <= 3; r++) {
		char id[24];
		snprintf(id, sizeof id, "%s-%d", prefix, r);
		render_staff_choice(b, "radio", id, "role", role_ids[r], role_hints[r],
				    current && strcmp(current, role_ids[r]) == 0,
				    staff_errors_for(e, first) != NULL);
	}
	sbuf_adds(b, "</div>");
	render_staff_field_end(b, 1);
}

void render_accounts_list_end(struct sbuf *b, const char *csrf, const struct staff_errors *e,
			      const struct form_body *posted)
{
	char hint[80];

	sbuf_adds(b, "</dl>\n<h2>Add an account</h2>\n<form method=\"post\" action=\"/staff/accounts\" "
		  "novalidate>");
	csrf_field(b, csrf);
	render_staff_input(b, e, "text", "a-name", "name", "Name", "Up to 64 characters, without < > \" ' or &.",
			   staff_posted_or(posted, "name", NULL), " autocomplete=\"off\"");
	role_choices(b, e, "a-role", "Role", staff_posted_or(posted, "role", ""));
	snprintf(hint, sizeof hint, "At least %d characters. Give it to them in person.", RENDER_MIN_PASSWORD);
	render_staff_input(b, e, "password", "a-password", "password", "Password", hint, NULL,
			   " autocomplete=\"new-password\"");
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Add the account</button></form>\n");
}

void render_account_page(struct sbuf *b, const struct render_account *a, const char *csrf,
			 const char *notice, int notice_is_problem)
{
	sbuf_adds(b, "<h1>");
	sbuf_adds_html(b, a->name);
	sbuf_adds(b, "</h1>\n");
	if (notice) {
		sbuf_adds(b, notice_is_problem ? "<div class=\"error-summary\" role=\"alert\" id=\"problem\">"
			  "<h2>This was not done</h2><p>" : "<div class=\"notice\" role=\"status\"><p>");
		sbuf_adds_html(b, notice);
		sbuf_adds(b, "</p></div>\n");
	}
	sbuf_adds(b, "<dl class=\"summary\"><div class=\"summary-row\"><dt>Role</dt><dd>");
	sbuf_adds(b, render_role_id(a->role) ? role_names[a->role] : "Unknown role");
	sbuf_adds(b, "</dd></div><div class=\"summary-row\"><dt>State</dt><dd>");
	state_text(b, a);
	sbuf_adds(b, "</dd></div></dl>\n<h2>Change the role</h2>\n");
	action_form(b, a, "role", csrf);
	role_choices(b, NULL, "r-role", "New role", role_ids[a->role >= 1 && a->role <= 3 ? a->role : 1]);
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Change the role</button></form>\n");

	if (a->disabled) {
		sbuf_adds(b, "<h2>Enable</h2>\n<p>The account can sign in again.</p>\n");
		action_form(b, a, "enable", csrf);
		sbuf_adds(b, "<button type=\"submit\" class=\"button\">Enable the account</button></form>\n");
	} else {
		sbuf_adds(b, "<h2>Disable</h2>\n<p>The account cannot sign in, and is signed out "
			  "everywhere at once. You can enable it again later.</p>\n");
		action_form(b, a, "disable", csrf);
		sbuf_adds(b, "<button type=\"submit\" class=\"button button-warning\">Disable the account"
			  "</button></form>\n");
	}
	sbuf_adds(b, "<h2>Reset the password</h2>\n<p>You get a temporary password to give them in "
		  "person; at their next sign-in they must choose a new one. They are signed out "
		  "everywhere.</p>\n");
	action_form(b, a, "reset", csrf);
	sbuf_adds(b, "<button type=\"submit\" class=\"button button-warning\">Reset the password"
		  "</button></form>\n<h2>Sign out everywhere</h2>\n<p>Ends every session of this "
		  "account, on every device.</p>\n");
	action_form(b, a, "sessions", csrf);
	sbuf_adds(b, "<button type=\"submit\" class=\"button button-warning\">Sign out everywhere"
		  "</button></form>\n");
	if (a->has_totp) {
		sbuf_adds(b, "<h2>Remove the second factor</h2>\n<p>For a lost phone: they set up a "
			  "new one at their next sign-in.</p>\n");
		action_form(b, a, "second-factor", csrf);
		sbuf_adds(b, "<button type=\"submit\" class=\"button button-warning\">Remove the second "
			  "factor</button></form>\n");
	}
	sbuf_adds(b, "<p><a href=\"/staff/accounts\">Back to all accounts</a></p>\n");
}

void render_account_confirm(struct sbuf *b, const struct render_account *a, const char *csrf,
			    const char *action, const char *question, const char *text, const char *yes)
{
	sbuf_adds(b, "<h1>");
	sbuf_adds_html(b, question);
	sbuf_adds(b, "</h1>\n<p>");
	sbuf_adds_html(b, text);
	sbuf_adds(b, "</p>\n");
	action_form(b, a, action, csrf);
	sbuf_adds(b, "<input type=\"hidden\" name=\"confirm\" value=\"yes\">"
		  "<div class=\"buttons\"><button type=\"submit\" class=\"button button-warning\">");
	sbuf_adds_html(b, yes);
	sbuf_addf(b, "</button><a class=\"nav-link\" href=\"/staff/accounts/%lld\">No, go back</a>"
		  "</div></form>\n", a->id);
}

void render_account_temporary(struct sbuf *b, const struct render_account *a, const char *password)
{
	sbuf_adds(b, "<h1>Temporary password for ");
	sbuf_adds_html(b, a->name);
	sbuf_adds(b, "</h1>\n<div class=\"panel\"><p>Temporary password: <code id=\"temporary\">");
	sbuf_adds_html(b, password);
	sbuf_adds(b, "</code></p></div>\n<p>It is shown only this once. Give it to them in person, "
		  "not by e-mail. At their next sign-in they must choose a new password.</p>\n");
	sbuf_addf(b, "<p><a href=\"/staff/accounts/%lld\">Back to the account</a></p>\n", a->id);
}

/* A new password typed twice: fields PREFIX-password and PREFIX-again. */
static void new_password_fields(struct sbuf *b, const struct staff_errors *e, const char *prefix,
				const char *label, const char *again)
{
	char hint[80], id1[24], id2[24];

	snprintf(hint, sizeof hint, "At least %d characters.", RENDER_MIN_PASSWORD);
	snprintf(id1, sizeof id1, "%s-password", prefix);
	snprintf(id2, sizeof id2, "%s-again", prefix);
	render_staff_input(b, e, "password", id1, "password", label, hint, NULL,
			   " autocomplete=\"new-password\"");
	render_staff_input(b, e, "password", id2, "again", again, NULL, NULL,
			   " autocomplete=\"new-password\"");
}

void render_setup_form(struct sbuf *b, const char *action, const char *csrf,
		       const struct staff_errors *e, const char *name)
{
	sbuf_adds(b, "<h1>Make the first admin</h1>\n<p>This link works once. The admin you make "
		  "here can add everyone else in Accounts.</p>\n<form method=\"post\" action=\"");
	sbuf_adds_html(b, action);
	sbuf_adds(b, "\" novalidate>");
	csrf_field(b, csrf);
	render_staff_input(b, e, "text", "s-name", "name", "Your name", "Up to 64 characters, without "
			   "< > \" ' or &. You sign in with it.", name,
			   " autocomplete=\"username\" autocapitalize=\"none\" spellcheck=\"false\"");
	new_password_fields(b, e, "s", "Password", "The password again");
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Make the admin account</button></form>\n");
}

void render_signin_code(struct sbuf *b, const char *csrf, const struct staff_errors *e)
{
	sbuf_adds(b, "<h1>Enter your code</h1>\n<p>Open the authenticator app on your phone and type "
		  "the 6-digit code it shows for Your voice. Lost your phone? Type one of your "
		  "recovery codes instead; each works once.</p>\n"
		  "<form method=\"post\" action=\"/staff/login/code\" novalidate>");
	csrf_field(b, csrf);
	render_staff_input(b, e, "text", "code", "code", "Code", "6 digits, or a recovery code "
			   "such as abcde-fghij", NULL,
			   " autocomplete=\"one-time-code\" autocapitalize=\"none\" spellcheck=\"false\"");
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Continue</button></form>\n"
		  "<p><a href=\"/staff/login\">Start again</a></p>\n");
}

void render_new_password(struct sbuf *b, const char *csrf, const struct staff_errors *e)
{
	sbuf_adds(b, "<h1>Choose a new password</h1>\n<p>Your password was reset. Choose a new one "
		  "before you go on; only you will know it.</p>\n"
		  "<form method=\"post\" action=\"/staff/login/password\" novalidate>");
	csrf_field(b, csrf);
	new_password_fields(b, e, "n", "New password", "The new password again");
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Save the password</button></form>\n");
}

void render_enrol(struct sbuf *b, const char *csrf, const char *secret32, const char *uri,
		  const char *pending, int required, const struct staff_errors *e)
{
	sbuf_adds(b, "<h1>Set up a second factor</h1>\n");
	if (required)
		sbuf_adds(b, "<p>Your role can open what young people wrote, so signing in needs a code "
			  "from your phone as well as your password.</p>\n");
	sbuf_adds(b, "<ol><li>Install an authenticator app on your phone (for example FreeOTP, Aegis "
		  "or Google Authenticator).</li><li>In the app, add an account by scanning this QR "
		  "code, or type the key below.</li><li>Type the 6-digit code the app then shows.</li></ol>\n"
		  "<div class=\"qr-code\">");
	if (qr_svg(b, uri, "QR code of the key for your authenticator app"))
		sbuf_adds(b, "<p>The QR code could not be made: type the key instead.</p>");
	sbuf_adds(b, "</div>\n<p>Key: <code id=\"totp-secret\">");
	for (size_t i = 0; secret32[i]; i += 4) {   /* in groups of four, to type */
		if (i)
			sbuf_adds(b, " ");
		sbuf_add_html(b, secret32 + i, strnlen(secret32 + i, 4));
	}
	sbuf_adds(b, "</code></p>\n<form method=\"post\" action=\"/staff/login/enrol\" novalidate>");
	csrf_field(b, csrf);
	sbuf_adds(b, "<input type=\"hidden\" name=\"pending\" value=\"");
	sbuf_adds_html(b, pending);
	sbuf_adds(b, "\">");
	render_staff_input(b, e, "text", "code", "code", "Code from the app", "6 digits", NULL,
			   " inputmode=\"numeric\" autocomplete=\"one-time-code\"");
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Turn on the second factor</button></form>\n");
}

void render_recovery_codes(struct sbuf *b, const struct render_recovery *r)
{
	sbuf_adds(b, "<h1>Your recovery codes</h1>\n<p class=\"recovery-for\">For <strong>");
	sbuf_adds_html(b, r->name);
	sbuf_adds(b, "</strong> at Your voice staff, made on ");
	sbuf_adds_html(b, r->day);
	sbuf_adds(b, ". Each code works once.</p>\n<div class=\"panel no-print\"><p>");
	sbuf_adds(b, r->replaced ? "Your old recovery codes no longer work: only these do." :
		  "The second factor is on.");
	sbuf_adds(b, "</p></div>\n<p class=\"no-print\">If you lose your phone, each of these codes lets "
		  "you sign in once instead of a code from the app. Write them down or print this page "
		  "(your browser's Print), and keep them somewhere safe, away from your phone. They are "
		  "shown only this once.</p>\n<ul class=\"recovery-codes\" id=\"recovery-codes\">");
	for (int i = 0; i < r->n; i++) {
		sbuf_adds(b, "<li><code>");
		sbuf_adds_html(b, r->codes[i]);
		sbuf_adds(b, "</code></li>");
	}
	/* The step: a check box the browser requires before it goes on (no
	 * script); the page it leads to says they are saved. */
	sbuf_adds(b, "</ul>\n<form method=\"get\" action=\"/staff/account\" class=\"no-print\" "
		  "id=\"saved-step\"><div class=\"field\"><div class=\"choices\">");
	sbuf_adds(b, "<div class=\"choice\"><input type=\"checkbox\" id=\"saved\" name=\"done\" value=\"");
	sbuf_adds(b, r->replaced ? "codes" : "second-factor");
	sbuf_adds(b, "\" required><label for=\"saved\">I have saved these codes somewhere safe</label></div>"
		  "</div></div><button type=\"submit\" class=\"button\">Continue</button></form>\n");
}

/* The field asking who is there again: the password, or a code of the app. */
static void proof_field(struct sbuf *b, const struct staff_errors *e, const char *id, int has_totp)
{
	render_staff_input(b, e, "password", id, "proof", has_totp ? "Your password, or a code from "
			   "your app" : "Your password", has_totp ? "To check it is you." : NULL, NULL,
			   " autocomplete=\"current-password\"");
}

void render_your_account(struct sbuf *b, const struct render_your_account *y, const char *csrf,
			 const struct staff_errors *e)
{
	char hint[80];

	sbuf_adds(b, "<h1>Your account</h1>\n");
	if (y->notice) {
		sbuf_adds(b, "<div class=\"notice\" role=\"status\" id=\"notice\"><p>");
		sbuf_adds_html(b, y->notice);
		sbuf_adds(b, "</p></div>\n");
	}
	sbuf_adds(b, "<dl class=\"summary\"><div class=\"summary-row\"><dt>Name</dt><dd>");
	sbuf_adds_html(b, y->name);
	sbuf_adds(b, "</dd></div><div class=\"summary-row\"><dt>Role</dt><dd>");
	sbuf_adds(b, render_role_id(y->role) ? role_names[y->role] : "Unknown role");
	sbuf_adds(b, "</dd></div><div class=\"summary-row\"><dt>Second factor</dt><dd id=\"factor-state\">");
	if (y->has_totp)
		sbuf_addf(b, "On; %d of %d recovery codes left", y->codes_left, y->codes_total);
	else
		sbuf_adds(b, "Off");
	sbuf_adds(b, "</dd></div></dl>\n<h2>Change your password</h2>\n<p>Your other sessions, on any "
		  "other device, are signed out; this one stays.</p>\n"
		  "<form method=\"post\" action=\"/staff/account/password\" novalidate>");
	csrf_field(b, csrf);
	render_staff_input(b, e, "password", "p-current", "current", "Your current password", NULL, NULL,
			   " autocomplete=\"current-password\"");
	snprintf(hint, sizeof hint, "At least %d characters.", RENDER_MIN_PASSWORD);
	render_staff_input(b, e, "password", "p-password", "password", "New password", hint, NULL,
			   " autocomplete=\"new-password\"");
	render_staff_input(b, e, "password", "p-again", "again", "The new password again", NULL, NULL,
			   " autocomplete=\"new-password\"");
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Change your password</button></form>\n"
		  "<h2>Second factor</h2>\n");
	if (!y->has_totp) {
		sbuf_adds(b, "<p>Signing in asks only for your password. With a second factor it also "
			  "asks for a code from an app on your phone.</p>\n<p><a class=\"button\" "
			  "href=\"/staff/login/enrol\">Set up a second factor</a></p>\n");
		return;
	}
	if (y->codes_left <= 3)
		sbuf_addf(b, "<div class=\"notice\" id=\"codes-low\"><p><strong>You have %d recovery code%s left.</strong> "
			  "Make new ones before they run out.</p></div>\n", y->codes_left,
			  y->codes_left == 1 ? "" : "s");
	sbuf_adds(b, "<h3>Make new recovery codes</h3>\n<p>You get ten new codes, shown once. Your "
		  "old codes stop working at once, used or not.</p>\n"
		  "<form method=\"post\" action=\"/staff/account/recovery-codes\" novalidate>");
	csrf_field(b, csrf);
	sbuf_adds(b, "<input type=\"hidden\" name=\"codes\" value=\"");
	sbuf_adds_html(b, y->codes_mark);
	sbuf_adds(b, "\">");
	proof_field(b, e, "r-proof", 1);
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Make new recovery codes</button></form>\n");
	if (!y->may_remove) {
		sbuf_adds(b, "<p>Your role needs a second factor, so it cannot be turned off here. For a "
			  "lost phone, sign in with a recovery code, or ask an admin.</p>\n");
		return;
	}
	sbuf_adds(b, "<h3>Turn off the second factor</h3>\n<p>Signing in then asks only for your "
		  "password, and your recovery codes stop working.</p>\n"
		  "<form method=\"post\" action=\"/staff/account/second-factor\" novalidate>");
	csrf_field(b, csrf);
	proof_field(b, e, "t-proof", 1);
	sbuf_adds(b, "<button type=\"submit\" class=\"button button-warning\">Turn off the second factor"
		  "</button></form>\n");
}
