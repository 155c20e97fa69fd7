/*
 * render_key.c - the staff Key page (see render_key.h).
 */
#include <stdio.h>
#include <string.h>

#include "render_key.h"

/* The key a form is for: a choice when there are several (the posted one,
 * else the server's active one, chosen), else the one key as a hidden field. */
static void key_field(struct sbuf *b, const struct render_key *k, const struct staff_errors *e,
		      const char *id)
{
	if (k->nkeys == 1) {
		sbuf_adds(b, "<input type=\"hidden\" name=\"key\" value=\"");
		sbuf_adds_html(b, k->keys[0].id);
		sbuf_adds(b, "\">");
		return;
	}
	render_staff_select_start(b, e, id, "key", "Key");
	for (int i = 0; i < k->nkeys; i++) {
		const struct render_key_item *it = &k->keys[i];
		char label[120];
		snprintf(label, sizeof label, "%s, %s%s%s", it->id, it->consultation[0] ? "consultation " : "",
			 it->consultation[0] ? it->consultation : "server key", it->active ? " (active)" : "");
		/* The posted key, else the server's active one: one chosen. */
		render_staff_option(b, it->id, label, k->chosen ? strcmp(k->chosen, it->id) == 0 :
				    it->active && !it->consultation[0]);
	}
	render_staff_select_end(b);
}

/* Opens the form posted to /staff/key/ACTION: its token, the key, and the
 * current passphrase's field. */
static void passphrase_form(struct sbuf *b, const struct render_key *k, const struct staff_errors *e,
			    const char *action, const char *key_id, const char *pass_id, const char *name,
			    const char *label)
{
	sbuf_addf(b, "<form method=\"post\" action=\"/staff/key/%s\" novalidate>", action);
	render_staff_csrf(b, k->csrf);
	key_field(b, k, e, key_id);
	render_staff_input(b, e, "password", pass_id, name, label, NULL, NULL,
			   " autocomplete=\"current-password\"");
}

void render_key_page(struct sbuf *b, const struct render_key *k, const struct staff_errors *e)
{
	sbuf_adds(b, "<h1>Key</h1>\n");
	if (k->notice) {
		sbuf_adds(b, "<div class=\"notice\" role=\"status\"><p>");
		sbuf_adds_html(b, k->notice);
		sbuf_adds(b, "</p></div>\n");
	}
	sbuf_adds(b, "<p>Every answer is sealed to a key. This server keeps only the key's public half; "
		  "its secret half is kept locked under a passphrase that only the key's custodians know, "
		  "and is needed to export answers. A consultation with a key of its own has its answers "
		  "sealed to that key, and only its passphrase opens them. Checking or changing the "
		  "passphrase opens no answer and changes none.</p>\n");
	if (k->nkeys == 0) {
		sbuf_adds(b, "<p>There is no key yet. An admin makes one on the server with "
			  "<code>survey-server keygen</code>.</p>\n");
		return;
	}
	sbuf_adds(b, "<h2>Keys</h2>\n<ul class=\"key-list\">\n");
	for (int i = 0; i < k->nkeys; i++) {
		const struct render_key_item *it = &k->keys[i];
		sbuf_adds(b, "<li><code>");
		sbuf_adds_html(b, it->id);
		sbuf_adds(b, "</code>, made ");
		sbuf_adds_html(b, it->created[0] ? it->created : "on an unknown day");
		if (it->consultation[0]) {
			sbuf_adds(b, ", for consultation <code>");
			sbuf_adds_html(b, it->consultation);
			sbuf_adds(b, "</code> only");
		} else {
			sbuf_adds(b, ", the server's key, for every consultation without a key of its own");
		}
		if (it->active)
			sbuf_adds(b, ": new answers are sealed to it");
		if (!it->has_secret)
			sbuf_adds(b, ". <strong>Its secret is missing:</strong> recover it from its shares");
		sbuf_adds(b, "</li>\n");
	}
	sbuf_adds(b, "</ul>\n<h2>Check a passphrase</h2>\n<p>For custodians to rehearse: this says whether "
		  "the passphrase opens the key, and nothing more. Wrong passphrases are limited: after 5 "
		  "in 15 minutes, here or on the export and analysis pages, they wait; signing in does "
		  "not.</p>\n");
	passphrase_form(b, k, e, "check", "k-check-key", "k-check-pass", "passphrase", "Passphrase");
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Check passphrase</button></form>\n"
		  "<h2>Change the passphrase</h2>\n<p>When a custodian leaves, change the passphrase and "
		  "give the new one only to those who stay. The key and every answer stay as they are; "
		  "the old passphrase stops working at once.</p>\n");
	passphrase_form(b, k, e, "passphrase", "k-key", "k-current", "current", "Current passphrase");
	render_staff_input(b, e, "password", "k-new", "new", "New passphrase",
			   "At least 12 characters. A few unrelated words are easy to type and hard to guess.",
			   NULL, " autocomplete=\"new-password\"");
	render_staff_input(b, e, "password", "k-again", "again", "New passphrase again", NULL, NULL,
			   " autocomplete=\"new-password\"");
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Change passphrase</button></form>\n"
		  "<h2>Recovery shares</h2>\n<p>So that no one person can lose the answers, the secret "
		  "can be split into shares, for example 3 of which any 2 rebuild it. Shares are made and "
		  "used on the server's command line only, so that none ever passes through a web page, "
		  "and none is kept on the server: <code>survey-server key split</code> and "
		  "<code>survey-server key recover</code> (the README's key ceremony says how). A share "
		  "made before a passphrase change still works after it.</p>\n");
}
