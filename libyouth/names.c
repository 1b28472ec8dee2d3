/*
 * Names: the words of a Spanish name, their sound key, nicknames, the similarity of two names,
 * and the name index that answers a search at the desk without reading the person table.
 *
 * The index (schema.c, migration 7) has three tables:
 *   person_name(person_id, key, words)  one row per distinct word of a person's name (key: the
 *                                 word's name_token id) and one per pair of its words (key: a
 *                                 hash of the two, negative), so that a search of two common
 *                                 words ("José Hernández") reads the few persons who have both
 *                                 instead of the many who have either; words, on every row of
 *                                 the person, holds three bits per word of the name, so that a
 *                                 search passes over most persons of a list who lack a wanted
 *                                 word without reading them;
 *   name_token(id, token, sound)  every word some person has, with its sound key;
 *   name_token_near(variant, token)  each word of name_token with one letter deleted, so that
 *                                 the words one typo away from a searched word are found by a
 *                                 handful of look-ups (a deletion neighbourhood).
 * The vocabulary is small (distinct words), so spelling variants are worked out on it and only
 * then looked up in person_name.  Triggers of the schema drop a person's rows (and the words
 * nobody else has) when the person is deleted or renamed, whatever path deletes: the index
 * never outlives an erased name.
 */
#include "private_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- words --------------------------------------------------------------------------------- */

/* Particles that join the words of a name but are not a name themselves ("María de los
 * Ángeles", "De la Cruz", "Hernández y Pérez").  "la", "las", "los" only after "de"/"del": on
 * their own they may be a name ("Las" is rare, but "La" never stands alone in a census). */
static bool is_particle(const char *w, bool after_de)
{
	if (!strcmp(w, "de") || !strcmp(w, "del") || !strcmp(w, "y"))
		return true;
	return after_de && (!strcmp(w, "la") || !strcmp(w, "las") || !strcmp(w, "los"));
}

/* A byte of a folded word: ASCII letters and digits, and whatever folding kept as it was
 * (letters beyond Latin-1 and Latin Extended-A).  Hyphens, apostrophes and dots separate. */
static bool word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

int youth__name_add(youth__name *name, const char *text, int role)
{
	if (!text || !*text)
		return YOUTH_OK;
	youth__buf f = {0};
	int rc = youth__fold_into(&f, text);
	if (rc) {
		youth__buf_free(&f);
		return rc;
	}
	bool after_de = false;
	for (size_t i = 0; i < f.len;) {
		while (i < f.len && !word_byte((unsigned char)f.data[i]))
			i++;
		size_t start = i;
		while (i < f.len && word_byte((unsigned char)f.data[i]))
			i++;
		size_t n = i - start;
		if (n == 0)
			break;
		char w[YOUTH__WORD_MAX];
		if (n >= sizeof w)
			n = sizeof w - 1;
		memcpy(w, f.data + start, n);
		w[n] = '\0';
		bool particle = is_particle(w, after_de);
		after_de = !strcmp(w, "de") || !strcmp(w, "del");
		if (particle || name->n == YOUTH__NAME_WORDS)
			continue;
		memcpy(name->word[name->n], w, n + 1);
		name->role[name->n++] = (unsigned char)role;
	}
	youth__buf_free(&f);
	return YOUTH_OK;
}

int youth__name_parse(youth__name *name, const char *given, const char *first_surname,
                      const char *second_surname)
{
	memset(name, 0, sizeof *name);
	int rc = youth__name_add(name, given, YOUTH__NW_GIVEN);
	if (rc == YOUTH_OK)
		rc = youth__name_add(name, first_surname, YOUTH__NW_SURNAME1);
	if (rc == YOUTH_OK)
		rc = youth__name_add(name, second_surname, YOUTH__NW_SURNAME2);
	return rc;
}

/* ---- sound key ------------------------------------------------------------------------------ */

static bool front_vowel(char c) { return c == 'e' || c == 'i'; }
static bool vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

/*
 * Letters that a Salvadoran clerk hears alike get one symbol: b v w -> b; s z, c before e/i,
 * x -> s; c elsewhere, k, qu -> k; g before e/i, j -> j; gu before e/i -> g; ll, y before a
 * vowel -> y (y elsewhere is the vowel i); ch -> c; ph -> f; h is silent.  A letter repeated
 * (rr, ss, ll after the rule) counts once.  The vowels stay: they carry most of what tells
 * two Spanish names apart.
 */
void youth__name_sound(const char *w, char *out, size_t cap)
{
	size_t o = 0;
	char last = 0;
	for (size_t i = 0; w[i] && o + 1 < cap; i++) {
		char c = w[i], nx = w[i + 1], k = 0;
		switch (c) {
		case 'h': continue;
		case 'c':
			if (nx == 'h') { k = 'c'; i++; }
			else k = front_vowel(nx) ? 's' : 'k';
			break;
		case 'q':
			k = 'k';
			if (nx == 'u' && front_vowel(w[i + 2]))
				i++;
			break;
		case 'g':
			if (front_vowel(nx)) k = 'j';
			else {
				k = 'g';
				if (nx == 'u' && front_vowel(w[i + 2]))
					i++;
			}
			break;
		case 'v': case 'w': k = 'b'; break;
		case 'z': case 'x': k = 's'; break;
		case 'l':
			if (nx == 'l') { k = 'y'; i++; }
			else k = 'l';
			break;
		case 'y': k = vowel(nx) ? 'y' : 'i'; break;
		case 'p':
			if (nx == 'h') { k = 'f'; i++; }
			else k = 'p';
			break;
		default:
			if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
				k = c;
			else
				continue;
		}
		if (k != last)
			out[o++] = k;
		last = k;
	}
	if (cap)
		out[o] = '\0';
}

/* ---- edit distance ----------------------------------------------------------------------- */

int youth__name_distance(const char *a, const char *b, int max)
{
	size_t n = strlen(a), m = strlen(b);
	if (n >= YOUTH__WORD_MAX || m >= YOUTH__WORD_MAX)
		return max + 1;
	if ((n > m ? n - m : m - n) > (size_t)max)
		return max + 1;
	/* Three rows of the optimal-string-alignment table: two back for a swap. */
	int rows[3][YOUTH__WORD_MAX + 1];
	int *pp = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= m; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = (int)i;
		int best = cur[0];
		for (size_t j = 1; j <= m; j++) {
			int cost = a[i - 1] != b[j - 1];
			int v = prev[j - 1] + cost;
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
		int *t = pp;
		pp = prev;
		prev = cur;
		cur = t;
	}
	return prev[m] > max ? max + 1 : prev[m];
}

/* ---- nicknames ----------------------------------------------------------------------------- */

/* Short forms in common use in El Salvador and the Spanish-speaking world, as folded words:
 * {nickname, name}.  Only forms that stand for one name with little doubt are listed ("Beto"
 * has two rows because it is as much Alberto as Roberto).  docs/duplicates.md lists them. */
static const char *const nicknames[][2] = {
	{"chepe", "jose"},      {"pepe", "jose"},
	{"tono", "antonio"},    {"tona", "antonia"},     {"chayo", "rosario"},
	{"lupe", "guadalupe"},  {"lupita", "guadalupe"}, {"pancho", "francisco"},
	{"paco", "francisco"},  {"kiko", "francisco"},   {"nacho", "ignacio"},
	{"memo", "guillermo"},  {"chucho", "jesus"},     {"chuy", "jesus"},
	{"lencho", "lorenzo"},  {"concha", "concepcion"}, {"conchita", "concepcion"},
	{"chabela", "isabel"},  {"chabe", "isabel"},     {"tere", "teresa"},
	{"lola", "dolores"},    {"lalo", "eduardo"},     {"beto", "alberto"},
	{"beto", "roberto"},    {"quique", "enrique"},   {"kike", "enrique"},
	{"nando", "fernando"},  {"chente", "vicente"},   {"goyo", "gregorio"},
	{"rafa", "rafael"},     {"manolo", "manuel"},    {"meche", "mercedes"},
	{"licha", "alicia"},    {"chalo", "gonzalo"},    {"moncho", "ramon"},
	{"neto", "ernesto"},    {"tavo", "gustavo"},     {"fito", "adolfo"},
	{"santi", "santiago"},  {"pili", "pilar"},       {"chela", "graciela"},
	{"juancho", "juan"},    {"toni", "antonio"},     {"gaby", "gabriela"},
	{"alex", "alejandro"},  {"mito", "emigdio"},     {"chamba", "rosalba"},
};

int youth__name_nicknames(const char *word, int (*fn)(void *ctx, const char *other), void *ctx)
{
	for (size_t i = 0; i < sizeof nicknames / sizeof nicknames[0]; i++) {
		int rc = 0;
		if (!strcmp(word, nicknames[i][0]))
			rc = fn(ctx, nicknames[i][1]);
		else if (!strcmp(word, nicknames[i][1]))
			rc = fn(ctx, nicknames[i][0]);
		if (rc)
			return rc;
	}
	return 0;
}

static int is_target(void *ctx, const char *other)
{
	return !strcmp(ctx, other);
}

/* ---- word and name similarity ---------------------------------------------------------- */

youth__word_rel youth__word_relate(const char *q, const char *w, bool prefix)
{
	if (!strcmp(q, w))
		return YOUTH__REL_EXACT;
	size_t n = strlen(q), m = strlen(w);
	if (prefix && n < m && !strncmp(q, w, n))
		return YOUTH__REL_PREFIX;
	if (youth__name_nicknames(q, is_target, (void *)w))
		return YOUTH__REL_NICKNAME;
	if (n >= 3 && m >= 3) {
		char a[YOUTH__WORD_MAX], b[YOUTH__WORD_MAX];
		youth__name_sound(q, a, sizeof a);
		youth__name_sound(w, b, sizeof b);
		if (!strcmp(a, b))
			return YOUTH__REL_SOUND;
	}
	if (n >= 4 && m >= 4 && youth__name_distance(q, w, 1) <= 1)
		return YOUTH__REL_TYPO;
	return YOUTH__REL_NONE;
}

/* Points and reason bit of each relation: a nickname is a deliberate other form of the same
 * name, a sound-alike a spelling of it, a typo possibly another name. */
static const struct {
	int points;
	unsigned reason;
} rel_value[] = {
	[YOUTH__REL_NONE] = {0, 0},
	[YOUTH__REL_EXACT] = {100, YOUTH_NAME_EXACT},
	[YOUTH__REL_PREFIX] = {80, YOUTH_NAME_PREFIX},
	[YOUTH__REL_NICKNAME] = {90, YOUTH_NAME_NICKNAME},
	[YOUTH__REL_SOUND] = {85, YOUTH_NAME_SOUND},
	[YOUTH__REL_TYPO] = {75, YOUTH_NAME_TYPO},
};

/* The best relation of @q with a word of @b of role @role (ANY: every word); its index in
 * *@at (-1 for none). */
static youth__word_rel best_word(const char *q, const youth__name *b, int role, bool prefix,
                                 int *at)
{
	youth__word_rel best = YOUTH__REL_NONE;
	*at = -1;
	for (int j = 0; j < b->n; j++) {
		if (role != YOUTH__NW_ANY && b->role[j] != role)
			continue;
		youth__word_rel r = youth__word_relate(q, b->word[j], prefix);
		if (r != YOUTH__REL_NONE && (best == YOUTH__REL_NONE || r < best)) {
			best = r;
			*at = j;
		}
	}
	return best;
}

/* A search against a name: the mean of the best relation of each search word. */
static int compare_search(const youth__name *q, const youth__name *b, unsigned *reasons)
{
	int total = 0, s1_at = -1, s2_at = -1;
	bool all_exact = true;
	for (int i = 0; i < q->n; i++) {
		int at;
		youth__word_rel r = best_word(q->word[i], b, YOUTH__NW_ANY, true, &at);
		total += rel_value[r].points;
		*reasons |= rel_value[r].reason;
		all_exact = all_exact && r == YOUTH__REL_EXACT;
		if (at >= 0 && b->role[at] == YOUTH__NW_SURNAME1 && s1_at < 0)
			s1_at = i;
		if (at >= 0 && b->role[at] == YOUTH__NW_SURNAME2 && s2_at < 0)
			s2_at = i;
	}
	if (!all_exact)
		*reasons &= ~(unsigned)YOUTH_NAME_EXACT;
	if (s1_at >= 0 && s2_at >= 0 && s2_at < s1_at)
		*reasons |= YOUTH_NAME_SWAPPED;
	return q->n ? total / q->n : 0;
}

/* One surname field of @n as a single word ("de la cruz" -> "cruz"; two words joined by a
 * space), "" when missing. */
static void surname_of(const youth__name *n, int role, char *out, size_t cap)
{
	size_t o = 0;
	out[0] = '\0';
	for (int i = 0; i < n->n; i++) {
		if (n->role[i] != role)
			continue;
		int k = snprintf(out + o, cap - o, "%s%s", o ? " " : "", n->word[i]);
		if (k < 0 || (size_t)k >= cap - o)
			break;
		o += (size_t)k;
	}
}

static int count_role(const youth__name *n, int role)
{
	int c = 0;
	for (int i = 0; i < n->n; i++)
		c += n->role[i] == role;
	return c;
}

/* Given names against given names: each word of the shorter list with its best partner. */
static int compare_given(const youth__name *a, const youth__name *b, unsigned *reasons,
                         bool *all_exact)
{
	int na = count_role(a, YOUTH__NW_GIVEN), nb = count_role(b, YOUTH__NW_GIVEN);
	const youth__name *s = na <= nb ? a : b, *l = na <= nb ? b : a;
	int total = 0, n = 0;
	for (int i = 0; i < s->n; i++) {
		if (s->role[i] != YOUTH__NW_GIVEN)
			continue;
		int at;
		youth__word_rel r = best_word(s->word[i], l, YOUTH__NW_GIVEN, false, &at);
		total += rel_value[r].points;
		*reasons |= rel_value[r].reason;
		*all_exact = *all_exact && r == YOUTH__REL_EXACT;
		n++;
	}
	int score = n ? total / n : 0;
	if (na != nb) {
		*reasons |= YOUTH_NAME_MISSING_GIVEN;
		*all_exact = false;
		score = score * 9 / 10;
	}
	return score;
}

/* Points of two surname fields (0 when either is missing). */
static int surname_points(const char *x, const char *y, unsigned *reason)
{
	if (!*x || !*y)
		return 0;
	youth__word_rel r = youth__word_relate(x, y, false);
	*reason = rel_value[r].reason;
	return rel_value[r].points;
}

/* Surnames against surnames: in order, swapped, or one side without its second. */
static int compare_surnames(const youth__name *a, const youth__name *b, unsigned *reasons,
                            bool *all_exact)
{
	char a1[160], a2[160], b1[160], b2[160];
	surname_of(a, YOUTH__NW_SURNAME1, a1, sizeof a1);
	surname_of(a, YOUTH__NW_SURNAME2, a2, sizeof a2);
	surname_of(b, YOUTH__NW_SURNAME1, b1, sizeof b1);
	surname_of(b, YOUTH__NW_SURNAME2, b2, sizeof b2);
	unsigned r1 = 0, r2 = 0, r3 = 0, r4 = 0;
	if (*a2 && *b2) {
		int straight = surname_points(a1, b1, &r1) + surname_points(a2, b2, &r2);
		int swapped = surname_points(a1, b2, &r3) + surname_points(a2, b1, &r4);
		if (swapped > straight) {
			/* The same surnames in the other order: likely, not certainly, the same youth. */
			*reasons |= r3 | r4 | YOUTH_NAME_SWAPPED;
			*all_exact = false;
			return swapped / 2 * 95 / 100;
		}
		*reasons |= r1 | r2;
		*all_exact = *all_exact && r1 == YOUTH_NAME_EXACT && r2 == YOUTH_NAME_EXACT;
		return straight / 2;
	}
	if (*a2 || *b2) {
		/* The one surname of one side may be either surname of the other. */
		const char *only = *a2 ? b1 : a1, *f = *a2 ? a1 : b1, *s = *a2 ? a2 : b2;
		int p1 = surname_points(only, f, &r1), p2 = surname_points(only, s, &r2);
		*reasons |= (p1 >= p2 ? r1 : r2 | YOUTH_NAME_SWAPPED) | YOUTH_NAME_MISSING_SURNAME;
		*all_exact = false;
		return (p1 >= p2 ? p1 : p2) * 9 / 10;
	}
	int p = surname_points(a1, b1, &r1);
	*reasons |= r1;
	*all_exact = *all_exact && r1 == YOUTH_NAME_EXACT;
	return p;
}

int youth__name_compare(const youth__name *a, const youth__name *b, unsigned *reasons)
{
	*reasons = 0;
	if (a->n && a->role[0] == YOUTH__NW_ANY)
		return compare_search(a, b, reasons);
	bool all_exact = true;
	int given = compare_given(a, b, reasons, &all_exact);
	int surnames = compare_surnames(a, b, reasons, &all_exact);
	if (!all_exact)
		*reasons &= ~(unsigned)YOUTH_NAME_EXACT;
	/* Surnames weigh more: two siblings share them, but a clerk gets them right more often
	 * than given names, which come with nicknames and second names dropped. */
	return (2 * given + 3 * surnames) / 5;
}

const char *youth_name_reason_name(unsigned reason)
{
	switch (reason) {
	case YOUTH_NAME_EXACT: return "exact";
	case YOUTH_NAME_PREFIX: return "prefix";
	case YOUTH_NAME_SWAPPED: return "swapped_surnames";
	case YOUTH_NAME_MISSING_SURNAME: return "missing_second_surname";
	case YOUTH_NAME_NICKNAME: return "nickname";
	case YOUTH_NAME_TYPO: return "one_typo";
	case YOUTH_NAME_SOUND: return "sounds_alike";
	case YOUTH_NAME_MISSING_GIVEN: return "missing_given_name";
	default: return NULL;
	}
}

const char *youth_match_rank_name(int rank)
{
	static const char *const names[] = {NULL, "exact", "prefix", "near"};
	return rank >= YOUTH_MATCH_EXACT && rank <= YOUTH_MATCH_NEAR ? names[rank] : NULL;
}

/* One step of @st: *@found when it gave a row (youth__step_row's twin: record.c is a layer
 * above). */
static int step_row(youth_registry *reg, sqlite3_stmt *st, bool *found, const char *what)
{
	int s = sqlite3_step(st);
	*found = s == SQLITE_ROW;
	return s == SQLITE_ROW || s == SQLITE_DONE ? YOUTH_OK : youth__sqlite_error(reg->db, s, what);
}

/* The cached statement @sql with the @n keys of @args bound to ?1..?n, stepped once (*@found:
 * it gave a row).  *@st is NULL when no statement came; the caller resets it either way
 * (sqlite3_reset(NULL) is a no-op). */
static int row_of(youth_registry *reg, const char *sql, const int64_t *args, int n,
                  sqlite3_stmt **st, bool *found, const char *what)
{
	*st = NULL;
	*found = false;
	int rc = youth__stmt(reg, sql, st);
	for (int i = 0; rc == YOUTH_OK && i < n; i++)
		sqlite3_bind_int64(*st, i + 1, args[i]);
	return rc ? rc : step_row(reg, *st, found, what);
}

/* ---- keys ----------------------------------------------------------------------------------- */

#define FNV_START 0xcbf29ce484222325u

static uint64_t fnv(const char *s, uint64_t h)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3u;
	}
	return h;
}

/* FNV-1a's low bits mix poorly (its lowest is the parity of the bytes): a finishing mix
 * before bits are taken from it. */
static uint64_t mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdu;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53u;
	return k ^ k >> 33;
}

int64_t youth__names_pair_key(const char *a, const char *b)
{
	if (strcmp(a, b) > 0) {
		const char *t = a;
		a = b;
		b = t;
	}
	/* "\x01" joins the two: no folded word holds that byte, so "ab c" and "a bc" differ. */
	uint64_t h = mix(fnv(b, fnv("\x01", fnv(a, FNV_START))));
	return -1 - (int64_t)(h & 0x7fffffff);
}

uint32_t youth__names_word_bits(const char *w)
{
	uint64_t h = mix(fnv(w, FNV_START));
	return (uint32_t)1 << (h & 31) | (uint32_t)1 << ((h >> 8) & 31) |
	       (uint32_t)1 << ((h >> 16) & 31);
}

/* ---- the vocabulary --------------------------------------------------------------------------- */

/* Word -> id of name_token, in memory for one bulk indexing: an import of a million persons
 * looks up four million words among a few thousand; the table's B-tree answered each at a
 * cost comparable to writing a key. */
typedef struct vocab_entry {
	uint64_t hash;
	int64_t id;
	char word[YOUTH__WORD_MAX];
} vocab_entry;

typedef struct vocab {
	size_t n, cap; /* cap: a power of two, or 0 */
	vocab_entry *e;
} vocab;

static int64_t vocab_get(const vocab *v, const char *w, uint64_t h)
{
	for (size_t i = v->cap ? h & (v->cap - 1) : 0; v->cap && v->e[i].id; i = (i + 1) & (v->cap - 1))
		if (v->e[i].hash == h && !strcmp(v->e[i].word, w))
			return v->e[i].id;
	return 0;
}

static void vocab_place(vocab *v, const vocab_entry *x)
{
	size_t i = x->hash & (v->cap - 1);
	while (v->e[i].id)
		i = (i + 1) & (v->cap - 1);
	v->e[i] = *x;
	v->n++;
}

static int vocab_put(vocab *v, const char *w, uint64_t h, int64_t id)
{
	if (2 * (v->n + 1) > v->cap) {
		vocab old = *v;
		v->cap = old.cap ? 2 * old.cap : 1024;
		v->n = 0;
		v->e = youth__realloc(NULL, v->cap * sizeof *v->e);
		if (!v->e) {
			*v = old;
			return youth__oom();
		}
		memset(v->e, 0, v->cap * sizeof *v->e);
		for (size_t i = 0; i < old.cap; i++)
			if (old.e[i].id)
				vocab_place(v, &old.e[i]);
		youth__free(old.e);
	}
	vocab_entry x;
	memset(&x, 0, sizeof x);
	x.hash = h;
	x.id = id;
	snprintf(x.word, sizeof x.word, "%s", w);
	vocab_place(v, &x);
	return YOUTH_OK;
}

/* The id of @w in name_token, 0 when no person has it. */
static int token_find(youth_registry *reg, const char *w, int64_t *id)
{
	sqlite3_stmt *st;
	bool found;
	int rc = youth__stmt(reg, "SELECT id FROM name_token WHERE token = ?1", &st);
	if (rc == YOUTH_OK) {
		sqlite3_bind_text(st, 1, w, -1, SQLITE_STATIC);
		rc = step_row(reg, st, &found, "reading the name vocabulary");
		*id = rc == YOUTH_OK && found ? sqlite3_column_int64(st, 0) : 0;
		sqlite3_reset(st);
	}
	return rc;
}

/* The id of @w in name_token, adding it (and its one-deletion variants) when new (*@added);
 * @v, when given, remembers the answers. */
static int token_id(youth_registry *reg, const char *w, vocab *v, int64_t *id, bool *added)
{
	uint64_t h = fnv(w, FNV_START);
	if (v && (*id = vocab_get(v, w, h)) != 0)
		return YOUTH_OK;
	int rc = token_find(reg, w, id);
	if (rc == YOUTH_OK && *id == 0) {
		char sound[YOUTH__WORD_MAX];
		youth__name_sound(w, sound, sizeof sound);
		sqlite3_stmt *st;
		if ((rc = youth__stmt(reg, "INSERT INTO name_token (token, sound) VALUES (?1, ?2)",
		                      &st)) == YOUTH_OK) {
			sqlite3_bind_text(st, 1, w, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, sound, -1, SQLITE_STATIC);
			rc = youth__step_done(reg, st, "indexing a name");
		}
		if (rc == YOUTH_OK) {
			*id = sqlite3_last_insert_rowid(reg->db);
			*added = true;
		}
		size_t n = strlen(w);
		for (size_t i = 0; i < n && rc == YOUTH_OK && n >= 4; i++) {
			if (i && w[i] == w[i - 1])
				continue; /* same variant as the previous deletion */
			char var[YOUTH__WORD_MAX];
			memcpy(var, w, i);
			memcpy(var + i, w + i + 1, n - i);
			if ((rc = youth__stmt(reg, "INSERT OR IGNORE INTO name_token_near (variant, token) "
			                           "VALUES (?1, ?2)", &st)) == YOUTH_OK) {
				sqlite3_bind_text(st, 1, var, -1, SQLITE_STATIC);
				sqlite3_bind_text(st, 2, w, -1, SQLITE_STATIC);
				rc = youth__step_done(reg, st, "indexing a name");
			}
		}
	}
	if (rc == YOUTH_OK && v)
		rc = vocab_put(v, w, h, *id);
	return rc;
}

/* ---- keeping the index ---------------------------------------------------------------------- */

/* A person's indexing failed after adding the words @fresh to name_token: no key names them
 * yet, so no trigger takes them when the person's row is undone (person.c); they go here,
 * with their variants, unless SQLite has already rolled the transaction back.  Best effort:
 * the caller reports the first failure, and its own undo rolls the transaction back if that
 * fails. */
static void forget_new_tokens(youth_registry *reg, const int64_t *fresh, int n)
{
	static const char *const sql[] = {
		"DELETE FROM name_token_near WHERE token = (SELECT token FROM name_token WHERE id = ?1)",
		"DELETE FROM name_token WHERE id = ?1",
	};
	for (int t = 0; t < n && !sqlite3_get_autocommit(reg->db); t++)
		for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
			sqlite3_stmt *st = NULL;
			if (sqlite3_prepare_v2(reg->db, sql[i], -1, &st, NULL) == SQLITE_OK) {
				sqlite3_bind_int64(st, 1, fresh[t]);
				sqlite3_step(st);
			}
			sqlite3_finalize(st);
		}
}

/* Up to KEYS_AT_ONCE keys of one person in one statement: a person has ten or so, and one
 * statement each cost an import about twice the time of one for all (unused slots NULL).
 * OR IGNORE although key_add() leaves no duplicate to ignore: a statement of several rows
 * that may abort halfway needs a statement journal inside a transaction, a copy of every page
 * it touches (spilled to a temporary file past 64 KiB); one that cannot abort needs none, and
 * a person's add then needs no savepoint either (person.c). */
#define KEYS_AT_ONCE 16
static const char SQL_KEYS_ADD[] =
	"INSERT OR IGNORE INTO person_name (person_id, key, words) SELECT ?1, column1, ?2 FROM (VALUES "
	"(?3), (?4), (?5), (?6), (?7), (?8), (?9), (?10), (?11), (?12), (?13), (?14), (?15), "
	"(?16), (?17), (?18)) WHERE column1 IS NOT NULL";

/* Keys of one name: each word, each pair of words. */
#define KEYS_MAX (YOUTH__NAME_WORDS * (YOUTH__NAME_WORDS + 1) / 2)

static int key_add(int64_t *keys, int n, int64_t key)
{
	for (int i = 0; i < n; i++)
		if (keys[i] == key)
			return n; /* a repeated word ("Martín Martín"), or two pairs of one hash */
	keys[n] = key;
	return n + 1;
}

/* The keys of one person's name, its word bits, and the words new to name_token (added to it
 * on the way). */
typedef struct person_keys {
	int64_t key[KEYS_MAX];
	int n;
	uint32_t words;
	int64_t fresh[YOUTH__NAME_WORDS];
	int n_fresh;
} person_keys;

static int keys_of(youth_registry *reg, const char *given, const char *s1, const char *s2,
                   vocab *v, person_keys *k)
{
	youth__name nm;
	int rc = youth__name_parse(&nm, given, s1, s2);
	k->n = 0;
	k->words = 0;
	k->n_fresh = 0;
	for (int i = 0; i < nm.n && rc == YOUTH_OK; i++) {
		int64_t tid;
		k->words |= youth__names_word_bits(nm.word[i]);
		bool added = false;
		if ((rc = token_id(reg, nm.word[i], v, &tid, &added)) == YOUTH_OK)
			k->n = key_add(k->key, k->n, tid);
		if (added)
			k->fresh[k->n_fresh++] = tid;
	}
	for (int i = 0; i < nm.n; i++)
		for (int j = i + 1; j < nm.n; j++)
			k->n = key_add(k->key, k->n, youth__names_pair_key(nm.word[i], nm.word[j]));
	return rc;
}

static int index_person(youth_registry *reg, int64_t id, const char *given, const char *s1,
                        const char *s2, vocab *v)
{
	person_keys k;
	int rc = keys_of(reg, given, s1, s2, v, &k);
	for (int at = 0; at < k.n && rc == YOUTH_OK; at += KEYS_AT_ONCE) {
		sqlite3_stmt *st;
		if ((rc = youth__stmt(reg, SQL_KEYS_ADD, &st)) != YOUTH_OK)
			break;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, (int32_t)k.words); /* 4 bytes in the record, not 6 */
		for (int i = at; i < k.n && i < at + KEYS_AT_ONCE; i++)
			sqlite3_bind_int64(st, 3 + i - at, k.key[i]);
		rc = youth__step_done(reg, st, "indexing a name");
	}
	if (rc != YOUTH_OK)
		forget_new_tokens(reg, k.fresh, k.n_fresh);
	return rc;
}

/*
 * The keys of many persons (index_from()) go in ROWS_AT_ONCE rows a statement, several persons
 * each, rather than one statement a person: 11 % less time for the 894 741 keys of 100 000
 * persons (perf samples of the import's writer, 307 -> 274).  Unused rows are NULL.  No words to forget on failure
 * here: every caller runs inside a transaction that a failure rolls back whole (an import, a
 * migration, youth_name_index_rebuild()).
 */
#define ROWS_AT_ONCE 64
#define ROW3 "(?,?,?)"
#define ROWS8 ROW3 "," ROW3 "," ROW3 "," ROW3 "," ROW3 "," ROW3 "," ROW3 "," ROW3
static const char SQL_ROWS_ADD[] =
	"INSERT OR IGNORE INTO person_name (person_id, key, words) SELECT column1, column2, "
	"column3 FROM (VALUES " ROWS8 "," ROWS8 "," ROWS8 "," ROWS8 "," ROWS8 "," ROWS8 "," ROWS8
	"," ROWS8 ") WHERE column1 IS NOT NULL";

typedef struct key_rows {
	int64_t v[ROWS_AT_ONCE][3]; /* person_id, key, words */
	int n;
} key_rows;

static int rows_flush(youth_registry *reg, key_rows *b)
{
	if (!b->n)
		return YOUTH_OK;
	sqlite3_stmt *st;
	int rc = youth__stmt(reg, SQL_ROWS_ADD, &st);
	if (rc)
		return rc;
	for (int i = 0; i < ROWS_AT_ONCE; i++)
		for (int c = 0; c < 3; c++) {
			if (i < b->n)
				sqlite3_bind_int64(st, 3 * i + c + 1, b->v[i][c]);
			else
				sqlite3_bind_null(st, 3 * i + c + 1);
		}
	b->n = 0;
	return youth__step_done(reg, st, "indexing a name");
}

static int index_batched(youth_registry *reg, int64_t id, const char *given, const char *s1,
                         const char *s2, vocab *v, key_rows *b)
{
	person_keys k;
	int rc = keys_of(reg, given, s1, s2, v, &k);
	for (int i = 0; i < k.n && rc == YOUTH_OK; i++) {
		if (b->n == ROWS_AT_ONCE && (rc = rows_flush(reg, b)) != YOUTH_OK)
			break;
		b->v[b->n][0] = id;
		b->v[b->n][1] = k.key[i];
		b->v[b->n][2] = (int32_t)k.words; /* 4 bytes in the record, not 6 */
		b->n++;
	}
	return rc;
}

/*
 * An atomic insert-only import indexes its persons as they come, while its reader parses the
 * next ones: at its end it then builds the key index and nothing else, instead of reading a
 * million persons back to index them (3.6 of the 46 s of a million-person import, docs/
 * benchmarks.md, "The seventh pass").  The keys wait in @b for ROWS_AT_ONCE rows; the words
 * are remembered in @v.  Both are safe only while nothing the import writes is undone but all
 * of it and no trigger reads person_name: a rolled-back person would leave its keys in @b,
 * and a rename or merge drops the words nobody has in person_name, which may be words of keys
 * still in @b.  Hence atomic, insert-only, and settled when a section ends.
 */
struct youth__names_bulk {
	bool batch;    /* persons indexed as added (else at the end, index_bulk()) */
	bool settled;  /* batching over: later persons are indexed one by one */
	bool tried;    /* the key index's drop was considered */
	int64_t added; /* persons indexed as added */
	char *key_ddl; /* person_name_key's CREATE, while the import has it dropped */
	vocab v;
	key_rows b;
};

int64_t youth__names_as_added;

static void bulk_free(struct youth__names_bulk *nb)
{
	if (nb) {
		youth__free(nb->v.e);
		youth__free(nb->key_ddl);
		youth__free(nb);
	}
}

int youth__names_index(youth_registry *reg, int64_t id, const char *given, const char *s1,
                       const char *s2)
{
	struct youth__names_bulk *nb = reg->names_bulk;
	if (!reg->names_deferred_from || id < reg->names_deferred_from)
		return index_person(reg, id, given, s1, s2, NULL);
	if (!nb || !nb->batch)
		return YOUTH_OK; /* the import indexes it at its end */
	if (nb->settled)
		return index_person(reg, id, given, s1, s2, NULL);
	nb->added++;
	youth__names_as_added++;
	return index_batched(reg, id, given, s1, s2, &nb->v, &nb->b);
}

int youth__names_reindex(youth_registry *reg, int64_t id, const char *given, const char *s1,
                         const char *s2)
{
	static const char sql[] = "SELECT 1 FROM person_name WHERE person_id = ?1 LIMIT 1";
	sqlite3_stmt *st;
	bool found;
	int rc = row_of(reg, sql, &id, 1, &st, &found, "reading the name index");
	sqlite3_reset(st);
	if (rc == YOUTH_OK && !found)
		rc = youth__names_index(reg, id, given, s1, s2);
	return rc;
}

typedef struct index_walk {
	youth_registry *reg;
	vocab v;     /* the words met so far, to spare a look-up each */
	key_rows *b; /* the keys not written yet */
} index_walk;

static int index_row(void *ctx, sqlite3_stmt *st)
{
	index_walk *x = ctx;
	return index_batched(x->reg, sqlite3_column_int64(st, 0),
	                     (const char *)sqlite3_column_text(st, 1),
	                     (const char *)sqlite3_column_text(st, 2),
	                     (const char *)sqlite3_column_text(st, 3), &x->v, x->b);
}

/* Indexes every person from id @from on. */
static int index_from(youth_registry *reg, int64_t from)
{
	/* An erased person has no keys (docs/privacy.md, "Erasure"): its stub is not indexed. */
	static const char sql[] = "SELECT id, given_names, first_surname, second_surname "
	                          "FROM person p WHERE id >= ?1 AND NOT EXISTS (SELECT 1 FROM "
	                          "person_erased e WHERE e.uuid = p.uuid) ORDER BY id";
	index_walk x = {reg, {0}, youth__calloc(1, sizeof(key_rows))};
	int rc = x.b ? youth__query_each(reg->db, sql, "indexing names", NULL, from, index_row, &x)
	             : youth__oom();
	if (rc == YOUTH_OK)
		rc = rows_flush(reg, x.b);
	youth__free(x.b);
	youth__free(x.v.e);
	return rc;
}

int youth__names_defer_begin(youth_registry *reg, bool as_added)
{
	sqlite3_stmt *st;
	bool found;
	struct youth__names_bulk *nb = youth__calloc(1, sizeof *nb);
	if (!nb)
		return youth__oom();
	nb->batch = as_added;
	int rc = youth__stmt(reg, "SELECT coalesce(max(id), 0) + 1 FROM person", &st);
	if (rc == YOUTH_OK && (rc = step_row(reg, st, &found, "reading persons")) == YOUTH_OK)
		reg->names_deferred_from = sqlite3_column_int64(st, 0);
	if (rc == YOUTH_OK)
		sqlite3_reset(st);
	if (rc == YOUTH_OK)
		reg->names_bulk = nb;
	else
		bulk_free(nb);
	return rc;
}

/* Persons added by an import, at most this many, are indexed with the key index in place;
 * more, and the key index is dropped and built again sorted: filled in key order it costs
 * every insert a search in a B-tree far larger than the page cache (a 100 000-person import
 * took 7.6 s instead of 0.9). */
int64_t youth__names_rebuild_after = 20000;

/* Drops person_name_key, its CREATE statement kept in *@ddl to build it again (NULL: not in
 * this registry, or a statement of the caller still reads and SQLite refuses a schema
 * change: the index stays and is kept up to date, only slower). */
static int key_index_drop(youth_registry *reg, char **ddl)
{
	sqlite3_stmt *st;
	bool found;
	*ddl = NULL;
	int rc = youth__stmt(reg, "SELECT sql FROM sqlite_schema WHERE name = 'person_name_key'", &st);
	if (rc == YOUTH_OK && (rc = step_row(reg, st, &found, "reading the schema")) == YOUTH_OK &&
	    found && !(*ddl = youth__strdup((const char *)sqlite3_column_text(st, 0))))
		rc = youth__oom();
	if (rc == YOUTH_OK)
		sqlite3_reset(st);
	if (rc == YOUTH_OK && *ddl) {
		int s = sqlite3_exec(reg->db, "DROP INDEX person_name_key", NULL, NULL, NULL);
		if (s != SQLITE_OK) {
			youth__free(*ddl);
			*ddl = NULL;
			if ((s & 0xff) != SQLITE_LOCKED)
				rc = youth__sqlite_error(reg->db, s, "deferring the name index");
		}
	}
	return rc;
}

/* Its own CREATE statement, read back: schema.c stays the one home of the DDL. */
static int key_index_build(youth_registry *reg, const char *ddl)
{
	return ddl ? youth__exec(reg, ddl) : YOUTH_OK;
}

int youth__names_bulk_grown(youth_registry *reg)
{
	struct youth__names_bulk *nb = reg->names_bulk;
	if (!nb || !nb->batch || nb->settled || nb->tried || nb->added <= youth__names_rebuild_after)
		return YOUTH_OK;
	nb->tried = true;
	return key_index_drop(reg, &nb->key_ddl);
}

int youth__names_settle(youth_registry *reg)
{
	struct youth__names_bulk *nb = reg->names_bulk;
	if (!nb || !nb->batch || nb->settled || !nb->added)
		return YOUTH_OK;
	nb->settled = true;
	youth__free(nb->v.e);
	memset(&nb->v, 0, sizeof nb->v);
	return rows_flush(reg, &nb->b);
}

/* Indexes every person from id @from on, the key index dropped meanwhile and built again
 * sorted when they are more than youth__names_rebuild_after. */
static int index_bulk(youth_registry *reg, int64_t from)
{
	sqlite3_stmt *st;
	bool found;
	int rc = row_of(reg, "SELECT count(*) FROM person WHERE id >= ?1", &from, 1, &st, &found,
	                "reading persons");
	int64_t n = rc == YOUTH_OK ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc || n == 0)
		return rc;
	char *ddl = NULL;
	if (n > youth__names_rebuild_after)
		rc = key_index_drop(reg, &ddl);
	if (rc == YOUTH_OK)
		rc = index_from(reg, from);
	if (rc == YOUTH_OK)
		rc = key_index_build(reg, ddl);
	youth__free(ddl);
	return rc;
}

int youth__names_defer_end(youth_registry *reg, bool write)
{
	int64_t from = reg->names_deferred_from;
	struct youth__names_bulk *nb = reg->names_bulk;
	reg->names_deferred_from = 0;
	reg->names_bulk = NULL;
	int rc = YOUTH_OK;
	if (nb && nb->batch) {
		/* not written (a failure, a dry run): the rollback that follows restores the index */
		if (write && (rc = rows_flush(reg, &nb->b)) == YOUTH_OK)
			rc = key_index_build(reg, nb->key_ddl);
	} else if (from && write) {
		rc = index_bulk(reg, from);
	}
	bulk_free(nb);
	return rc;
}

/* A migrated registry, a rebuild: all persons at once, as a large import's are. */
int youth__names_fill(youth_registry *reg)
{
	return index_bulk(reg, 0);
}

int youth_name_index_rebuild(int64_t *persons, youth_registry *reg)
{
	if (persons)
		*persons = 0;
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_name_index_rebuild: NULL registry");
	youth__write w;
	int rc = youth__write_begin(&w, reg, "rebuild the name index");
	if (rc)
		return rc;
	rc = youth__exec(reg, "DELETE FROM person_name; DELETE FROM name_token;"
	                      " DELETE FROM name_token_near");
	if (rc == YOUTH_OK)
		rc = youth__names_fill(reg);
	int64_t n = 0;
	sqlite3_stmt *st;
	if (rc == YOUTH_OK && (rc = youth__stmt(reg, "SELECT count(*) FROM person", &st)) == YOUTH_OK) {
		bool found;
		rc = step_row(reg, st, &found, "counting persons");
		n = rc == YOUTH_OK ? sqlite3_column_int64(st, 0) : 0;
		sqlite3_reset(st);
	}
	rc = youth__write_end(&w, rc);
	if (rc == YOUTH_OK && persons)
		*persons = n;
	return rc;
}

/* ---- searching ------------------------------------------------------------------------------ */

#define FIND_DEFAULT 20
#define FIND_MAX 1000
/* A word's expansion beyond this many vocabulary words is cut short (and the word is then
 * no driver of the search unless every word is). */
#define SET_MAX 64
/* Postings counted, at most, to tell a short list from a long one. */
#define COUNT_CAP 400
/* Postings counted, at most, of a pair of words when every single word is long: the pair with
 * the shortest list drives the search (ten times fewer candidates than the next pair is the
 * usual gain on a million persons). */
#define PAIR_COUNT_CAP 20000
/* Pairs of expansions tried as a driver, at most (|E_i| x |E_j|). */
#define PAIR_MAX 64

/* The words a search word stands for in one rank class, with their vocabulary ids: only words
 * some person has. */
typedef struct word_set {
	youth_registry *reg;
	youth__buf words; /* NUL-separated */
	int64_t id[SET_MAX];
	int n;
	bool truncated;
	const char *without; /* a word left out (the searched word itself), or NULL */
} word_set;

/* Adds @w of vocabulary id @id (0: look it up) to @s. */
static int set_put(word_set *s, const char *w, int64_t id)
{
	if (s->without && !strcmp(w, s->without))
		return 0;
	for (size_t off = 0; off < s->words.len; off += strlen(s->words.data + off) + 1)
		if (!strcmp(s->words.data + off, w))
			return 0;
	if (s->n >= SET_MAX) {
		s->truncated = true;
		return 0;
	}
	int rc = id ? YOUTH_OK : token_find(s->reg, w, &id);
	if (rc || id == 0)
		return rc; /* nobody has the word: nothing to look for */
	s->id[s->n++] = id;
	return youth__buf_put(&s->words, w, strlen(w) + 1) ? YOUTH_ENOMEM : 0;
}

static int set_add(void *ctx, const char *w)
{
	return set_put(ctx, w, 0);
}

/* Adds to @s the words (column 0) and ids (column 1) of the statement @sql whose ?1 is @a
 * (and ?2 @b when given); with @check, only the words one edit from it. */
static int set_query(youth_registry *reg, word_set *s, const char *sql, const char *a,
                     const char *b, const char *check)
{
	sqlite3_stmt *st;
	int rc = youth__stmt(reg, sql, &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	if (b)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	int r;
	while (rc == YOUTH_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *w = (const char *)sqlite3_column_text(st, 0);
		if (!check || youth__name_distance(check, w, 1) <= 1)
			rc = set_put(s, w, sqlite3_column_int64(st, 1));
	}
	if (rc == YOUTH_OK && r != SQLITE_DONE)
		rc = youth__sqlite_error(reg->db, r, "searching names");
	sqlite3_reset(st);
	return rc;
}

/* The words search word @q stands for in rank class @rank. */
static int expand(youth_registry *reg, const char *q, int rank, word_set *s)
{
	static const char by_prefix[] = "SELECT token, id FROM name_token WHERE token > ?1 AND "
	                                "token < ?2 ORDER BY token LIMIT 65";
	static const char by_sound[] = "SELECT token, id FROM name_token WHERE sound = ?1 "
	                               "ORDER BY token";
	static const char by_near[] = "SELECT n.token, t.id FROM name_token_near n JOIN name_token "
	                              "t ON t.token = n.token WHERE n.variant = ?1";
	static const char by_token[] = "SELECT token, id FROM name_token WHERE token = ?1";
	s->reg = reg;
	int rc = set_add(s, q);
	if (rc || rank == YOUTH_MATCH_EXACT)
		return rc;
	char hi[YOUTH__WORD_MAX + 4];
	snprintf(hi, sizeof hi, "%s\xf4\x8f\xbf\xbf", q); /* after every word beginning with q */
	if ((rc = set_query(reg, s, by_prefix, q, hi, NULL)) || rank == YOUTH_MATCH_PREFIX)
		return rc;
	size_t n = strlen(q);
	if (n >= 3) {
		char sound[YOUTH__WORD_MAX];
		youth__name_sound(q, sound, sizeof sound);
		rc = set_query(reg, s, by_sound, sound, NULL, NULL);
	}
	if (rc == YOUTH_OK)
		rc = youth__name_nicknames(q, set_add, s);
	/* One typo: words with q as one deletion, sharing a deletion with q, or q minus one. */
	if (rc == YOUTH_OK && n >= 4)
		rc = set_query(reg, s, by_near, q, NULL, q);
	for (size_t i = 0; rc == YOUTH_OK && n >= 5 && i < n; i++) {
		if (i && q[i] == q[i - 1])
			continue;
		char v[YOUTH__WORD_MAX];
		memcpy(v, q, i);
		memcpy(v + i, q + i + 1, n - i);
		rc = set_query(reg, s, by_near, v, NULL, q);
		if (rc == YOUTH_OK)
			rc = set_query(reg, s, by_token, v, NULL, NULL);
	}
	return rc;
}

/* Postings of @key, counted up to @cap. */
static int count_key(youth_registry *reg, int64_t key, int cap, int *out)
{
	static const char sql[] =
		"SELECT count(*) FROM (SELECT 1 FROM person_name WHERE key = ?1 LIMIT ?2)";
	sqlite3_stmt *st;
	bool found;
	const int64_t args[] = {key, cap};
	int rc = row_of(reg, sql, args, 2, &st, &found, "searching names");
	*out = rc == YOUTH_OK ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	return rc;
}

/* The keys whose postings the search reads, and their estimated total. */
typedef struct driver {
	int64_t key[SET_MAX > PAIR_MAX ? SET_MAX : PAIR_MAX];
	int n;
	int estimate; /* cap + 1: long */
} driver;

/* Adds @key to @d, counting its postings while the total stays within @cap (then the total
 * is "long": @cap + 1, and the remaining keys are added uncounted). */
static int driver_add(youth_registry *reg, driver *d, int64_t key, int cap)
{
	int c = 0, rc = d->estimate <= cap ? count_key(reg, key, cap - d->estimate + 1, &c) : 0;
	if (rc == YOUTH_OK && c == 0 && d->estimate <= cap)
		return YOUTH_OK; /* nobody has it: nothing to read */
	d->estimate += c;
	if (d->estimate > cap)
		d->estimate = cap + 1;
	d->key[d->n++] = key;
	return rc;
}

/* The cheapest list of keys whose postings hold every person the search may match in this
 * class: the expansion of one word, or of one pair of words. */
static int choose_driver(youth_registry *reg, const youth__name *q, word_set *sets, driver *best)
{
	int rc = YOUTH_OK;
	bool have = false;
	for (int pass = 0; pass < 2 && rc == YOUTH_OK; pass++) {
		for (int i = 0; i < q->n && rc == YOUTH_OK; i++) {
			if (sets[i].truncated && pass == 0)
				continue;
			driver d;
			d.n = d.estimate = 0;
			for (int k = 0; k < sets[i].n && rc == YOUTH_OK; k++)
				rc = driver_add(reg, &d, sets[i].id[k], COUNT_CAP);
			if (rc == YOUTH_OK && (!have || d.estimate < best->estimate)) {
				*best = d;
				have = true;
			}
		}
		if (have)
			break; /* the second pass only when every word was cut short */
	}
	/* Two words: the persons who have both are listed under their pair. */
	int best_pair = -1;
	bool long_single = best->estimate > COUNT_CAP;
	for (int i = 0; i < q->n && rc == YOUTH_OK && long_single; i++)
		for (int j = i + 1; j < q->n && rc == YOUTH_OK; j++) {
			if (sets[i].truncated || sets[j].truncated || sets[i].n * sets[j].n > PAIR_MAX)
				continue;
			/* Counted only while it may still beat the best so far. */
			driver d;
			d.n = d.estimate = 0;
			int cap = best_pair < 0 ? PAIR_COUNT_CAP : best_pair - 1;
			size_t a = 0;
			for (int x = 0; x < sets[i].n && rc == YOUTH_OK && d.estimate <= cap; x++) {
				size_t b = 0;
				for (int y = 0; y < sets[j].n && rc == YOUTH_OK && d.estimate <= cap; y++) {
					rc = driver_add(reg, &d, youth__names_pair_key(sets[i].words.data + a,
					                                               sets[j].words.data + b),
					                cap);
					b += strlen(sets[j].words.data + b) + 1;
				}
				a += strlen(sets[i].words.data + a) + 1;
			}
			if (rc == YOUTH_OK && d.estimate <= cap &&
			    (best_pair < 0 || d.estimate < best_pair)) {
				best_pair = d.estimate;
				*best = d;
			}
		}
	return rc;
}

struct youth_person_matches {
	size_t n, cap;
	youth_person_match *m;
	youth__buf names; /* the names, NUL-separated; m[i].name holds an offset until done */
};

static bool already(const youth_person_matches *r, int64_t id)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->m[i].id == id)
			return true;
	return false;
}

/* Reads person @id and adds it to @r when every search word relates to its name as class
 * @rank allows. */
static int consider(youth_registry *reg, const youth__name *q, int rank, int64_t id,
                    youth_person_matches *r)
{
	static const char sql[] = "SELECT given_names, first_surname, second_surname, uuid "
	                          "FROM person WHERE id = ?1";
	sqlite3_stmt *st;
	bool found;
	int rc = row_of(reg, sql, &id, 1, &st, &found, "searching names");
	if (rc || !found)
		return rc; /* a stale key: the person is gone (youth_name_index_rebuild mends it) */
	const char *g = (const char *)sqlite3_column_text(st, 0);
	const char *s1 = (const char *)sqlite3_column_text(st, 1);
	const char *s2 = (const char *)sqlite3_column_text(st, 2);
	youth__name nm;
	if ((rc = youth__name_parse(&nm, g, s1, s2))) {
		sqlite3_reset(st);
		return rc;
	}
	/* exact: every word exact; prefix: every word exact or a prefix; near: one word sounds
	 * alike, is one typo off or a nickname (or a prefix), the others exact.  Plain compares
	 * first: most candidates are settled by them, and the dear relations (sound keys, edit
	 * distance, nicknames) are worked out for one word at most. */
	bool ok = true;
	int off = 0;
	for (int i = 0; i < q->n && ok; i++) {
		bool same = false, prefix = false;
		size_t len = strlen(q->word[i]);
		for (int j = 0; j < nm.n && !same; j++) {
			same = !strcmp(q->word[i], nm.word[j]);
			prefix = prefix || !strncmp(q->word[i], nm.word[j], len);
		}
		if (same)
			continue;
		if (rank == YOUTH_MATCH_PREFIX) {
			ok = prefix;
		} else if (rank == YOUTH_MATCH_NEAR && ++off <= 1) {
			int at;
			ok = best_word(q->word[i], &nm, YOUTH__NW_ANY, true, &at) != YOUTH__REL_NONE;
		} else {
			ok = false;
		}
	}
	if (ok && r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;
		youth_person_match *m = youth__realloc(r->m, cap * sizeof *m);
		if (!m)
			rc = youth__oom();
		else {
			r->m = m;
			r->cap = cap;
		}
	}
	if (ok && rc == YOUTH_OK) {
		youth_person_match *m = &r->m[r->n];
		memset(m, 0, sizeof *m);
		m->id = id;
		m->rank = rank;
		m->score = youth__name_compare(q, &nm, &m->reasons);
		snprintf(m->uuid, sizeof m->uuid, "%s", (const char *)sqlite3_column_text(st, 3));
		m->name = (const char *)(uintptr_t)r->names.len;
		rc = youth__buf_printf(&r->names, "%s %s%s%s", g, s1, s2 ? " " : "", s2 ? s2 : "");
		if (rc == YOUTH_OK)
			rc = youth__buf_put(&r->names, "", 1);
		if (rc == YOUTH_OK)
			r->n++;
	}
	sqlite3_reset(st);
	return rc;
}

/* What a posting's word bits must show: for each search word whose expansion is complete,
 * the bits of one of its words (a person matching in the class has one of them).  A person
 * without is passed over without being read; most candidates of a long list are. */
typedef struct bits_filter {
	int n;                  /* search words */
	int count[YOUTH__NAME_WORDS]; /* -1: expansion cut short, anything goes */
	uint32_t bits[YOUTH__NAME_WORDS][SET_MAX];
} bits_filter;

static void filter_init(bits_filter *f, const youth__name *q, const word_set *sets)
{
	f->n = q->n;
	for (int i = 0; i < q->n; i++) {
		f->count[i] = sets[i].truncated ? -1 : sets[i].n;
		size_t o = 0;
		for (int k = 0; k < sets[i].n && !sets[i].truncated; k++) {
			f->bits[i][k] = youth__names_word_bits(sets[i].words.data + o);
			o += strlen(sets[i].words.data + o) + 1;
		}
	}
}

static bool filter_pass(const bits_filter *f, uint32_t words)
{
	for (int i = 0; i < f->n; i++) {
		bool any = f->count[i] < 0;
		for (int k = 0; k < f->count[i] && !any; k++)
			any = (words & f->bits[i][k]) == f->bits[i][k];
		if (!any)
			return false;
	}
	return true;
}

/* Reads the postings of the driver's keys merged in person id order (each list is in id
 * order already), considering each person whose word bits pass @f once, until @limit
 * results. */
static int walk(youth_registry *reg, const youth__name *q, int rank, const bits_filter *f,
                const driver *d, size_t limit, youth_person_matches *r)
{
	static const char sql[] = "SELECT person_id, words FROM person_name WHERE key = ?1 "
	                          "ORDER BY person_id";
	int k = d->n, rc = YOUTH_OK;
	if (k == 0)
		return YOUTH_OK;
	sqlite3_stmt *st[SET_MAX > PAIR_MAX ? SET_MAX : PAIR_MAX];
	int64_t at[SET_MAX > PAIR_MAX ? SET_MAX : PAIR_MAX];
	uint32_t words = 0;
	for (int i = 0; i < k; i++) {
		st[i] = NULL;
		at[i] = INT64_MAX;
		int s = rc ? SQLITE_OK : sqlite3_prepare_v2(reg->db, sql, -1, &st[i], NULL);
		if (s != SQLITE_OK) {
			rc = youth__sqlite_error(reg->db, s, "searching names");
			continue;
		}
		if (rc)
			continue;
		sqlite3_bind_int64(st[i], 1, d->key[i]);
		s = sqlite3_step(st[i]);
		if (s == SQLITE_ROW)
			at[i] = sqlite3_column_int64(st[i], 0);
		else if (s != SQLITE_DONE)
			rc = youth__sqlite_error(reg->db, s, "searching names");
	}
	while (rc == YOUTH_OK && r->n < limit) {
		int64_t min = INT64_MAX;
		for (int i = 0; i < k; i++)
			if (at[i] < min) {
				min = at[i];
				words = (uint32_t)sqlite3_column_int64(st[i], 1);
			}
		if (min == INT64_MAX)
			break;
		if (filter_pass(f, words) && !already(r, min))
			rc = consider(reg, q, rank, min, r);
		for (int i = 0; i < k && rc == YOUTH_OK; i++) {
			while (at[i] == min) {
				int s = sqlite3_step(st[i]);
				if (s == SQLITE_ROW) {
					at[i] = sqlite3_column_int64(st[i], 0);
				} else {
					at[i] = INT64_MAX;
					if (s != SQLITE_DONE)
						rc = youth__sqlite_error(reg->db, s, "searching names");
				}
			}
		}
	}
	for (int i = 0; i < k; i++)
		sqlite3_finalize(st[i]);
	return rc;
}

static int by_id(const void *a, const void *b)
{
	return YOUTH__CMP(((const youth_person_match *)a)->id, ((const youth_person_match *)b)->id);
}

int youth_person_find(youth_person_matches **out, youth_registry *reg, const char *text,
                      size_t limit)
{
	if (out)
		*out = NULL;
	if (!out || !reg || !text)
		return youth__error(YOUTH_EINVAL, NULL, "youth_person_find: NULL argument");
	if (limit > FIND_MAX)
		return youth__error(YOUTH_EINVAL, "limit", "limit %zu: at most %d results", limit,
		                    FIND_MAX);
	if (limit == 0)
		limit = FIND_DEFAULT;
	youth__name q;
	memset(&q, 0, sizeof q);
	int rc = youth__name_add(&q, text, YOUTH__NW_ANY);
	if (rc)
		return youth__error(YOUTH_EINVAL, "name", "search \"%.40s\": not valid UTF-8 text", text);
	if (q.n == 0)
		return youth__error(YOUTH_EINVAL, "name", "search \"%.40s\": no name in it", text);
	youth_person_matches *r = youth__realloc(NULL, sizeof *r);
	if (!r)
		return youth__oom();
	memset(r, 0, sizeof *r);
	for (int rank = YOUTH_MATCH_EXACT; rank <= YOUTH_MATCH_NEAR && rc == YOUTH_OK &&
	                                   r->n < limit; rank++) {
		/* The prefix and near classes are searched once per word (that word a prefix, or
		 * near with the others exact), each search giving its lowest ids; then merged in id
		 * order. */
		size_t before = r->n, want = limit - r->n;
		int passes = rank == YOUTH_MATCH_EXACT ? 1 : q.n;
		for (int pass = 0; pass < passes && rc == YOUTH_OK; pass++) {
			word_set sets[YOUTH__NAME_WORDS];
			memset(sets, 0, sizeof sets);
			/* Pass i of the prefix and near classes: word i is not itself (a person with
			 * every word as searched is in the exact class already), so its few variants,
			 * not the many persons of the word, pick the persons to read. */
			if (rank != YOUTH_MATCH_EXACT)
				sets[pass].without = q.word[pass];
			for (int i = 0; i < q.n && rc == YOUTH_OK; i++)
				rc = expand(reg, q.word[i], rank == YOUTH_MATCH_NEAR && i != pass
				                                ? YOUTH_MATCH_EXACT : rank, &sets[i]);
			driver d;
			d.n = d.estimate = 0;
			if (rc == YOUTH_OK)
				rc = choose_driver(reg, &q, sets, &d);
			bits_filter f;
			filter_init(&f, &q, sets);
			if (rc == YOUTH_OK)
				rc = walk(reg, &q, rank, &f, &d, r->n + want, r);
			for (int i = 0; i < q.n; i++)
				youth__buf_free(&sets[i].words);
		}
		/* (never qsort(NULL, 0): undefined, and the sanitizers say so) */
		if (rc == YOUTH_OK && r->n - before > 1)
			qsort(r->m + before, r->n - before, sizeof *r->m, by_id);
		if (rc == YOUTH_OK && r->n - before > want)
			r->n = before + want; /* their names stay in r->names, unused */
	}
	if (rc) {
		youth_person_matches_free(r);
		return rc;
	}
	for (size_t i = 0; i < r->n; i++)
		r->m[i].name = r->names.data + (uintptr_t)r->m[i].name;
	*out = r;
	return YOUTH_OK;
}

YOUTH__LIST_API(youth_person_matches, youth_person_match, m, names)
