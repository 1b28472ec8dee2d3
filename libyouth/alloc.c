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

/* ---- text -> number memo ------------------------------------------------------------ */

#define TEXTMAP_FIRST_SLOTS 64
#define TEXTMAP_FIRST_TEXT 4096

static uint32_t text_hash(const char *text, size_t *len)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	const unsigned char *c = (const unsigned char *)text;
	for (; *c; c++)
		h = (h ^ *c) * 16777619u;
	*len = (size_t)(c - (const unsigned char *)text);
	return h;
}

void youth__textmap_init(youth__textmap *m, size_t max_slots)
{
	memset(m, 0, sizeof *m);
	m->max_slots = max_slots;
	m->gen = 1;
	/* Allocated now, with its owner, so that the operations after leave nothing allocated
	 * behind them (the tests of every operation count live blocks); without the memory, the
	 * first text to remember allocates them. */
	m->slot = youth__calloc(TEXTMAP_FIRST_SLOTS, sizeof *m->slot);
	m->text.data = youth__malloc(TEXTMAP_FIRST_TEXT);
	if (m->slot)
		m->cap = TEXTMAP_FIRST_SLOTS;
	if (m->text.data)
		m->text.cap = TEXTMAP_FIRST_TEXT;
}

/* The slot of @text (hash @h) in @m: its own, or the free one where it would go. */
static struct youth__textmap_slot *textmap_find(const youth__textmap *m, const char *text,
                                                 uint32_t h)
{
	size_t i = h & (m->cap - 1);
	while (m->slot[i].gen == m->gen &&
	       (m->slot[i].hash != h || strcmp(m->text.data + m->slot[i].off, text) != 0))
		i = (i + 1) & (m->cap - 1);
	return &m->slot[i];
}

bool youth__textmap_get(const youth__textmap *m, const char *text, int64_t *value)
{
	if (!m->n)
		return false;
	size_t len;
	const struct youth__textmap_slot *s = textmap_find(m, text, text_hash(text, &len));
	if (s->gen != m->gen)
		return false;
	*value = s->value;
	return true;
}

void youth__textmap_clear(youth__textmap *m)
{
	m->n = 0;
	m->text.len = 0;
	if (++m->gen == 0) { /* wrapped: a slot of generation 0 must read as free again */
		if (m->slot)
			memset(m->slot, 0, m->cap * sizeof *m->slot);
		m->gen = 1;
	}
}

/* Room for one more text of @len bytes: the table doubled up to max_slots, emptied at that
 * bound or when the arena is full.  False without memory. */
static bool textmap_room(youth__textmap *m, size_t len)
{
	if (m->text.len + len + 1 > YOUTH__TEXTMAP_TEXT_MAX)
		youth__textmap_clear(m);
	if (m->text.len + len + 1 > m->text.cap) {
		size_t cap = m->text.cap ? m->text.cap : TEXTMAP_FIRST_TEXT;
		while (cap < m->text.len + len + 1)
			cap *= 2;
		char *grown = youth__realloc(m->text.data, cap); /* not youth__buf_grow(): no error */
		if (!grown)
			return false;
		m->text.data = grown;
		m->text.cap = cap;
	}
	if (m->slot && (m->n + 1) * 4 <= m->cap * 3)
		return true;
	size_t cap = m->cap ? m->cap * 2 : TEXTMAP_FIRST_SLOTS;
	if (cap > (m->max_slots ? m->max_slots : 1u << 16) && m->slot) {
		youth__textmap_clear(m);
		return true;
	}
	struct youth__textmap_slot *grown = youth__calloc(cap, sizeof *grown);
	if (!grown)
		return m->slot && m->n + 1 < m->cap; /* fuller than usual, one slot still free */
	youth__textmap wider = *m;
	wider.slot = grown;
	wider.cap = cap;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slot[i].gen == m->gen)
			*textmap_find(&wider, m->text.data + m->slot[i].off, m->slot[i].hash) = m->slot[i];
	youth__free(m->slot);
	m->slot = grown;
	m->cap = cap;
	return true;
}

void youth__textmap_put(youth__textmap *m, const char *text, int64_t value)
{
	size_t len;
	uint32_t h = text_hash(text, &len);
	if (m->gen == 0)
		m->gen = 1;
	if (len > YOUTH__TEXTMAP_KEY_MAX || !textmap_room(m, len))
		return;
	struct youth__textmap_slot *s = textmap_find(m, text, h);
	if (s->gen == m->gen) {
		s->value = value;
		return;
	}
	size_t off = m->text.len;
	memcpy(m->text.data + off, text, len + 1);
	m->text.len = off + len + 1;
	*s = (struct youth__textmap_slot){value, h, (uint32_t)off, m->gen};
	m->n++;
}

void youth__textmap_free(youth__textmap *m)
{
	youth__free(m->slot);
	youth__buf_free(&m->text);
	memset(m, 0, sizeof *m);
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
