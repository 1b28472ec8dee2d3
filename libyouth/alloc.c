/* Every allocation of libyouth goes through here so tests can make any one of them fail. */
#include "private.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *sys_malloc(size_t n, void *ctx) { (void)ctx; return malloc(n); }
static void *sys_realloc(void *p, size_t n, void *ctx) { (void)ctx; return realloc(p, n); }
static void sys_free(void *p, void *ctx) { (void)ctx; free(p); }

static youth_allocator current = {sys_malloc, sys_realloc, sys_free, NULL};

bool youth__alloc_is_default(void)
{
	return current.malloc_fn == sys_malloc;
}

int youth_set_allocator(const youth_allocator *a)
{
	if (a == NULL) {
		current = (youth_allocator){sys_malloc, sys_realloc, sys_free, NULL};
		return YOUTH_OK;
	}
	if (!a->malloc_fn || !a->realloc_fn || !a->free_fn)
		return youth__error(YOUTH_EINVAL, NULL,
		                    "allocator: malloc_fn, realloc_fn and free_fn are all required");
	current = *a;
	return YOUTH_OK;
}

void *youth__malloc(size_t size)
{
	return current.malloc_fn(size ? size : 1, current.ctx);
}

void *youth__calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	size_t total = n * size;
	void *p = youth__malloc(total);
	if (p && total)
		memset(p, 0, total);
	return p;
}

void *youth__realloc(void *ptr, size_t size)
{
	return current.realloc_fn(ptr, size ? size : 1, current.ctx);
}

void youth__free(void *ptr)
{
	if (ptr)
		current.free_fn(ptr, current.ctx);
}

void youth_free(void *ptr)
{
	youth__free(ptr);
}

char *youth__strndup(const char *s, size_t n)
{
	char *p = youth__malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

char *youth__strdup(const char *s)
{
	return youth__strndup(s, strlen(s));
}

int youth__buf_grow(youth__buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return YOUTH_OK;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1) {
		if (cap > SIZE_MAX / 2)
			return youth__oom();
		cap *= 2;
	}
	char *p = youth__realloc(b->data, cap);
	if (!p)
		return youth__oom();
	b->data = p;
	b->cap = cap;
	return YOUTH_OK;
}

int youth__buf_put(youth__buf *b, const char *s, size_t n)
{
	int rc = youth__buf_grow(b, n);
	if (rc)
		return rc;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return YOUTH_OK;
}

int youth__buf_puts(youth__buf *b, const char *s)
{
	return youth__buf_put(b, s, strlen(s));
}

int youth__buf_printf(youth__buf *b, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	int rc = n < 0 ? youth__error(YOUTH_ERROR, NULL, "formatting failed")
	               : youth__buf_grow(b, (size_t)n);
	if (rc == YOUTH_OK) {
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
		b->len += (size_t)n;
	}
	va_end(ap2);
	return rc;
}

void youth__buf_free(youth__buf *b)
{
	youth__free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* libsodium, which the audit trail's hash chain and the exports' keys and streams use, must be
 * started before any of its functions runs: once per process, from whichever layer asks first. */
static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_status;

static void sodium_start(void)
{
	sodium_status = sodium_init() < 0 ? -1 : 0;
}

int youth__sodium_ready(void)
{
	pthread_once(&sodium_once, sodium_start);
	if (sodium_status)
		return youth__error(YOUTH_EIO, NULL, "libsodium could not start");
	return YOUTH_OK;
}
