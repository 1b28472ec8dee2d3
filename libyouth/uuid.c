/*
 * UUIDs for every record.  Version 7 (RFC 9562): 48 bits of Unix milliseconds, then random
 * bits.  Time-ordered ids keep inserts into the UNIQUE uuid index at the right edge of the
 * B-tree, which matters for bulk census loads; the random part keeps ids of several
 * employment exchanges from colliding when registries are merged.
 */
#include "private.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <pthread.h>
#include <time.h>

/* getrandom() in batches: one system call per 256 UUIDs instead of one per UUID.  A child of
 * fork() inherits the pool: it must draw its own, or parent and children hand out the same
 * random bits (the load test's writer processes made duplicate UUIDs within a millisecond). */
static _Thread_local unsigned char pool[4096];
static _Thread_local size_t pool_left;

/* Runs in the child, whose one thread is the one that called fork(). */
static void pool_forget(void)
{
	pool_left = 0;
}

static void pool_at_fork(void)
{
	pthread_atfork(NULL, NULL, pool_forget);
}

static int random_bytes(unsigned char *out, size_t n)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, pool_at_fork);
	while (n > 0) {
		if (pool_left == 0) {
			size_t got = 0;
			while (got < sizeof pool) {
				ssize_t r = getrandom(pool + got, sizeof pool - got, 0);
				if (r < 0) {
					if (errno == EINTR)
						continue;
					return youth__error(YOUTH_EIO, NULL, "no randomness for UUIDs: %s",
					                    strerror(errno));
				}
				got += (size_t)r;
			}
			pool_left = sizeof pool;
		}
		size_t take = n < pool_left ? n : pool_left;
		memcpy(out, pool + sizeof pool - pool_left, take);
		pool_left -= take;
		out += take;
		n -= take;
	}
	return YOUTH_OK;
}

int youth__uuid_new(char out[YOUTH_UUID_LEN + 1])
{
	unsigned char b[16];
	int rc = random_bytes(b + 6, 10);
	if (rc)
		return rc;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
	for (int i = 0; i < 6; i++)
		b[i] = (unsigned char)(ms >> (40 - 8 * i));
	b[6] = (unsigned char)(0x70 | (b[6] & 0x0f)); /* version 7 */
	b[8] = (unsigned char)(0x80 | (b[8] & 0x3f)); /* RFC variant */
	static const char hex[] = "0123456789abcdef";
	char *p = out;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		*p++ = hex[b[i] >> 4];
		*p++ = hex[b[i] & 15];
	}
	*p = '\0';
	return YOUTH_OK;
}

/* What each byte is (1: a hex digit, 2: '-', 0: neither), and what each of the 36 places of a
 * UUID wants: one look-up and one comparison a character, which also stops at the NUL of a
 * shorter string.  An import checks several UUIDs a record, on both threads. */
static const unsigned char uuid_class[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
	['8'] = 1, ['9'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['-'] = 2};
static const unsigned char uuid_want[YOUTH_UUID_LEN] = {
	1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 2, 1, 1, 1, 1,
	2, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

bool youth__uuid_valid(const char *s)
{
	if (!s)
		return false;
	const unsigned char *u = (const unsigned char *)s;
	for (int i = 0; i < YOUTH_UUID_LEN; i++)
		if (uuid_class[u[i]] != uuid_want[i])
			return false;
	return u[YOUTH_UUID_LEN] == '\0';
}

void youth__uuid_norm(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'F')
			*s = (char)(*s + 32);
}

int youth__uuid_rule(const char uuid[YOUTH_UUID_LEN + 1], char out[YOUTH_UUID_LEN + 1])
{
	out[0] = '\0';
	if (!uuid[0])
		return YOUTH_OK;
	if (memchr(uuid, 0, YOUTH_UUID_LEN + 1) == NULL || !youth__uuid_valid(uuid))
		return youth__error(YOUTH_EINVAL, "uuid", "uuid \"%.36s\": not a UUID", uuid);
	memcpy(out, uuid, YOUTH_UUID_LEN + 1);
	youth__uuid_norm(out);
	return YOUTH_OK;
}
