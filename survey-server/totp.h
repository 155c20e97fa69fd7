/*
 * totp.h - the second factor: TOTP codes (RFC 6238, checked by Debian's
 * liboath), the secret sealed at rest, and recovery codes.
 *
 * A secret is 20 random bytes (160 bits, RFC 4226's recommendation), shown
 * once at enrolment as base32 text and an otpauth:// QR code.  In the
 * database it is sealed (crypto_secretbox) with a key derived from the
 * data folder's form-token.key, so that a copy of the database alone
 * reveals no secret; recovery codes are kept as hashes keyed the same way,
 * so that a copy cannot be searched for them either.  Codes of 6 digits,
 * 30-second steps, one step either side accepted for a slow clock; the
 * caller records the step taken (store_totp_take) so a code works once.
 */
#ifndef SV_TOTP_H
#define SV_TOTP_H

#include <stddef.h>

#include <sodium.h>

#include "../core/err.h"
#include "../core/sbuf.h"
#include "../core/token.h"

#define TOTP_SECRET_BYTES 20
#define TOTP_BASE32_LEN 32                /* characters of a 20-byte secret */
#define TOTP_SEALED (crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + TOTP_SECRET_BYTES)
#define TOTP_DIGITS 6
#define TOTP_STEP 30                      /* seconds */
#define TOTP_RECOVERY_LEN 11              /* "xxxxx-xxxxx": 50 random bits */

struct totp_key {
	unsigned char k[crypto_secretbox_KEYBYTES];
};

/* Starts liboath; 0 or -1.  Once, before any other call. */
int totp_init(void);
void totp_done(void);

/* The at-rest key, derived from the form-token key (core/token.h). */
void totp_key_derive(const struct token_key *from, struct totp_key *out /* OUT */);

/* A new random secret. */
void totp_secret_new(unsigned char secret[TOTP_SECRET_BYTES] /* OUT */);
/* The secret as RFC 4648 base32 without padding, NUL-ended. */
void totp_base32(const unsigned char secret[TOTP_SECRET_BYTES], char out[TOTP_BASE32_LEN + 1] /* OUT */);
/* Seals the secret for the database. */
void totp_seal(const struct totp_key *key, const unsigned char secret[TOTP_SECRET_BYTES],
	       unsigned char out[TOTP_SEALED] /* OUT */);
/* Opens a sealed secret of n bytes: SV_ERR_CRYPTO if it does not open. */
enum sv_err totp_open(const struct totp_key *key, const unsigned char *sealed, size_t n,
		      unsigned char secret[TOTP_SECRET_BYTES] /* OUT */);

/*
 * Checks a code typed in (n bytes, untrusted; spaces allowed) against the
 * secret at time now, one step either side.  SV_OK with *step the time
 * step it matched; SV_ERR_INVALID otherwise.
 */
enum sv_err totp_check(const unsigned char secret[TOTP_SECRET_BYTES], const char *code, size_t n,
		       long long now, long long *step /* OUT */);

/* A new recovery code, "xxxxx-xxxxx" in lower-case base32, NUL-ended. */
void totp_recovery_new(char out[TOTP_RECOVERY_LEN + 1] /* OUT */);
/* The keyed hash (hex) of a recovery code as typed (case, spaces and the
 * dash ignored).  SV_ERR_INVALID if it cannot be one. */
enum sv_err totp_recovery_hash(const struct totp_key *key, const char *code, size_t n,
			       char out[65] /* OUT */);

/* The otpauth:// URI of an authenticator app for account name. */
void totp_uri(struct sbuf *b, const char *name, const char secret32[TOTP_BASE32_LEN + 1]);

#endif
