/*
 * focus.c - focus groups: 6 to 12 young people with a facilitator.  What is
 * kept is aggregate: how many took part, their age range and (optionally)
 * gender mix as counts; the group's key messages, each tagged with themes and
 * counted in the themes table's focus_group column; and a few quotes and
 * notes, scrubbed of contact details and sealed like survey free text, so
 * that once saved even staff pages cannot show them again.  The scrubber
 * does not find names in prose, so a quote or note is only taken once the
 * facilitator ticks that it holds none.
 *
 *   GET  /staff/groups                   groups, and a form to add one
 *   POST /staff/groups                   add a group
 *   GET  /staff/groups/ID                the group: details, key messages, quotes
 *   POST /staff/groups/ID                change its details (until locked)
 *   POST /staff/groups/ID/messages       add a key message with its themes
 *   POST /staff/groups/ID/messages/MID/delete
 *   POST /staff/groups/ID/sealed         add a quote or a note (sealed)
 *   POST /staff/groups/ID/lock           lock it for good
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../core/scrub.h"
#include "../forms/render.h"
#include "../forms/render_focus.h"
#include "../forms/render_staff.h"
#include "http.h"
#include "server.h"

#define FOCUS_MAX_SEALED_CHARS 1000   /* a quote or a note */
#define FOCUS_SEAL_SIZE (4 * SEAL_PAD_BLOCK) /* every quote and note padded alike */
/* The longest payload: the head with the longest group number and kind, then
 * every character at its most bytes in JSON (sbuf_add_json_plain). */
_Static_assert(sizeof "{\"v\":1,\"group\":-9223372036854775808,\"kind\":\"quote\",\"text\":\"\"}" +
	       SBUF_JSON_PLAIN_MAX * FOCUS_MAX_SEALED_CHARS <= FOCUS_SEAL_SIZE,
	       "every quote and note fits one sealed size (sizeof counts the padding byte)");

static int field_int(const struct form_body *b, const char *name, long long min, long long max,
		     int optional, int *out)
{
	const char *v = form_body_get(b, name);
	long long n;

	if (!v || !*v) {
		*out = -1;
		return optional ? 0 : -1;
	}
	if (parse_int(v, strlen(v), min, max, &n))
		return -1;
	*out = (int)n;
	return 0;
}

struct group_list { struct sbuf *b; int n; };

static void list_group(void *arg, const struct store_focus *g)
{
	struct group_list *l = arg;

	render_focus_group_item(l->b, l->n++, g);
}

/* What every page of focus groups needs. */
static struct render_focus page_of(const struct req_ctx *rc, const struct staff_session *sess,
				   const char *today, const struct taxonomy *t)
{
	struct render_focus p = { sess->csrf, today, rc->srv->catalog, t, FOCUS_MAX_SEALED_CHARS };
	return p;
}

/* GET /staff/groups, or the add form again (posted, e) with status. */
static int groups_page(struct req_ctx *rc, const struct staff_session *sess, int status,
		       const struct form_body *posted, const struct staff_errors *e)
{
	struct sbuf *b = &rc->page;
	struct group_list l = { b, 0 };
	char day[11];

	staff_today(day);
	struct render_focus p = page_of(rc, sess, day, NULL);
	staff_page_start(b, sess, "Focus groups", e);
	render_focus_groups_head(b);
	if (store_focus_each(rc->srv->store, list_group, &l))
		return http_send_problem(rc, 503, "Focus groups are not available just now.");
	render_focus_groups_end(b, &p, l.n, posted, e);
	render_staff_page_end(b);
	return http_send_page(rc, status);
}

/* Reads the details form into g, noting every problem in e. */
static void read_details(const struct form_body *body, struct store_focus *g, struct staff_errors *e)
{
	const char *day = form_body_get(body, "day");
	const char *district = form_body_get(body, "district");

	if (!day || !day_valid(day, strlen(day)))
		staff_errors_add(e, "g-day", "Give the day of the group, as a date");
	if (!district || !*district)
		staff_errors_add(e, "g-district", "Give the district");
	else if (strlen(district) > STORE_MAX_DISTRICT)
		staff_errors_add(e, "g-district", "Give the district in up to 64 characters");
	int people = !field_int(body, "participants", 1, 200, 0, &g->participants);
	if (!people)
		staff_errors_add(e, "g-participants", "Give how many young people took part, from 1 to 200");
	if (field_int(body, "age_from", 5, 30, 0, &g->age_from) ||
	    field_int(body, "age_to", 5, 30, 0, &g->age_to) || g->age_to < g->age_from)
		staff_errors_add(e, "g-age-from", "Give the youngest and oldest ages, from 5 to 30, "
				 "youngest first");
	if (field_int(body, "girls", 0, 200, 1, &g->girls) ||
	    field_int(body, "boys", 0, 200, 1, &g->boys) ||
	    field_int(body, "other_gender", 0, 200, 1, &g->other_gender)) {
		staff_errors_add(e, "g-girls", "Gender counts are whole numbers from 0 to 200, or leave "
				 "them empty");
	} else if (people) {
		long long mix = (g->girls > 0 ? g->girls : 0) + (g->boys > 0 ? g->boys : 0) +
				(g->other_gender > 0 ? g->other_gender : 0);
		if (mix > g->participants)
			staff_errors_add(e, "g-girls", "The gender counts add up to more than the number "
					 "who took part");
	}
	if (e->n)
		return;
	snprintf(g->day, sizeof g->day, "%s", day);
	snprintf(g->district, sizeof g->district, "%s", district);
}

/* 409 for any change to a locked group, as a staff page. */
static int group_locked(struct req_ctx *rc, const struct staff_session *sess, long long id)
{
	char href[48];

	snprintf(href, sizeof href, "/staff/groups/%lld", id);
	return staff_refuse(rc, sess, 409, "This group is locked",
			    "This group is locked, so it cannot be changed.", href, "Back to the group");
}

static int group_page(struct req_ctx *rc, const struct staff_session *sess, const struct store_focus *g,
		      int status, const struct render_focus_retry *retry);

/* What changed in a group's details, for the audit log ("day 2026-11-20 to
 * 2026-11-21; district ..."). */
static void details_changes(const struct store_focus *was, const struct store_focus *now,
			    char *out, size_t cap)
{
	size_t n = 0;

	out[0] = '\0';
#define CHANGED(cond, ...) do { if ((cond) && n < cap) \
		n += (size_t)snprintf(out + n, cap - n, __VA_ARGS__); } while (0)
	CHANGED(strcmp(was->day, now->day) != 0, "; day %s to %s", was->day, now->day);
	CHANGED(strcmp(was->district, now->district) != 0, "; district %s to %s", was->district,
		now->district);
	CHANGED(was->participants != now->participants, "; %d to %d young people", was->participants,
		now->participants);
	CHANGED(was->age_from != now->age_from || was->age_to != now->age_to, "; ages %d-%d to %d-%d",
		was->age_from, was->age_to, now->age_from, now->age_to);
	CHANGED(was->girls != now->girls || was->boys != now->boys ||
		was->other_gender != now->other_gender, "; the gender mix");
#undef CHANGED
}

/* POST /staff/groups (was NULL) or /staff/groups/ID (was the group). */
static int save_group(struct req_ctx *rc, const struct staff_session *sess, const struct store_focus *was)
{
	struct form_body body;
	struct store_focus g;
	struct staff_errors e = { 0 };
	long long saved = 0;
	int status;

	status = staff_read_post(rc, sess, &body);
	if (status)
		return status;
	if (was && was->locked) {
		form_body_free(&body);
		return group_locked(rc, sess, was->id);
	}
	memset(&g, 0, sizeof g);
	g.id = was ? was->id : 0;
	const char *cid = form_body_get(&body, "consultation");
	const struct form_consultation *c = cid ? staff_consultation(rc->srv, cid) : NULL;
	if (!was && !c)
		staff_errors_add(&e, "g-consultation", "Choose a consultation");
	else if (!was && c->status == FORM_CLOSED)
		staff_errors_add(&e, "g-consultation", "That consultation is closed: it takes no new "
				 "focus groups. Choose another");
	read_details(&body, &g, &e);
	if (e.n) {
		struct render_focus_retry retry = { RENDER_FOCUS_DETAILS, &body, &e };
		status = was ? group_page(rc, sess, was, 400, &retry) : groups_page(rc, sess, 400, &body, &e);
		form_body_free(&body);
		return status;
	}
	if (!was)
		snprintf(g.consultation, sizeof g.consultation, "%s", cid);
	form_body_free(&body);
	enum sv_err err = store_focus_put(rc->srv->store, &g, &saved);
	if (err == SV_ERR_INVALID)
		return group_locked(rc, sess, g.id);
	if (err)
		return http_send_problem(rc, 503, "The group could not be saved just now.");
	char detail[512], changes[400], location[64];
	if (was)
		details_changes(was, &g, changes, sizeof changes);
	snprintf(detail, sizeof detail, "group %lld%s", saved, was ? changes : "");
	store_audit(rc->srv->store, sess->user.name, was ? "changed a focus group" : "added a focus group",
		    detail);
	snprintf(location, sizeof location, "/staff/groups/%lld", saved);
	return http_send_redirect(rc, location);
}

static void message_row(void *arg, long long id, const char *text, const char *themes)
{
	render_focus_message(arg, id, text, themes);
}

/* The group's page with the given status; retry NULL, or the form to show
 * again with what was sent and its problems. */
static int group_page(struct req_ctx *rc, const struct staff_session *sess, const struct store_focus *g,
		      int status, const struct render_focus_retry *retry)
{
	struct sbuf *b = &rc->page;
	const struct form_consultation *c = staff_consultation(rc->srv, g->consultation);
	char day[11];

	if (!c)
		return http_send_problem(rc, 404, "This group's consultation is no longer offered.");
	staff_today(day);
	struct render_focus p = page_of(rc, sess, day, c->taxonomy);
	struct render_focus_messages v = { b, &p, g, 0 };
	staff_page_start(b, sess, "Focus group", retry ? retry->e : NULL);
	render_focus_group_head(b, g);
	if (store_focus_messages(rc->srv->store, g->id, message_row, &v))
		return http_send_problem(rc, 503, "The group is not available just now.");
	render_focus_group_end(b, &p, g, v.n, retry);
	render_staff_page_end(b);
	return http_send_page(rc, status);
}

/* Scrubs text into out; SV_OK or the scrubber's error. */
static enum sv_err scrubbed(const char *text, struct sbuf *out)
{
	return scrub_text(text, strlen(text), out, NULL);
}

static int add_message(struct req_ctx *rc, const struct staff_session *sess, const struct store_focus *g)
{
	struct form_body body;
	struct sbuf clean;
	struct staff_errors e = { 0 };
	const char *themes[TAXONOMY_MAX_THEMES];
	int indices[TAXONOMY_MAX_THEMES], priorities[TAXONOMY_MAX_PRIORITIES];
	char first[PARSE_MAX_ID + 16];
	size_t n = 0;
	const struct form_consultation *c = staff_consultation(rc->srv, g->consultation);
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	if (g->locked || !c) {
		form_body_free(&body);
		return c ? group_locked(rc, sess, g->id) :
			http_send_problem(rc, 404, "This group's consultation is no longer offered.");
	}
	const char *text = form_body_get(&body, "text");
	for (size_t f = 0; f < body.count && n < TAXONOMY_MAX_THEMES; f++) {
		if (strcmp(body.fields[f].name, "themes[]") != 0)
			continue;
		int i = taxonomy_theme_index(c->taxonomy, body.fields[f].value);
		int seen = 0;
		for (size_t k = 0; k < n; k++)
			seen |= indices[k] == i;
		if (i >= 0 && !seen) {
			indices[n] = i;
			themes[n++] = c->taxonomy->themes[i].id;
		}
	}
	if (!text || !*text)
		staff_errors_add(&e, "m-text", "Write what the group said");
	else if (strlen(text) > STORE_MAX_MESSAGE)
		staff_errors_add(&e, "m-text", "Write what the group said in up to 500 characters");
	snprintf(first, sizeof first, "m-theme-%s", c->taxonomy->nthemes ? c->taxonomy->themes[0].id : "");
	if (n == 0)
		staff_errors_add(&e, first, "Choose at least one theme");
	if (e.n) {
		struct render_focus_retry retry = { RENDER_FOCUS_MESSAGE, &body, &e };
		status = group_page(rc, sess, g, 400, &retry);
		form_body_free(&body);
		return status;
	}
	int np = form_themes_priorities(c->taxonomy, indices, (int)n, priorities);
	sbuf_init(&clean, 4 * STORE_MAX_MESSAGE);
	enum sv_err err = scrubbed(text, &clean);
	if (!err)
		err = store_focus_message_add(rc->srv->store, g->id, clean.buf ? clean.buf : "", themes, n,
					      priorities, (size_t)np);
	sbuf_free(&clean);
	form_body_free(&body);
	if (err == SV_ERR_INVALID)
		return group_locked(rc, sess, g->id);
	if (err)
		return http_send_problem(rc, 503, "The key message could not be saved just now.");
	char detail[64], location[64];
	snprintf(detail, sizeof detail, "group %lld", g->id);
	store_audit(rc->srv->store, sess->user.name, "added a key message", detail);
	snprintf(location, sizeof location, "/staff/groups/%lld", g->id);
	return http_send_redirect(rc, location);
}

static int delete_message(struct req_ctx *rc, const struct staff_session *sess,
			  const struct store_focus *g, long long message_id)
{
	struct form_body body;
	int status = staff_read_post(rc, sess, &body);
	char href[48];

	if (status)
		return status;
	form_body_free(&body);
	enum sv_err err = store_focus_message_delete(rc->srv->store, g->id, message_id);
	snprintf(href, sizeof href, "/staff/groups/%lld", g->id);
	if (err == SV_ERR_INVALID)
		return group_locked(rc, sess, g->id);
	if (err == SV_ERR_NOTFOUND)
		return staff_refuse(rc, sess, 404, "No such key message",
				    "There is no such key message in this group.", href, "Back to the group");
	if (err)
		return http_send_problem(rc, 503, "The key message could not be removed just now.");
	char detail[80];
	snprintf(detail, sizeof detail, "group %lld, message %lld", g->id, message_id);
	store_audit(rc->srv->store, sess->user.name, "removed a key message", detail);
	return http_send_redirect(rc, href);
}

static int add_sealed(struct req_ctx *rc, const struct staff_session *sess, const struct store_focus *g)
{
	struct form_body body;
	struct sbuf clean, payload;
	struct staff_errors e = { 0 };
	unsigned char *sealed = NULL;
	size_t sealed_len = 0;
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	if (g->locked) {
		form_body_free(&body);
		return group_locked(rc, sess, g->id);
	}
	const char *kind = form_body_get(&body, "kind");
	const char *text = form_body_get(&body, "text");
	const char *no_names = form_body_get(&body, "no_names");
	if (!kind || (strcmp(kind, "quote") != 0 && strcmp(kind, "note") != 0))
		staff_errors_add(&e, "s-quote", "Choose whether it is a quote or a note");
	if (!text || !*text)
		staff_errors_add(&e, "s-text", "Write the words");
	else if (utf8_length(text, strlen(text)) > FOCUS_MAX_SEALED_CHARS)
		staff_errors_add(&e, "s-text", "Write the words in up to 1000 characters");
	/* A form that is whole but for the box is 422; a missing or malformed
	 * part, 400, as before. */
	int malformed = e.n > 0;
	/* The scrubber does not find names in prose: the facilitator confirms
	 * there are none. */
	if (!no_names || strcmp(no_names, "yes") != 0)
		staff_errors_add(&e, "s-no-names", "Tick the box to confirm the words hold no names. Take "
				 "any names out first: they are not removed for you");
	if (e.n) {
		struct render_focus_retry retry = { RENDER_FOCUS_SEALED, &body, &e };
		status = group_page(rc, sess, g, malformed ? 400 : 422, &retry);
		form_body_free(&body);
		return status;
	}
	sbuf_init(&clean, 16 * 1024);
	sbuf_init(&payload, 32 * 1024);
	enum sv_err err = scrubbed(text, &clean);
	if (!err) {
		sbuf_addf(&payload, "{\"v\":1,\"group\":%lld,\"kind\":\"%s\",\"text\":\"", g->id, kind);
		sbuf_add_json_plain(&payload, clean.buf ? clean.buf : "", clean.len);
		sbuf_adds(&payload, "\"}");
		err = payload.err;
	}
	struct seal_public key;   /* the group's consultation's own key, else the server's */
	if (!err)
		err = server_key_for(rc->srv, g->consultation, &key);
	if (!err)
		err = seal_box_fixed(&key, payload.buf, payload.len, FOCUS_SEAL_SIZE,
				     &sealed, &sealed_len); /* one length, or SV_ERR_TOOBIG */
	if (!err)
		err = store_focus_seal_add(rc->srv->store, g->id, kind, key.id, sealed, sealed_len);
	if (clean.buf)
		sodium_memzero(clean.buf, clean.cap);
	if (payload.buf)
		sodium_memzero(payload.buf, payload.cap);
	sbuf_free(&clean);
	sbuf_free(&payload);
	free(sealed);
	char detail[64];
	snprintf(detail, sizeof detail, "group %lld: a %s", g->id, kind);
	if (err == SV_ERR_TOOBIG) { /* the scrubber's markers made it longer than typing can */
		staff_errors_add(&e, "s-text", "With each contact detail or user name replaced by a note "
				 "such as [email address removed], these words no longer fit. Please take "
				 "some out");
		struct render_focus_retry retry = { RENDER_FOCUS_SEALED, &body, &e };
		status = group_page(rc, sess, g, 422, &retry);
		form_body_free(&body);
		return status;
	}
	form_body_free(&body);
	if (err == SV_ERR_INVALID)
		return group_locked(rc, sess, g->id);
	if (err)
		return http_send_problem(rc, 503, "That could not be saved just now.");
	store_audit(rc->srv->store, sess->user.name, "sealed a quote or note", detail);
	char location[64];
	snprintf(location, sizeof location, "/staff/groups/%lld", g->id);
	return http_send_redirect(rc, location);
}

static int lock_group(struct req_ctx *rc, const struct staff_session *sess, const struct store_focus *g)
{
	struct form_body body;
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	form_body_free(&body);
	if (store_focus_lock(rc->srv->store, g->id))
		return http_send_problem(rc, 503, "The group could not be locked just now.");
	char detail[64], location[64];
	snprintf(detail, sizeof detail, "group %lld", g->id);
	store_audit(rc->srv->store, sess->user.name, "locked a focus group", detail);
	snprintf(location, sizeof location, "/staff/groups/%lld", g->id);
	return http_send_redirect(rc, location);
}

int focus_route(struct req_ctx *rc, const struct staff_session *sess, const char *rest)
{
	int get = strcmp(rc->method, "GET") == 0 || rc->head_only;
	int post = strcmp(rc->method, "POST") == 0;

	if (http_path_is(rest, "") || http_path_is(rest, "/")) {
		if (post)
			return save_group(rc, sess, NULL);
		return get ? groups_page(rc, sess, 200, NULL, NULL) :
			http_send_not_allowed(rc, "GET, HEAD, POST", "Not that way.");
	}
	long long id, mid;
	struct store_focus g;
	const char *action, *after;
	if (!http_path_id(rest, &id, &action) || store_focus_get(rc->srv->store, id, &g))
		return http_send_problem(rc, 404, "There is no focus group at this address.");
	if (http_path_is(action, "")) {
		if (post)
			return save_group(rc, sess, &g);
		return get ? group_page(rc, sess, &g, 200, NULL) :
			http_send_not_allowed(rc, "GET, HEAD, POST", "Not that way.");
	}
	/* "/messages", "/sealed", "/lock", "/messages/MID/delete": buttons, POST only */
	int message = http_path_under(action, "/messages", &after) && http_path_id(after, &mid, &after) &&
		http_path_is(after, "/delete");
	if (!message && !http_path_is(action, "/messages") && !http_path_is(action, "/sealed") &&
	    !http_path_is(action, "/lock"))
		return http_send_problem(rc, 404, "There is no focus group page at this address.");
	if (!post)
		return http_send_not_allowed(rc, "POST", "Use the buttons on the group's page.");
	if (message)
		return delete_message(rc, sess, &g, mid);
	if (http_path_is(action, "/messages"))
		return add_message(rc, sess, &g);
	if (http_path_is(action, "/sealed"))
		return add_sealed(rc, sess, &g);
	return lock_group(rc, sess, &g);
}
