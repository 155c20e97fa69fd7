/*
 * render_staff.c - the staff pages' layout, menu, error summary and fields
 * (see render_staff.h).
 */
#include <string.h>

#include "render_staff.h"
#include "render_accounts.h"

#define SERVICE_NAME "Your voice"

void staff_errors_add(struct staff_errors *e, const char *field, const char *text)
{
	if (e->n >= STAFF_MAX_ERRORS || staff_errors_for(e, field))
		return;
	e->item[e->n].field = field;
	e->item[e->n].text = text;
	e->n++;
}

const char *staff_errors_for(const struct staff_errors *e, const char *field)
{
	for (int i = 0; e && i < e->n; i++)
		if (strcmp(e->item[i].field, field) == 0)
			return e->item[i].text;
	return NULL;
}

/* The menu: a link is shown only to the roles its page lets in. */
static const struct {
	const char *href, *label;
	enum render_staff_role role;        /* the least role that may open it */
} menu[] = {
	{ "/staff/events", "Events", RENDER_ROLE_YOUTH_WORKER },
	{ "/staff/groups", "Focus groups", RENDER_ROLE_YOUTH_WORKER },
	{ "/staff/kiosks", "Kiosks", RENDER_ROLE_YOUTH_WORKER },
	{ "/staff/consultations", "Consultations", RENDER_ROLE_COMMISSIONER },
	{ "/staff/surveys", "Surveys", RENDER_ROLE_COMMISSIONER },
	{ "/staff/export", "Exports", RENDER_ROLE_COMMISSIONER },
	{ "/staff/accounts", "Accounts", RENDER_ROLE_ADMIN },
};

static void error_summary(struct sbuf *b, const struct staff_errors *e)
{
	sbuf_adds(b, "<div class=\"error-summary\" tabindex=\"-1\" autofocus "
		  "aria-labelledby=\"error-summary-title\">\n<h2 id=\"error-summary-title\">"
		  "There is a problem</h2>\n<ul>\n");
	for (int i = 0; i < e->n; i++) {
		sbuf_adds(b, "<li><a href=\"#");
		sbuf_adds_html(b, e->item[i].field);
		sbuf_adds(b, "\">");
		sbuf_adds_html(b, e->item[i].text);
		sbuf_adds(b, "</a></li>\n");
	}
	sbuf_adds(b, "</ul>\n</div>\n");
}

void render_staff_page_start(struct sbuf *b, const char *title, const struct render_staff_user *who,
			     const struct staff_errors *e)
{
	int has_error = e && e->n > 0;

	sbuf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	if (has_error)
		sbuf_adds(b, "Error: ");
	sbuf_adds_html(b, title);
	sbuf_adds(b, " \xe2\x80\x93 " SERVICE_NAME " staff</title>\n"
		  "<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
		  "<link rel=\"stylesheet\" href=\"/static/staff.css\">\n</head>\n<body class=\"staff\">\n"
		  "<a class=\"skip-link\" href=\"#main\">Skip to main content</a>\n"
		  "<header class=\"site-header\"><a class=\"site-name\" href=\"/staff\">"
		  SERVICE_NAME " staff</a>");
	if (who && who->name && who->role > RENDER_ROLE_NONE) {
		sbuf_adds(b, "<nav class=\"staff-nav\" aria-label=\"Staff\"><ul>");
		for (size_t i = 0; i < sizeof menu / sizeof menu[0]; i++) {
			if (who->role < menu[i].role)
				continue;
			sbuf_adds(b, "<li><a href=\"");
			sbuf_adds(b, menu[i].href);
			sbuf_adds(b, "\">");
			sbuf_adds(b, menu[i].label);
			sbuf_adds(b, "</a></li>");
		}
		sbuf_adds(b, "<li><a href=\"/staff/account\">Your account</a></li>"
			  "<li><form method=\"post\" action=\"/staff/logout\">"
			  "<input type=\"hidden\" name=\"_csrf\" value=\"");
		sbuf_adds_html(b, who->csrf ? who->csrf : "");
		sbuf_adds(b, "\"><button type=\"submit\" class=\"link-button on-dark\">Sign out <span "
			  "class=\"visually-hidden\">(");
		sbuf_adds_html(b, who->name);
		sbuf_adds(b, ")</span></button></form></li></ul></nav>");
	}
	sbuf_adds(b, "</header>\n<main id=\"main\" class=\"main\">\n");
	if (has_error)
		error_summary(b, e);
}

void render_staff_page_end(struct sbuf *b)
{
	sbuf_adds(b, "</main>\n</body>\n</html>\n");
}

/* ' aria-describedby="ID-hint ID-error"' for what there is, or nothing. */
static void described_by(struct sbuf *b, const char *id, int has_hint, int has_error)
{
	if (!has_hint && !has_error)
		return;
	sbuf_adds(b, " aria-describedby=\"");
	if (has_hint) {
		sbuf_adds_html(b, id);
		sbuf_adds(b, "-hint");
	}
	if (has_error) {
		sbuf_adds(b, has_hint ? " " : "");
		sbuf_adds_html(b, id);
		sbuf_adds(b, "-error");
	}
	sbuf_adds(b, "\"");
}

void render_staff_field_start(struct sbuf *b, const struct staff_errors *e, const char *id,
			      const char *label, const char *hint, int fieldset)
{
	const char *problem = staff_errors_for(e, id);

	sbuf_adds(b, problem ? "<div class=\"group group-error\">" : "<div class=\"group\">");
	if (fieldset) {
		sbuf_adds(b, "<fieldset class=\"question\"");
		described_by(b, id, hint != NULL, problem != NULL);
		sbuf_adds(b, "><legend class=\"label\">");
		sbuf_adds_html(b, label);
		sbuf_adds(b, "</legend>");
	} else {
		sbuf_adds(b, "<label class=\"label\" for=\"");
		sbuf_adds_html(b, id);
		sbuf_adds(b, "\">");
		sbuf_adds_html(b, label);
		sbuf_adds(b, "</label>");
	}
	if (hint) {
		sbuf_adds(b, "<p class=\"hint\" id=\"");
		sbuf_adds_html(b, id);
		sbuf_adds(b, "-hint\">");
		sbuf_adds_html(b, hint);
		sbuf_adds(b, "</p>");
	}
	if (problem) {
		sbuf_adds(b, "<p class=\"error-message\" id=\"");
		sbuf_adds_html(b, id);
		sbuf_adds(b, "-error\"><span class=\"visually-hidden\">Error:</span> ");
		sbuf_adds_html(b, problem);
		sbuf_adds(b, "</p>");
	}
}

void render_staff_field_end(struct sbuf *b, int fieldset)
{
	sbuf_adds(b, fieldset ? "</fieldset></div>\n" : "</div>\n");
}

void render_staff_control(struct sbuf *b, const struct staff_errors *e, const char *id,
			  const char *name, int has_hint)
{
	int problem = staff_errors_for(e, id) != NULL;

	sbuf_adds(b, " id=\"");
	sbuf_adds_html(b, id);
	sbuf_adds(b, "\" name=\"");
	sbuf_adds_html(b, name);
	sbuf_adds(b, "\"");
	described_by(b, id, has_hint, problem);
	if (problem)
		sbuf_adds(b, " aria-invalid=\"true\"");
}

void render_staff_input(struct sbuf *b, const struct staff_errors *e, const char *type,
			const char *id, const char *name, const char *label, const char *hint,
			const char *value, const char *attrs)
{
	int area = strcmp(type, "textarea") == 0;

	render_staff_field_start(b, e, id, label, hint, 0);
	if (area) {
		sbuf_adds(b, "<textarea");
	} else {
		sbuf_adds(b, "<input type=\"");
		sbuf_adds(b, type);
		sbuf_adds(b, "\"");
	}
	sbuf_adds(b, " id=\"");
	sbuf_adds_html(b, id);
	sbuf_adds(b, "\" name=\"");
	sbuf_adds_html(b, name);
	sbuf_adds(b, "\"");
	if (attrs)
		sbuf_adds(b, attrs);
	described_by(b, id, hint != NULL, staff_errors_for(e, id) != NULL);
	if (staff_errors_for(e, id))
		sbuf_adds(b, " aria-invalid=\"true\"");
	if (area) {
		sbuf_adds(b, ">");
		if (value)
			sbuf_adds_html(b, value);
		sbuf_adds(b, "</textarea>");
	} else {
		sbuf_adds(b, " value=\"");
		if (value)
			sbuf_adds_html(b, value);
		sbuf_adds(b, "\">");
	}
	render_staff_field_end(b, 0);
}

void render_staff_select_start(struct sbuf *b, const struct staff_errors *e, const char *id,
			       const char *name, const char *label)
{
	render_staff_field_start(b, e, id, label, NULL, 0);
	sbuf_adds(b, "<select");
	render_staff_control(b, e, id, name, 0);
	sbuf_adds(b, ">");
}

void render_staff_select_end(struct sbuf *b)
{
	sbuf_adds(b, "</select>");
	render_staff_field_end(b, 0);
}

void render_staff_option(struct sbuf *b, const char *value, const char *label, int chosen)
{
	sbuf_adds(b, "<option value=\"");
	sbuf_adds_html(b, value);
	sbuf_adds(b, chosen ? "\" selected>" : "\">");
	sbuf_adds_html(b, label);
	sbuf_adds(b, "</option>");
}

void render_staff_consultation_select(struct sbuf *b, const struct staff_errors *e, const char *id,
				      const char *name, const char *label, const struct form_catalog *cat,
				      const char *chosen, const struct form_consultation *skip)
{
	render_staff_select_start(b, e, id, name, label);
	for (int i = 0; i < cat->nconsultations; i++) {
		const struct form_consultation *c = &cat->consultations[i];
		if (c != skip)
			render_staff_option(b, c->id, c->title, strcmp(chosen, c->id) == 0);
	}
	render_staff_select_end(b);
}

void render_staff_csrf(struct sbuf *b, const char *csrf)
{
	sbuf_adds(b, "<input type=\"hidden\" name=\"_csrf\" value=\"");
	sbuf_adds_html(b, csrf);
	sbuf_adds(b, "\">");
}

void render_staff_choice(struct sbuf *b, const char *type, const char *id, const char *name,
			 const char *value, const char *label, int checked, int invalid)
{
	sbuf_adds(b, "<div class=\"choice\"><input type=\"");
	sbuf_adds(b, type);
	sbuf_adds(b, "\" id=\"");
	sbuf_adds_html(b, id);
	sbuf_adds(b, "\" name=\"");
	sbuf_adds_html(b, name);
	sbuf_adds(b, "\" value=\"");
	sbuf_adds_html(b, value);
	sbuf_adds(b, "\"");
	if (checked)
		sbuf_adds(b, " checked");
	if (invalid)
		sbuf_adds(b, " aria-invalid=\"true\"");
	sbuf_adds(b, "><label for=\"");
	sbuf_adds_html(b, id);
	sbuf_adds(b, "\">");
	sbuf_adds_html(b, label);
	sbuf_adds(b, "</label></div>");
}

int staff_posted_has(const struct form_body *posted, const char *name, const char *value)
{
	for (size_t i = 0; posted && i < posted->count; i++)
		if (strcmp(posted->fields[i].name, name) == 0 && strcmp(posted->fields[i].value, value) == 0)
			return 1;
	return 0;
}

const char *staff_posted_or(const struct form_body *posted, const char *name, const char *fallback)
{
	const char *v = posted ? form_body_get(posted, name) : NULL;
	return posted ? (v ? v : "") : fallback;
}

void render_staff_message(struct sbuf *b, const struct render_staff_user *who, const char *title,
			  const char *text, const char *href, const char *link)
{
	render_staff_page_start(b, title, who, NULL);
	sbuf_adds(b, "<h1>");
	sbuf_adds_html(b, title);
	sbuf_adds(b, "</h1>\n<p>");
	sbuf_adds_html(b, text);
	sbuf_adds(b, "</p>\n<p><a class=\"nav-link\" href=\"");
	sbuf_adds_html(b, href);
	sbuf_adds(b, "\">");
	sbuf_adds_html(b, link);
	sbuf_adds(b, "</a></p>\n");
	render_staff_page_end(b);
}

const char *render_staff_role_name(enum render_staff_role role)
{
	return role == RENDER_ROLE_ADMIN ? "admin" : role == RENDER_ROLE_COMMISSIONER ? "commissioner" :
		"youth worker";
}

void render_staff_login(struct sbuf *b, const char *token, const char *name, int no_admin,
			const struct staff_errors *e)
{
	sbuf_adds(b, "<h1>Sign in</h1>\n<p>For youth workers, commissioners and admins. "
		  "Young people never need to sign in.</p>\n");
	if (no_admin)
		render_accounts_no_admin(b);
	sbuf_adds(b, "<form method=\"post\" action=\"/staff/login\" novalidate>\n");
	render_staff_csrf(b, token);
	sbuf_adds(b, "\n");
	render_staff_input(b, e, "text", "name", "name", "Name", NULL, name,
			   " autocomplete=\"username\" autocapitalize=\"none\" spellcheck=\"false\"");
	render_staff_input(b, e, "password", "password", "password", "Password", NULL, NULL,
			   " autocomplete=\"current-password\"");
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Sign in</button>\n</form>\n");
}

void render_staff_home(struct sbuf *b, const struct render_staff_user *who)
{
	sbuf_adds(b, "<h1>Hello, ");
	sbuf_adds_html(b, who->name);
	sbuf_adds(b, "</h1>\n<p>You are signed in as ");
	sbuf_adds(b, render_staff_role_name(who->role));
	sbuf_adds(b, ".</p>\n<ul class=\"survey-list\">\n"
		  "<li><a href=\"/staff/events\">Marketplace events and tallies</a></li>\n"
		  "<li><a href=\"/staff/groups\">Focus groups</a></li>\n"
		  "<li><a href=\"/staff/kiosks\">Kiosks and posters: surveys on a shared tablet</a></li>\n"
		  "<li><a href=\"/staff/ballots\">Youth ballots: paper returns and results</a></li>\n");
	if (who->role >= RENDER_ROLE_COMMISSIONER)
		sbuf_adds(b, "<li><a href=\"/staff/consultations\">Consultations: open and close them</a></li>\n"
			  "<li><a href=\"/staff/export\">Exports: themes table, report and responses</a></li>\n"
			  "<li><a href=\"/staff/key\">Key: check or change its passphrase</a></li>\n");
	if (who->role >= RENDER_ROLE_ADMIN)
		sbuf_adds(b, "<li><a href=\"/staff/accounts\">Accounts</a></li>\n");
	sbuf_adds(b, "</ul>\n");
}
