/**
 * @file youth/counselling.h
 * @brief Career counselling and life skills: sessions and their rosters.
 *
 * A counselling session is one meeting of a counsellor with one youth (mode `individual`) or
 * with a group (mode `group`): career guidance, a life-skills module, job-search coaching or
 * a referral.  Its roster lists the persons invited and whether each attended.
 *
 * Session states:
 *
 *     add --> open --> closed
 *
 * `closed` is final.  A session is created `open`; its roster may be filled and changed while
 * it is open.  Closing it (youth_counselling_session_close()) checks the roster size rule
 * (an individual session has exactly 1 participant, a group session 2-60) and freezes the
 * roster: a closed session refuses every roster change with #YOUTH_ESTATE.  Only closed
 * sessions count for the programme's indicator (youth_counselling_count_persons()).  An invalid
 * transition is #YOUTH_ESTATE naming the current state, the requested one and the allowed
 * ones, and writes nothing.  Conventions as in youth/exchange.h.
 */
#ifndef YOUTH_COUNSELLING_H
#define YOUTH_COUNSELLING_H

#include "registry.h"
#include "rules.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Kinds of session. */
typedef enum youth_counselling_kind {
	YOUTH_COUNSELLING_KIND_UNSET = 0,
	YOUTH_COUNSELLING_CAREER_GUIDANCE = 1, /**< "career_guidance": orientation, job profile. */
	YOUTH_COUNSELLING_LIFE_SKILLS = 2,     /**< "life_skills": a module of the life-skills course. */
	YOUTH_COUNSELLING_JOB_SEARCH = 3,      /**< "job_search": CV, interviews, job offers. */
	YOUTH_COUNSELLING_REFERRAL = 4         /**< "referral": to another service or institution. */
} youth_counselling_kind;

/** Modes of session. */
typedef enum youth_counselling_mode {
	YOUTH_COUNSELLING_MODE_UNSET = 0,
	YOUTH_COUNSELLING_INDIVIDUAL = 1, /**< "individual": exactly one participant. */
	YOUTH_COUNSELLING_GROUP = 2       /**< "group": 2-60 participants. */
} youth_counselling_mode;

/** Session states. */
typedef enum youth_counselling_state {
	YOUTH_COUNSELLING_STATE_UNSET = 0,
	YOUTH_COUNSELLING_OPEN = 1,  /**< "open": the roster may change. */
	YOUTH_COUNSELLING_CLOSED = 2 /**< "closed": final; the roster is frozen and counted. */
} youth_counselling_state;

/** Smallest roster of a group session (checked when closing). */
#define YOUTH_COUNSELLING_GROUP_MIN 2
/** Largest roster of a group session (checked when adding a participant and when closing). */
#define YOUTH_COUNSELLING_GROUP_MAX 60

/** A counselling session. */
typedef struct youth_counselling_session {
	int64_t id;                    /**< Set by add. */
	char uuid[YOUTH_UUID_LEN + 1]; /**< Generated when empty. */
	int64_t operator_id;  /**< Required: the counsellor, an active operator whose role is
	                           counsellor or coordinator. */
	int64_t exchange_id;  /**< Read-only: the operator's exchange, stored at add. */
	const char *date;     /**< Required `YYYY-MM-DD`, not in the future. */
	int kind;             /**< Required #youth_counselling_kind. */
	int mode;             /**< Required #youth_counselling_mode. */
	int duration_minutes; /**< Required, 1-600. */
	const char *topic;    /**< Optional, 1-120 bytes: subject or life-skills module name. */
	const char *outcome;  /**< Optional, 1-500 bytes: what came out of it. */
	const char *place;    /**< Optional gazetteer place; read back as its full path. */
	int state;            /**< Read-only #youth_counselling_state. */
	const char *closed_date; /**< Read-only: when the session was closed, or NULL. */
	int participants;     /**< Read-only: number of persons on the roster. */
} youth_counselling_session;

/** One person on the roster of a session. */
typedef struct youth_counselling_participant {
	int64_t id;                    /**< Set by add; never reused (see docs/counselling.md). */
	char uuid[YOUTH_UUID_LEN + 1]; /**< Generated when empty. */
	int64_t session_id;            /**< Required. */
	int64_t person_id;             /**< Required: a registered person. */
	int attended;                  /**< 1 attended, 0 invited but absent. */
	const char *note;              /**< Optional, 1-500 bytes. */
} youth_counselling_participant;

/** An iterator over sessions (opaque). */
typedef struct youth_counselling_session_iter youth_counselling_session_iter;
/** An iterator over roster rows (opaque). */
typedef struct youth_counselling_participant_iter youth_counselling_participant_iter;

/** Zeroes @p s. */
YOUTH_EXTERN(void) youth_counselling_session_init(youth_counselling_session *s);
/**
 * Validates and stores a session in state `open`; sets `id`, `uuid` (if empty),
 * `exchange_id` (the operator's), `state`, `closed_date` (NULL) and `participants` (0).
 * @return #YOUTH_OK; #YOUTH_EINVAL (a field breaks its rule, NULL argument);
 *         #YOUTH_ENOTFOUND (operator, place); #YOUTH_ERULE (operator inactive, or not a
 *         counsellor or coordinator); #YOUTH_EEXISTS (uuid).
 */
YOUTH_EXTERN(int) youth_counselling_session_add(youth_registry *reg,
                                                youth_counselling_session *s);
/**
 * Replaces the date, kind, mode, duration, topic, outcome and place of open session `s->id`
 * (the operator, uuid and read-only fields are kept).  Changing the mode to individual with
 * more than one person on the roster is #YOUTH_ERULE.
 * @return #YOUTH_OK; #YOUTH_EINVAL; #YOUTH_ENOTFOUND (session, place); #YOUTH_ESTATE (closed);
 *         #YOUTH_ERULE (roster too large for the new mode).
 */
YOUTH_EXTERN(int) youth_counselling_session_update(youth_registry *reg,
                                                   const youth_counselling_session *s);
/**
 * Moves session @p id to @p state on @p date.  The only transition is open -> closed, which
 * needs the roster size rule (individual: exactly 1; group: 2-60 participants).
 * @param date real date, not in the future, not before the session's date.
 * @return #YOUTH_OK; #YOUTH_ESTATE (transition not allowed: the message lists the allowed
 *         ones); #YOUTH_ERULE (roster size); #YOUTH_EINVAL (bad id, state or date);
 *         #YOUTH_ENOTFOUND (session).
 */
YOUTH_EXTERN(int) youth_counselling_session_set_state(youth_registry *reg, int64_t id, int state,
                                                      const char *date);
/**
 * Closes session @p id on @p date: youth_counselling_session_set_state() to closed.
 * @return as youth_counselling_session_set_state(): #YOUTH_ESTATE when already closed,
 *         #YOUTH_ERULE when the roster breaks the size rule.
 */
YOUTH_EXTERN(int) youth_counselling_session_close(youth_registry *reg, int64_t id,
                                                  const char *date);
/** Reads a session by id; free with youth_counselling_session_free().  #YOUTH_ENOTFOUND. */
YOUTH_EXTERN(int) youth_counselling_session_get(youth_counselling_session **out,
                                                youth_registry *reg, int64_t id);
/** Frees a record returned by a get.  NULL-safe. */
YOUTH_EXTERN(void) youth_counselling_session_free(youth_counselling_session *s);
/**
 * Iterates over sessions in date order (then id): all of them when @p person_id is 0, else
 * the sessions whose roster holds that person.  #YOUTH_EINVAL for a negative id.
 */
YOUTH_EXTERN(int) youth_counselling_session_iter_new(youth_counselling_session_iter **out,
                                                     youth_registry *reg, int64_t person_id);
/** Next session (owned by the iterator) or #YOUTH_ITEROVER (latched). */
YOUTH_EXTERN(int) youth_counselling_session_next(const youth_counselling_session **out,
                                                 youth_counselling_session_iter *it);
/** Frees the iterator.  NULL-safe. */
YOUTH_EXTERN(void) youth_counselling_session_iter_free(youth_counselling_session_iter *it);
/** Sets a field from text by name (read-only fields are refused). */
YOUTH_EXTERN(int) youth_counselling_session_set_field(youth_counselling_session *s,
                                                      const char *field, const char *text);
/** Gets a field as text by name. */
YOUTH_EXTERN(int) youth_counselling_session_get_field(const char **out,
                                                      const youth_counselling_session *s,
                                                      const char *field, char *buf, size_t size);
/** Field names in canonical order, then NULL. */
YOUTH_EXTERN(const char *) youth_counselling_session_field_name(size_t index);
/** "career_guidance", "life_skills", "job_search", "referral", or NULL. */
YOUTH_EXTERN(const char *) youth_counselling_kind_name(int kind);
/** "individual", "group", or NULL. */
YOUTH_EXTERN(const char *) youth_counselling_mode_name(int mode);
/** "open", "closed", or NULL. */
YOUTH_EXTERN(const char *) youth_counselling_state_name(int state);

/** Zeroes @p p and sets `attended` to 1. */
YOUTH_EXTERN(void) youth_counselling_participant_init(youth_counselling_participant *p);
/**
 * Adds person `p->person_id` to the roster of open session `p->session_id`; sets `id` and
 * `uuid` (if empty).
 *
 * Checks the eligibility rules of programme "counselling" at the session's date; a violation
 * is #YOUTH_ERULE unless @p override is given, in which case the override is recorded for
 * service "counselling_participant" with the roster row's id.
 * @return #YOUTH_OK; #YOUTH_EINVAL (bad field, attended not 0/1, NULL argument);
 *         #YOUTH_ENOTFOUND (session, person); #YOUTH_ESTATE (session closed);
 *         #YOUTH_EEXISTS (the person is already on the roster; uuid);
 *         #YOUTH_ERULE (an individual session already has its participant, a group session
 *         has 60; not eligible).
 */
YOUTH_EXTERN(int) youth_counselling_add_participant(youth_registry *reg,
                                                    youth_counselling_participant *p,
                                                    const youth_override *override);
/**
 * Takes @p person_id off the roster of open session @p session_id.  Overrides recorded for
 * the roster row stay in the audit trail.
 * @return #YOUTH_OK; #YOUTH_EINVAL (ids); #YOUTH_ENOTFOUND (session, or the person is not on
 *         its roster); #YOUTH_ESTATE (session closed).
 */
YOUTH_EXTERN(int) youth_counselling_remove_participant(youth_registry *reg, int64_t session_id,
                                                       int64_t person_id);
/**
 * Records whether @p person_id attended open session @p session_id (@p attended 0 or 1) and
 * replaces the note (NULL clears it).
 * @return as youth_counselling_remove_participant(), and #YOUTH_EINVAL for a bad value.
 */
YOUTH_EXTERN(int) youth_counselling_set_attended(youth_registry *reg, int64_t session_id,
                                                 int64_t person_id, int attended,
                                                 const char *note);
/** Reads a roster row by id; free with youth_counselling_participant_free().
 *  #YOUTH_ENOTFOUND if none (e.g. removed); #YOUTH_EINVAL for NULL arguments. */
YOUTH_EXTERN(int) youth_counselling_participant_get(youth_counselling_participant **out,
                                                    youth_registry *reg, int64_t id);
/** Frees a record returned by a get.  NULL-safe. */
YOUTH_EXTERN(void) youth_counselling_participant_free(youth_counselling_participant *p);
/**
 * Iterates over roster rows of a session and/or of a person (0 = any), in id order.
 * #YOUTH_EINVAL for a negative id.
 */
YOUTH_EXTERN(int) youth_counselling_participant_iter_new(youth_counselling_participant_iter **out,
                                                         youth_registry *reg, int64_t session_id,
                                                         int64_t person_id);
/** Next roster row (owned by the iterator) or #YOUTH_ITEROVER (latched). */
YOUTH_EXTERN(int) youth_counselling_participant_next(const youth_counselling_participant **out,
                                                     youth_counselling_participant_iter *it);
/** Frees the iterator.  NULL-safe. */
YOUTH_EXTERN(void) youth_counselling_participant_iter_free(youth_counselling_participant_iter *it);
/** Sets a field from text by name. */
YOUTH_EXTERN(int) youth_counselling_participant_set_field(youth_counselling_participant *p,
                                                          const char *field, const char *text);
/** Gets a field as text by name. */
YOUTH_EXTERN(int) youth_counselling_participant_get_field(const char **out,
                                                          const youth_counselling_participant *p,
                                                          const char *field, char *buf,
                                                          size_t size);
/** Field names in canonical order, then NULL. */
YOUTH_EXTERN(const char *) youth_counselling_participant_field_name(size_t index);

/**
 * Counts distinct persons who attended (attended = 1) at least one closed session dated
 * between @p from and @p to inclusive (NULL = unbounded): the programme's "youths counselled"
 * indicator.
 * @return #YOUTH_OK; #YOUTH_EINVAL (NULL out or registry, malformed date, from after to).
 */
YOUTH_EXTERN(int) youth_counselling_count_persons(int64_t *out, youth_registry *reg,
                                                  const char *from, const char *to);

#ifdef __cplusplus
}
#endif
#endif
