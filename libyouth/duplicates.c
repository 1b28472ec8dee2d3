/*
 * The same youth twice: finding candidate pairs, scoring them, keeping them for review.
 *
 * The whole-registry scan must not compare every person with every other (a million persons
 * are 5 * 10^11 pairs).  Each person gets a handful of blocking keys that survive the usual
 * variations of a hand-written record (docs/duplicates.md, "Blocks"); two persons are
 * compared only when they share a key.  The keys of all persons are one sorted array of
 * 64-bit words (40 bits of key hash, 24 bits of person index), so a block is a run of equal
 * high bits, and memory is a few words a person, not a word a pair.  Inside a block a cheap
 * test on the given names (sound keys, nicknames, one typo) skips the pairs whose names cannot
 * reach the threshold before the full name comparison of names.c runs.
 *
 * The score is a sum of points in the manner of Fellegi and Sunter: each field that agrees
 * adds what agreement is worth (rare by chance), each that disagrees subtracts what
 * disagreement costs (rare between two records of one youth).  The weights are set by hand
 * from the variations a census table produces and checked by bench/bench_dups.c, which plants
 * them; docs/duplicates.md gives the table a desk operator reads.
 */
#include "private_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "youth/duplicates.h"

/* ---- the kind ---------------------------------------------------------------------------- */

YOUTH__RECORD_FIELD_NAME(youth_duplicate, youth__kind_duplicate)
YOUTH__RECORD_GET_FIELD(youth_duplicate, youth__kind_duplicate)
YOUTH__RECORD_FREE(youth_duplicate)
YOUTH__RECORD_ITER(youth_duplicate)
YOUTH__VOCAB_FN(youth_duplicate_state_name, youth__voc_duplicate_state)


#define PAIR_COLS                                                                              \
	"id, uuid, person_id, other_id, score, name_score, reasons, state, found_on, decided_on, " \
	"decided_by, note"
static const char SQL_BY_ID[] = "SELECT " PAIR_COLS " FROM duplicate_pair WHERE id = ?";
static const char SQL_LIST[] =
	"SELECT " PAIR_COLS " FROM duplicate_pair WHERE (?1 = 0 OR state = ?1) "
	"AND (?2 = 0 OR person_id = ?2 OR other_id = ?2) "
	"ORDER BY score DESC, person_id, other_id";

int youth_duplicate_get(youth_duplicate **out, youth_registry *reg, int64_t id)
{
	return youth__rec_get(out, reg, &youth__kind_duplicate, SQL_BY_ID, id, "youth_duplicate_get");
}

int youth_duplicate_iter_new(youth_duplicate_iter **out, youth_registry *reg, int state,
                             int64_t person_id)
{
	static const youth__listing l = {&youth__kind_duplicate, "youth_duplicate_iter_new",
	                                 "listing duplicate pairs", SQL_LIST, 2,
	                                 {"state", "person_id"}};
	if (out)
		*out = NULL;
	if (state != 0 && !youth_duplicate_state_name(state))
		return youth__error(YOUTH_EINVAL, "state", "state %d: not one of open (1), confirmed "
		                    "(2), dismissed (3), merged (4), or 0 for any", state);
	return youth__rec_list(out, reg, &l, (const int64_t[]){state, person_id});
}

/* ---- what is compared ---------------------------------------------------------------------- */

#define GSET 6 /* sound hashes of given names and their nicknames kept per person */

/* One person as the scan and the desk check see it. */
typedef struct dperson {
	int64_t id;
	uint64_t stamp;        /* the compared fields' fingerprint: a change reopens a dismissal */
	uint32_t name_off;     /* the folded words in the arena: role byte, word, NUL; then 0 */
	int32_t y, m, d;
	int32_t place, parent;
	uint32_t dui, phone;   /* digits as a number, 0 when absent */
	uint32_t gset[GSET];   /* 0-terminated */
	uint8_t sex;
	uint8_t in_scope;
} dperson;

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * UINT64_C(0x100000001b3);
	return h;
}
#define FNV0 UINT64_C(0xcbf29ce484222325)

static uint32_t digits(const char *s)
{
	uint32_t v = 0;
	bool any = false;
	for (; s && *s; s++)
		if (*s >= '0' && *s <= '9') {
			v = v * 10 + (uint32_t)(*s - '0');
			any = true;
		}
	return any ? v : 0;
}

/* The words of @n into the arena; its offset in *@off. */
static int arena_put(youth__buf *b, const youth__name *n, uint32_t *off)
{
	*off = (uint32_t)b->len;
	int rc = YOUTH_OK;
	for (int i = 0; i < n->n && rc == YOUTH_OK; i++) {
		char role = (char)n->role[i];
		if ((rc = youth__buf_put(b, &role, 1)) == YOUTH_OK)
			rc = youth__buf_put(b, n->word[i], strlen(n->word[i]) + 1);
	}
	if (rc == YOUTH_OK)
		rc = youth__buf_put(b, "", 1);
	return rc;
}

static void arena_get(const char *a, uint32_t off, youth__name *n)
{
	const char *p = a + off;
	n->n = 0;
	while (*p && n->n < YOUTH__NAME_WORDS) {
		n->role[n->n] = (unsigned char)*p++;
		size_t len = strlen(p);
		memcpy(n->word[n->n], p, len + 1);
		n->n++;
		p += len + 1;
	}
}

/* The first word of role @role in @n, "" when none. */
static const char *first_of(const youth__name *n, int role)
{
	for (int i = 0; i < n->n; i++)
		if (n->role[i] == role)
			return n->word[i];
	return "";
}

static uint32_t sound_hash(const char *word)
{
	char s[YOUTH__WORD_MAX];
	youth__name_sound(word, s, sizeof s);
	uint32_t h = (uint32_t)(fnv(FNV0, s, strlen(s)) >> 32);
	return h ? h : 1;
}

typedef struct gset_ctx {
	uint32_t *set;
	int n;
} gset_ctx;

static void gset_add(gset_ctx *g, uint32_t h)
{
	for (int i = 0; i < g->n; i++)
		if (g->set[i] == h)
			return;
	if (g->n < GSET - 1)
		g->set[g->n++] = h;
}

static int gset_nick(void *ctx, const char *other)
{
	gset_add(ctx, sound_hash(other));
	return 0;
}

/* Fills @p from a person's values; the folded name goes to @a. */
static int dperson_fill(dperson *p, youth__buf *a, youth__name *n, int64_t id,
                        const char *given, const char *s1, const char *s2, const char *birth,
                        int sex, int64_t place, int64_t parent, const char *dui,
                        const char *phone)
{
	memset(p, 0, sizeof *p);
	p->id = id;
	int rc = youth__name_parse(n, given, s1, s2);
	if (rc == YOUTH_OK && a)
		rc = arena_put(a, n, &p->name_off);
	if (rc)
		return rc;
	if (birth && strlen(birth) == 10) {
		p->y = atoi(birth);
		p->m = atoi(birth + 5);
		p->d = atoi(birth + 8);
	}
	p->sex = (uint8_t)sex;
	p->place = (int32_t)place;
	p->parent = (int32_t)parent;
	p->dui = digits(dui);
	p->phone = digits(phone);
	gset_ctx g = {p->gset, 0};
	for (int i = 0, k = 0; i < n->n && k < 3; i++)
		if (n->role[i] == YOUTH__NW_GIVEN) {
			gset_add(&g, sound_hash(n->word[i]));
			if (k++ == 0)
				youth__name_nicknames(n->word[i], gset_nick, &g);
		}
	uint64_t h = FNV0;
	const char *parts[] = {given, s1, s2 ? s2 : "", birth, dui ? dui : "", phone ? phone : ""};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		h = fnv(h, parts[i], strlen(parts[i]) + 1);
	int64_t nums[] = {sex, place};
	p->stamp = fnv(h, nums, sizeof nums) & INT64_MAX;
	return YOUTH_OK;
}

/* The person of row @st as the scan and the desk check read it (columns: id, given names,
 * both surnames, birth date, sex, place, its parent, national ID, phone); the name words go to
 * @a when it is not NULL. */
static int fill_row(dperson *p, youth__buf *a, youth__name *n, sqlite3_stmt *st)
{
	return dperson_fill(p, a, n, sqlite3_column_int64(st, 0),
	                    (const char *)sqlite3_column_text(st, 1),
	                    (const char *)sqlite3_column_text(st, 2),
	                    (const char *)sqlite3_column_text(st, 3),
	                    (const char *)sqlite3_column_text(st, 4), sqlite3_column_int(st, 5),
	                    sqlite3_column_int64(st, 6), sqlite3_column_int64(st, 7),
	                    (const char *)sqlite3_column_text(st, 8),
	                    (const char *)sqlite3_column_text(st, 9));
}

/* ---- the score ----------------------------------------------------------------------------- */

enum {
	R_BIRTH_EXACT = 1u << 8,
	R_BIRTH_SWAPPED = 1u << 9,
	R_BIRTH_ONE_OFF = 1u << 10,
	R_SEX_DIFFERS = 1u << 11,
	R_SAME_PLACE = 1u << 12,
	R_SAME_DISTRICT = 1u << 13,
	R_SAME_DUI = 1u << 14,
	R_OTHER_DUI = 1u << 15,
	R_SAME_PHONE = 1u << 16,
	R_NAME_NEAR = 1u << 17, /* names alike for no one reason of the name table */
};

/* The points of everything but the name: what the pair has at most before names compare. */
static int points_other(const dperson *a, const dperson *b, unsigned *why)
{
	int pts = 0;
	if (a->y == b->y && a->m == b->m && a->d == b->d) {
		pts += 6;
		*why |= R_BIRTH_EXACT;
	} else if (a->y == b->y && a->m == b->d && a->d == b->m) {
		pts += 4;
		*why |= R_BIRTH_SWAPPED;
	} else if ((a->y == b->y) + (a->m == b->m) + (a->d == b->d) == 2) {
		/* Weak: among the many youths of a common name, two of the three fields agree by
		 * chance far more often than a clerk writes one wrong (bench/bench_dups.c: at +2 a
		 * million persons gave 1 900 false pairs on this reason alone).  An exact name in
		 * the same community still reaches the threshold with it. */
		pts += 1;
		*why |= R_BIRTH_ONE_OFF;
	} else {
		pts -= 6;
	}
	if (a->sex == b->sex) {
		pts += 1;
	} else {
		pts -= 3;
		*why |= R_SEX_DIFFERS;
	}
	if (a->place == b->place) {
		pts += 2;
		*why |= R_SAME_PLACE;
	} else if (a->parent && a->parent == b->parent) {
		pts += 1;
		*why |= R_SAME_DISTRICT;
	}
	if (a->dui && b->dui) {
		if (a->dui == b->dui) {
			pts += 10;
			*why |= R_SAME_DUI;
		} else {
			pts -= 12;
			*why |= R_OTHER_DUI;
		}
	}
	if (a->phone && a->phone == b->phone) {
		pts += 3;
		*why |= R_SAME_PHONE;
	}
	return pts;
}

/* The points of a name similarity. */
static int points_name(int s)
{
	return s >= 95 ? 9 : s >= 88 ? 7 : s >= 80 ? 5 : s >= 70 ? 2 : s >= 60 ? -2 : -8;
}
#define NAME_MAX_POINTS 9

/* Whether the given names of @a and @b can be alike: a shared sound key (nicknames
 * included), or first given names one typo apart. */
static bool given_may_match(const dperson *a, const dperson *b, const char *arena)
{
	for (int i = 0; i < GSET && a->gset[i]; i++)
		for (int j = 0; j < GSET && b->gset[j]; j++)
			if (a->gset[i] == b->gset[j])
				return true;
	if (!arena)
		return true;
	const char *wa = arena + a->name_off, *wb = arena + b->name_off;
	if (*wa != YOUTH__NW_GIVEN || *wb != YOUTH__NW_GIVEN)
		return true; /* a name without given words: let the full comparison judge */
	return youth__name_distance(wa + 1, wb + 1, 1) <= 1;
}

typedef struct scored {
	int score, name_score;
	unsigned why; /* name reason bits (low 8) and R_* */
} scored;

/* Scores a pair: false when it cannot reach @min (no full comparison was needed). */
static bool score_pair(const dperson *a, const dperson *b, const char *arena,
                       const youth__name *na, const youth__name *nb, int min, scored *out)
{
	unsigned why = 0;
	int pts = points_other(a, b, &why);
	if (pts + NAME_MAX_POINTS < min)
		return false;
	if (!(why & R_SAME_DUI) && !given_may_match(a, b, arena))
		return false;
	unsigned nr = 0;
	int ns = youth__name_compare(na, nb, &nr);
	pts += points_name(ns);
	if (pts < min)
		return false;
	if (!nr && ns < 100)
		why |= R_NAME_NEAR;
	out->score = pts;
	out->name_score = ns;
	out->why = why | (nr & 0xff);
	return true;
}

/* The reasons as words, in a fixed order. */
static int reasons_text(youth__buf *b, unsigned why)
{
	static const struct {
		unsigned bit;
		const char *word;
	} words[] = {
		{R_BIRTH_EXACT, "same_birth_date"},     {R_BIRTH_SWAPPED, "birth_day_month_swapped"},
		{R_BIRTH_ONE_OFF, "birth_date_one_field_off"}, {R_SEX_DIFFERS, "sex_differs"},
		{R_SAME_PLACE, "same_community"},       {R_SAME_DISTRICT, "same_municipality"},
		{R_SAME_DUI, "same_national_id"},       {R_OTHER_DUI, "other_national_id"},
		{R_SAME_PHONE, "same_phone"},           {R_NAME_NEAR, "names_alike"},
	};
	b->len = 0;
	int rc = YOUTH_OK;
	for (unsigned bit = 1; bit < 0x100 && rc == YOUTH_OK; bit <<= 1)
		if ((why & bit) && youth_name_reason_name(bit))
			rc = youth__buf_printf(b, "%s%s%s", b->len ? "," : "",
			                       bit == YOUTH_NAME_EXACT ? "same_" : "",
			                       bit == YOUTH_NAME_EXACT ? "name" : youth_name_reason_name(bit));
	for (size_t i = 0; i < sizeof words / sizeof words[0] && rc == YOUTH_OK; i++)
		if (why & words[i].bit)
			rc = youth__buf_printf(b, "%s%s", b->len ? "," : "", words[i].word);
	if (rc == YOUTH_OK)
		rc = youth__buf_put(b, "", 1);
	return rc;
}

/* ---- blocking keys ------------------------------------------------------------------------- */

#define KEY_BITS 40
#define IDX_BITS 24
#define IDX_MAX ((UINT64_C(1) << IDX_BITS) - 1)
/* A block larger than this is not compared pair by pair: its key is too common to tell
 * anything (counted in big_blocks; the other keys of its persons still compare them). */
#define BLOCK_MAX 2000

typedef struct keyset {
	uint64_t k[16];
	int n;
} keyset;

static void key_add(keyset *ks, char tag, const void *a, size_t na, const void *b, size_t nb)
{
	uint64_t h = fnv(FNV0, &tag, 1);
	h = fnv(h, a, na);
	h = fnv(h, "|", 1);
	h = fnv(h, b, nb);
	if (ks->n < 16)
		ks->k[ks->n++] = h >> (64 - KEY_BITS);
}

typedef struct nick_keys {
	keyset *ks;
	int32_t dm;
} nick_keys;

static int nick_key(void *ctx, const char *other)
{
	nick_keys *nk = ctx;
	char s[YOUTH__WORD_MAX];
	youth__name_sound(other, s, sizeof s);
	key_add(nk->ks, 'G', &nk->dm, sizeof nk->dm, s, strlen(s));
	return 0;
}

/* The blocking keys of a person (docs/duplicates.md, "Blocks"). */
static void keys_of(const dperson *p, const youth__name *n, keyset *ks)
{
	ks->n = 0;
	if (!p->y)
		return;
	/* The birth date with day and month unordered: a swap lands in the same block. */
	int32_t lo = p->m < p->d ? p->m : p->d, hi = p->m < p->d ? p->d : p->m;
	int32_t dm = p->y * 10000 + lo * 100 + hi;
	char s1[YOUTH__WORD_MAX], s2[YOUTH__WORD_MAX], g[YOUTH__WORD_MAX];
	youth__name_sound(first_of(n, YOUTH__NW_SURNAME1), s1, sizeof s1);
	youth__name_sound(first_of(n, YOUTH__NW_SURNAME2), s2, sizeof s2);
	const char *given = first_of(n, YOUTH__NW_GIVEN);
	youth__name_sound(given, g, sizeof g);
	/* Either surname with the date: surnames swapped, one missing, one mistyped. */
	if (*s1)
		key_add(ks, 'A', &dm, sizeof dm, s1, strlen(s1));
	if (*s2)
		key_add(ks, 'A', &dm, sizeof dm, s2, strlen(s2));
	/* The given name (or a nickname's full form) with the date: surnames written otherwise. */
	if (*g) {
		key_add(ks, 'G', &dm, sizeof dm, g, strlen(g));
		nick_keys nk = {ks, dm};
		youth__name_nicknames(given, nick_key, &nk);
	}
	/* Surname and given name with two of the three date fields: one field of the date off. */
	if (*s1 && *g) {
		char sg[2 * YOUTH__WORD_MAX + 1];
		snprintf(sg, sizeof sg, "%s %s", s1, g);
		int32_t md = p->m * 100 + p->d, yd = p->y * 100 + p->d, ym = p->y * 100 + p->m;
		key_add(ks, 'Y', &md, sizeof md, sg, strlen(sg));
		key_add(ks, 'M', &yd, sizeof yd, sg, strlen(sg));
		key_add(ks, 'D', &ym, sizeof ym, sg, strlen(sg));
	}
	/* The national ID alone: the same DUI is the same person whatever the rest says. */
	if (p->dui)
		key_add(ks, 'N', &p->dui, sizeof p->dui, "", 0);
}

/* ---- the scan ------------------------------------------------------------------------------ */

typedef struct hit {
	uint32_t a, b; /* person indexes, a < b */
	scored s;
} hit;

typedef struct scan {
	dperson *p;
	size_t n, cap;
	youth__buf arena;
	uint64_t *keys;
	size_t nkeys, capkeys;
	hit *f;
	size_t nf, capf;
} scan;

static void scan_free(scan *s)
{
	youth__free(s->p);
	youth__buf_free(&s->arena);
	youth__free(s->keys);
	youth__free(s->f);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return YOUTH_OK;
	size_t c = *cap ? *cap * 2 : 1024;
	while (c < need)
		c *= 2;
	void *q = youth__realloc(*p, c * size);
	if (!q)
		return youth__error(YOUTH_ENOMEM, NULL, "finding duplicates: out of memory");
	*p = q;
	*cap = c;
	return YOUTH_OK;
}

static const char SQL_PERSONS[] =
	"SELECT p.id, p.given_names, p.first_surname, p.second_surname, p.birth_date, p.sex, "
	"p.place_id, coalesce(pl.parent_id, 0), p.national_id, p.phone, "
	"(?1 IS NULL OR p.census_round = ?1) AND p.id >= ?2 "
	"FROM person p JOIN place pl ON pl.id = p.place_id ORDER BY p.id";

static int load(scan *s, youth_registry *reg, const youth_duplicates_options *opt)
{
	sqlite3_stmt *st;
	int rc = youth__stmt(reg, SQL_PERSONS, &st);
	if (rc)
		return rc;
	youth__bind_text(st, 1, opt ? opt->census_round : NULL);
	sqlite3_bind_int64(st, 2, opt ? opt->from_person_id : 0);
	youth__name n;
	int sr;
	while (rc == YOUTH_OK && (sr = sqlite3_step(st)) == SQLITE_ROW) {
		if (s->n > IDX_MAX) {
			rc = youth__error(YOUTH_ELIMIT, NULL, "finding duplicates: more than %llu persons",
			                  (unsigned long long)IDX_MAX);
			break;
		}
		if ((rc = grow((void **)&s->p, &s->cap, s->n + 1, sizeof *s->p)))
			break;
		dperson *p = &s->p[s->n];
		rc = fill_row(p, &s->arena, &n, st);
		if (rc)
			break;
		p->in_scope = (uint8_t)sqlite3_column_int(st, 10);
		keyset ks;
		keys_of(p, &n, &ks);
		if ((rc = grow((void **)&s->keys, &s->capkeys, s->nkeys + (size_t)ks.n, sizeof *s->keys)))
			break;
		for (int i = 0; i < ks.n; i++)
			s->keys[s->nkeys++] = (ks.k[i] << IDX_BITS) | s->n;
		s->n++;
	}
	if (rc == YOUTH_OK && sr != SQLITE_DONE)
		rc = youth__sqlite_error(reg->db, sr, "finding duplicates: reading persons");
	sqlite3_reset(st);
	return rc;
}

static int cmp_u64(const void *a, const void *b)
{
	return YOUTH__CMP(*(const uint64_t *)a, *(const uint64_t *)b);
}

static int cmp_hit(const void *a, const void *b)
{
	const hit *x = a, *y = b;
	return x->a != y->a ? YOUTH__CMP(x->a, y->a) : YOUTH__CMP(x->b, y->b);
}

static int compare_blocks(scan *s, int min, youth_duplicates_summary *sum)
{
	if (s->nkeys > 1)
		qsort(s->keys, s->nkeys, sizeof *s->keys, cmp_u64);
	youth__name na, nb;
	int rc = YOUTH_OK;
	for (size_t i = 0; i < s->nkeys && rc == YOUTH_OK;) {
		uint64_t key = s->keys[i] >> IDX_BITS;
		size_t j = i + 1;
		while (j < s->nkeys && s->keys[j] >> IDX_BITS == key)
			j++;
		size_t len = j - i;
		if (len > BLOCK_MAX) {
			sum->big_blocks++;
		} else {
			for (size_t x = i; x < j && rc == YOUTH_OK; x++) {
				uint32_t ia = (uint32_t)(s->keys[x] & IDX_MAX);
				const dperson *a = &s->p[ia];
				bool have_a = false;
				for (size_t y = x + 1; y < j; y++) {
					uint32_t ib = (uint32_t)(s->keys[y] & IDX_MAX);
					if (ib == ia)
						continue;
					const dperson *b = &s->p[ib];
					if (!a->in_scope && !b->in_scope)
						continue;
					sum->compared++;
					if (!have_a) {
						arena_get(s->arena.data, a->name_off, &na);
						have_a = true;
					}
					arena_get(s->arena.data, b->name_off, &nb);
					scored sc;
					bool lo = ia < ib;
					if (!score_pair(lo ? a : b, lo ? b : a, s->arena.data, lo ? &na : &nb,
					                lo ? &nb : &na, min, &sc))
						continue;
					if ((rc = grow((void **)&s->f, &s->capf, s->nf + 1, sizeof *s->f)))
						break;
					s->f[s->nf++] = (hit){lo ? ia : ib, lo ? ib : ia, sc};
				}
			}
		}
		i = j;
	}
	if (rc)
		return rc;
	/* A pair shares several keys: keep it once. */
	if (s->nf > 1)
		qsort(s->f, s->nf, sizeof *s->f, cmp_hit);
	size_t w = 0;
	for (size_t r = 0; r < s->nf; r++)
		if (w == 0 || s->f[w - 1].a != s->f[r].a || s->f[w - 1].b != s->f[r].b)
			s->f[w++] = s->f[r];
	s->nf = w;
	return YOUTH_OK;
}

/* ---- storing the pairs ----------------------------------------------------------------------- */

static const char SQL_PAIR[] =
	"SELECT id, state, person_stamp, other_stamp, score, reasons FROM duplicate_pair "
	"WHERE person_id = ?1 AND other_id = ?2";
static const char SQL_PAIR_INSERT[] =
	"INSERT INTO duplicate_pair (uuid, person_id, other_id, score, name_score, reasons, state, "
	"found_on, person_stamp, other_stamp) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8, ?9)";
/* Numbered so that what a scan found is one run, ?2-?7 (bind_found()); a rescore keeps the
 * date the pair was found, and leaves ?5 out. */
static const char SQL_PAIR_REOPEN[] =
	"UPDATE duplicate_pair SET state = 1, score = ?2, name_score = ?3, reasons = ?4, "
	"found_on = ?5, person_stamp = ?6, other_stamp = ?7, decided_on = NULL, decided_by = NULL, "
	"note = NULL WHERE id = ?1";
static const char SQL_PAIR_RESCORE[] =
	"UPDATE duplicate_pair SET score = ?2, name_score = ?3, reasons = ?4, person_stamp = ?6, "
	"other_stamp = ?7 WHERE id = ?1";

/* Binds what a scan found about a pair to ?@at and the five parameters after it, in the order
 * of the statements above: one place that says which value goes where. */
static void bind_found(sqlite3_stmt *st, int at, const dperson *a, const dperson *b,
                       const scored *sc, const youth__buf *why, const char *today)
{
	sqlite3_bind_int(st, at, sc->score);
	sqlite3_bind_int(st, at + 1, sc->name_score);
	sqlite3_bind_text(st, at + 2, why->data, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, at + 3, today, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, at + 4, (int64_t)a->stamp);
	sqlite3_bind_int64(st, at + 5, (int64_t)b->stamp);
}

/* Stores one found pair (inside the scan's write). */
static int store(youth__write *w, const dperson *a, const dperson *b, const scored *sc,
                 youth__buf *why, const char *today, youth_duplicates_summary *sum)
{
	youth_registry *reg = w->reg;
	int rc = reasons_text(why, sc->why);
	sqlite3_stmt *st;
	if (rc || (rc = youth__stmt(reg, SQL_PAIR, &st)))
		return rc;
	sqlite3_bind_int64(st, 1, a->id);
	sqlite3_bind_int64(st, 2, b->id);
	bool found;
	if ((rc = youth__step_row(reg, st, &found, "finding duplicates")))
		return rc;
	if (!found) {
		char uuid[YOUTH_UUID_LEN + 1];
		if ((rc = youth__uuid_new(uuid)) || (rc = youth__stmt(reg, SQL_PAIR_INSERT, &st)))
			return rc;
		sqlite3_bind_text(st, 1, uuid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, a->id);
		sqlite3_bind_int64(st, 3, b->id);
		bind_found(st, 4, a, b, sc, why, today);
		if ((rc = youth__step_done(reg, st, "storing a duplicate pair")) == YOUTH_OK) {
			youth__write_row(w, "duplicate_pair", sqlite3_last_insert_rowid(reg->db), 'c');
			sum->added++;
		}
		return rc;
	}
	int64_t id = sqlite3_column_int64(st, 0);
	int state = sqlite3_column_int(st, 1);
	bool same = (uint64_t)sqlite3_column_int64(st, 2) == a->stamp &&
	            (uint64_t)sqlite3_column_int64(st, 3) == b->stamp;
	bool rescored = sqlite3_column_int(st, 4) != sc->score ||
	                strcmp((const char *)sqlite3_column_text(st, 5), why->data) != 0;
	sqlite3_reset(st);
	if (state == YOUTH_DUPLICATE_DISMISSED && !same) {
		if ((rc = youth__stmt(reg, SQL_PAIR_REOPEN, &st)))
			return rc;
		sqlite3_bind_int64(st, 1, id);
		bind_found(st, 2, a, b, sc, why, today);
		if ((rc = youth__step_done(reg, st, "reopening a duplicate pair")) == YOUTH_OK) {
			youth__write_row(w, "duplicate_pair", id, 'u');
			sum->reopened++;
		}
		return rc;
	}
	sum->kept++;
	if (state != YOUTH_DUPLICATE_OPEN || (!rescored && same))
		return YOUTH_OK;
	if ((rc = youth__stmt(reg, SQL_PAIR_RESCORE, &st)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	bind_found(st, 2, a, b, sc, why, today);
	if ((rc = youth__step_done(reg, st, "rescoring a duplicate pair")) == YOUTH_OK)
		youth__write_row(w, "duplicate_pair", id, 'u');
	return rc;
}

int youth_duplicates_find(youth_duplicates_summary *out, youth_registry *reg,
                          const youth_duplicates_options *opt)
{
	youth_duplicates_summary sum = {0};
	if (out)
		*out = sum;
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_duplicates_find: NULL registry");
	int min = opt && opt->min_score ? opt->min_score : YOUTH_DUPLICATE_THRESHOLD;
	if (opt && opt->from_person_id < 0)
		return youth__error(YOUTH_EINVAL, "from_person_id", "from_person_id %lld: not a "
		                    "record id", (long long)opt->from_person_id);
	if (opt && opt->min_score < 0)
		return youth__error(YOUTH_EINVAL, "min_score", "min_score %d: must not be negative",
		                    opt->min_score);
	if (opt && opt->census_round && !*opt->census_round)
		return youth__error(YOUTH_EINVAL, "census_round", "census_round: empty (NULL for any)");
	scan s = {0};
	youth__write w;
	bool dry = opt && opt->dry_run;
	/* The persons are read inside the write, so the pairs stored match what was read. */
	int rc = dry ? YOUTH_OK : youth__write_begin(&w, reg, "find duplicates");
	if (rc)
		return rc;
	if ((rc = load(&s, reg, opt)) == YOUTH_OK)
		rc = compare_blocks(&s, min, &sum);
	sum.persons = (int64_t)s.n;
	sum.found = (int64_t)s.nf;
	for (size_t i = 0; i < s.nf; i++)
		if (s.f[i].s.score >= YOUTH_DUPLICATE_LIKELY)
			sum.likely++;
	if (!dry) {
		char today[YOUTH_DATE_LEN + 1];
		youth__today(today);
		youth__buf why = {0};
		for (size_t i = 0; i < s.nf && rc == YOUTH_OK; i++)
			rc = store(&w, &s.p[s.f[i].a], &s.p[s.f[i].b], &s.f[i].s, &why, today, &sum);
		youth__buf_free(&why);
		rc = youth__write_end(&w, rc);
	}
	scan_free(&s);
	if (rc == YOUTH_OK && out)
		*out = sum;
	return rc;
}

int youth_duplicates_mark(int64_t *next_id, youth_registry *reg)
{
	if (next_id)
		*next_id = 0;
	if (!next_id || !reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_duplicates_mark: NULL argument");
	sqlite3_stmt *st;
	int rc = youth__stmt(reg, "SELECT coalesce(max(id), 0) + 1 FROM person", &st);
	if (rc)
		return rc;
	bool found;
	if ((rc = youth__step_row(reg, st, &found, "reading the last person")) == YOUTH_OK && found) {
		*next_id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return rc;
}

/* ---- review ---------------------------------------------------------------------------------- */

static int decide(youth_registry *reg, int64_t id, const char *note, int to, const char *op)
{
	int rc;
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "%s: NULL registry", op);
	if ((rc = youth__id_rule(id, "duplicate pair")))
		return rc;
	if (note && (rc = youth__text_rule("note", note, 1000, false)))
		return rc;
	youth__write w;
	if ((rc = youth__write_begin(&w, reg, op)))
		return rc;
	sqlite3_stmt *st;
	if ((rc = youth__row_by_id(reg, "SELECT state FROM duplicate_pair WHERE id = ?", id, "id",
	                           "duplicate pair", &st)) == YOUTH_OK) {
		int from = sqlite3_column_int(st, 0);
		sqlite3_reset(st);
		rc = youth__state_step(&youth__machine_duplicate, id, from, to);
	}
	char today[YOUTH_DATE_LEN + 1];
	youth__today(today);
	rc = youth__write_stmt(&w, rc,
	                       "UPDATE duplicate_pair SET state = ?2, decided_on = ?3, decided_by = ?4, "
	                       "note = ?5 WHERE id = ?1",
	                       "deciding a duplicate pair", "duplicate_pair", id, 'u', "ittt", to,
	                       today, reg->audit.actor, note);
	return youth__write_end(&w, rc);
}

int youth_duplicate_confirm(youth_registry *reg, int64_t id, const char *note)
{
	return decide(reg, id, note, YOUTH_DUPLICATE_CONFIRMED, "confirm duplicate pair");
}

int youth_duplicate_dismiss(youth_registry *reg, int64_t id, const char *note)
{
	return decide(reg, id, note, YOUTH_DUPLICATE_DISMISSED, "dismiss duplicate pair");
}

/* ---- the desk check -------------------------------------------------------------------------- */

struct youth_duplicate_list {
	size_t n, cap;
	youth_duplicate *d;
	youth__buf text; /* the reasons, NUL-separated; offsets in d[i].reasons until done */
};

YOUTH__LIST_API(youth_duplicate_list, youth_duplicate, d, text)

#define SQL_DESK                                                                                 \
	"SELECT p.id, p.given_names, p.first_surname, p.second_surname, p.birth_date, p.sex, "      \
	"p.place_id, coalesce(pl.parent_id, 0), p.national_id, p.phone "                           \
	"FROM person p JOIN place pl ON pl.id = p.place_id "
static const char SQL_ONE[] = SQL_DESK "WHERE p.id = ?";
/* The persons of one birth date (300-600 at a million) read whole in the index's query, not
 * looked up by id one by one afterwards (bench/bench_dups.c times the desk check). */
static const char SQL_BY_BIRTH[] = SQL_DESK "WHERE p.birth_date = ?";

typedef struct ids {
	int64_t *v;
	size_t n, cap;
} ids;

static int ids_add(ids *s, int64_t id)
{
	int rc = grow((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v);
	if (rc == YOUTH_OK)
		s->v[s->n++] = id;
	return rc;
}

static int cmp_i64(const void *a, const void *b)
{
	return YOUTH__CMP(*(const int64_t *)a, *(const int64_t *)b);
}

/* What the desk check is building: the new person and the candidates so far. */
typedef struct desk {
	dperson me;
	youth__name nme;
	youth_duplicate_list *l;
	youth__buf why;
} desk;

/* Scores the person of row @st against the new one; a candidate joins the list. */
static int desk_consider(desk *k, sqlite3_stmt *st)
{
	dperson other;
	youth__name nother;
	scored sc;
	int rc = fill_row(&other, NULL, &nother, st);
	if (rc || !score_pair(&k->me, &other, NULL, &k->nme, &nother, YOUTH_DUPLICATE_THRESHOLD, &sc))
		return rc;
	youth_duplicate_list *l = k->l;
	if ((rc = grow((void **)&l->d, &l->cap, l->n + 1, sizeof *l->d)) ||
	    (rc = reasons_text(&k->why, sc.why)))
		return rc;
	size_t off = l->text.len;
	if ((rc = youth__buf_put(&l->text, k->why.data, strlen(k->why.data) + 1)))
		return rc;
	youth_duplicate *d = &l->d[l->n++];
	memset(d, 0, sizeof *d);
	d->other_id = other.id;
	d->score = sc.score;
	d->name_score = sc.name_score;
	d->reasons = (const char *)(uintptr_t)off; /* made a pointer once the text stops moving */
	d->state = YOUTH_DUPLICATE_OPEN;
	return YOUTH_OK;
}

/* Considers every person born on @date. */
static int by_birth(youth_registry *reg, desk *k, const char *date)
{
	sqlite3_stmt *st;
	int rc = youth__stmt(reg, SQL_BY_BIRTH, &st), sr;
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, date, -1, SQLITE_TRANSIENT);
	while (rc == YOUTH_OK && (sr = sqlite3_step(st)) == SQLITE_ROW)
		rc = desk_consider(k, st);
	if (rc == YOUTH_OK && sr != SQLITE_DONE)
		rc = youth__sqlite_error(reg->db, sr, "looking up persons by birth date");
	sqlite3_reset(st);
	return rc;
}

/* Orders found pairs best first, then by the registry's person. */
static int cmp_desk(const void *a, const void *b)
{
	const youth_duplicate *x = a, *y = b;
	return x->score != y->score ? YOUTH__CMP(y->score, x->score)
	                            : YOUTH__CMP(x->other_id, y->other_id);
}

/* The place of @p: its id and parent, from its gazetteer text. */
static int place_of(youth_registry *reg, const char *place, int64_t *id, int64_t *parent)
{
	*id = *parent = 0;
	if (!place || !*place)
		return YOUTH_OK;
	int rc = youth__place_resolve(reg, place, "place", id);
	if (rc)
		return rc;
	sqlite3_stmt *st;
	if ((rc = youth__stmt(reg, "SELECT coalesce(parent_id, 0) FROM place WHERE id = ?", &st)))
		return rc;
	sqlite3_bind_int64(st, 1, *id);
	if (sqlite3_step(st) == SQLITE_ROW)
		*parent = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return YOUTH_OK;
}

int youth_person_similar(youth_duplicate_list **out, youth_registry *reg, const youth_person *p,
                         int limit)
{
	if (out)
		*out = NULL;
	if (!out || !reg || !p)
		return youth__error(YOUTH_EINVAL, NULL, "youth_person_similar: NULL argument");
	if (limit < 1 || limit > 100)
		return youth__error(YOUTH_EINVAL, "limit", "limit %d: must be 1-100", limit);
	int rc;
	if ((rc = youth__text_rule("given_names", p->given_names, YOUTH_NAME_MAX, true)) ||
	    (rc = youth__text_rule("first_surname", p->first_surname, YOUTH_NAME_MAX, true)) ||
	    (rc = youth_date_check(p->birth_date, "birth_date")))
		return rc;
	youth__date bd;
	youth__date_parse(p->birth_date, &bd);
	int64_t place = 0, parent = 0;
	if ((rc = place_of(reg, p->place, &place, &parent)))
		return rc;
	desk k = {0};
	if ((rc = dperson_fill(&k.me, NULL, &k.nme, 0, p->given_names, p->first_surname,
	                       youth__nz(p->second_surname), p->birth_date, p->sex, place, parent,
	                       p->national_id, p->phone)))
		return rc;
	youth_duplicate_list *l = k.l = youth__calloc(1, sizeof *l);
	if (!l)
		return youth__error(YOUTH_ENOMEM, NULL, "youth_person_similar: out of memory");
	/* Candidates: the same birth date, or day and month swapped (an index look-up each), and
	 * the persons the name index ranks first (any birth date: one field of it may be off). */
	char swapped[YOUTH_DATE_LEN + 1] = "";
	rc = by_birth(reg, &k, p->birth_date);
	if (rc == YOUTH_OK && bd.d <= 12 && bd.d != bd.m) {
		youth__date sw = {bd.y, bd.d, bd.m};
		youth__date_format(&sw, swapped);
		rc = by_birth(reg, &k, swapped);
	}
	ids cand = {0};
	if (rc == YOUTH_OK) {
		youth__buf q = {0};
		rc = youth__buf_printf(&q, "%s %s %s", p->given_names, p->first_surname,
		                       youth__nz(p->second_surname) ? p->second_surname : "");
		youth_person_matches *m = NULL;
		if (rc == YOUTH_OK && (rc = youth_person_find(&m, reg, q.data, 50)) == YOUTH_OK)
			for (size_t i = 0; i < youth_person_matches_count(m) && rc == YOUTH_OK; i++)
				rc = ids_add(&cand, youth_person_matches_get(m, i)->id);
		youth_person_matches_free(m);
		youth__buf_free(&q);
	}
	if (rc == YOUTH_OK && cand.n)
		qsort(cand.v, cand.n, sizeof *cand.v, cmp_i64);
	sqlite3_stmt *st = NULL;
	if (rc == YOUTH_OK)
		rc = youth__stmt(reg, SQL_ONE, &st);
	for (size_t i = 0; i < cand.n && rc == YOUTH_OK; i++) {
		if (i && cand.v[i] == cand.v[i - 1])
			continue;
		sqlite3_bind_int64(st, 1, cand.v[i]);
		if (sqlite3_step(st) == SQLITE_ROW) {
			/* The persons of the two dates above were considered already. */
			const char *born = (const char *)sqlite3_column_text(st, 4);
			if (born && strcmp(born, p->birth_date) && strcmp(born, swapped))
				rc = desk_consider(&k, st);
		}
		sqlite3_reset(st);
	}
	youth__free(cand.v);
	youth__buf_free(&k.why);
	if (rc) {
		youth_duplicate_list_free(l);
		return rc;
	}
	for (size_t i = 0; i < l->n; i++)
		l->d[i].reasons = l->text.data + (uintptr_t)l->d[i].reasons;
	if (l->n > 1)
		qsort(l->d, l->n, sizeof *l->d, cmp_desk);
	if (l->n > (size_t)limit)
		l->n = (size_t)limit;
	*out = l;
	return YOUTH_OK;
}

/* Reads person @id as the scorer sees it; YOUTH_ENOTFOUND naming @field when there is none. */
static int load_one(youth_registry *reg, int64_t id, const char *field, dperson *p, youth__name *n)
{
	sqlite3_stmt *st;
	int rc = youth__row_by_id(reg, SQL_ONE, id, field, "person", &st);
	if (rc)
		return rc;
	rc = fill_row(p, NULL, n, st);
	sqlite3_reset(st);
	return rc;
}

int youth_duplicate_decide_pair(int64_t *pair_id, youth_registry *reg, int64_t person,
                                int64_t other, int state, const char *note)
{
	if (pair_id)
		*pair_id = 0;
	int rc = youth__two_persons_args(reg, "youth_duplicate_decide_pair", person, other, "other_id",
	                                 "a pair needs two persons");
	if (rc)
		return rc;
	if (state != YOUTH_DUPLICATE_CONFIRMED && state != YOUTH_DUPLICATE_DISMISSED)
		return youth__error(YOUTH_EINVAL, "state", "state %d: a decision is confirmed (2) or "
		                    "dismissed (3)", state);
	if (note && (rc = youth__text_rule("note", note, 1000, false)))
		return rc;
	youth__write w;
	if ((rc = youth__write_begin(&w, reg, "decide duplicate pair")))
		return rc;
	int64_t lo = person < other ? person : other, hi = person < other ? other : person;
	dperson a, b;
	youth__name na, nb;
	if ((rc = load_one(reg, lo, lo == person ? "person_id" : "other_id", &a, &na)) == YOUTH_OK)
		rc = load_one(reg, hi, hi == person ? "person_id" : "other_id", &b, &nb);
	scored sc = {0};
	if (rc == YOUTH_OK) {
		unsigned why = 0;
		unsigned nr = 0;
		int pts = points_other(&a, &b, &why);
		sc.name_score = youth__name_compare(&na, &nb, &nr);
		sc.score = pts + points_name(sc.name_score);
		sc.why = why | (nr & 0xff);
	}
	youth_duplicates_summary sum = {0};
	youth__buf why = {0};
	char today[YOUTH_DATE_LEN + 1];
	youth__today(today);
	if (rc == YOUTH_OK)
		rc = store(&w, &a, &b, &sc, &why, today, &sum);
	youth__buf_free(&why);
	int64_t id = 0;
	sqlite3_stmt *st;
	if (rc == YOUTH_OK && (rc = youth__stmt(reg, SQL_PAIR, &st)) == YOUTH_OK) {
		sqlite3_bind_int64(st, 1, lo);
		sqlite3_bind_int64(st, 2, hi);
		bool found;
		if ((rc = youth__step_row(reg, st, &found, "deciding a duplicate pair")) == YOUTH_OK &&
		    found) {
			id = sqlite3_column_int64(st, 0);
			int from = sqlite3_column_int(st, 1);
			sqlite3_reset(st);
			if (from != state)
				rc = youth__state_step(&youth__machine_duplicate, id, from, state);
		}
	}
	rc = youth__write_stmt(&w, rc,
	                       "UPDATE duplicate_pair SET state = ?2, decided_on = ?3, decided_by = ?4, "
	                       "note = ?5 WHERE id = ?1",
	                       "deciding a duplicate pair", "duplicate_pair", id, 'u', "ittt", state,
	                       today, reg->audit.actor, note);
	rc = youth__write_end(&w, rc);
	if (rc == YOUTH_OK && pair_id)
		*pair_id = id;
	return rc;
}
