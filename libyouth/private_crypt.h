/*
 * Internals of libyouth, exports that travel (crypt.c): key files, keyed pseudonyms and the
 * encrypted stream of an export.  Every cryptographic step is libsodium's (docs/privacy.md);
 * this file only frames them.  Layer: engines, beside import.c and export.c.
 */
#ifndef YOUTH_PRIVATE_CRYPT_H
#define YOUTH_PRIVATE_CRYPT_H

#include <sodium.h>

#define YOUTH__KEY_BYTES 32
/* A pseudonym: 16 bytes of keyed BLAKE2b as 32 lower-case hex digits. */
#define YOUTH__PSEUDONYM_LEN 32
/* Plain bytes per encrypted chunk: the memory an encrypted export or import needs. */
#define YOUTH__CRYPT_CHUNK (64 * 1024)
/* The magic that starts an encrypted file. */
#define YOUTH__CRYPT_MAGIC "YOUTHENC"
#define YOUTH__CRYPT_MAGIC_LEN 8

/* Reads the key file at @path (youth_key_new()): EACCESS when others may read it, EINVAL
 * when it is not 64 hex digits. */
int youth__key_read(const char *path, unsigned char key[YOUTH__KEY_BYTES]);

/* The pseudonym of @uuid (text of any length) under @key, which youth__pseudonym_key made. */
void youth__pseudonym(const unsigned char key[YOUTH__KEY_BYTES], const char *uuid,
                      char out[YOUTH__PSEUDONYM_LEN + 1]);
/* The pseudonym key derived from a key file's key (never the key itself: the same file may
 * serve encryption too). */
void youth__pseudonym_key(const unsigned char file_key[YOUTH__KEY_BYTES],
                          unsigned char key[YOUTH__KEY_BYTES]);

/* An encrypting writer in front of another writer. */
typedef struct youth__enc {
	int (*write)(void *ctx, const char *data, size_t size);
	void *ctx;
	crypto_secretstream_xchacha20poly1305_state st;
	unsigned char *plain;  /* YOUTH__CRYPT_CHUNK bytes */
	unsigned char *cipher; /* the same plus the tag's bytes */
	size_t len;
	bool started;          /* the header is written */
	unsigned char head[64];/* the header, authenticated with the first chunk */
	size_t head_len;
} youth__enc;

/* Prepares @e to write, through @write, a file encrypted with the key file @key_file or else
 * @passphrase (argon2id).  Nothing is written until the first youth__enc_write(). */
int youth__enc_begin(youth__enc *e, int (*write)(void *, const char *, size_t), void *ctx,
                     const char *key_file, const char *passphrase);
/* Writer with youth__enc as @ctx: the same contract as youth_write_fn. */
int youth__enc_write(void *ctx, const char *data, size_t size);
/* Writes the final chunk (the last of a complete file); then youth__enc_free(). */
int youth__enc_end(youth__enc *e);
void youth__enc_free(youth__enc *e);

/* True when @f starts with the magic of an encrypted file (the position is kept). */
bool youth__crypt_sniff(FILE *f);

/* Imports the encrypted file @f (at its start): first authenticates it whole, then imports
 * it decrypting again, so that nothing is imported from a file that fails to authenticate. */
int youth__crypt_import(youth_interchange_summary *summary, youth_registry *reg, FILE *f,
                        const char *name, const youth_import_options *options);

#endif
