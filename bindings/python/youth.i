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
 *  - youth_person_next()/youth_place_next() return None at YOUTH_ITEROVER.
 *  - Records cross the boundary as dicts: a person is {field name: str or None} in both
 *    directions (youth_person_set_field()/youth_person_get_field() do the conversions, so every
 *    rule stays in C); a place is {id, uuid, path, name, level, critical}; a filter is a dict
 *    with the members of youth_person_filter.
 *  - Handles (registry, iterators) are bare pointers; the Python package frees them explicitly.
 *    The C library defers the close of a registry until its iterators are freed, so any order
 *    is safe.
 */
%module(package="youth", docstring="Thin SWIG mirror of the libyouth C API (internal: use the package youth).") capi

%{
#include <string.h>
#include <limits.h>
/* The headers mirrored below (add a header here and at the end of this file together). */
#include "youth/version.h"
#include "youth/common.h"
#include "youth/registry.h"
#include "youth/gazetteer.h"
#include "youth/person.h"

/* Raises the youth.Error subclass for @p code, described by youth_error_last(). */
static void youth_py_set_error(int code)
{
	const youth_error *e = youth_error_last();
	const char *name = youth_error_name(code);
	const char *message = NULL;
	const char *field = NULL;
	PyObject *mod, *exc = NULL;

	if (e && e->code == code) {
		message = e->message;
		field = e->field;
	}
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

/* UTF-8 of a str with no embedded NUL; NULL with an exception set otherwise. */
static const char *youth_py_text(PyObject *s, const char *what)
{
	Py_ssize_t n;
	const char *text;

	if (!PyUnicode_Check(s)) {
		PyErr_Format(PyExc_TypeError, "%s: expected str or None, got %s", what,
		             Py_TYPE(s)->tp_name);
		return NULL;
	}
	text = PyUnicode_AsUTF8AndSize(s, &n);
	if (text && strlen(text) != (size_t)n) {
		PyErr_Format(PyExc_ValueError, "%s: embedded null character", what);
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
 * Fills @p p from a dict {field: str or None}.  The strings are borrowed from a copy of the
 * dict stored in *keep (released by the freearg typemap), so they outlive the C call even if
 * another thread changes the caller's dict while the GIL is released.
 */
static int youth_py_person_from_dict(PyObject *obj, youth_person *p, PyObject **keep)
{
	Py_ssize_t pos = 0;
	PyObject *key, *value;

	youth_person_init(p);
	if (!PyDict_Check(obj)) {
		PyErr_Format(PyExc_TypeError, "person: expected a dict of field -> str or None, got %s",
		             Py_TYPE(obj)->tp_name);
		return -1;
	}
	*keep = PyDict_Copy(obj);
	if (!*keep)
		return -1;
	while (PyDict_Next(*keep, &pos, &key, &value)) {
		const char *field, *text = NULL;
		int rc;

		field = youth_py_text(key, "person field name");
		if (!field)
			return -1;
		if (value != Py_None) {
			text = youth_py_text(value, field);
			if (!text)
				return -1;
		}
		rc = youth_person_set_field(p, field, text);
		if (rc < 0) {
			youth_py_set_error(rc);
			return -1;
		}
	}
	return 0;
}

/* A new dict {field: str or None} in the canonical field order. */
static PyObject *youth_py_person_to_dict(const youth_person *p)
{
	PyObject *d = PyDict_New();
	size_t i;

	if (!d)
		return NULL;
	for (i = 0;; i++) {
		const char *name = youth_person_field_name(i);
		const char *text = NULL;
		char buf[64];
		PyObject *v;
		int rc;

		if (!name)
			break;
		rc = youth_person_get_field(p, name, buf, sizeof buf, &text);
		if (rc < 0) {
			youth_py_set_error(rc);
			goto fail;
		}
		v = youth_py_str_or_none(text);
		if (!v)
			goto fail;
		rc = PyDict_SetItemString(d, name, v);
		Py_DECREF(v);
		if (rc < 0)
			goto fail;
	}
	return d;
fail:
	Py_DECREF(d);
	return NULL;
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
%}

%include <stdint.i>

/* ---- Things Python does not call directly (the typemaps below use them). ---- */
%ignore youth_error;
%ignore youth_allocator;
%ignore youth_set_allocator;
%ignore youth_free;
%ignore youth_person;
%ignore youth_person_filter;
%ignore youth_place;
%ignore youth_person_init;
%ignore youth_person_free;
%ignore youth_person_set_field;
%ignore youth_person_get_field;
%ignore youth_place_free;

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
              int youth_person_count, int youth_person_iter_new,
              int youth_census_load, int youth_census_load_buffer,
              int youth_gazetteer_load, int youth_gazetteer_load_buffer,
              int youth_place_add, int youth_place_get, int youth_place_iter_new {
	if ($1 < 0) {
		youth_py_set_error($1);
		SWIG_fail;
	}
	$result = NULL;
}

/* Iterators: YOUTH_ITEROVER is not an error but the end, returned as None. */
%typemap(out) int youth_person_next, int youth_place_next {
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
%typemap(out) int youth_registry_schema_version, int youth_registry_in_transaction {
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

/* Counters and ids. */
%typemap(in, numinputs=0) int64_t *out (int64_t temp = 0), int64_t *added (int64_t temp = 0),
                          int64_t *id (int64_t temp = 0) {
	$1 = &temp;
}
%typemap(argout) int64_t *out, int64_t *added, int64_t *id {
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

/* A person owned by the caller (youth_person_get*): dict, then freed. */
%typemap(in, numinputs=0) youth_person **out (youth_person *temp = NULL) {
	$1 = &temp;
}
%typemap(argout) youth_person **out {
	if (!$result) {
		PyObject *o = youth_py_person_to_dict(*$1);
		if (!o)
			SWIG_fail;
		%append_output(o);
	}
}
%typemap(freearg) youth_person **out {
	if ($1)
		youth_person_free(*$1);
}

/* The iterator's person (owned by the iterator): dict. */
%typemap(in, numinputs=0) const youth_person **out (const youth_person *temp = NULL) {
	$1 = ($1_ltype)&temp;
}
%typemap(argout) const youth_person **out {
	if (!$result) {
		PyObject *o = youth_py_person_to_dict(*$1);
		if (!o)
			SWIG_fail;
		%append_output(o);
	}
}
/* Owned by the iterator: must not pick up the freeing typemap of youth_person **. */
%typemap(freearg) const youth_person **out "";

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

/* ---- Input records. ---- */

/* A person from a dict {field: str or None}. */
%typemap(in) youth_person *p (youth_person temp, PyObject *keep = NULL),
             const youth_person *p (youth_person temp, PyObject *keep = NULL) {
	if (youth_py_person_from_dict($input, &temp, &keep) < 0)
		SWIG_fail;
	$1 = &temp;
}
%typemap(freearg) youth_person *p, const youth_person *p {
	Py_XDECREF(keep$argnum);
}
/* youth_person_add() sets the id and the generated uuid: returned as {id, uuid}. */
%typemap(argout) youth_person *p {
	if (!$result) {
		PyObject *o = Py_BuildValue("{s:L,s:s}", "id", (long long)$1->id, "uuid", $1->uuid);
		if (!o)
			SWIG_fail;
		%append_output(o);
	}
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

/* ---- The C API. ---- */
%include "youth/version.h"
%include "youth/common.h"
%include "youth/registry.h"
%include "youth/gazetteer.h"
%include "youth/person.h"
