/*
 * seal.c - key files and sealed boxes (see seal.h).
 *
 * ID.secret looks like this (one "name value" per line, so a person can see
 * what it is, and a version so the format can change):
 *   youthvoice-secret-key 1
 *   id 3f2a...
 *   kdf argon2id13
 *   opslimit 3
 *   memlimit 268435456
 *   salt <hex>
 *   nonce <hex>
 *   box <hex of secretbox(secret key)>
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "files.h"
#include "limits.h"
#include "seal.h"

_Static_assert(SEAL_CONSULTATION_MAX == LIMIT_ID_BYTES, "a consultation id fits its key files");

/* seal_open's text is preceded by its buffer's size, for the wipe; 16 bytes
 * keep the text as aligned as malloc's own. */
#define PLAIN_HEAD 16
_Static_assert(sizeof(size_t) <= PLAIN_HEAD, "the size fits in front");

#define KEY_FILE_MAX 4096

struct seal_secret {
	char id[SEAL_KEY_ID_LEN + 1];
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	unsigned char sk[crypto_box_SECRETKEYBYTES];
};

static void key_id_from_public(const unsigned char *pk, char id[SEAL_KEY_ID_LEN + 1])
{
	unsigned char hash[SEAL_KEY_ID_LEN / 2];

	crypto_generichash(hash, sizeof hash, pk, crypto_box_PUBLICKEYBYTES, NULL, 0);
	sodium_bin2hex(id, SEAL_KEY_ID_LEN + 1, hash, sizeof hash);
}

static int key_path(char *out, size_t cap, const char *keydir, const char *id,
		    const char *suffix)
{
	int n = snprintf(out, cap, "%s/%s%s", keydir, id, suffix);
	return n < 0 || (size_t)n >= cap;
}

/* Finds the line "name value" in a key file; returns value and its length. */
static const char *field_value(const char *text, const char *name, size_t *len)
{
	size_t nlen = strlen(name);

	const char *line = text;

	while (line && *line) {
		if (strncmp(line, name, nlen) == 0 && line[nlen] == ' ') {
			*len = strcspn(line + nlen + 1, "\n");
			return line + nlen + 1;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return NULL;
}

/* Decodes the hex value of field name into exactly binlen bytes. */
static enum sv_err field_hex(const char *text, const char *name,
			     unsigned char *bin, size_t binlen)
{
	size_t vlen, got = 0;
	const char *v = field_value(text, name, &vlen);

	if (!v || sodium_hex2bin(bin, binlen, v, vlen, NULL, &got, NULL) != 0 || got != binlen)
		return SV_ERR_INVALID;
	return SV_OK;
}

static enum sv_err field_number(const char *text, const char *name,
				unsigned long long *out)
{
	size_t vlen;
	const char *v = field_value(text, name, &vlen);
	char *end;

	if (!v || vlen == 0 || vlen > 20 || strspn(v, "0123456789") != vlen)
		return SV_ERR_INVALID;
	*out = strtoull(v, &end, 10);
	return end == v + vlen ? SV_OK : SV_ERR_INVALID;
}

/* Formats a small key file and writes it atomically as KEYDIR/NAMESUFFIX. */
static enum sv_err write_key_file(const char *keydir, const char *name,
				  const char *suffix, mode_t mode, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static enum sv_err write_key_file(const char *keydir, const char *name,
				  const char *suffix, mode_t mode, const char *fmt, ...)
{
	char path[4096], text[KEY_FILE_MAX];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof text || key_path(path, sizeof path, keydir, name, suffix))
		return SV_ERR_TOOBIG;
	enum sv_err rc = files_write_atomic(path, text, (size_t)n, mode);
	sodium_memzero(text, sizeof text);
	return rc;
}

/*
 * Writes KEYDIR/ID.secret: s's secret key in a secretbox under a key that
 * Argon2id derives from passphrase with a new salt, replacing any file
 * before it whole (files_write_atomic).  The caller holds the key folder's
 * lock where another process may change the same file.
 */
static enum sv_err write_secret(const char *keydir, const struct seal_secret *s,
				const char *passphrase, size_t passlen, enum seal_kdf_cost cost)
{
	enum sv_err rc = SV_OK;
	unsigned char *kek = sodium_malloc(crypto_secretbox_KEYBYTES);
	unsigned char salt[crypto_pwhash_SALTBYTES];
	unsigned char nonce[crypto_secretbox_NONCEBYTES];
	unsigned char box[crypto_secretbox_MACBYTES + crypto_box_SECRETKEYBYTES];
	char salt_hex[sizeof salt * 2 + 1], nonce_hex[sizeof nonce * 2 + 1];
	char box_hex[sizeof box * 2 + 1];
	/* Real keys: libsodium's moderate passes over 64 MiB (not its 256 MiB),
	 * well above OWASP's Argon2id guidance, so that an export stays under
	 * 100 MB; the parameters are stored with the key, so older keys made
	 * with 256 MiB still open. */
	unsigned long long ops = cost == SEAL_KDF_MODERATE ?
		crypto_pwhash_OPSLIMIT_MODERATE : crypto_pwhash_OPSLIMIT_INTERACTIVE;
	size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;

	if (!kek)
		return SV_ERR_NOMEM;
	randombytes_buf(salt, sizeof salt);
	randombytes_buf(nonce, sizeof nonce);
	if (crypto_pwhash(kek, crypto_secretbox_KEYBYTES, passphrase, passlen, salt,
			  ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
		rc = SV_ERR_NOMEM; /* Argon2id could not get its memory */
		goto out;
	}
	crypto_secretbox_easy(box, s->sk, sizeof s->sk, nonce, kek);
	sodium_bin2hex(salt_hex, sizeof salt_hex, salt, sizeof salt);
	sodium_bin2hex(nonce_hex, sizeof nonce_hex, nonce, sizeof nonce);
	sodium_bin2hex(box_hex, sizeof box_hex, box, sizeof box);
	rc = write_key_file(keydir, s->id, ".secret", 0600,
			    "youthvoice-secret-key 1\nid %s\nkdf argon2id13\n"
			    "opslimit %llu\nmemlimit %zu\nsalt %s\nnonce %s\nbox %s\n",
			    s->id, ops, mem, salt_hex, nonce_hex, box_hex);
out:
	sodium_free(kek);
	return rc;
}

int seal_consultation_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n > 0 && n <= SEAL_CONSULTATION_MAX && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

enum sv_err seal_key_create(const char *keydir, const char *passphrase,
			    size_t passlen, enum seal_kdf_cost cost,
			    struct seal_public *out)
{
	return seal_key_create_for(keydir, NULL, passphrase, passlen, cost, out);
}

enum sv_err seal_key_create_for(const char *keydir, const char *consultation, const char *passphrase,
				size_t passlen, enum seal_kdf_cost cost, struct seal_public *out)
{
	enum sv_err rc = SV_OK;
	struct seal_secret *s = NULL;
	char pk_hex[crypto_box_PUBLICKEYBYTES * 2 + 1];
	char day[16];

	if (consultation && !seal_consultation_ok(consultation))
		return SV_ERR_INVALID;
	rc = files_ensure_dir(keydir);
	if (rc)
		return rc;
	s = sodium_malloc(sizeof *s);
	if (!s)
		return SV_ERR_NOMEM;
	crypto_box_keypair(s->pk, s->sk);
	key_id_from_public(s->pk, s->id);
	sodium_bin2hex(pk_hex, sizeof pk_hex, s->pk, sizeof s->pk);

	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);

	rc = write_secret(keydir, s, passphrase, passlen, cost);
	/* Which consultation it serves is part of the public file, written
	 * once: a key is the server's or one consultation's for good. */
	if (!rc)
		rc = write_key_file(keydir, s->id, ".public", 0644,
				    "youthvoice-public-key 1\nid %s\npublic %s\ncreated %s\n%s%s%s",
				    s->id, pk_hex, day, consultation ? "consultation " : "",
				    consultation ? consultation : "", consultation ? "\n" : "");
	/* Only now, with both files safely on disk, does the key become active:
	 * the server's, or the consultation's current key. */
	if (!rc && consultation)
		rc = write_key_file(keydir, "consultation-", consultation, 0644, "%s\n", s->id);
	else if (!rc)
		rc = write_key_file(keydir, "active", "", 0644, "%s\n", s->id);
	if (rc)
		goto out;
	memcpy(out->pk, s->pk, sizeof out->pk);
	memcpy(out->id, s->id, sizeof out->id);
out:
	sodium_free(s);
	return rc;
}

static enum sv_err read_key_file(const char *keydir, const char *id,
				 const char *suffix, const char *magic,
				 char **text)
{
	char path[4096];
	size_t len;

	if (strlen(id) != SEAL_KEY_ID_LEN || strspn(id, "0123456789abcdef") != SEAL_KEY_ID_LEN)
		return SV_ERR_NOTFOUND;
	if (key_path(path, sizeof path, keydir, id, suffix))
		return SV_ERR_TOOBIG;
	enum sv_err rc = files_read_all(path, KEY_FILE_MAX, text, &len);
	if (rc)
		return rc;
	if (strncmp(*text, magic, strlen(magic)) != 0) {
		free(*text);
		*text = NULL;
		return SV_ERR_INVALID;
	}
	return SV_OK;
}

/* Loads the key that the pointer file NAMESUFFIX (active, or
 * consultation-C) names.  SV_ERR_NOTFOUND only when there is no pointer
 * (for active, also when its key is gone, as before). */
static enum sv_err load_pointed(const char *keydir, const char *name, const char *suffix,
				struct seal_public *out)
{
	char path[4096], *active = NULL;
	size_t len;
	enum sv_err rc;

	if (key_path(path, sizeof path, keydir, name, suffix))
		return SV_ERR_TOOBIG;
	rc = files_read_all(path, 64, &active, &len);
	if (rc)
		return rc;
	active[strcspn(active, "\r\n")] = '\0';
	rc = seal_public_load(keydir, active, out);
	free(active);
	/* A pointer there but its key gone is not "no key": for a
	 * consultation, that would seal to the server's key instead. */
	if (rc == SV_ERR_NOTFOUND && *suffix)
		rc = SV_ERR_INVALID;
	return rc;
}

enum sv_err seal_public_load_active(const char *keydir, struct seal_public *out)
{
	return load_pointed(keydir, "active", "", out);
}

enum sv_err seal_key_consultation(const char *keydir, const char *id, char out[SEAL_CONSULTATION_MAX + 1])
{
	char *text = NULL;
	size_t vlen = 0;
	enum sv_err rc = read_key_file(keydir, id, ".public", "youthvoice-public-key 1\n", &text);

	out[0] = '\0';
	if (rc)
		return rc;
	const char *v = field_value(text, "consultation", &vlen);
	if (v && vlen <= SEAL_CONSULTATION_MAX) {
		memcpy(out, v, vlen);
		out[vlen] = '\0';
	}
	if (v && (vlen > SEAL_CONSULTATION_MAX || !seal_consultation_ok(out)))
		rc = SV_ERR_INVALID;
	free(text);
	return rc;
}

enum sv_err seal_public_load_for(const char *keydir, const char *consultation, struct seal_public *out)
{
	char serves[SEAL_CONSULTATION_MAX + 1];

	if (!seal_consultation_ok(consultation))
		return SV_ERR_INVALID;
	enum sv_err rc = load_pointed(keydir, "consultation-", consultation, out);
	/* The pointer names a key made for this consultation, or nothing is
	 * sealed: never another consultation's key, nor the server's. */
	if (!rc)
		rc = seal_key_consultation(keydir, out->id, serves);
	if (!rc && strcmp(serves, consultation) != 0)
		rc = SV_ERR_INVALID;
	return rc;
}

enum sv_err seal_public_load(const char *keydir, const char *id, struct seal_public *out)
{
	char *text = NULL;
	enum sv_err rc = read_key_file(keydir, id, ".public", "youthvoice-public-key 1\n", &text);

	if (rc)
		return rc;
	rc = field_hex(text, "public", out->pk, sizeof out->pk);
	if (!rc) {
		key_id_from_public(out->pk, out->id);
		if (strcmp(out->id, id) != 0)
			rc = SV_ERR_INVALID; /* the file holds some other key */
	}
	free(text);
	return rc;
}

enum sv_err seal_secret_load(const char *keydir, const char *id,
			     const char *passphrase, size_t passlen,
			     struct seal_secret **out)
{
	enum sv_err rc;
	char *text = NULL;
	struct seal_secret *s = NULL;
	unsigned char *kek = NULL;
	unsigned char salt[crypto_pwhash_SALTBYTES];
	unsigned char nonce[crypto_secretbox_NONCEBYTES];
	unsigned char box[crypto_secretbox_MACBYTES + crypto_box_SECRETKEYBYTES];
	unsigned long long ops, mem;

	*out = NULL;
	rc = read_key_file(keydir, id, ".secret", "youthvoice-secret-key 1\n", &text);
	if (rc)
		return rc;
	if (field_hex(text, "salt", salt, sizeof salt) ||
	    field_hex(text, "nonce", nonce, sizeof nonce) ||
	    field_hex(text, "box", box, sizeof box) ||
	    field_number(text, "opslimit", &ops) ||
	    field_number(text, "memlimit", &mem) ||
	    ops < crypto_pwhash_OPSLIMIT_MIN || ops > crypto_pwhash_OPSLIMIT_SENSITIVE ||
	    mem < crypto_pwhash_MEMLIMIT_MIN || mem > crypto_pwhash_MEMLIMIT_SENSITIVE) {
		rc = SV_ERR_INVALID;
		goto out;
	}
	s = sodium_malloc(sizeof *s);
	kek = sodium_malloc(crypto_secretbox_KEYBYTES);
	if (!s || !kek) {
		rc = SV_ERR_NOMEM;
		goto out;
	}
	if (crypto_pwhash(kek, crypto_secretbox_KEYBYTES, passphrase, passlen, salt,
			  ops, (size_t)mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
		rc = SV_ERR_NOMEM;
		goto out;
	}
	if (crypto_secretbox_open_easy(s->sk, box, sizeof box, nonce, kek) != 0) {
		rc = SV_ERR_CRYPTO; /* wrong passphrase, or the file was altered */
		goto out;
	}
	crypto_scalarmult_base(s->pk, s->sk);
	key_id_from_public(s->pk, s->id);
	if (strcmp(s->id, id) != 0) {
		rc = SV_ERR_CRYPTO;
		goto out;
	}
	sodium_mprotect_readonly(s);
	*out = s;
	s = NULL;
out:
	sodium_free(kek);
	sodium_free(s);
	free(text);
	return rc;
}

const char *seal_secret_id(const struct seal_secret *s)
{
	return s->id;
}

int seal_secret_locked(struct seal_secret *s)
{
	/* sodium_malloc locks its pages but says nothing when the system
	 * refuses; locking them again (a no-op when they are) tells. */
	return !s || sodium_mlock(s, sizeof *s) == 0;
}

void seal_secret_free(struct seal_secret *s)
{
	sodium_free(s); /* wipes and unlocks; NULL is fine */
}

enum sv_err seal_box(const struct seal_public *key, const void *msg, size_t len,
		     unsigned char **out, size_t *outlen)
{
	return seal_box_padded(key, msg, len, 0, out, outlen);
}

enum sv_err seal_box_padded(const struct seal_public *key, const void *msg, size_t len,
			    size_t min_size, unsigned char **out, size_t *outlen)
{
	unsigned char *padded = NULL, *box = NULL;
	size_t padded_len;
	enum sv_err rc = SV_OK;

	*out = NULL;
	*outlen = 0;
	if (len > SEAL_MAX_PLAINTEXT || min_size > SEAL_MAX_PLAINTEXT + SEAL_PAD_BLOCK ||
	    min_size % SEAL_PAD_BLOCK)
		return SV_ERR_TOOBIG;
	/* One block of min_size when the text fits in it, else whole blocks. */
	size_t block = min_size > len ? min_size : SEAL_PAD_BLOCK;
	size_t cap = len + block;
	/* Plain heap, wiped before release: the caller's copy of msg is plain
	 * heap too, and sodium_malloc's guard pages cost an mmap, mprotect and
	 * munmap (a TLB shootdown on every core) per response. */
	padded = malloc(cap);
	box = malloc(cap + crypto_box_SEALBYTES);
	if (!padded || !box) {
		rc = SV_ERR_NOMEM;
		goto out;
	}
	/* ISO/IEC 7816-4 padding as sodium_unpad reads it: 0x80, then zeros to
	 * the end of the block.  Not sodium_pad, which walks the whole block in
	 * constant time (10 us for 4 KiB) to hide a length that the request's
	 * own size shows anyway. */
	padded_len = (len / block + 1) * block;
	memcpy(padded, msg, len);
	padded[len] = 0x80;
	memset(padded + len + 1, 0, padded_len - len - 1);
	if (crypto_box_seal(box, padded, padded_len, key->pk) != 0) {
		rc = SV_ERR_CRYPTO;
		goto out;
	}
	*out = box;
	*outlen = padded_len + crypto_box_SEALBYTES;
	box = NULL;
out:
	if (padded)
		sodium_memzero(padded, cap);
	free(padded);
	free(box);
	return rc;
}

enum sv_err seal_box_fixed(const struct seal_public *key, const void *msg, size_t len,
			   size_t size, unsigned char **out, size_t *outlen)
{
	if (size == 0 || len >= size) {
		*out = NULL;
		*outlen = 0;
		return SV_ERR_TOOBIG;
	}
	return seal_box_padded(key, msg, len, size, out, outlen);
}

enum sv_err seal_open(const struct seal_secret *key, const unsigned char *box,
		      size_t boxlen, char **msg, size_t *len)
{
	char *plain;
	size_t unpadded;

	*msg = NULL;
	*len = 0;
	if (boxlen < crypto_box_SEALBYTES + SEAL_PAD_BLOCK ||
	    boxlen > crypto_box_SEALBYTES + SEAL_MAX_PLAINTEXT + 2 * SEAL_PAD_BLOCK)
		return SV_ERR_CRYPTO;
	size_t plen = boxlen - crypto_box_SEALBYTES;
	/* Plain heap with its size in front, wiped by seal_plain_free.  Not
	 * sodium_malloc: its guard pages cost an mmap, two mprotects and a
	 * munmap per response (a TLB flush on every core), about 250 us here,
	 * seven times the decryption; and an export writes this text to its
	 * output anyway, so locking it out of swap gains nothing. */
	unsigned char *block = malloc(PLAIN_HEAD + plen + 1);
	if (!block)
		return SV_ERR_NOMEM;
	memcpy(block, &plen, sizeof plen);
	plain = (char *)block + PLAIN_HEAD;
	if (plen % SEAL_PAD_BLOCK ||
	    crypto_box_seal_open((unsigned char *)plain, box, boxlen, key->pk, key->sk) != 0) {
		seal_plain_free(plain);
		return SV_ERR_CRYPTO;
	}
	/* ISO/IEC 7816-4 padding, which may span the whole box: the last byte
	 * that is not 0 must be 0x80.  Not sodium_unpad, which is constant-time
	 * over the whole box: 15% of an export's time, hiding a length that
	 * whoever holds the key may know anyway. */
	unpadded = plen;
	while (unpadded > 0 && plain[unpadded - 1] == 0)
		unpadded--;
	if (unpadded == 0 || (unsigned char)plain[unpadded - 1] != 0x80) {
		seal_plain_free(plain);
		return SV_ERR_CRYPTO;
	}
	unpadded--;
	plain[unpadded] = '\0';
	*msg = plain;
	*len = unpadded;
	return SV_OK;
}

void seal_plain_free(char *msg)
{
	size_t plen;

	if (!msg)
		return;
	unsigned char *block = (unsigned char *)msg - PLAIN_HEAD;
	memcpy(&plen, block, sizeof plen);
	sodium_memzero(block, PLAIN_HEAD + plen + 1);
	free(block);
}

void seal_passphrase_generate(char *out)
{
	/* No 0/o, 1/l/i: easy to read aloud and to copy from a screen. */
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
	size_t k = 0;

	for (int w = 0; w < SEAL_PASSPHRASE_WORDS; w++) {
		for (int i = 0; i < 4; i++)
			out[k++] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
		out[k++] = w + 1 < SEAL_PASSPHRASE_WORDS ? '-' : '\0';
	}
}

/* ---- custody: the secret under a new passphrase, from shares, listed ---- */

/*
 * Takes the key folder's lock (flock on the folder itself), held by one
 * process at a time until key_folder_unlock: two passphrase changes at
 * once, from the staff pages and the command line, run one after the
 * other, so the second checks its old passphrase against what the first
 * wrote.  Returns the descriptor, or -1.
 */
static int key_folder_lock(const char *keydir)
{
	int fd = open(keydir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0 && flock(fd, LOCK_EX) != 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static void key_folder_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* releases the flock */
}

enum sv_err seal_secret_repass(const char *keydir, const char *id, const char *old_pass,
			       size_t old_len, const char *new_pass, size_t new_len,
			       enum seal_kdf_cost cost)
{
	struct seal_secret *s = NULL;
	int lock = key_folder_lock(keydir);

	if (lock < 0)
		return files_exist(keydir) ? SV_ERR_IO : SV_ERR_NOTFOUND;
	enum sv_err rc = seal_secret_load(keydir, id, old_pass, old_len, &s);
	if (!rc)
		rc = write_secret(keydir, s, new_pass, new_len, cost);
	seal_secret_free(s);
	key_folder_unlock(lock);
	return rc;
}

const unsigned char *seal_secret_bytes(const struct seal_secret *s)
{
	return s->sk;
}

enum sv_err seal_secret_from_bytes(const char *keydir, const char *id,
				   const unsigned char sk[SEAL_SECRET_BYTES],
				   struct seal_secret **out)
{
	struct seal_public pub;
	struct seal_secret *s;
	enum sv_err rc = seal_public_load(keydir, id, &pub);

	*out = NULL;
	if (rc)
		return rc;
	s = sodium_malloc(sizeof *s);
	if (!s)
		return SV_ERR_NOMEM;
	memcpy(s->sk, sk, sizeof s->sk);
	crypto_scalarmult_base(s->pk, s->sk);
	key_id_from_public(s->pk, s->id);
	/* The id is a hash of the public key: equal ids and equal public keys
	 * are both asked, so a short id can never be enough. */
	if (strcmp(s->id, id) != 0 || sodium_memcmp(s->pk, pub.pk, sizeof pub.pk) != 0) {
		sodium_free(s);
		return SV_ERR_CRYPTO;
	}
	sodium_mprotect_readonly(s);
	*out = s;
	return SV_OK;
}

enum sv_err seal_secret_save(const char *keydir, const struct seal_secret *s,
			     const char *passphrase, size_t passlen, enum seal_kdf_cost cost)
{
	int lock = key_folder_lock(keydir);

	if (lock < 0)
		return SV_ERR_IO;
	enum sv_err rc = write_secret(keydir, s, passphrase, passlen, cost);
	key_folder_unlock(lock);
	return rc;
}

enum sv_err seal_key_list(const char *keydir, struct seal_key_info *out, int max, int *n)
{
	struct seal_public active;
	char path[4096], *text = NULL;
	size_t len, vlen;
	struct dirent *d;
	DIR *dir = opendir(keydir);

	*n = 0;
	if (!dir)
		return SV_ERR_NOTFOUND;
	int has_active = seal_public_load_active(keydir, &active) == SV_OK;
	enum sv_err rc = SV_OK;
	while ((d = readdir(dir)) != NULL && !rc) {
		const char *dot = strchr(d->d_name, '.');
		struct seal_public pub;
		char id[SEAL_KEY_ID_LEN + 1];
		if (!dot || dot - d->d_name != SEAL_KEY_ID_LEN || strcmp(dot, ".public") != 0)
			continue;
		memcpy(id, d->d_name, SEAL_KEY_ID_LEN);
		id[SEAL_KEY_ID_LEN] = '\0';
		if (seal_public_load(keydir, id, &pub) != SV_OK)
			continue; /* not a key of ours, or some other key's file */
		if (*n >= max) {
			rc = SV_ERR_TOOBIG;
			break;
		}
		struct seal_key_info *k = &out[(*n)++];
		memset(k, 0, sizeof *k);
		memcpy(k->id, id, sizeof k->id);
		struct seal_public current;
		if (seal_key_consultation(keydir, id, k->consultation) != SV_OK)
			k->consultation[0] = '\0';
		if (k->consultation[0])
			k->active = seal_public_load_for(keydir, k->consultation, &current) == SV_OK &&
				strcmp(current.id, id) == 0;
		else
			k->active = has_active && strcmp(active.id, id) == 0;
		if (!key_path(path, sizeof path, keydir, id, ".public") &&
		    files_read_all(path, KEY_FILE_MAX, &text, &len) == SV_OK) {
			const char *day = field_value(text, "created", &vlen);
			if (day && vlen == 10)
				memcpy(k->created, day, 10);
			free(text);
			text = NULL;
		}
		k->has_secret = !key_path(path, sizeof path, keydir, id, ".secret") && files_exist(path);
	}
	closedir(dir);
	/* By the day made, oldest first (only the day is kept); one day's by id. */
	for (int i = 1; i < *n; i++)
		for (int j = i; j > 0; j--) {
			int c = strcmp(out[j - 1].created, out[j].created);
			if (c < 0 || (c == 0 && strcmp(out[j - 1].id, out[j].id) < 0))
				break;
			struct seal_key_info t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return rc;
}
