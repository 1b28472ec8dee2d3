/*
 * Exports that travel: key files, keyed pseudonyms and encrypted exports (docs/privacy.md,
 * docs/format.md "Encrypted files").
 *
 * Every cryptographic step is libsodium's: random keys (randombytes), subkeys (crypto_kdf),
 * pseudonyms (keyed BLAKE2b, crypto_generichash), passphrases (argon2id, crypto_pwhash) and the
 * stream (crypto_secretstream_xchacha20poly1305).  This file only frames them: the header of an
 * encrypted file, its fixed-size chunks, and the import that authenticates a whole file before
 * it imports a record of it.  Memory is two chunks whatever the size of the file.
 *
 * An encrypted import reads its file twice, so it needs a file it can seek in, not a pipe.
 *
 * Layer: engines (tests/check-layers.sh), beside import.c and export.c: the encrypted import
 * runs the public import on the decrypted stream.
 */
#define _GNU_SOURCE /* fileno, fseeko */
#include "private.h"
#include "private_crypt.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Header: magic (8), version (1), key kind (1), reserved (2), plain chunk size (4, LE); with a
 * passphrase then argon2id's opslimit (8, LE), memlimit (8, LE) and salt (16); then the
 * secretstream header (24).  Everything before the secretstream header is authenticated as
 * the additional data of the first chunk. */
#define HEAD_FIXED 16
#define HEAD_PWHASH (8 + 8 + crypto_pwhash_SALTBYTES)
enum { KEY_FILE = 1, KEY_PASSPHRASE = 2 };
/* argon2id costs of a new file (libsodium's "moderate" time, 64 MiB), written in its header. */
#define PWHASH_OPS 3ULL
#define PWHASH_MEM (64ULL * 1024 * 1024)
/* The most a header may ask of a reader: a forged header must not exhaust the machine. */
#define PWHASH_OPS_MAX 16ULL
#define PWHASH_MEM_MAX (1024ULL * 1024 * 1024)
#define CHUNK_MAX (16u * 1024 * 1024)
#define ABYTES crypto_secretstream_xchacha20poly1305_ABYTES

static void put_le(unsigned char *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/* ---- key files ---------------------------------------------------------------------------- */

int youth_key_new(const char *path)
{
	if (!path)
		return youth__error(YOUTH_EINVAL, NULL, "youth_key_new: NULL path");
	int rc = youth__sodium_ready();
	if (rc)
		return rc;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return youth__error(errno == EEXIST ? YOUTH_EEXISTS : YOUTH_EIO, NULL,
		                    "key file %s: %s%s", path, strerror(errno),
		                    errno == EEXIST ? " (a key is never overwritten)" : "");
	unsigned char key[YOUTH__KEY_BYTES];
	char hex[2 * YOUTH__KEY_BYTES + 2];
	randombytes_buf(key, sizeof key);
	sodium_bin2hex(hex, sizeof hex, key, sizeof key);
	hex[2 * YOUTH__KEY_BYTES] = '\n';
	size_t n = 2 * YOUTH__KEY_BYTES + 1;
	/* 0600 whatever the umask: O_CREAT's mode is only an upper bound. */
	bool ok = fchmod(fd, 0600) == 0 && write(fd, hex, n) == (ssize_t)n && fsync(fd) == 0;
	int err = errno;
	sodium_memzero(key, sizeof key);
	sodium_memzero(hex, sizeof hex);
	if (close(fd) != 0 && ok) {
		ok = false;
		err = errno;
	}
	if (!ok) {
		unlink(path);
		return youth__error(YOUTH_EIO, NULL, "key file %s: %s", path, strerror(err));
	}
	return YOUTH_OK;
}

int youth__key_read(const char *path, unsigned char key[YOUTH__KEY_BYTES])
{
	int rc = youth__sodium_ready();
	if (rc)
		return rc;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return youth__error(errno == ENOENT ? YOUTH_ENOTFOUND : YOUTH_EIO, NULL, "key file %s: %s",
		                    path, strerror(errno));
	struct stat st;
	char text[160];
	ssize_t n = -1;
	if (fstat(fd, &st) != 0)
		rc = youth__error(YOUTH_EIO, NULL, "key file %s: %s", path, strerror(errno));
	else if (st.st_mode & 077)
		rc = youth__error(YOUTH_EACCESS, NULL, "key file %s: others may read it (mode %03o); "
		                  "chmod 600 it, and consider the key disclosed", path,
		                  (unsigned)(st.st_mode & 0777));
	else if ((n = read(fd, text, sizeof text - 1)) < 0)
		rc = youth__error(YOUTH_EIO, NULL, "key file %s: %s", path, strerror(errno));
	close(fd);
	if (rc || n < 0) /* n < 0 only with rc set: said for the compiler's range analysis */
		return rc ? rc : YOUTH_EIO;
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
		n--;
	text[n] = 0;
	size_t got = 0;
	if (n != 2 * YOUTH__KEY_BYTES ||
	    sodium_hex2bin(key, YOUTH__KEY_BYTES, text, (size_t)n, NULL, &got, NULL) != 0 ||
	    got != YOUTH__KEY_BYTES)
		rc = youth__error(YOUTH_EINVAL, NULL, "key file %s: not a key (64 hex digits, as "
		                  "`youth key new` writes)", path);
	sodium_memzero(text, sizeof text);
	return rc;
}

/* Subkeys of a key file's key: one per use, so that one file may serve both. */
enum { SUBKEY_PSEUDONYM = 1, SUBKEY_ENCRYPT = 2 };

void youth__pseudonym_key(const unsigned char file_key[YOUTH__KEY_BYTES],
                          unsigned char key[YOUTH__KEY_BYTES])
{
	crypto_kdf_derive_from_key(key, YOUTH__KEY_BYTES, SUBKEY_PSEUDONYM, "youthpsn", file_key);
}

void youth__pseudonym(const unsigned char key[YOUTH__KEY_BYTES], const char *uuid,
                      char out[YOUTH__PSEUDONYM_LEN + 1])
{
	unsigned char h[YOUTH__PSEUDONYM_LEN / 2];
	crypto_generichash(h, sizeof h, (const unsigned char *)uuid, strlen(uuid), key,
	                   YOUTH__KEY_BYTES);
	sodium_bin2hex(out, YOUTH__PSEUDONYM_LEN + 1, h, sizeof h);
}

/* The stream key of a file: from the key file (a subkey), or from the passphrase and the
 * header's argon2id parameters. */
static int stream_key(unsigned char key[YOUTH__KEY_BYTES], int kind, const char *key_file,
                      const char *passphrase, const unsigned char *salt, uint64_t ops,
                      uint64_t mem)
{
	if (kind == KEY_FILE) {
		unsigned char fk[YOUTH__KEY_BYTES];
		int rc = youth__key_read(key_file, fk);
		if (rc == YOUTH_OK)
			crypto_kdf_derive_from_key(key, YOUTH__KEY_BYTES, SUBKEY_ENCRYPT, "youthenc", fk);
		sodium_memzero(fk, sizeof fk);
		return rc;
	}
	if (crypto_pwhash(key, YOUTH__KEY_BYTES, passphrase, strlen(passphrase), salt, ops,
	                  (size_t)mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return youth__error(YOUTH_ENOMEM, NULL, "passphrase: argon2id could not get %llu MiB",
		                    (unsigned long long)(mem >> 20));
	return YOUTH_OK;
}

/* ---- encrypting ----------------------------------------------------------------------------- */

int youth__enc_begin(youth__enc *e, int (*write)(void *, const char *, size_t), void *ctx,
                     const char *key_file, const char *passphrase)
{
	memset(e, 0, sizeof *e);
	e->write = write;
	e->ctx = ctx;
	if (!key_file && (!passphrase || !*passphrase))
		return youth__error(YOUTH_EINVAL, "key_file", "encrypted export: give a key file or a "
		                    "non-empty passphrase");
	if (key_file && passphrase)
		return youth__error(YOUTH_EINVAL, "passphrase", "encrypted export: a key file or a "
		                    "passphrase, not both");
	int rc = youth__sodium_ready();
	if (rc)
		return rc;
	int kind = key_file ? KEY_FILE : KEY_PASSPHRASE;
	unsigned char *h = e->head;
	memcpy(h, YOUTH__CRYPT_MAGIC, YOUTH__CRYPT_MAGIC_LEN);
	h[8] = 1;
	h[9] = (unsigned char)kind;
	h[10] = h[11] = 0;
	put_le(h + 12, YOUTH__CRYPT_CHUNK, 4);
	e->head_len = HEAD_FIXED;
	unsigned char *salt = h + HEAD_FIXED + 16;
	if (kind == KEY_PASSPHRASE) {
		put_le(h + HEAD_FIXED, PWHASH_OPS, 8);
		put_le(h + HEAD_FIXED + 8, PWHASH_MEM, 8);
		randombytes_buf(salt, crypto_pwhash_SALTBYTES);
		e->head_len += HEAD_PWHASH;
	}
	unsigned char key[YOUTH__KEY_BYTES];
	rc = stream_key(key, kind, key_file, passphrase, salt, PWHASH_OPS, PWHASH_MEM);
	unsigned char ss[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
	if (rc == YOUTH_OK)
		crypto_secretstream_xchacha20poly1305_init_push(&e->st, ss, key);
	sodium_memzero(key, sizeof key);
	if (rc == YOUTH_OK && (!(e->plain = youth__malloc(YOUTH__CRYPT_CHUNK)) ||
	                       !(e->cipher = youth__malloc(YOUTH__CRYPT_CHUNK + ABYTES))))
		rc = youth__error(YOUTH_ENOMEM, NULL, "encrypted export: out of memory");
	if (rc == YOUTH_OK && (e->write(e->ctx, (const char *)e->head, e->head_len) != 0 ||
	                       e->write(e->ctx, (const char *)ss, sizeof ss) != 0))
		rc = youth__error(YOUTH_EIO, NULL, "encrypted export: writing the header failed");
	return rc;
}

static int push(youth__enc *e, unsigned char tag)
{
	unsigned long long clen;
	crypto_secretstream_xchacha20poly1305_push(&e->st, e->cipher, &clen, e->plain, e->len,
	                                           e->started ? NULL : e->head,
	                                           e->started ? 0 : e->head_len, tag);
	e->started = true;
	e->len = 0;
	return e->write(e->ctx, (const char *)e->cipher, (size_t)clen);
}

int youth__enc_write(void *ctx, const char *data, size_t size)
{
	youth__enc *e = ctx;
	while (size > 0) {
		/* A full chunk is pushed only when more follows: the last one carries the final tag. */
		if (e->len == YOUTH__CRYPT_CHUNK && push(e, 0) != 0)
			return -1;
		size_t n = YOUTH__CRYPT_CHUNK - e->len < size ? YOUTH__CRYPT_CHUNK - e->len : size;
		memcpy(e->plain + e->len, data, n);
		e->len += n;
		data += n;
		size -= n;
	}
	return 0;
}

int youth__enc_end(youth__enc *e)
{
	if (push(e, crypto_secretstream_xchacha20poly1305_TAG_FINAL) != 0)
		return youth__error(YOUTH_EIO, NULL, "encrypted export: writing the last chunk failed");
	return YOUTH_OK;
}

void youth__enc_free(youth__enc *e)
{
	if (e->plain)
		sodium_memzero(e->plain, YOUTH__CRYPT_CHUNK);
	youth__free(e->plain);
	youth__free(e->cipher);
	sodium_memzero(&e->st, sizeof e->st);
	e->plain = NULL;
	e->cipher = NULL;
}

/* ---- decrypting ------------------------------------------------------------------------------ */

typedef struct dec {
	FILE *f;
	const char *name;
	crypto_secretstream_xchacha20poly1305_state st;
	unsigned char head[HEAD_FIXED + HEAD_PWHASH];
	size_t head_len, chunk;
	unsigned char *plain, *cipher;
	size_t plen, pos;
	int64_t chunks;
	bool final;
	int rc;        /* the first failure, kept for the import's caller */
	char msg[200];
} dec;

bool youth__crypt_sniff(FILE *f)
{
	char m[YOUTH__CRYPT_MAGIC_LEN];
	off_t at = ftello(f);
	bool yes = at >= 0 && fread(m, 1, sizeof m, f) == sizeof m &&
	           memcmp(m, YOUTH__CRYPT_MAGIC, sizeof m) == 0;
	if (at >= 0)
		fseeko(f, at, SEEK_SET);
	return yes;
}

/* Records the first failure of @d (its message begins with the file's name), and returns it. */
static int dec_fail(dec *d, int code, const char *fmt, ...) YOUTH__PRINTF(3, 4);
static int dec_fail(dec *d, int code, const char *fmt, ...)
{
	if (d->rc == YOUTH_OK) {
		d->rc = code;
		int n = snprintf(d->msg, sizeof d->msg, "%s: ", d->name);
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(d->msg + n, sizeof d->msg - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return youth__error(d->rc, NULL, "%s", d->msg);
}

static int dec_open(dec *d, FILE *f, const char *name, const char *key_file,
                    const char *passphrase)
{
	memset(d, 0, sizeof *d);
	d->f = f;
	d->name = name;
	int rc = youth__sodium_ready();
	if (rc)
		return rc;
	unsigned char *h = d->head;
	if (fread(h, 1, HEAD_FIXED, f) != HEAD_FIXED ||
	    memcmp(h, YOUTH__CRYPT_MAGIC, YOUTH__CRYPT_MAGIC_LEN) != 0)
		return dec_fail(d, YOUTH_ECORRUPT, "not an encrypted libyouth file");
	int kind = h[9];
	d->chunk = (size_t)get_le(h + 12, 4);
	if (h[8] != 1 || (kind != KEY_FILE && kind != KEY_PASSPHRASE) || h[10] || h[11] ||
	    d->chunk == 0 || d->chunk > CHUNK_MAX)
		return dec_fail(d, YOUTH_EVERSION, "encrypted with a version or parameters this "
		                "libyouth does not know");
	d->head_len = HEAD_FIXED;
	uint64_t ops = 0, mem = 0;
	if (kind == KEY_PASSPHRASE) {
		if (fread(h + HEAD_FIXED, 1, HEAD_PWHASH, f) != HEAD_PWHASH)
			return dec_fail(d, YOUTH_ECORRUPT, "truncated header");
		d->head_len += HEAD_PWHASH;
		ops = get_le(h + HEAD_FIXED, 8);
		mem = get_le(h + HEAD_FIXED + 8, 8);
		if (ops < crypto_pwhash_OPSLIMIT_MIN || ops > PWHASH_OPS_MAX ||
		    mem < crypto_pwhash_MEMLIMIT_MIN || mem > PWHASH_MEM_MAX)
			return dec_fail(d, YOUTH_ECORRUPT, "argon2id costs out of bounds in the "
			                "header");
		if (!passphrase || !*passphrase)
			return dec_fail(d, YOUTH_EINVAL, "encrypted with a passphrase: give it");
	} else if (!key_file) {
		return dec_fail(d, YOUTH_EINVAL, "encrypted with a key file: give it");
	}
	unsigned char ss[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
	if (fread(ss, 1, sizeof ss, f) != sizeof ss)
		return dec_fail(d, YOUTH_ECORRUPT, "truncated header");
	unsigned char key[YOUTH__KEY_BYTES];
	rc = stream_key(key, kind, key_file, passphrase, h + HEAD_FIXED + 16, ops, mem);
	if (rc) {
		d->rc = rc;
		snprintf(d->msg, sizeof d->msg, "%s", youth_error_last()->message);
		return rc;
	}
	int bad = crypto_secretstream_xchacha20poly1305_init_pull(&d->st, ss, key);
	sodium_memzero(key, sizeof key);
	if (bad)
		return dec_fail(d, YOUTH_ECORRUPT, "damaged header");
	d->plain = youth__malloc(d->chunk);
	d->cipher = youth__malloc(d->chunk + ABYTES);
	if (!d->plain || !d->cipher)
		return dec_fail(d, YOUTH_ENOMEM, "out of memory");
	return YOUTH_OK;
}

static void dec_free(dec *d)
{
	if (d->plain)
		sodium_memzero(d->plain, d->chunk);
	youth__free(d->plain);
	youth__free(d->cipher);
	sodium_memzero(&d->st, sizeof d->st);
}

/* Reads, authenticates and decrypts the next chunk. */
static int dec_chunk(dec *d)
{
	size_t want = d->chunk + ABYTES;
	size_t n = fread(d->cipher, 1, want, d->f);
	if (ferror(d->f))
		return dec_fail(d, YOUTH_EIO, "%s", strerror(errno));
	if (n < ABYTES)
		return dec_fail(d, YOUTH_ECORRUPT, "truncated (the end of the encrypted stream is "
		                "missing)");
	unsigned long long plen;
	unsigned char tag;
	bool first = d->chunks == 0;
	if (crypto_secretstream_xchacha20poly1305_pull(&d->st, d->plain, &plen, &tag, d->cipher, n,
	                                               first ? d->head : NULL,
	                                               first ? d->head_len : 0) != 0)
		return dec_fail(d, YOUTH_ECORRUPT, "%s", first ? "wrong key or passphrase, or the "
		                "file was changed or cut" : n < want ? "truncated or changed (its last "
		                "chunk does not authenticate)" : "the file was changed or damaged");
	d->chunks++;
	d->plen = (size_t)plen;
	d->pos = 0;
	if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
		if (fgetc(d->f) != EOF)
			return dec_fail(d, YOUTH_ECORRUPT, "bytes after the end of the encrypted "
			                "stream");
		d->final = true;
	} else if (tag != 0 || n < want) {
		return dec_fail(d, YOUTH_ECORRUPT, "truncated (the end of the encrypted stream is "
		                "missing)");
	}
	return YOUTH_OK;
}

/* youth_read_fn over the decrypted stream: its end only after the final tag. */
static long dec_read(void *ctx, char *buf, size_t size)
{
	dec *d = ctx;
	while (d->pos == d->plen) {
		if (d->final)
			return 0;
		if (d->rc || dec_chunk(d))
			return -1;
	}
	size_t n = d->plen - d->pos < size ? d->plen - d->pos : size;
	memcpy(buf, d->plain + d->pos, n);
	d->pos += n;
	return (long)n;
}

int youth__crypt_import(youth_interchange_summary *summary, youth_registry *reg, FILE *f,
                        const char *name, const youth_import_options *options)
{
	const char *key_file = options ? options->key_file : NULL;
	const char *pass = options ? options->passphrase : NULL;
	off_t start = ftello(f);
	dec d;
	/* First pass: authenticate every chunk and the final tag, keeping nothing. */
	int rc = dec_open(&d, f, name, key_file, pass);
	while (rc == YOUTH_OK && !d.final)
		rc = dec_chunk(&d);
	dec_free(&d);
	if (rc)
		return rc;
	/* Second pass: import while decrypting again.  A file changed between the passes fails
	 * the read, and the import, in its one transaction, keeps nothing. */
	if (start < 0 || fseeko(f, start, SEEK_SET) != 0)
		return youth__error(YOUTH_EIO, NULL, "%s: %s", name, strerror(errno));
	rc = dec_open(&d, f, name, key_file, pass);
	if (rc == YOUTH_OK)
		rc = youth_import_read(summary, reg, dec_read, &d, name, options);
	if (rc && d.rc)
		rc = youth__error(d.rc, NULL, "%s", d.msg);
	dec_free(&d);
	return rc;
}
