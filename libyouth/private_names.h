/*
 * Name machinery (names.c): folding a Spanish name into comparable words, the sound key, the
 * nickname table, the similarity of two names with its reasons, and the name index of the
 * registry (tables person_name, name_token, name_token_near of schema.c).  docs/duplicates.md
 * explains all of it for a reader who is not a programmer.
 *
 * The duplicate finder builds on this: youth__name_parse() gives the words of a person's name
 * by role (given / first surname / second surname), youth__name_sound() a blocking key that
 * survives b/v, s/z/c, ll/y and a silent h, youth__name_compare() a score with reasons.
 */
#ifndef YOUTH_PRIVATE_NAMES_H
#define YOUTH_PRIVATE_NAMES_H

#include "private.h"

/* Role of a word of a name. */
enum {
	YOUTH__NW_ANY = 0,   /* a word of a search: role unknown */
	YOUTH__NW_GIVEN = 1,
	YOUTH__NW_SURNAME1 = 2,
	YOUTH__NW_SURNAME2 = 3,
};

#define YOUTH__NAME_WORDS 16     /* words kept per name; more are dropped */
#define YOUTH__WORD_MAX 48       /* bytes of one folded word, NUL included */

/* A name as folded words without particles, in order: given words, then first surname, then
 * second surname (or, for a search, the words as typed). */
typedef struct youth__name {
	int n;
	char word[YOUTH__NAME_WORDS][YOUTH__WORD_MAX];
	unsigned char role[YOUTH__NAME_WORDS];
} youth__name;

/* Appends the words of @text (folded, particles dropped) with @role to @name.  NULL or ""
 * adds nothing.  YOUTH_EINVAL for text that is not UTF-8. */
int youth__name_add(youth__name *name, const char *text, int role);
/* A person's name: youth__name_add() of the three fields with their roles. */
int youth__name_parse(youth__name *name, const char *given, const char *first_surname,
                      const char *second_surname);

/* The sound key of one folded word (see docs/duplicates.md, "Sound key"), NUL-terminated in
 * @out of @cap bytes (truncated to fit). */
void youth__name_sound(const char *word, char *out, size_t cap);

/* The restricted Damerau-Levenshtein distance of @a and @b (insert, delete, substitute, swap
 * two neighbours), or @max + 1 as soon as it exceeds @max. */
int youth__name_distance(const char *a, const char *b, int max);

/* The nickname table: calls @fn(ctx, other) for each word @word is a nickname of or has as a
 * nickname ("chepe" -> "jose"; "jose" -> "chepe", "pepe").  Returns the first non-zero @fn
 * result. */
int youth__name_nicknames(const char *word, int (*fn)(void *ctx, const char *other), void *ctx);

/* How two words relate, best first; the score a relation earns and its reason bit. */
typedef enum youth__word_rel {
	YOUTH__REL_NONE = 0,
	YOUTH__REL_EXACT,
	YOUTH__REL_PREFIX,   /* the first is a prefix (>= 1 letter) of the second */
	YOUTH__REL_NICKNAME,
	YOUTH__REL_SOUND,
	YOUTH__REL_TYPO,
} youth__word_rel;
/* The relation of search word @q to name word @w; @prefix allows YOUTH__REL_PREFIX. */
youth__word_rel youth__word_relate(const char *q, const char *w, bool prefix);

/* The similarity of two names: a score 0-100 and YOUTH_NAME_* reason bits (person.h).  When
 * @a is a search (roles YOUTH__NW_ANY) each of its words is matched with the best word of @b,
 * word prefixes allowed; otherwise given names are compared with given names and surnames
 * with surnames, in order or swapped. */
int youth__name_compare(const youth__name *a, const youth__name *b, unsigned *reasons);

/* ---- the index (kept by person.c's one write path, rebuilt by youth_name_index_rebuild) -- */

/* Adds the index rows of person @id named by the three fields. */
int youth__names_index(youth_registry *reg, int64_t id, const char *given, const char *s1,
                       const char *s2);
/* After an update of person @id: the schema's trigger dropped the rows when a name field
 * changed; this adds them back (and does nothing when they are still there). */
int youth__names_reindex(youth_registry *reg, int64_t id, const char *given, const char *s1,
                         const char *s2);
/* An import defers the index of the persons it adds (youth_registry.names_deferred_from).
 * begin notes where they start.  With @as_added (an atomic insert-only import: nothing it
 * writes is undone but all of it) each person is indexed as it is added, its keys written
 * in batches of many persons, and youth__names_bulk_grown() drops the key index once they
 * are many; otherwise (keep-going, upsert, dry run) end indexes them all at once, dropping
 * the key index meanwhile when they are many.  settle writes the batched keys out and ends
 * the batching (an import calls it when a section ends: later sections may rename or merge
 * persons, whose triggers read person_name).  end (before the import commits) writes what is
 * left and builds the key index again when it was dropped; it also ends the deferral. */
int youth__names_defer_begin(youth_registry *reg, bool as_added);
int youth__names_bulk_grown(youth_registry *reg);
int youth__names_settle(youth_registry *reg);
int youth__names_defer_end(youth_registry *reg, bool write);
/* More persons than this at the end of an import: the key index is built again (tests set
 * it lower). */
extern int64_t youth__names_rebuild_after;
/* Persons an import indexed as it added them, since the program started (tests count it). */
extern int64_t youth__names_as_added;
/* The person_name key of the pair of words @a and @b (either order): a hash, always negative
 * (a single word's key is its name_token id, positive). */
int64_t youth__names_pair_key(const char *a, const char *b);
/* The bits (three, or fewer when they coincide) word @w sets in person_name.words, the
 * signature of a person's words. */
uint32_t youth__names_word_bits(const char *w);
/* Fills the index from the person table (empty index expected); run by migration 5. */
int youth__names_fill(youth_registry *reg);

#endif
