/*
 * youth.i -- the thin SWIG layer of the Python bindings: module `youth.capi`.
 *
 * A near 1:1 mirror of the C API in include/youth/*.h.  Users never import it: the package
 * `youth` (bindings/python/src/youth/) is written in Python on top of it.
 *
 * Conventions of this layer:
 *  - Every function returning an error code (`int`, negative = failure) raises an exception of
 *    the youth.Error hierarchy (youth/errors.py) built from youth_error_last(): code, name,
 *    message, field.  Functions whose `int` result is not an error code are listed below and
 *    return plain integers.
 *  - Output parameters become the return value.  The out typemap of a function that has one
 *    leaves the result empty (NULL) and the argout typemap fills it with %append_output, so the
 *    result is the output object alone with every SWIG version (4.3 changed how %append_output
 *    treats a None result of a non-void function).
 *  - The iterators' _next() functions return None at YOUTH_ITEROVER.  The package reads the
 *    iterators of the record kinds through youth_py_<kind>_block() instead: up to n records
 *    per call, built as the package's own instances ("Records in blocks" below).
 *  - The GIL (SWIG's -threads): released around every C call, but for the functions marked
 *    %nothreadallow, which build Python objects; of those, the block readers, imports,
 *    exports, report writing, check and audit verification release it themselves around
 *    their C work (a Python callback takes it back for its own call).
 *  - Records cross the boundary as dicts: a person, exchange, operator, employer, course,
 *    cohort, enrollment, counselling session or participant, scholarship, scholarship payment,
 *    follow-up, group, group member, plan, disbursement, visit or business service is
 *    {field name: str or None} in both directions (the library's published description,
 *    youth/kind.h, does the conversions, so every rule stays in C; one YOUTH_RECORD() macro
 *    per type writes the typemaps); an _add()/apply() returns the {id, uuid}
 *    the library set.  A place is {id, uuid, path, name, level, critical}; a programme (rules.h
 *    has no text interface for it; from a get or the iterator) is a dict of its members
 *    (ints, bools, str or None); a filter is a dict with the members of youth_person_filter;
 *    an override is None or {operator_id, reason}.  A scholarship placement (input only) and
 *    an installment (output only) go through the same description; youth_scholarship_balance()
 *    and youth_plan_balance() return dicts of int cents.
 *  - youth_py_kinds() returns the description itself (youth/kind.h) as plain lists and dicts.
 *  - Reports (youth/report.h): youth_py_report_new() takes the options as arguments (None for
 *    NULL); the accessors are mirrored one to one, an indicator as a dict of its description,
 *    a cell as {value, denominator, flags}; youth_py_report_write() writes to a path or through
 *    write(bytes), like youth_py_export().
 *  - Handles (registry, iterators) are bare pointers; the Python package frees them explicitly.
 *    The C library defers the close of a registry until its iterators are freed, so any order
 *    is safe.
 */
%module(package="youth", docstring="Thin SWIG mirror of the libyouth C API (internal: use the package youth).") capi

%{
#include <string.h>
#include <limits.h>
#include <strings.h>
/* The headers mirrored below (add a header here and at the end of this file together). */
#include "youth/version.h"
#include "youth/common.h"
#include "youth/registry.h"
#include "youth/gazetteer.h"
#include "youth/person.h"
#include "youth/exchange.h"
#include "youth/organisation.h"
#include "youth/rules.h"
#include "youth/course.h"
#include "youth/timeline.h"
#include "youth/counselling.h"
#include "youth/scholarship.h"
#include "youth/followup.h"
#include "youth/enterprise.h"
#include "youth/interchange.h"
#include "youth/kind.h"
#include "youth/report.h"

/* Raises the youth.Error subclass for @p code with this message and field. */
static void youth_py_raise(int code, const char *message, const char *field)
{
	const char *name = youth_error_name(code);
	PyObject *mod, *exc = NULL;

	if (!message || !message[0])
		message = name;
	mod = PyImport_ImportModule("youth.errors");
	if (mod) {
		exc = PyObject_CallMethod(mod, "_from_c", "isNz", code, name,
		                          PyUnicode_DecodeUTF8(message, (Py_ssize_t)strlen(message), "replace"),
		                          field);
		Py_DECREF(mod);
	}
	if (exc) {
		PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
		Py_DECREF(exc);
	} else if (!PyErr_Occurred()) {
		PyErr_Format(PyExc_RuntimeError, "%s: %s", name, message);
	} else {
		/* youth.errors could not be used: still report the C failure. */
		PyErr_Clear();
		PyErr_Format(PyExc_RuntimeError, "%s: %s", name, message);
	}
}

/* Raises the youth.Error subclass for @p code, described by youth_error_last(). */
static void youth_py_set_error(int code)
{
	const youth_error *e = youth_error_last();

	if (e && e->code == code)
		youth_py_raise(code, e->message, e->field);
	else
		youth_py_raise(code, NULL, NULL);
}

/* UTF-8 of a str with no embedded NUL; NULL with an exception set otherwise.  Text C cannot
 * take (a NUL would cut it short, a lone surrogate has no UTF-8 form) is refused as the
 * library refuses a bad value: youth.InvalidError naming @what, never a bare ValueError or
 * UnicodeEncodeError. */
static const char *youth_py_text(PyObject *s, const char *what)
{
	Py_ssize_t n;
	const char *text;
	char msg[200];

	if (!PyUnicode_Check(s)) {
		PyErr_Format(PyExc_TypeError, "%s: expected str or None, got %s", what,
		             Py_TYPE(s)->tp_name);
		return NULL;
	}
	text = PyUnicode_AsUTF8AndSize(s, &n);
	if (!text && PyErr_ExceptionMatches(PyExc_UnicodeEncodeError)) {
		PyErr_Clear();
		snprintf(msg, sizeof msg, "%s: not valid text (a lone surrogate, U+D800-U+DFFF, has no "
		         "UTF-8 form)", what);
		youth_py_raise(YOUTH_EINVAL, msg, what);
		return NULL;
	}
	if (text && strlen(text) != (size_t)n) {
		snprintf(msg, sizeof msg, "%s: contains a NUL character", what);
		youth_py_raise(YOUTH_EINVAL, msg, what);
		return NULL;
	}
	return text;
}

static PyObject *youth_py_str_or_none(const char *text)
{
	if (!text) {
		Py_INCREF(Py_None);
		return Py_None;
	}
	return PyUnicode_DecodeUTF8(text, (Py_ssize_t)strlen(text), "strict");
}

/*
 * Records that cross the boundary as dicts {field name: str or None}.  The conversions are the
 * library's published description (youth/kind.h): youth_record_init / _set_field / _get_field
 * walking the kind's fields, so the text forms and every rule stay in C and adding a field to
 * a kind needs no edit here.  One youth_py_kind per record type only names its kind; the
 * description is looked up on first use and kept (static data of the library).
 */
typedef struct youth_py_kind {
	const char *name; /* "person", "business_service"... as youth_kind_find() knows it */
	const youth_kind_info *info;
	/* The field names as interned str, in the C order, made on first use and kept: a record
	 * read then builds no key (a census of a million persons reads 21 million fields). */
	PyObject *keys;
} youth_py_kind;

/* The description of @p k, or NULL with a Python exception set. */
static const youth_kind_info *youth_py_kind_info(youth_py_kind *k)
{
	if (!k->info) {
		k->info = youth_kind_find(k->name);
		if (!k->info)
			youth_py_set_error(youth_error_last()->code);
	}
	return k->info;
}

/*
 * Fills @p rec from a dict {field: str or None}.  The strings are borrowed from a copy of the
 * dict stored in *keep (released by the freearg typemap), so they outlive the C call even if
 * another thread changes the caller's dict while the GIL is released.
 */
static int youth_py_record_from_dict(youth_py_kind *k, PyObject *obj, void *rec,
                                     PyObject **keep)
{
	Py_ssize_t pos = 0;
	PyObject *key, *value;
	const youth_kind_info *info = youth_py_kind_info(k);

	if (!info)
		return -1;
	youth_record_init(info, rec);
	if (!PyDict_Check(obj)) {
		PyErr_Format(PyExc_TypeError, "%s: expected a dict of field -> str or None, got %s",
		             k->name, Py_TYPE(obj)->tp_name);
		return -1;
	}
	*keep = PyDict_Copy(obj);
	if (!*keep)
		return -1;
	while (PyDict_Next(*keep, &pos, &key, &value)) {
		const char *field, *text = NULL;
		int rc;

		field = youth_py_text(key, "field name");
		if (!field)
			return -1;
		if (value != Py_None) {
			text = youth_py_text(value, field);
			if (!text)
				return -1;
		}
		rc = youth_record_set_field(info, rec, field, text);
		if (rc < 0) {
			youth_py_set_error(rc);
			return -1;
		}
	}
	return 0;
}

/* The interned field names of @p k (see youth_py_kind), or NULL with a Python exception. */
static PyObject *youth_py_kind_keys(youth_py_kind *k, const youth_kind_info *info)
{
	PyObject *keys;
	size_t i;

	if (k->keys)
		return k->keys;
	keys = PyTuple_New((Py_ssize_t)info->n_fields);
	for (i = 0; keys && i < info->n_fields; i++) {
		PyObject *name = PyUnicode_InternFromString(info->fields[i].name);
		if (!name)
			Py_CLEAR(keys);
		else
			PyTuple_SET_ITEM(keys, (Py_ssize_t)i, name);
	}
	k->keys = keys;
	return keys;
}

/* A new dict {field: str or None} in the canonical field order. */
static PyObject *youth_py_record_to_dict(youth_py_kind *k, const void *rec)
{
	const youth_kind_info *info = youth_py_kind_info(k);
	PyObject *d, *keys;
	size_t i;

	if (!info)
		return NULL;
	keys = youth_py_kind_keys(k, info);
	if (!keys)
		return NULL;
	d = PyDict_New();
	if (!d)
		return NULL;
	for (i = 0; i < info->n_fields; i++) {
		const char *text = NULL;
		char buf[64];
		PyObject *v;
		int rc;

		rc = youth_record_get_field(&text, info, rec, info->fields[i].name, buf, sizeof buf);
		if (rc < 0) {
			youth_py_set_error(rc);
			goto fail;
		}
		v = youth_py_str_or_none(text);
		if (!v)
			goto fail;
		rc = PyDict_SetItem(d, PyTuple_GET_ITEM(keys, (Py_ssize_t)i), v);
		Py_DECREF(v);
		if (rc < 0)
			goto fail;
	}
	return d;
fail:
	Py_DECREF(d);
	return NULL;
}

/* {id, uuid} of a record just stored (set by the C add functions). */
static PyObject *youth_py_ids(int64_t id, const char *uuid)
{
	return Py_BuildValue("{s:L,s:s}", "id", (long long)id, "uuid", uuid);
}

/* A new dict describing a place. */
static PyObject *youth_py_place_to_dict(const youth_place *pl)
{
	PyObject *path, *name, *d;

	path = youth_py_str_or_none(pl->path);
	if (!path)
		return NULL;
	name = youth_py_str_or_none(pl->name);
	if (!name) {
		Py_DECREF(path);
		return NULL;
	}
	d = Py_BuildValue("{s:L,s:s,s:N,s:N,s:i,s:O}", "id", (long long)pl->id, "uuid", pl->uuid,
	                  "path", path, "name", name, "level", pl->level,
	                  "critical", pl->critical ? Py_True : Py_False);
	return d;
}

/* Reads an int member of a filter: None -> 0. */
static int youth_py_int_item(PyObject *v, const char *what, int *out)
{
	long n;

	if (v == Py_None) {
		*out = 0;
		return 0;
	}
	if (!PyLong_Check(v) || PyBool_Check(v)) {
		PyErr_Format(PyExc_TypeError, "%s: expected int or None, got %s", what,
		             Py_TYPE(v)->tp_name);
		return -1;
	}
	n = PyLong_AsLong(v);
	if (n == -1 && PyErr_Occurred())
		return -1;
	if (n < INT_MIN || n > INT_MAX) {
		PyErr_Format(PyExc_OverflowError, "%s: %ld does not fit in a C int", what, n);
		return -1;
	}
	*out = (int)n;
	return 0;
}

/*
 * Fills a youth_person_filter from a dict with its member names.  Strings are borrowed from a
 * copy of the dict kept in *keep.  `sex` may be a name ("female"), parsed by
 * youth_person_set_field() so the vocabulary lives in C only, or its integer value.
 */
static int youth_py_filter_from_dict(PyObject *obj, youth_person_filter *f, PyObject **keep)
{
	Py_ssize_t pos = 0;
	PyObject *key, *value;

	memset(f, 0, sizeof *f);
	if (!PyDict_Check(obj)) {
		PyErr_Format(PyExc_TypeError, "filter: expected a dict or None, got %s",
		             Py_TYPE(obj)->tp_name);
		return -1;
	}
	*keep = PyDict_Copy(obj);
	if (!*keep)
		return -1;
	while (PyDict_Next(*keep, &pos, &key, &value)) {
		const char *k = youth_py_text(key, "filter key");
		const char **text = NULL;
		int *num = NULL;

		if (!k)
			return -1;
		if (!strcmp(k, "place"))
			text = &f->place;
		else if (!strcmp(k, "age_at"))
			text = &f->age_at;
		else if (!strcmp(k, "census_round"))
			text = &f->census_round;
		else if (!strcmp(k, "name"))
			text = &f->name;
		else if (!strcmp(k, "age_min"))
			num = &f->age_min;
		else if (!strcmp(k, "age_max"))
			num = &f->age_max;
		else if (!strcmp(k, "sex")) {
			if (PyUnicode_Check(value)) {
				youth_person tmp;
				const char *s = youth_py_text(value, "sex");
				int rc;

				if (!s)
					return -1;
				youth_person_init(&tmp);
				rc = youth_person_set_field(&tmp, "sex", s);
				if (rc < 0) {
					youth_py_set_error(rc);
					return -1;
				}
				f->sex = tmp.sex;
				continue;
			}
			num = &f->sex;
		} else {
			PyErr_Format(PyExc_TypeError, "filter: unknown member '%s'", k);
			return -1;
		}
		if (text) {
			if (value == Py_None) {
				*text = NULL;
			} else {
				*text = youth_py_text(value, k);
				if (!*text)
					return -1;
			}
		} else if (youth_py_int_item(value, k, num) < 0) {
			return -1;
		}
	}
	return 0;
}
/* Sets d[name] = v and drops the reference to v (NULL v: failure already set). */
static int youth_py_put(PyObject *d, const char *name, PyObject *v)
{
	int rc;

	if (!v)
		return -1;
	rc = PyDict_SetItemString(d, name, v);
	Py_DECREF(v);
	return rc;
}

/* An int (or bool) member of a programme / override: None -> 0. */
static int youth_py_long_item(PyObject *v, const char *what, long long *out)
{
	if (v == Py_None) {
		*out = 0;
		return 0;
	}
	if (!PyLong_Check(v)) {
		PyErr_Format(PyExc_TypeError, "%s: expected int or None, got %s", what,
		             Py_TYPE(v)->tp_name);
		return -1;
	}
	*out = PyLong_AsLongLong(v);
	if (*out == -1 && PyErr_Occurred())
		return -1;
	return 0;
}

static int youth_py_int_member(PyObject *v, const char *what, int *out)
{
	long long n;

	if (youth_py_long_item(v, what, &n) < 0)
		return -1;
	if (n < INT_MIN || n > INT_MAX) {
		PyErr_Format(PyExc_OverflowError, "%s: %lld does not fit in a C int", what, n);
		return -1;
	}
	*out = (int)n;
	return 0;
}

/*
 * Fills a youth_programme from a dict with its member names (rules.h has no text interface
 * for programmes): code, title, places, census_rounds are str or None; age_min, age_max,
 * consent_required, women_only int/bool or None (0); uuid str or None; id int or None.  Every
 * rule is checked by youth_programme_put().  Strings are borrowed from a copy kept in *keep.
 */
static int youth_py_programme_from_dict(PyObject *obj, youth_programme *p, PyObject **keep)
{
	Py_ssize_t pos = 0;
	PyObject *key, *value;

	youth_programme_init(p);
	if (!PyDict_Check(obj)) {
		PyErr_Format(PyExc_TypeError, "programme: expected a dict, got %s",
		             Py_TYPE(obj)->tp_name);
		return -1;
	}
	*keep = PyDict_Copy(obj);
	if (!*keep)
		return -1;
	while (PyDict_Next(*keep, &pos, &key, &value)) {
		const char *k = youth_py_text(key, "programme field name");
		const char **text = NULL;
		int *num = NULL;

		if (!k)
			return -1;
		if (!strcmp(k, "code"))
			text = &p->code;
		else if (!strcmp(k, "title"))
			text = &p->title;
		else if (!strcmp(k, "places"))
			text = &p->places;
		else if (!strcmp(k, "census_rounds"))
			text = &p->census_rounds;
		else if (!strcmp(k, "age_min"))
			num = &p->age_min;
		else if (!strcmp(k, "age_max"))
			num = &p->age_max;
		else if (!strcmp(k, "consent_required"))
			num = &p->consent_required;
		else if (!strcmp(k, "women_only"))
			num = &p->women_only;
		else if (!strcmp(k, "id")) {
			long long id;
			if (youth_py_long_item(value, k, &id) < 0)
				return -1;
			p->id = (int64_t)id;
			continue;
		} else if (!strcmp(k, "uuid")) {
			const char *u;
			if (value == Py_None)
				continue;
			u = youth_py_text(value, k);
			if (!u)
				return -1;
			if (strlen(u) > YOUTH_UUID_LEN) {
				youth_py_raise(YOUTH_EINVAL, "uuid: not a UUID (too long)", "uuid");
				return -1;
			}
			strcpy(p->uuid, u);
			continue;
		} else {
			char msg[96];
			snprintf(msg, sizeof msg, "%.40s: not a programme field", k);
			youth_py_raise(YOUTH_EINVAL, msg, k);
			return -1;
		}
		if (text) {
			if (value == Py_None) {
				*text = NULL;
			} else {
				*text = youth_py_text(value, k);
				if (!*text)
					return -1;
			}
		} else if (youth_py_int_member(value, k, num) < 0) {
			return -1;
		}
	}
	return 0;
}

/* A new dict describing a programme: ints, bools, str or None. */
static PyObject *youth_py_programme_to_dict(const youth_programme *p)
{
	PyObject *d = PyDict_New();

	if (!d)
		return NULL;
	if (youth_py_put(d, "id", PyLong_FromLongLong((long long)p->id)) < 0 ||
	    youth_py_put(d, "uuid", youth_py_str_or_none(p->uuid[0] ? p->uuid : NULL)) < 0 ||
	    youth_py_put(d, "code", youth_py_str_or_none(p->code)) < 0 ||
	    youth_py_put(d, "title", youth_py_str_or_none(p->title)) < 0 ||
	    youth_py_put(d, "age_min", PyLong_FromLong(p->age_min)) < 0 ||
	    youth_py_put(d, "age_max", PyLong_FromLong(p->age_max)) < 0 ||
	    youth_py_put(d, "places", youth_py_str_or_none(p->places)) < 0 ||
	    youth_py_put(d, "census_rounds", youth_py_str_or_none(p->census_rounds)) < 0 ||
	    youth_py_put(d, "consent_required", PyBool_FromLong(p->consent_required)) < 0 ||
	    youth_py_put(d, "women_only", PyBool_FromLong(p->women_only)) < 0) {
		Py_DECREF(d);
		return NULL;
	}
	return d;
}

/* An override from a dict {operator_id: int, reason: str}; the reason is borrowed from *keep. */
static int youth_py_override_from_dict(PyObject *obj, youth_override *o, PyObject **keep)
{
	Py_ssize_t pos = 0;
	PyObject *key, *value;

	memset(o, 0, sizeof *o);
	if (!PyDict_Check(obj)) {
		PyErr_Format(PyExc_TypeError, "override: expected a dict or None, got %s",
		             Py_TYPE(obj)->tp_name);
		return -1;
	}
	*keep = PyDict_Copy(obj);
	if (!*keep)
		return -1;
	while (PyDict_Next(*keep, &pos, &key, &value)) {
		const char *k = youth_py_text(key, "override key");

		if (!k)
			return -1;
		if (!strcmp(k, "operator_id")) {
			long long id;
			if (youth_py_long_item(value, k, &id) < 0)
				return -1;
			o->operator_id = (int64_t)id;
		} else if (!strcmp(k, "reason")) {
			if (value == Py_None) {
				o->reason = NULL;
			} else {
				o->reason = youth_py_text(value, k);
				if (!o->reason)
					return -1;
			}
		} else {
			PyErr_Format(PyExc_TypeError, "override: unknown member '%s' (operator_id, reason)",
			             k);
			return -1;
		}
	}
	return 0;
}
%}

%include <stdint.i>

/* ---- Things Python does not call directly (the typemaps below use them). ---- */
%ignore youth_error;
%ignore youth_allocator;
%ignore youth_set_allocator;
%ignore youth_free;
%ignore youth_person_filter;
%ignore youth_place;
%ignore youth_place_free;
%ignore youth_programme;
%ignore youth_programme_init;
%ignore youth_programme_free;
%ignore youth_override;

/* Every text argument: str (checked by youth_py_text()) or None (NULL). */
%typemap(in) const char * {
	if ($input == Py_None) {
		$1 = NULL;
	} else {
		$1 = ($1_ltype)youth_py_text($input, "$1_name");
		if (!$1)
			SWIG_fail;
	}
}
%typemap(typecheck, precedence=SWIG_TYPECHECK_STRING) const char * {
	$1 = $input == Py_None || PyUnicode_Check($input);
}
/* The text belongs to the str object, which outlives the call: nothing to free. */
%typemap(freearg) const char * "";

/* ---- Error codes. ---- */

/* The general rule: a negative result raises, success returns None. */
%typemap(out) int {
	if ($1 < 0) {
		youth_py_set_error($1);
		SWIG_fail;
	}
	Py_INCREF(Py_None);
	$result = Py_None;
}

/* Functions with an output parameter: the argout typemap supplies the result. */
%typemap(out) int youth_registry_open, int youth_age_at, int youth_fold,
              int youth_person_add, int youth_person_get, int youth_person_get_by_uuid,
              int youth_person_get_by_national_id,
              int youth_person_count, int youth_person_iter_new,
              int youth_census_load, int youth_census_load_buffer,
              int youth_gazetteer_load, int youth_gazetteer_load_buffer,
              int youth_place_add, int youth_place_get, int youth_place_iter_new,
              int youth_place_level_label, int youth_place_level_find,
              int youth_exchange_add, int youth_exchange_get, int youth_exchange_get_by_code,
              int youth_exchange_iter_new,
              int youth_operator_add, int youth_operator_get, int youth_operator_iter_new,
              int youth_employer_add, int youth_employer_get, int youth_employer_iter_new,
              int youth_rules_load, int youth_rules_load_buffer,
              int youth_programme_put, int youth_programme_get, int youth_programme_iter_new,
              int youth_course_add, int youth_course_get, int youth_course_get_by_code,
              int youth_course_iter_new,
              int youth_cohort_add, int youth_cohort_get, int youth_cohort_iter_new,
              int youth_cohort_taken,
              int youth_enrollment_apply, int youth_enrollment_get,
              int youth_enrollment_iter_new,
              int youth_person_delete_cascade, int youth_timeline_iter_new,
              int youth_override_iter_new,
              int youth_counselling_session_add, int youth_counselling_session_get,
              int youth_counselling_session_iter_new,
              int youth_counselling_add_participant, int youth_counselling_participant_get,
              int youth_counselling_participant_iter_new, int youth_counselling_count_persons,
              int youth_scholarship_apply, int youth_scholarship_get,
              int youth_scholarship_iter_new, int youth_scholarship_balance,
              int youth_scholarship_payable, int youth_scholarship_installment_iter_new,
              int youth_scholarship_pay, int youth_scholarship_payment_get,
              int youth_scholarship_payment_iter_new,
              int youth_followup_add, int youth_followup_get, int youth_followup_latest,
              int youth_followup_iter_new, int youth_followup_iter_range,
              int youth_followup_count,
              int youth_group_add, int youth_group_get, int youth_group_iter_new,
              int youth_group_member_add, int youth_group_member_get,
              int youth_group_member_iter_new,
              int youth_plan_add, int youth_plan_get, int youth_plan_iter_new,
              int youth_plan_balance, int youth_plan_count, int youth_plan_count_persons,
              int youth_plan_disbursement_add, int youth_plan_disbursement_get,
              int youth_plan_disbursement_iter_new,
              int youth_plan_visit_add, int youth_plan_visit_get, int youth_plan_visit_iter_new,
              int youth_business_service_add, int youth_business_service_get,
              int youth_business_service_iter_new,
              int youth_organisation_add, int youth_organisation_get,
              int youth_organisation_get_by_code, int youth_organisation_iter_new {
	if ($1 < 0) {
		youth_py_set_error($1);
		SWIG_fail;
	}
	$result = NULL;
}

/* Iterators: YOUTH_ITEROVER is not an error but the end, returned as None. */
%typemap(out) int youth_person_next, int youth_place_next,
              int youth_exchange_next, int youth_operator_next, int youth_employer_next,
              int youth_course_next, int youth_cohort_next, int youth_enrollment_next,
              int youth_timeline_next, int youth_override_next, int youth_programme_next,
              int youth_counselling_session_next, int youth_counselling_participant_next,
              int youth_scholarship_next, int youth_scholarship_installment_next,
              int youth_scholarship_payment_next, int youth_followup_next,
              int youth_group_next, int youth_group_member_next, int youth_plan_next,
              int youth_plan_disbursement_next, int youth_plan_visit_next,
              int youth_organisation_next,
              int youth_business_service_next {
	if ($1 == YOUTH_ITEROVER) {
		Py_INCREF(Py_None);
		$result = Py_None;
	} else if ($1 < 0) {
		youth_py_set_error($1);
		SWIG_fail;
	} else {
		$result = NULL;
	}
}

/* Plain integers, not error codes. */
%typemap(out) int youth_registry_schema_version, int youth_registry_in_transaction,
              int youth_report_category_level {
	$result = PyLong_FromLong((long)$1);
}

/* youth_error_last(): a dict {code, name, message, field}. */
%typemap(out) const youth_error * {
	$result = Py_BuildValue("{s:i,s:s,s:N,s:z}", "code", $1->code, "name",
	                        youth_error_name($1->code), "message",
	                        PyUnicode_DecodeUTF8($1->message ? $1->message : "",
	                                             (Py_ssize_t)strlen($1->message ? $1->message : ""),
	                                             "replace"),
	                        "field", $1->field);
	if (!$result)
		SWIG_fail;
}

/* ---- Output parameters. ---- */

/* Opaque handles: bare pointers, freed explicitly by the package. */
%define YOUTH_HANDLE_OUT(TYPE)
%typemap(in, numinputs=0) TYPE **out (TYPE *temp = NULL) {
	$1 = &temp;
}
%typemap(argout) TYPE **out {
	if (!$result) {
		%append_output(SWIG_NewPointerObj(*$1, $descriptor(TYPE *), 0));
	}
}
%enddef
YOUTH_HANDLE_OUT(youth_registry)
YOUTH_HANDLE_OUT(youth_person_iter)
YOUTH_HANDLE_OUT(youth_place_iter)
YOUTH_HANDLE_OUT(youth_exchange_iter)
YOUTH_HANDLE_OUT(youth_organisation_iter)
YOUTH_HANDLE_OUT(youth_operator_iter)
YOUTH_HANDLE_OUT(youth_employer_iter)
YOUTH_HANDLE_OUT(youth_course_iter)
YOUTH_HANDLE_OUT(youth_cohort_iter)
YOUTH_HANDLE_OUT(youth_enrollment_iter)
YOUTH_HANDLE_OUT(youth_timeline_iter)
YOUTH_HANDLE_OUT(youth_override_iter)
YOUTH_HANDLE_OUT(youth_programme_iter)
YOUTH_HANDLE_OUT(youth_counselling_session_iter)
YOUTH_HANDLE_OUT(youth_counselling_participant_iter)
YOUTH_HANDLE_OUT(youth_scholarship_iter)
YOUTH_HANDLE_OUT(youth_scholarship_installment_iter)
YOUTH_HANDLE_OUT(youth_scholarship_payment_iter)
YOUTH_HANDLE_OUT(youth_followup_iter)
YOUTH_HANDLE_OUT(youth_group_iter)
YOUTH_HANDLE_OUT(youth_group_member_iter)
YOUTH_HANDLE_OUT(youth_plan_iter)
YOUTH_HANDLE_OUT(youth_plan_disbursement_iter)
YOUTH_HANDLE_OUT(youth_plan_visit_iter)
YOUTH_HANDLE_OUT(youth_business_service_iter)

/* Counters and ids. */
%typemap(in, numinputs=0) int64_t *out (int64_t temp = 0), int64_t *added (int64_t temp = 0),
                          int64_t *id (int64_t temp = 0), int64_t *loaded (int64_t temp = 0),
                          int64_t *removed (int64_t temp = 0),
                          int64_t *payable (int64_t temp = 0) {
	$1 = &temp;
}
%typemap(argout) int64_t *out, int64_t *added, int64_t *id, int64_t *loaded, int64_t *removed,
                 int64_t *payable {
	if (!$result) {
		%append_output(PyLong_FromLongLong((long long)*$1));
	}
}

/* youth_age_at() */
%typemap(in, numinputs=0) int *out (int temp = 0) {
	$1 = &temp;
}
%typemap(argout) int *out {
	if (!$result) {
		%append_output(PyLong_FromLong((long)*$1));
	}
}

/* youth_fold(): a new str; the C buffer is released with youth_free(). */
%typemap(in, numinputs=0) char **out (char *temp = NULL) {
	$1 = &temp;
}
%typemap(argout) char **out {
	if (!$result) {
		PyObject *o = youth_py_str_or_none(*$1);
		if (!o)
			SWIG_fail;
		%append_output(o);
	}
}
%typemap(freearg) char **out {
	if ($1)
		youth_free(*$1);
}

/* Places. */
%typemap(in, numinputs=0) youth_place **out (youth_place *temp = NULL) {
	$1 = &temp;
}
%typemap(argout) youth_place **out {
	if (!$result) {
		PyObject *o = youth_py_place_to_dict(*$1);
		if (!o)
			SWIG_fail;
		%append_output(o);
	}
}
%typemap(freearg) youth_place **out {
	if ($1)
		youth_place_free(*$1);
}
%typemap(in, numinputs=0) const youth_place **out (const youth_place *temp = NULL) {
	$1 = ($1_ltype)&temp;
}
%typemap(argout) const youth_place **out {
	if (!$result) {
		PyObject *o = youth_py_place_to_dict(*$1);
		if (!o)
			SWIG_fail;
		%append_output(o);
	}
}
%typemap(freearg) const youth_place **out "";

/* Timeline events: a dict {date, kind, record_id, uuid, state, amount, detail}; the event
 * belongs to the iterator. */
%typemap(in, numinputs=0) const youth_event **out (const youth_event *temp = NULL) {
	$1 = ($1_ltype)&temp;
}
%typemap(argout) const youth_event **out {
	if (!$result && *$1) {
		const youth_event *e = *$1;
		PyObject *o = Py_BuildValue("{s:N,s:s,s:L,s:s,s:N,s:L,s:N}",
		                            "date", youth_py_str_or_none(e->date), "kind", e->kind,
		                            "record_id", (long long)e->record_id, "uuid", e->uuid,
		                            "state", youth_py_str_or_none(e->state),
		                            "amount", (long long)e->amount,
		                            "detail", youth_py_str_or_none(e->detail));
		if (!o)
			SWIG_fail;
		%append_output(o);
	}
}
%typemap(freearg) const youth_event **out "";

/* Recorded overrides: a dict of their members; the record belongs to the iterator. */
%typemap(in, numinputs=0) const youth_override_record **out (const youth_override_record *temp = NULL) {
	$1 = ($1_ltype)&temp;
}
%typemap(argout) const youth_override_record **out {
	if (!$result && *$1) {
		const youth_override_record *r = *$1;
		PyObject *o = Py_BuildValue("{s:L,s:s,s:N,s:L,s:N,s:L,s:L,s:N,s:N,s:N}",
		                            "id", (long long)r->id, "uuid", r->uuid,
		                            "programme", youth_py_str_or_none(r->programme),
		                            "person_id", (long long)r->person_id,
		                            "service", youth_py_str_or_none(r->service),
		                            "service_id", (long long)r->service_id,
		                            "operator_id", (long long)r->operator_id,
		                            "rule", youth_py_str_or_none(r->rule),
		                            "reason", youth_py_str_or_none(r->reason),
		                            "date", youth_py_str_or_none(r->date));
		if (!o)
			SWIG_fail;
		%append_output(o);
	}
}
%typemap(freearg) const youth_override_record **out "";

/* ---- Records in blocks ---- */

/*
 * A million records read one by one pay, per record, a call through SWIG, a release and
 * retake of the GIL, a dict of texts and a Python function turning it into the dataclass.
 * youth_py_<kind>_block() reads up to n records of an iterator in one call instead: the C work
 * (SQLite's steps, the text form of every field) runs with the GIL released, once per block,
 * into a copy of the texts (the iterator's record is only valid until its next step); then,
 * with the GIL, it builds the instances of the record class itself.
 *
 * How a field's text becomes its Python value is the package's (youth/records.py): the spec
 * gives, per field in the C order, (how, unset, parse): `how` one of the YOUTH_PY_* below,
 * `unset` the value of a field the library leaves unset (a list: a new empty list), `parse`
 * the Python function reading a text (int, date.fromisoformat, Decimal, the list reader).
 * C takes the canonical texts of the library (digits, YYYY-MM-DD, ASCII items) on a fast path
 * and calls `parse` for anything else, so both paths give the same values and errors.
 */
%{
#include <datetime.h>

enum { YOUTH_PY_STR, YOUTH_PY_INT, YOUTH_PY_DATE, YOUTH_PY_CALL, YOUTH_PY_BOOL, YOUTH_PY_LIST };

/* One step of a kind's iterator, its record seen as void (one per kind, YOUTH_RECORD()). */
typedef int (*youth_py_next_fn)(const void **out, void *it);

/* The texts of a block: every set field copied, NUL-terminated, into one buffer; at[] holds
 * per row and field the offset + 1 of its text (0: unset). */
typedef struct youth_py_texts {
	char *buf;
	size_t len, cap;
	size_t *at;
} youth_py_texts;

static int youth_py_texts_add(youth_py_texts *t, const char *text, size_t *at)
{
	size_t n = strlen(text) + 1;

	if (t->len + n > t->cap) {
		size_t cap = t->cap ? t->cap : 16384;
		char *buf;

		while (cap < t->len + n)
			cap *= 2;
		buf = realloc(t->buf, cap);
		if (!buf)
			return -1;
		t->buf = buf;
		t->cap = cap;
	}
	memcpy(t->buf + t->len, text, n);
	*at = t->len + 1;
	t->len += n;
	return 0;
}

/* Reads up to @p n records into @p t (GIL released: pure C).  Returns the number read, or a
 * negative youth error code. */
static int youth_py_fetch(youth_py_texts *t, const youth_kind_info *info, youth_py_next_fn next,
                          void *it, int n)
{
	int row;

	for (row = 0; row < n; row++) {
		const void *rec = NULL;
		size_t i, *at = t->at + (size_t)row * info->n_fields;
		int rc = next(&rec, it);

		if (rc == YOUTH_ITEROVER)
			break;
		if (rc < 0)
			return rc;
		for (i = 0; i < info->n_fields; i++) {
			const char *text = NULL;
			char buf[64];

			rc = youth_record_get_field(&text, info, rec, info->fields[i].name, buf, sizeof buf);
			if (rc < 0)
				return rc;
			at[i] = 0;
			if (text && youth_py_texts_add(t, text, &at[i]) < 0)
				return YOUTH_ENOMEM;
		}
	}
	return row;
}

/* A whole number of up to 18 digits (no sign, no blank: the library's form), else -1. */
static long long youth_py_digits(const char *s)
{
	long long v = 0;
	int n = 0;

	for (; *s; s++, n++) {
		if (*s < '0' || *s > '9' || n == 18)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return n ? v : -1;
}

/* A YYYY-MM-DD date as datetime.date, or NULL with no exception when the text has another
 * shape (the parse function then decides). */
static PyObject *youth_py_iso_date(const char *s)
{
	int d[8], i;
	static const int pos[8] = {0, 1, 2, 3, 5, 6, 8, 9};

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return NULL;
	for (i = 0; i < 8; i++) {
		if (s[pos[i]] < '0' || s[pos[i]] > '9')
			return NULL;
		d[i] = s[pos[i]] - '0';
	}
	return PyDate_FromDate(d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3], d[4] * 10 + d[5],
	                       d[6] * 10 + d[7]);
}

static int youth_py_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* "a, b" -> ["a", "b"], blank items dropped, for ASCII text (str.strip() knows more blanks
 * beyond ASCII: other text goes to the parse function); NULL with no exception then. */
static PyObject *youth_py_ascii_list(const char *s)
{
	PyObject *list;
	const char *p;

	for (p = s; *p; p++)
		if ((unsigned char)*p >= 0x80)
			return NULL;
	list = PyList_New(0);
	while (list) {
		const char *end = strchr(s, ','), *stop = end ? end : s + strlen(s);
		const char *a = s, *b = stop;

		while (a < b && youth_py_blank(*a))
			a++;
		while (b > a && youth_py_blank(b[-1]))
			b--;
		if (b > a) {
			PyObject *item = PyUnicode_FromStringAndSize(a, b - a);
			if (!item || PyList_Append(list, item) < 0)
				Py_CLEAR(list);
			Py_XDECREF(item);
		}
		if (!end)
			break;
		s = end + 1;
	}
	return list;
}

/* The Python value of one field's text (NULL: unset) as the spec entry (how, unset, parse)
 * says; a new reference, or NULL with an exception. */
static PyObject *youth_py_value(const char *text, int how, PyObject *unset, PyObject *parse)
{
	PyObject *v = NULL;

	if (!text) {
		if (how == YOUTH_PY_LIST)
			return PyList_New(0);
		if (how == YOUTH_PY_BOOL)
			Py_RETURN_FALSE;
		Py_INCREF(unset);
		return unset;
	}
	switch (how) {
	case YOUTH_PY_STR:
		return PyUnicode_DecodeUTF8(text, (Py_ssize_t)strlen(text), "strict");
	case YOUTH_PY_BOOL:
		if (!strcasecmp(text, "true") || !strcasecmp(text, "yes") || !strcmp(text, "1"))
			Py_RETURN_TRUE;
		Py_RETURN_FALSE;
	case YOUTH_PY_INT: {
		long long n = youth_py_digits(text);
		if (n >= 0)
			return PyLong_FromLongLong(n);
		break;
	}
	case YOUTH_PY_DATE:
		v = youth_py_iso_date(text);
		break;
	case YOUTH_PY_LIST:
		v = youth_py_ascii_list(text);
		break;
	default:
		break;
	}
	if (v || PyErr_Occurred())
		return v;
	return PyObject_CallFunction(parse, "s", text);
}

/* The instances of @p cls for the rows of @p t: allocated as object() does and their fields
 * set as the dataclass __init__ sets them (in order, so that the instances share their keys),
 * without a Python call per record. */
static PyObject *youth_py_build(youth_py_kind *k, const youth_kind_info *info,
                                const youth_py_texts *t, int rows, PyObject *cls,
                                PyObject *spec)
{
	PyTypeObject *tp = (PyTypeObject *)cls;
	PyObject *keys = youth_py_kind_keys(k, info), *list;
	size_t nf = info->n_fields, i;
	int how[128], row;

	if (!keys)
		return NULL;
	if (!PyType_Check(cls) || !PyTuple_Check(spec) || (size_t)PyTuple_GET_SIZE(spec) != nf ||
	    nf > sizeof how / sizeof how[0]) {
		PyErr_Format(PyExc_TypeError, "%s block: expected a class and a spec of %zu fields",
		             k->name, nf);
		return NULL;
	}
	for (i = 0; i < nf; i++) {
		PyObject *e = PyTuple_GET_ITEM(spec, (Py_ssize_t)i);
		if (!PyTuple_Check(e) || PyTuple_GET_SIZE(e) != 3 ||
		    (how[i] = (int)PyLong_AsLong(PyTuple_GET_ITEM(e, 0))) < 0 || how[i] > YOUTH_PY_LIST) {
			if (!PyErr_Occurred())
				PyErr_Format(PyExc_TypeError, "%s block: bad spec of field %s", k->name,
				             info->fields[i].name);
			return NULL;
		}
	}
	list = PyList_New(rows);
	for (row = 0; list && row < rows; row++) {
		const size_t *at = t->at + (size_t)row * nf;
		PyObject *obj = tp->tp_alloc(tp, 0);

		for (i = 0; obj && i < nf; i++) {
			PyObject *e = PyTuple_GET_ITEM(spec, (Py_ssize_t)i);
			PyObject *v = youth_py_value(at[i] ? t->buf + at[i] - 1 : NULL, how[i],
			                             PyTuple_GET_ITEM(e, 1), PyTuple_GET_ITEM(e, 2));
			if (!v || PyObject_GenericSetAttr(obj, PyTuple_GET_ITEM(keys, (Py_ssize_t)i),
			                                  v) < 0)
				Py_CLEAR(obj);
			Py_XDECREF(v);
		}
		if (!obj)
			Py_CLEAR(list);
		else
			PyList_SET_ITEM(list, row, obj);
	}
	return list;
}

/* Up to @p n records of iterator @p it as instances of @p cls (an empty list at the end). */
static PyObject *youth_py_block(youth_py_kind *k, youth_py_next_fn next, void *it, PyObject *cls,
                                PyObject *spec, int n)
{
	const youth_kind_info *info = youth_py_kind_info(k);
	youth_py_texts t = {0};
	PyObject *list = NULL;
	int rows;

	if (!info)
		return NULL;
	if (!PyDateTimeAPI) {
		PyDateTime_IMPORT;
		if (!PyDateTimeAPI)
			return NULL;
	}
	if (n < 1 || n > 65536) {
		PyErr_Format(PyExc_ValueError, "%s block: %d records: expected 1 to 65536", k->name, n);
		return NULL;
	}
	t.at = malloc((size_t)n * info->n_fields * sizeof *t.at);
	if (!t.at)
		return PyErr_NoMemory();
	Py_BEGIN_ALLOW_THREADS
	rows = youth_py_fetch(&t, info, next, it, n);
	Py_END_ALLOW_THREADS
	if (rows < 0)
		youth_py_set_error(rows);
	else
		list = youth_py_build(k, info, &t, rows, cls, spec);
	free(t.at);
	free(t.buf);
	return list;
}
%}

/* youth_py_<kind>_block(it, cls, spec, n) for the iterator of TYPE (see "Records in
 * blocks" above); NAME is the kind's identifier. */
%define YOUTH_BLOCK(TYPE, NAME)
%{
static int youth_py_next_##NAME(const void **out, void *it)
{
	const TYPE *rec = NULL;
	int rc = TYPE##_next(&rec, (TYPE##_iter *)it);

	*out = rec;
	return rc;
}
%}
/* Releases the GIL itself, around the C part only. */
%nothreadallow youth_py_##NAME##_block;
%inline %{
static PyObject *youth_py_##NAME##_block(TYPE##_iter *it, PyObject *cls, PyObject *spec, int n)
{
	return youth_py_block(&youth_py_kind_##NAME, youth_py_next_##NAME, it, cls, spec, n);
}
%}
%enddef

/* ---- Input records. ---- */

/*
 * Records of a published kind (youth/kind.h; NAME is the kind's identifier):
 *  - `T *` / `const T *` in: a dict {field: str or None}, converted by youth_record_set_field();
 *  - `T *` (add): the record's {id, uuid} set by the library is returned;
 *  - `T **out` (get): a dict {field: str or None} from youth_record_get_field(), then T_free();
 *  - `const T **out` (iterators): the same dict; the record belongs to the iterator.
 * T_init/T_free/T_set_field/T_get_field are not mirrored: the description does their work.
 */
%define YOUTH_RECORD(TYPE, NAME)
%{
static youth_py_kind youth_py_kind_##NAME = {#NAME, NULL, NULL};
%}
%ignore TYPE;
%ignore TYPE##_init;
%ignore TYPE##_free;
%ignore TYPE##_set_field;
%ignore TYPE##_get_field;

%typemap(in) TYPE * (TYPE temp, PyObject *keep = NULL),
             const TYPE * (TYPE temp, PyObject *keep = NULL) {
	if (youth_py_record_from_dict(&youth_py_kind_##NAME, $input, &temp, &keep) < 0)
		SWIG_fail;
	$1 = &temp;
}
%typemap(freearg) TYPE *, const TYPE * {
	Py_XDECREF(keep$argnum);
}
%typemap(argout) TYPE * {
	if (!$result) {
		PyObject *o = youth_py_ids($1->id, $1->uuid);
		if (!o)
			SWIG_fail;
		%append_output(o);
	}
}
%typemap(argout) const TYPE * "";

%typemap(in, numinputs=0) TYPE **out (TYPE *temp = NULL) {
	$1 = &temp;
}
%typemap(argout) TYPE **out {
	if (!$result) {
		PyObject *o = youth_py_record_to_dict(&youth_py_kind_##NAME, *$1);
		if (!o)
			SWIG_fail;
		%append_output(o);
	}
}
%typemap(freearg) TYPE **out {
	if ($1)
		TYPE##_free(*$1);
}

%typemap(in, numinputs=0) const TYPE **out (const TYPE *temp = NULL) {
	$1 = ($1_ltype)&temp;
}
%typemap(argout) const TYPE **out {
	if (!$result) {
		PyObject *o = youth_py_record_to_dict(&youth_py_kind_##NAME, *$1);
		if (!o)
			SWIG_fail;
		%append_output(o);
	}
}
/* Owned by the iterator: must not pick up the freeing typemap of TYPE **. */
%typemap(freearg) const TYPE **out "";

YOUTH_BLOCK(TYPE, NAME)
%enddef

YOUTH_RECORD(youth_person, person)
YOUTH_RECORD(youth_exchange, exchange)
YOUTH_RECORD(youth_organisation, organisation)
YOUTH_RECORD(youth_operator, operator)
YOUTH_RECORD(youth_employer, employer)
YOUTH_RECORD(youth_course, course)
YOUTH_RECORD(youth_cohort, cohort)
YOUTH_RECORD(youth_enrollment, enrollment)
YOUTH_RECORD(youth_counselling_session, counselling_session)
YOUTH_RECORD(youth_counselling_participant, counselling_participant)
YOUTH_RECORD(youth_scholarship, scholarship)
YOUTH_RECORD(youth_scholarship_payment, scholarship_payment)
YOUTH_RECORD(youth_followup, followup)
YOUTH_RECORD(youth_group, group)
YOUTH_RECORD(youth_group_member, group_member)
YOUTH_RECORD(youth_plan, plan)
YOUTH_RECORD(youth_plan_disbursement, plan_disbursement)
YOUTH_RECORD(youth_plan_visit, plan_visit)
YOUTH_RECORD(youth_business_service, business_service)

/* youth_plan_balance(): a dict {approved, disbursed, remaining} of int cents. */
%ignore youth_plan_balance_info;
%typemap(in, numinputs=0) youth_plan_balance_info *out (youth_plan_balance_info temp) {
	memset(&temp, 0, sizeof temp);
	$1 = &temp;
}
%typemap(argout) youth_plan_balance_info *out {
	if (!$result) {
		PyObject *o = Py_BuildValue("{s:L,s:L,s:L}", "approved", (long long)$1->approved,
		                            "disbursed", (long long)$1->disbursed,
		                            "remaining", (long long)$1->remaining);
		if (!o)
			SWIG_fail;
		%append_output(o);
	}
}

/*
 * A scholarship placement (input only) and an installment (output only): dicts
 * {field: str or None} through the same description, "monthly_stipend" as "300.00".
 */
%{
static youth_py_kind youth_py_kind_placement = {"scholarship_placement", NULL, NULL};
static youth_py_kind youth_py_kind_scholarship_installment = {"scholarship_installment", NULL, NULL};
%}
%ignore youth_scholarship_placement;
%ignore youth_scholarship_placement_init;
%ignore youth_scholarship_placement_set_field;
%ignore youth_scholarship_installment;
%ignore youth_scholarship_installment_get_field;

%typemap(in) const youth_scholarship_placement *p (youth_scholarship_placement temp,
                                                   PyObject *keep = NULL) {
	if (youth_py_record_from_dict(&youth_py_kind_placement, $input, &temp, &keep) < 0)
		SWIG_fail;
	$1 = &temp;
}
%typemap(freearg) const youth_scholarship_placement *p {
	Py_XDECREF(keep$argnum);
}

%typemap(in, numinputs=0) const youth_scholarship_installment **out
                          (const youth_scholarship_installment *temp = NULL) {
	$1 = ($1_ltype)&temp;
}
%typemap(argout) const youth_scholarship_installment **out {
	if (!$result) {
		PyObject *o = youth_py_record_to_dict(&youth_py_kind_scholarship_installment, *$1);
		if (!o)
			SWIG_fail;
		%append_output(o);
	}
}
%typemap(freearg) const youth_scholarship_installment **out "";
YOUTH_BLOCK(youth_scholarship_installment, scholarship_installment)

/* youth_scholarship_balance(): a dict {owed_total, paid_total, balance} of int cents. */
%ignore youth_scholarship_balance_info;
%typemap(in, numinputs=0) youth_scholarship_balance_info *out
                          (youth_scholarship_balance_info temp) {
	memset(&temp, 0, sizeof temp);
	$1 = &temp;
}
%typemap(argout) youth_scholarship_balance_info *out {
	if (!$result) {
		PyObject *o = Py_BuildValue("{s:L,s:L,s:L}", "owed_total", (long long)$1->owed_total,
		                            "paid_total", (long long)$1->paid_total,
		                            "balance", (long long)$1->balance);
		if (!o)
			SWIG_fail;
		%append_output(o);
	}
}

/* A programme (no text interface in rules.h): a dict of its members, typed. */
%typemap(in) youth_programme *p (youth_programme temp, PyObject *keep = NULL) {
	if (youth_py_programme_from_dict($input, &temp, &keep) < 0)
		SWIG_fail;
	$1 = &temp;
}
%typemap(freearg) youth_programme *p {
	Py_XDECREF(keep$argnum);
}
%typemap(argout) youth_programme *p {
	if (!$result) {
		PyObject *o = youth_py_ids($1->id, $1->uuid);
		if (!o)
			SWIG_fail;
		%append_output(o);
	}
}
%typemap(in, numinputs=0) youth_programme **out (youth_programme *temp = NULL) {
	$1 = &temp;
}
%typemap(argout) youth_programme **out {
	if (!$result) {
		PyObject *o = youth_py_programme_to_dict(*$1);
		if (!o)
			SWIG_fail;
		%append_output(o);
	}
}
%typemap(freearg) youth_programme **out {
	if ($1)
		youth_programme_free(*$1);
}
/* youth_programme_next(): the same dict; the programme belongs to the iterator. */
%typemap(in, numinputs=0) const youth_programme **out (const youth_programme *temp = NULL) {
	$1 = ($1_ltype)&temp;
}
%typemap(argout) const youth_programme **out {
	if (!$result && *$1) {
		PyObject *o = youth_py_programme_to_dict(*$1);
		if (!o)
			SWIG_fail;
		%append_output(o);
	}
}
%typemap(freearg) const youth_programme **out "";

/* An override of the eligibility rules: None (no override) or {operator_id, reason}. */
%typemap(in) const youth_override *override (youth_override temp, PyObject *keep = NULL) {
	if ($input == Py_None) {
		$1 = NULL;
	} else {
		if (youth_py_override_from_dict($input, &temp, &keep) < 0)
			SWIG_fail;
		$1 = &temp;
	}
}
%typemap(freearg) const youth_override *override {
	Py_XDECREF(keep$argnum);
}

/* A filter from a dict (or None for no filter). */
%typemap(in) const youth_person_filter *filter (youth_person_filter temp, PyObject *keep = NULL) {
	if ($input == Py_None) {
		$1 = NULL;
	} else {
		if (youth_py_filter_from_dict($input, &temp, &keep) < 0)
			SWIG_fail;
		$1 = &temp;
	}
}
%typemap(freearg) const youth_person_filter *filter {
	Py_XDECREF(keep$argnum);
}

/* YAML documents held in memory: bytes-like or str (UTF-8). */
%typemap(in) (const char *data, size_t size) (Py_buffer view, int have_view = 0) {
	if (PyUnicode_Check($input)) {
		Py_ssize_t n;
		$1 = (char *)PyUnicode_AsUTF8AndSize($input, &n);
		if (!$1)
			SWIG_fail;
		$2 = (size_t)n;
	} else {
		if (PyObject_GetBuffer($input, &view, PyBUF_SIMPLE) < 0)
			SWIG_fail;
		have_view = 1;
		$1 = (char *)view.buf;
		$2 = (size_t)view.len;
	}
}
%typemap(freearg) (const char *data, size_t size) {
	if (have_view$argnum)
		PyBuffer_Release(&view$argnum);
}

/* ---- Ranked name search (person.h, docs/duplicates.md): the results come back as a handle
 * read with youth_person_matches_count/_get and freed with youth_person_matches_free; the
 * index rebuild returns its count of persons. ---- */
YOUTH_HANDLE_OUT(youth_person_matches)
%typemap(out) int youth_person_find = int youth_person_count;
%typemap(out) int youth_name_index_rebuild = int youth_person_count;
%apply int64_t *out { int64_t *persons };
/* The int members of a match are numbers, not return codes. */
%typemap(out) int rank = int youth_registry_schema_version;
%typemap(out) int score = int youth_registry_schema_version;

/* ---- The C API. ---- */
%include "youth/version.h"
%include "youth/common.h"
%include "youth/registry.h"
%include "youth/gazetteer.h"
%include "youth/person.h"
%include "youth/exchange.h"
/* The front ends' resolver: Python finds records by its own getters. */
%ignore youth_record_lookup;
%include "youth/organisation.h"
%ignore youth_override_record;
%include "youth/rules.h"
%include "youth/course.h"
%ignore youth_event;
%include "youth/timeline.h"
%include "youth/counselling.h"
%include "youth/scholarship.h"
%include "youth/followup.h"
%include "youth/enterprise.h"

/* ---- Interchange: Python callables as the C callbacks. ---- */
%{
/* The state of one import, export or report written: the Python callables, and the first
 * exception one of them raised (re-raised once the C call returns, instead of a youth error).
 * The C work runs without the GIL (other Python threads run meanwhile); each callback takes it
 * back for its Python call.  The library calls them on the caller's thread (its reader thread
 * only serves inputs without a callback), whose state @c ts keeps. */
typedef struct youth_py_io {
	PyObject *read;     /* read(n) -> bytes, or NULL */
	PyObject *write;    /* write(bytes), or NULL */
	PyObject *progress; /* progress(records, bytes) -> False to stop, or NULL */
	PyObject *exc_type, *exc_value, *exc_tb;
	PyThreadState *ts;  /* this thread's state while the GIL is released */
} youth_py_io;

/* Releases the GIL for the C call that follows (see youth_py_io). */
static void youth_py_io_release(youth_py_io *io)
{
	io->ts = PyEval_SaveThread();
}

/* Takes the GIL back after the C call (or for a callback: youth_py_io_release() again after). */
static void youth_py_io_acquire(youth_py_io *io)
{
	PyEval_RestoreThread(io->ts);
	io->ts = NULL;
}

static void youth_py_io_catch(youth_py_io *io)
{
	if (!io->exc_type)
		PyErr_Fetch(&io->exc_type, &io->exc_value, &io->exc_tb);
	else
		PyErr_Clear();
}

static long youth_py_read_held(youth_py_io *io, char *buf, size_t size)
{
	PyObject *r = PyObject_CallFunction(io->read, "n", (Py_ssize_t)size);
	char *data;
	Py_ssize_t n;

	if (!r) {
		youth_py_io_catch(io);
		return -1;
	}
	if (PyBytes_AsStringAndSize(r, &data, &n) < 0 || (size_t)n > size) {
		if (!PyErr_Occurred())
			PyErr_Format(PyExc_ValueError, "read(%zu) returned %zd bytes", size, n);
		youth_py_io_catch(io);
		Py_DECREF(r);
		return -1;
	}
	memcpy(buf, data, (size_t)n);
	Py_DECREF(r);
	return (long)n;
}

static int youth_py_write_held(youth_py_io *io, const char *data, size_t size)
{
	PyObject *r = PyObject_CallFunction(io->write, "y#", data, (Py_ssize_t)size);
	if (!r) {
		youth_py_io_catch(io);
		return -1;
	}
	Py_DECREF(r);
	return 0;
}

static int youth_py_progress_held(youth_py_io *io, int64_t records, int64_t bytes)
{
	PyObject *r = PyObject_CallFunction(io->progress, "LL", (long long)records, (long long)bytes);
	int stop;

	if (!r) {
		youth_py_io_catch(io);
		return 1;
	}
	stop = r == Py_False;
	Py_DECREF(r);
	return stop;
}

/* The callbacks the library calls, the GIL released around them. */
static long youth_py_read_cb(void *ctx, char *buf, size_t size)
{
	youth_py_io *io = ctx;
	long n;

	youth_py_io_acquire(io);
	n = youth_py_read_held(io, buf, size);
	youth_py_io_release(io);
	return n;
}

static int youth_py_write_cb(void *ctx, const char *data, size_t size)
{
	youth_py_io *io = ctx;
	int rc;

	youth_py_io_acquire(io);
	rc = youth_py_write_held(io, data, size);
	youth_py_io_release(io);
	return rc;
}

static int youth_py_progress_cb(void *ctx, int64_t records, int64_t bytes)
{
	youth_py_io *io = ctx;
	int stop;

	youth_py_io_acquire(io);
	stop = youth_py_progress_held(io, records, bytes);
	youth_py_io_release(io);
	return stop;
}

static PyObject *youth_py_summary(const youth_interchange_summary *s)
{
	return Py_BuildValue("{s:L,s:L,s:L,s:L,s:L,s:L,s:L,s:L}", "records", (long long)s->records,
	                     "imported", (long long)s->imported, "updated", (long long)s->updated,
	                     "unchanged", (long long)s->unchanged, "rejected", (long long)s->rejected,
	                     "bytes", (long long)s->bytes, "excluded", (long long)s->excluded,
	                     "excluded_persons", (long long)s->excluded_persons);
}

/* The result of an interchange call: the summary, or the exception with the summary of what
 * was done before the failure attached as its `summary` attribute. */
static PyObject *youth_py_io_finish(youth_py_io *io, int rc, const youth_interchange_summary *s)
{
	PyObject *summary = youth_py_summary(s);
	if (!summary)
		return NULL;
	if (io->exc_type) {
		PyErr_Restore(io->exc_type, io->exc_value, io->exc_tb);
		Py_DECREF(summary);
		return NULL;
	}
	if (rc < 0) {
		PyObject *t, *v, *tb;
		youth_py_set_error(rc);
		PyErr_Fetch(&t, &v, &tb);
		PyErr_NormalizeException(&t, &v, &tb);
		if (v)
			PyObject_SetAttrString(v, "summary", summary);
		PyErr_Restore(t, v, tb);
		Py_DECREF(summary);
		return NULL;
	}
	return summary;
}
%}

%ignore youth_import_options;
%ignore youth_export_options;
%ignore youth_interchange_summary;
%ignore youth_import_options_init;
%ignore youth_export_options_init;
%ignore youth_import_file;
%ignore youth_import_stream;
%ignore youth_import_buffer;
%ignore youth_import_read;
%ignore youth_export_file;
%ignore youth_export_stream;
%ignore youth_export_write;

/* They call back into Python: they release the GIL themselves (youth_py_io), around the C
 * work only. */
%nothreadallow youth_py_import;
%nothreadallow youth_py_export;

%inline %{
/* Imports from a path (str) or from read(n) -> bytes; returns the summary as a dict. */
static PyObject *youth_py_import(youth_registry *reg, PyObject *source, const char *name,
                                 unsigned flags, const char *rejects_path, PyObject *progress,
                                 const char *key_file, const char *passphrase)
{
	youth_py_io io = {0};
	youth_import_options o;
	youth_interchange_summary s;
	int rc;

	youth_import_options_init(&o);
	o.flags = flags;
	o.rejects_path = rejects_path;
	o.key_file = key_file;
	o.passphrase = passphrase;
	if (progress && progress != Py_None) {
		io.progress = progress;
		o.progress = youth_py_progress_cb;
		o.progress_ctx = &io;
	}
	if (PyUnicode_Check(source)) {
		const char *path = youth_py_text(source, "path");
		if (!path)
			return NULL;
		youth_py_io_release(&io);
		rc = youth_import_file(&s, reg, path, &o);
		youth_py_io_acquire(&io);
	} else if (PyCallable_Check(source)) {
		io.read = source;
		youth_py_io_release(&io);
		rc = youth_import_read(&s, reg, youth_py_read_cb, &io, name, &o);
		youth_py_io_acquire(&io);
	} else {
		PyErr_SetString(PyExc_TypeError, "import: expected a path or a read(n) callable");
		return NULL;
	}
	return youth_py_io_finish(&io, rc, &s);
}

/* Exports to a path (str) or through write(bytes); returns the summary as a dict. */
static PyObject *youth_py_export(youth_registry *reg, PyObject *sink, unsigned kinds,
                                 const char *place, const char *from, const char *to,
                                 PyObject *progress, unsigned flags,
                                 const char *pseudonym_key_file, int k, const char *key_file,
                                 const char *passphrase, const char *purpose)
{
	youth_py_io io = {0};
	youth_export_options o;
	youth_interchange_summary s;
	int rc;

	youth_export_options_init(&o);
	o.kinds = kinds;
	o.place = place;
	o.from = from;
	o.to = to;
	o.flags = flags;
	o.pseudonym_key_file = pseudonym_key_file;
	o.k = k;
	o.key_file = key_file;
	o.passphrase = passphrase;
	o.purpose = purpose;
	if (progress && progress != Py_None) {
		io.progress = progress;
		o.progress = youth_py_progress_cb;
		o.progress_ctx = &io;
	}
	if (PyUnicode_Check(sink)) {
		const char *path = youth_py_text(sink, "path");
		if (!path)
			return NULL;
		youth_py_io_release(&io);
		rc = youth_export_file(&s, reg, path, &o);
		youth_py_io_acquire(&io);
	} else if (PyCallable_Check(sink)) {
		io.write = sink;
		youth_py_io_release(&io);
		rc = youth_export_write(&s, reg, youth_py_write_cb, &io, &o);
		youth_py_io_acquire(&io);
	} else {
		PyErr_SetString(PyExc_TypeError, "export: expected a path or a write(bytes) callable");
		return NULL;
	}
	return youth_py_io_finish(&io, rc, &s);
}
%}
%include "youth/interchange.h"

/* ---- The published description (youth/kind.h) ---- */

/* kind.h itself is not mirrored: youth_py_kinds() gives its content as Python data. */
%{
/* The names of a vocabulary from value 1 (0 is unset), unused values dropped; None when the
 * field has none. */
static PyObject *youth_py_vocabulary(const youth_field_info *f)
{
	PyObject *list;
	int v;

	if (!f->vocabulary) {
		Py_INCREF(Py_None);
		return Py_None;
	}
	list = PyList_New(0);
	for (v = 1; list && v < f->n_vocabulary; v++) {
		PyObject *name;

		if (!f->vocabulary[v])
			continue;
		name = youth_py_str_or_none(f->vocabulary[v]);
		if (!name || PyList_Append(list, name) < 0) {
			Py_XDECREF(name);
			Py_CLEAR(list);
			break;
		}
		Py_DECREF(name);
	}
	return list;
}

/* A dict describing one field. */
static PyObject *youth_py_field(const youth_field_info *f)
{
	PyObject *voc = youth_py_vocabulary(f), *ref;

	if (!voc)
		return NULL;
	ref = youth_py_str_or_none(f->refers_to);
	if (!ref) {
		Py_DECREF(voc);
		return NULL;
	}
	/* What the field tells about a natural person (kind.h), as the names docs/privacy.md
	 * uses: which exports leave it out, drop it or generalise it. */
	static const struct { unsigned flag; const char *name; } privacy[] = {
		{YOUTH_FIELD_IDENTIFYING, "identifying"}, {YOUTH_FIELD_CONTACT, "contact"},
		{YOUTH_FIELD_NAME, "name"}, {YOUTH_FIELD_FREE_TEXT, "free_text"},
		{YOUTH_FIELD_QUASI, "quasi"}};
	PyObject *priv = PyList_New(0);
	for (size_t i = 0; priv && i < sizeof privacy / sizeof privacy[0]; i++) {
		PyObject *word = (f->flags & privacy[i].flag) ? PyUnicode_FromString(privacy[i].name)
		                                              : NULL;
		if ((f->flags & privacy[i].flag) && (!word || PyList_Append(priv, word) != 0))
			Py_CLEAR(priv);
		Py_XDECREF(word);
	}
	if (!priv) {
		Py_DECREF(voc);
		Py_DECREF(ref);
		return NULL;
	}
	return Py_BuildValue("{s:s,s:s,s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:n,s:N,s:N,s:N,s:s}", "name", f->name,
	                     "type", youth_field_type_name(f->type),
	                     "readonly", (f->flags & YOUTH_FIELD_READONLY) ? Py_True : Py_False,
	                     "list", (f->flags & YOUTH_FIELD_LIST) ? Py_True : Py_False,
	                     "default_on", (f->flags & YOUTH_FIELD_DEFAULT_ON) ? Py_True : Py_False,
	                     "optional", (f->flags & YOUTH_FIELD_OPTIONAL) ? Py_True : Py_False,
	                     "required", (f->flags & YOUTH_FIELD_REQUIRED) ? Py_True : Py_False,
	                     "past", (f->flags & YOUTH_FIELD_PAST) ? Py_True : Py_False,
	                     "code", (f->flags & YOUTH_FIELD_CODE) ? Py_True : Py_False,
	                     "max_bytes", (Py_ssize_t)f->max_bytes, "privacy", priv,
	                     "vocabulary", voc, "refers_to", ref, "doc", f->doc);
}

%}

/* Builds Python objects: the GIL stays held. */
%nothreadallow youth_py_kinds;

%inline %{
/* Every kind of record, in the library's order: a list of {name, label, doc, fields}. */
static PyObject *youth_py_kinds(void)
{
	const youth_kind_info *k;
	PyObject *kinds = PyList_New(0);

	for (k = youth_kind_next(NULL); kinds && k; k = youth_kind_next(k)) {
		PyObject *fields = PyList_New((Py_ssize_t)k->n_fields), *d;
		size_t i;

		for (i = 0; fields && i < k->n_fields; i++) {
			PyObject *f = youth_py_field(&k->fields[i]);
			if (!f)
				Py_CLEAR(fields);
			else
				PyList_SET_ITEM(fields, (Py_ssize_t)i, f);
		}
		if (!fields) {
			Py_CLEAR(kinds);
			break;
		}
		d = Py_BuildValue("{s:s,s:s,s:s,s:N}", "name", k->name, "label", k->label, "doc",
		                  k->doc, "fields", fields);
		if (!d || PyList_Append(kinds, d) < 0)
			Py_CLEAR(kinds);
		Py_XDECREF(d);
	}
	return kinds;
}
%}

/* ---- Reports (youth/report.h). ---- */
%ignore youth_report_options;
%ignore youth_report_options_init;
%ignore youth_report_new;
%ignore youth_report_write;
%ignore youth_report_write_stream;
%ignore youth_report_write_file;
%ignore youth_indicator_info;
%ignore youth_report_cell;
%ignore youth_indicator_next;

YOUTH_HANDLE_OUT(youth_report)

%{
/* The description of an indicator as a dict (type and unit by their names). */
static PyObject *youth_py_indicator(const youth_indicator_info *ind)
{
	static const char *const types[] = {"", "persons", "records", "sum", "ratio", "difference"};
	static const char *const units[] = {"", "count", "money", "ratio"};

	return Py_BuildValue("{s:s,s:s,s:s,s:s,s:s,s:z}", "name", ind->name, "label", ind->label,
	                     "doc", ind->doc,
	                     "type", (unsigned)ind->type < 6 ? types[ind->type] : "",
	                     "unit", (unsigned)ind->unit < 4 ? units[ind->unit] : "",
	                     "programme", ind->programme);
}
%}

/* Functions of youth/report.h with an output parameter. */
%typemap(out) int youth_py_report_new, int youth_report_category, int youth_report_row_category,
              int youth_report_cell_get, int youth_report_cell_text, int youth_indicators_check {
	if ($1 < 0) {
		youth_py_set_error($1);
		SWIG_fail;
	}
	$result = NULL;
}
%typemap(out) int youth_report_internal {
	$result = PyBool_FromLong((long)$1);
}
%typemap(out) const youth_indicator_info *youth_report_indicator {
	if (!$1) {
		Py_INCREF(Py_None);
		$result = Py_None;
	} else if (!($result = youth_py_indicator($1))) {
		SWIG_fail;
	}
}
/* youth_report_category(): (label, key). */
%typemap(in, numinputs=0) const char **label (const char *temp = NULL),
                          const char **key (const char *temp = NULL) {
	$1 = ($1_ltype)&temp;
}
/* Both are appended (a failure never reaches an argout typemap): the result is [label, key]. */
%typemap(argout) const char **label, const char **key {
	PyObject *o = youth_py_str_or_none(*$1);
	if (!o)
		SWIG_fail;
	%append_output(o);
}
%typemap(in, numinputs=0) size_t *out (size_t temp = 0), size_t *count (size_t temp = 0) {
	$1 = &temp;
}
%typemap(argout) size_t *out, size_t *count {
	if (!$result) {
		%append_output(PyLong_FromSize_t(*$1));
	}
}
%typemap(in, numinputs=0) const youth_report_cell **out (const youth_report_cell *temp = NULL) {
	$1 = ($1_ltype)&temp;
}
%typemap(argout) const youth_report_cell **out {
	if (!$result) {
		%append_output(Py_BuildValue("{s:L,s:L,s:I}", "value", (long long)(*$1)->value,
		                             "denominator", (long long)(*$1)->denominator,
		                             "flags", (*$1)->flags));
	}
}
/* youth_report_cell_text(): a str (the buffer is the wrapper's). */
%typemap(in, numinputs=0) (char *buf, size_t size) (char temp[64]) {
	$1 = temp;
	$2 = sizeof(temp);
}
%typemap(argout) (char *buf, size_t size) {
	if (!$result) {
		PyObject *o = youth_py_str_or_none($1);
		if (!o)
			SWIG_fail;
		%append_output(o);
	}
}

%include "youth/report.h"

/* They build Python objects or call back into Python: the GIL stays held, but for the
 * writing of a report (youth_py_io). */
%nothreadallow youth_py_indicators;
%nothreadallow youth_py_report_write;

%inline %{
/* Builds a report; every option as youth_report_options names it (None: NULL). */
static int youth_py_report_new(youth_report **out, youth_registry *reg, const char *indicators,
                               const char *by, const char *from, const char *to,
                               const char *at, const char *place, const char *census_round,
                               const char *age_bands, int64_t k, unsigned flags,
                               const char *definitions_path, const char *data, size_t size)
{
	youth_report_options o;

	youth_report_options_init(&o);
	o.indicators = indicators;
	o.by = by;
	o.from = from;
	o.to = to;
	o.at = at;
	o.place = place;
	o.census_round = census_round;
	o.age_bands = age_bands;
	o.k = k;
	o.flags = flags;
	o.definitions_path = definitions_path;
	if (size) {
		o.definitions = data;
		o.definitions_size = size;
	}
	return youth_report_new(out, reg, &o);
}

/* The built-in indicators, in the library's order: a list of dicts. */
static PyObject *youth_py_indicators(void)
{
	const youth_indicator_info *ind;
	PyObject *list = PyList_New(0);

	for (ind = youth_indicator_next(NULL); list && ind; ind = youth_indicator_next(ind)) {
		PyObject *d = youth_py_indicator(ind);
		if (!d || PyList_Append(list, d) < 0)
			Py_CLEAR(list);
		Py_XDECREF(d);
	}
	return list;
}

/* Writes @p report to a path (str) or through write(bytes); None, or raises. */
static PyObject *youth_py_report_write(youth_report *report, PyObject *sink, int format,
                                       unsigned flags)
{
	youth_py_io io = {0};
	int rc;

	if (PyUnicode_Check(sink)) {
		const char *path = youth_py_text(sink, "path");
		if (!path)
			return NULL;
		youth_py_io_release(&io);
		rc = youth_report_write_file(path, report, (youth_report_format)format, flags);
		youth_py_io_acquire(&io);
	} else if (PyCallable_Check(sink)) {
		io.write = sink;
		youth_py_io_release(&io);
		rc = youth_report_write(youth_py_write_cb, &io, report, (youth_report_format)format,
		                        flags);
		youth_py_io_acquire(&io);
	} else {
		PyErr_SetString(PyExc_TypeError, "report: expected a path or a write(bytes) callable");
		return NULL;
	}
	if (io.exc_type) {
		PyErr_Restore(io.exc_type, io.exc_value, io.exc_tb);
		return NULL;
	}
	if (rc < 0) {
		youth_py_set_error(rc);
		return NULL;
	}
	Py_RETURN_NONE;
}
%}

/* ---- the audit trail (youth/audit.h) ---------------------------------------------------------
 * The switch, the actor and the audit of reads are wrapped as they are; the log and the
 * verification come back as plain Python values (entries as dicts {field: str or None} of the
 * kind audit_entry, the verification as a dict). */
%{
#include "youth/audit.h"
%}
%ignore youth_audit_entry;
%ignore youth_audit_filter;
%ignore youth_audit_problem;
%ignore youth_audit_iter_new;
%ignore youth_audit_next;
%ignore youth_audit_iter_free;
%ignore youth_audit_entry_get_field;
%ignore youth_audit_entry_field_name;
%ignore youth_audit_verify;
/* 1 or 0, or a negative code that raises. */
%typemap(out) int youth_audit_enabled {
	if ($1 < 0) {
		youth_py_set_error($1);
		SWIG_fail;
	}
	$result = PyBool_FromLong($1);
}
%include "youth/audit.h"

%nothreadallow youth_py_audit_log;
%nothreadallow youth_py_audit_verify;

%inline %{
/* The entries that pass the filter (None: any), oldest first. */
static PyObject *youth_py_audit_log(youth_registry *reg, const char *kind, const char *uuid,
                                    const char *actor, const char *since, const char *until)
{
	static youth_py_kind entry_kind = {"audit_entry", NULL};
	youth_audit_filter f = {kind, uuid, actor, since, until};
	youth_audit_iter *it = NULL;
	const youth_audit_entry *e;
	PyObject *list;
	int rc = youth_audit_iter_new(&it, reg, &f);

	if (rc) {
		youth_py_set_error(rc);
		return NULL;
	}
	list = PyList_New(0);
	while (list && (rc = youth_audit_next(&e, it)) == YOUTH_OK) {
		PyObject *d = youth_py_record_to_dict(&entry_kind, e);
		if (!d || PyList_Append(list, d) < 0)
			Py_CLEAR(list);
		Py_XDECREF(d);
	}
	youth_audit_iter_free(it);
	if (list && rc != YOUTH_ITEROVER) {
		Py_CLEAR(list);
		youth_py_set_error(rc);
	}
	return list;
}

/* What youth_audit_verify() found: {entries, problems, entry, what, head}, raising only when
 * the trail could not be read (a damaged trail is a result, not an error, at this level). */
static PyObject *youth_py_audit_verify(youth_registry *reg, const char *anchor)
{
	youth_audit_problem p;
	int rc;

	Py_BEGIN_ALLOW_THREADS
	rc = youth_audit_verify(&p, reg, anchor);
	Py_END_ALLOW_THREADS

	if (rc && rc != YOUTH_ECORRUPT) {
		youth_py_set_error(rc);
		return NULL;
	}
	if (rc && !p.problems) {
		youth_py_set_error(rc);
		return NULL;
	}
	return Py_BuildValue("{s:L,s:L,s:L,s:s,s:s}", "entries", (long long)p.entries, "problems",
	                     (long long)p.problems, "entry", (long long)p.entry, "what", p.what,
	                     "head", p.head);
}
%}

/* ---- youth check (youth/check.h): Registry.check() in registry.py. ---- */
%{
#include "youth/check.h"
%}
%ignore youth_check_run;
%ignore youth_check_report_count;
%ignore youth_check_report_unrepaired;
%ignore youth_check_report_get;
%ignore youth_check_report_sealed;
%ignore youth_check_report_free;
%ignore youth_check_problem;
%include "youth/check.h"

%nothreadallow youth_py_check;
%inline %{
/* Runs youth_check_run() without the GIL, then returns (sealed, [problem dicts]), or raises. */
static PyObject *youth_py_check(youth_registry *reg, unsigned flags)
{
	youth_check_report *report = NULL;
	int rc;

	Py_BEGIN_ALLOW_THREADS
	rc = youth_check_run(&report, reg, flags);
	Py_END_ALLOW_THREADS
	if (rc < 0) {
		youth_py_set_error(rc);
		return NULL;
	}
	PyObject *list = PyList_New(0);
	for (size_t i = 0; list && i < youth_check_report_count(report); i++) {
		const youth_check_problem *p = youth_check_report_get(report, i);
		PyObject *d = Py_BuildValue("{s:s,s:z,s:L,s:z,s:s,s:N}", "kind", p->kind, "table",
		                            p->table, "id", (long long)p->id, "uuid", p->uuid,
		                            "message", p->message, "repaired",
		                            PyBool_FromLong(p->repaired));
		if (!d || PyList_Append(list, d) < 0)
			Py_CLEAR(list);
		Py_XDECREF(d);
	}
	PyObject *result = list ? Py_BuildValue("(NN)", PyBool_FromLong(youth_check_report_sealed(report)), list) : NULL;
	youth_check_report_free(report);
	return result;
}
%}

/* ---- duplicates (youth/duplicates.h): Registry.duplicates() and the rest in duplicates.py.
 * Pairs come back as dicts of the kind duplicate; the scan and the counts as plain values. */
%{
#include "youth/duplicates.h"
%}
%nothreadallow youth_py_duplicates_find;
%nothreadallow youth_py_duplicates;
%nothreadallow youth_py_duplicate_get;
%nothreadallow youth_py_person_similar;
%nothreadallow youth_py_person_merge;
%typemap(out) long long youth_py_person_merge {
	if (PyErr_Occurred())
		SWIG_fail;
	$result = PyLong_FromLongLong($1);
}
%inline %{
/* Scans without the GIL (a national registry takes seconds), then the summary as a dict. */
static PyObject *youth_py_duplicates_find(youth_registry *reg, const char *census_round,
                                          long long from_person_id, int min_score, int dry_run)
{
	youth_duplicates_options o = {census_round, (int64_t)from_person_id, min_score, dry_run};
	youth_duplicates_summary s;
	int rc;

	Py_BEGIN_ALLOW_THREADS
	rc = youth_duplicates_find(&s, reg, &o);
	Py_END_ALLOW_THREADS
	if (rc) {
		youth_py_set_error(rc);
		return NULL;
	}
	return Py_BuildValue("{s:L,s:L,s:L,s:L,s:L,s:L,s:L,s:L}", "persons", (long long)s.persons,
	                     "compared", (long long)s.compared, "found", (long long)s.found,
	                     "likely", (long long)s.likely, "added", (long long)s.added,
	                     "reopened", (long long)s.reopened, "kept", (long long)s.kept,
	                     "big_blocks", (long long)s.big_blocks);
}

static youth_py_kind youth_py_kind_duplicate = {"duplicate", NULL, NULL};

/* The stored pairs, best first (state 0 and person 0: any). */
static PyObject *youth_py_duplicates(youth_registry *reg, int state, long long person_id)
{
	youth_duplicate_iter *it = NULL;
	const youth_duplicate *d;
	int rc = youth_duplicate_iter_new(&it, reg, state, (int64_t)person_id);
	if (rc) {
		youth_py_set_error(rc);
		return NULL;
	}
	PyObject *list = PyList_New(0);
	while (list && (rc = youth_duplicate_next(&d, it)) == YOUTH_OK) {
		PyObject *o = youth_py_record_to_dict(&youth_py_kind_duplicate, d);
		if (!o || PyList_Append(list, o) < 0)
			Py_CLEAR(list);
		Py_XDECREF(o);
	}
	youth_duplicate_iter_free(it);
	if (list && rc != YOUTH_ITEROVER) {
		Py_CLEAR(list);
		youth_py_set_error(rc);
	}
	return list;
}

static PyObject *youth_py_duplicate_get(youth_registry *reg, long long id)
{
	youth_duplicate *d = NULL;
	int rc = youth_duplicate_get(&d, reg, (int64_t)id);
	if (rc) {
		youth_py_set_error(rc);
		return NULL;
	}
	PyObject *o = youth_py_record_to_dict(&youth_py_kind_duplicate, d);
	youth_duplicate_free(d);
	return o;
}

/* "Who might this be?": the candidates as (person id, score, name score, reasons) tuples. */
static PyObject *youth_py_person_similar(youth_registry *reg, const char *given,
                                         const char *first_surname, const char *second_surname,
                                         const char *birth_date, int sex, const char *place,
                                         const char *national_id, const char *phone, int limit)
{
	youth_person p;
	youth_person_init(&p);
	p.given_names = given;
	p.first_surname = first_surname;
	p.second_surname = second_surname;
	p.birth_date = birth_date;
	p.sex = sex;
	p.place = place;
	p.national_id = national_id;
	p.phone = phone;
	youth_duplicate_list *l = NULL;
	int rc = youth_person_similar(&l, reg, &p, limit);
	if (rc) {
		youth_py_set_error(rc);
		return NULL;
	}
	PyObject *list = PyList_New(0);
	for (size_t i = 0; list && i < youth_duplicate_list_count(l); i++) {
		const youth_duplicate *d = youth_duplicate_list_get(l, i);
		PyObject *t = Py_BuildValue("(Liis)", (long long)d->other_id, d->score, d->name_score,
		                            d->reasons);
		if (!t || PyList_Append(list, t) < 0)
			Py_CLEAR(list);
		Py_XDECREF(t);
	}
	youth_duplicate_list_free(l);
	return list;
}

/* A merge, its id back; raises on refusal. */
static long long youth_py_person_merge(youth_registry *reg, long long keep, long long other,
                                       const char *take)
{
	int64_t id = 0;
	int rc = youth_person_merge(&id, reg, (int64_t)keep, (int64_t)other, take);
	if (rc) {
		youth_py_set_error(rc);
		return -1;
	}
	return (long long)id;
}
%}
int youth_person_unmerge(youth_registry *reg, int64_t merge_id);
int youth_duplicate_confirm(youth_registry *reg, int64_t id, const char *note);
int youth_duplicate_dismiss(youth_registry *reg, int64_t id, const char *note);

/* ---- Consent per purpose (youth/consent.h): Registry.give_consent() ... in consent.py. ---- */
%{
#include "youth/consent.h"
%}
YOUTH_RECORD(youth_consent, consent)
YOUTH_HANDLE_OUT(youth_consent_iter)
%typemap(out) int youth_consent_give, int youth_consent_withdraw, int youth_consent_get,
              int youth_consent_iter_new, int youth_purpose_check {
	if ($1 < 0) {
		youth_py_set_error($1);
		SWIG_fail;
	}
	$result = NULL;
}
%typemap(out) int youth_consent_next {
	if ($1 == YOUTH_ITEROVER) {
		Py_INCREF(Py_None);
		$result = Py_None;
	} else if ($1 < 0) {
		youth_py_set_error($1);
		SWIG_fail;
	} else {
		$result = NULL;
	}
}
%ignore youth_consent_active;
%ignore youth_purpose_list;
%include "youth/consent.h"

/* They build Python objects: the GIL stays held. */
%nothreadallow youth_py_consent_active;
%nothreadallow youth_py_purposes;
%inline %{
/* (given, since): whether the person has active consent for the purpose, and the date of the
 * row (or legacy flag) that decides, None when there is none. */
static PyObject *youth_py_consent_active(youth_registry *reg, long long person_id,
                                         const char *purpose)
{
	int given = 0;
	char since[YOUTH_DATE_LEN + 1];
	int rc = youth_consent_active(&given, since, reg, (int64_t)person_id, purpose);
	if (rc) {
		youth_py_set_error(rc);
		return NULL;
	}
	return Py_BuildValue("(Nz)", PyBool_FromLong(given), since[0] ? since : NULL);
}

/* The purposes of the registry, as one ", "-separated string. */
static PyObject *youth_py_purposes(youth_registry *reg)
{
	char buf[4096];
	int rc = youth_purpose_list(buf, sizeof buf, reg);
	if (rc) {
		youth_py_set_error(rc);
		return NULL;
	}
	return PyUnicode_FromString(buf);
}
%}

/* ---- erasure and retention (youth/erase.h): Registry.erase_person() and purge() in
 * registry.py.  youth_purge's list of UUIDs comes back through the char **out typemap. ---- */
%{
#include "youth/erase.h"
%}
%typemap(out) int youth_purge {
	if ($1 < 0) {
		youth_py_set_error($1);
		SWIG_fail;
	}
	$result = NULL;
}
%include "youth/erase.h"
