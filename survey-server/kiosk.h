/*
 * kiosk.h - event-day pages: a survey in kiosk mode on a shared tablet, the
 * staff pages that start and switch off kiosks, and QR posters.
 *
 * A kiosk is opened with a link a member of staff makes (/k/SURVEY#k=TOKEN):
 * the token is random, kept on the server only as a hash, good for that one
 * survey, and works until staff switch it off; no staff session is needed
 * on the tablet, and "open it on this tablet" signs the member of staff out
 * there first.  The kiosk page (forms/static/kiosk.js) checks each person's
 * answers, seals them on the device to the kiosk transport key (libsodium's
 * JavaScript build, served from this origin, only on kiosk pages), keeps
 * them on the device until the server has them, and starts afresh.  The
 * server opens each box with the transport secret key and does what a form
 * submission does: check, scrub, seal to the consultation's key, store
 * through the shared commit, once per id the device gave the answers.
 * docs/kiosk.md says how it is used; docs/threat-model.md what the
 * transport key protects.
 */
#ifndef SV_KIOSK_H
#define SV_KIOSK_H

#include <stddef.h>

#include "../core/err.h"
#include "server.h"

#define KIOSK_KEY_FILE "kiosk-transport.key"  /* in the data folder: the transport secret key */
#define KIOSK_TOKEN_HEX 64                     /* a kiosk token: 32 random bytes, hex */
#define KIOSK_ID_HEX 32                        /* an answer's id, made by the device: 16 bytes, hex */
#define KIOSK_PER_MINUTE 60                    /* answers one kiosk may send a minute (burst, refill) */
#define KIOSK_MAX_NAME 60                      /* bytes in a tablet's name (STORE_MAX_KIOSK_NAME) */

struct req_ctx;

/* Loads (making it on first start) DATA/kiosk-transport.key and reads the
 * kiosk's scripts from FORMS/static; without libsodium's files there
 * (make vendor) kiosk pages answer 503 and the rest of the service runs. */
enum sv_err kiosk_init(struct server *srv, const char *data_dir, const char *forms_dir);
void kiosk_free(struct server *srv);

/* GET /k/SURVEY (the kiosk page), POST /k/SURVEY/answers (one sealed answer
 * set from a kiosk), GET /static/kiosk/FILE.  Returns the status sent. */
int kiosk_route(struct req_ctx *rc, const char *path);

/* /staff/kiosks...: rest is what follows /staff/kiosks. */
int kiosk_staff_route(struct req_ctx *rc, const struct staff_session *sess, const char *rest);

/* GET /s/SURVEY/poster: the survey's A4 poster (poster.c). */
int poster_survey(struct req_ctx *rc, const struct form_survey *s);

/*
 * The site's address as people reach it, without a trailing slash, for links
 * printed on posters: --public-url when the server was given one, else
 * "http://" (or "https://" when the trusted proxy says so) and the request's
 * Host header, if it is a plain host name or address and port.  What is
 * made from it is shown only to whoever sent the request and never cached,
 * so a false Host misleads nobody else.  SV_ERR_INVALID without a usable
 * one.
 */
enum sv_err poster_base_url(const struct req_ctx *rc, char *out, size_t cap);

#endif
