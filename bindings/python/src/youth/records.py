"""The record classes of the package, built from the C library's description of its kinds,
their conversions to and from the dicts of the SWIG layer, and the Registry methods that are the
same for every kind.

The C library publishes the description of every kind of record (``youth/kind.h``,
:func:`youth.kinds`): its fields with their types and flags.  :func:`record` makes a class
declared with a name and a docstring the dataclass of a kind: its attributes, their types and
defaults, how each field's text is read back (an int, a date, a Decimal, a bool, a list...) and
which fields the library sets itself (read-only, not sent) all come from there, so a field
added in C appears in Python with no edit here.  Records cross the SWIG boundary as dicts
{field: str or None}, or, for iterations, in blocks built in C as :func:`_block_spec` says;
values going to C are turned into text by :func:`_text` (money by :func:`money_text`).  Nothing here validates: the C library checks every rule, so a rule lives
in one place.

The Registry methods of the kinds (add, update, get, iterate, move to a state) are declared
per kind with one line each (:func:`stores`, :func:`getter`, :func:`iterator`,
:func:`transition`, :func:`call`) and written once here.
"""

import dataclasses
import datetime
import decimal
import inspect
import itertools
import operator
import os
from typing import (Any, Callable, Dict, Generic, Iterator, List, Optional, TypeVar, Union)

from . import capi
from .errors import InvalidError

__all__ = ["kinds", "Records"]

T = TypeVar("T")

_KINDS = None


def kinds() -> Dict[str, Dict[str, Any]]:
    """The C library's description of every kind of record, in the library's order:
    {kind name: {"name", "label", "doc", "fields": [{"name", "type", "readonly", "list",
    "default_on", "vocabulary", "refers_to", "doc"}, ...]}}.  Static: read once."""
    global _KINDS
    if _KINDS is None:
        _KINDS = {k["name"]: k for k in capi.youth_py_kinds()}
    return _KINDS


def _text(name, value):
    """The text form of one field value (what youth_record_set_field() parses)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        for item in value:
            if not isinstance(item, str):
                raise TypeError("%s: expected a list of str, got an item of type %s"
                                % (name, type(item).__name__))
        return ", ".join(value)
    raise TypeError("%s: cannot use a value of type %s" % (name, type(value).__name__))


_CENT = decimal.Decimal("0.01")


def money_text(name, value):
    """A money value -> the text youth_*_set_field() parses ("125.50").  Exact: a Decimal
    with more than two decimals is passed on unrounded, so the C library refuses it."""
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError("%s: expected a decimal.Decimal, int or str, got %s (money is never a "
                        "float)" % (name, type(value).__name__))
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        value = decimal.Decimal(value)
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            return str(value)
        q = value.quantize(_CENT, context=decimal.Context(prec=40))
        if q == value:
            return "{:f}".format(q)
        return "{:f}".format(value)
    raise TypeError("%s: cannot use a value of type %s as money" % (name, type(value).__name__))


def cents_to_decimal(cents):
    """int cents -> Decimal of dollars with two decimals (12550 -> Decimal('125.50'))."""
    return decimal.Decimal(int(cents)).scaleb(-2)


_TRUE = ("true", "yes", "1")


def _list(text):
    return [item.strip() for item in text.split(",") if item.strip()]


#: A date argument: a datetime.date or its ISO 8601 text ("2009-03-02").
DateLike = Union[datetime.date, str]
#: A money argument: a Decimal of dollars, an int of dollars or the text "125.50" (never a float).
Money = Union[decimal.Decimal, int, str]
#: A path argument: a str or a path-like object (pathlib.Path).
PathLike = Union[str, "os.PathLike[str]"]

# C field type -> the Python type of the attribute (date and money: see _attribute).
_PY_TYPES = {"id": int, "ref": int, "int": int, "count": int,
             "uuid": str, "text": str, "enum": str}
_NO_DEFAULT = object()

# C field type -> how a non-empty text is read back (None: kept as str).
# (A name of _READ_ENV; bool has an expression of its own, see _reader.)
_PARSE = {
    "id": "int", "ref": "int", "int": "int", "count": "int",
    "uuid": None, "text": None, "enum": None,
    "date": "_date",
    "money": "_decimal",
}
_READ_ENV = {"_date": datetime.date.fromisoformat, "_decimal": decimal.Decimal, "_list": _list,
             "_TRUE": _TRUE}


def _attribute(c, default=_NO_DEFAULT, complete=False):
    """The Python type and the dataclass default of C field ``c`` (a dict of :func:`kinds`).

    A list is ``List[str]``, default ``[]``; a bool is ``bool``, default its ``default_on``;
    every other field is ``Optional[...]`` with default None: ``int`` for an id, ref, int or
    count; ``str`` for a uuid, text or enum; a date is ``DateLike`` (a date or ISO text) where
    the caller gives it and ``datetime.date`` where the library sets it (read-only); money
    likewise ``Money`` (Decimal, int or text) or ``decimal.Decimal``.  ``default`` (a
    Python-only default given to :func:`record`) replaces the default; the type then loses its
    ``Optional``.  ``complete`` (a record the library always hands over whole): the plain type
    and no default (``_NO_DEFAULT``)."""
    if c["list"]:
        if complete:
            return List[str], _NO_DEFAULT
        return List[str], dataclasses.field(default_factory=list)
    kind = c["type"]
    if kind == "bool":
        if complete:
            return bool, _NO_DEFAULT
        return bool, c["default_on"] if default is _NO_DEFAULT else default
    if kind == "date":
        py = datetime.date if c["readonly"] else DateLike
    elif kind == "money":
        py = decimal.Decimal if c["readonly"] else Money
    else:
        py = _PY_TYPES[kind]
    if complete:
        return py, _NO_DEFAULT
    if default is _NO_DEFAULT:
        return Optional[py], None
    return py, default


def _reader(f, c, v):
    """The expression reading the text ``v`` of dataclass field ``f`` (C field ``c``) back,
    with the names it uses ({name: object}).  An unset field (None) gives the attribute's
    default: None, or 0 for a count of the library, [] for a list.  An expression rather than
    a function: a record read calls no Python function per field."""
    env = {}
    if c["list"]:
        parse = "_list"
    elif c["type"] == "bool":
        return "(%s is not None and %s.lower() in _TRUE)" % (v, v), env
    else:
        parse = _PARSE[c["type"]]
    if f.default_factory is not dataclasses.MISSING:
        env["d_" + f.name] = f.default_factory
        unset = "d_%s()" % f.name
    elif f.default is None or f.default is dataclasses.MISSING:
        unset = "None"
    else:
        env["d_" + f.name] = f.default
        unset = "d_" + f.name
    if parse is None:
        return v if unset == "None" else "(%s if %s is None else %s)" % (unset, v, v), env
    return "(%s if %s is None else %s(%s))" % (unset, v, parse, v), env


def record(kind, defaults=None, complete=False, frozen=False, types=None):
    """Class decorator making ``cls`` the dataclass of the C kind ``kind`` ("person",
    "plan_visit"...).

    A class that declares no fields gets them from the C description (:func:`kinds`): one
    attribute per C field, in the C order, typed and defaulted as :func:`_attribute` says
    (``defaults``: {field: value} for the rare Python-only default), then the class becomes a
    dataclass (``frozen``: immutable).  ``complete`` is for a record the library only hands
    over, whole (a place, a recorded override): every attribute of its plain type and
    required.  ``types``: {field: type} for a field Python shows otherwise (a place's level
    is its name).  Its docstring, methods and properties are its own.  A class that is already
    a dataclass with its own fields (a hand-written one) is checked instead: TypeError (at
    import time) unless it has exactly the C kind's fields in their order, its list fields
    being exactly the C kind's.

    Attaches to the class the reader of :func:`from_fields` and the writers of
    :func:`to_fields`, computed once."""
    def bind(cls):
        info = kinds()[kind]
        if not dataclasses.is_dataclass(cls):
            cls = _generate(cls, info, defaults or {}, complete, frozen, types or {})
        c_fields = info["fields"]
        fields = dataclasses.fields(cls)
        names = [f.name for f in fields]
        if names != [c["name"] for c in c_fields]:
            raise TypeError("youth.%s and the C kind %s disagree on the fields: %s against %s"
                            % (cls.__name__, kind, names, [c["name"] for c in c_fields]))
        readers = []
        for f, c in zip(fields, c_fields):
            if c["list"] != (f.default_factory is list):
                raise TypeError("youth.%s.%s: %s in the C kind %s"
                                % (cls.__name__, f.name, "a list" if c["list"] else "not a list",
                                   kind))
            readers.append((f, c))
        cls._youth_kind = info
        # The noun of messages and of key_id(): "session" for a counselling_session.
        cls._youth_what = kind.rpartition("_")[2]
        cls._youth_from = _compile_reader(cls, readers)
        cls._youth_spec = _block_spec(readers)
        cls._youth_writers = tuple((c["name"], money_text if c["type"] == "money" else _text)
                                   for c in c_fields if not c["readonly"])
        return cls
    return bind


def _generate(cls, info, defaults, complete, frozen, types):
    """``cls`` made a dataclass whose fields are those of the C kind ``info`` (the options of
    :func:`record`).  The annotations exist at run time only (``typing.get_type_hints``, IDEs
    that import the package); docs/python.md says why there is no stub."""
    own = cls.__dict__.get("__annotations__", {})
    unknown = (set(defaults) | set(types)) - {c["name"] for c in info["fields"]}
    if own or unknown:
        raise TypeError("youth.%s: the fields of a record come from the C kind %s (%s)"
                        % (cls.__name__, info["name"], ", ".join(sorted(set(own) | unknown))))
    annotations = {}
    for c in info["fields"]:
        name = c["name"]
        if name in cls.__dict__:
            raise TypeError("youth.%s.%s: an attribute hides the field of the C kind %s"
                            % (cls.__name__, name, info["name"]))
        annotations[name], default = _attribute(c, defaults.get(name, _NO_DEFAULT), complete)
        annotations[name] = types.get(name, annotations[name])
        if default is not _NO_DEFAULT:
            setattr(cls, name, default)
    cls.__annotations__ = annotations
    return dataclasses.dataclass(cls, frozen=frozen)


def _compile_reader(cls, readers):
    """One function {field: text} -> instance of ``cls`` for its fields ``readers`` (pairs of
    a dataclass field and its C field).

    It runs once per record read (a million times for a census), so it is compiled like the
    __init__ of dataclasses: no loop, no look-up of the description and no Python call per
    field.  The SWIG layer hands over every field in the C order, so a complete dict is
    unpacked by position, one C-level operation (checking the order of its keys as well would
    cost as much as the constructor: a complete dict must come in the C order, as the SWIG
    layer's do); a partial dict falls back to a look-up per field."""
    env = dict(_READ_ENV, cls=cls, n=len(readers))
    values, by_name = [], []
    for i, (f, c) in enumerate(readers):
        expr, names = _reader(f, c, "v%d" % i)
        env.update(names)
        values.append(expr)
        by_name.append("v%d = get(%r)" % (i, f.name))
    unpack = ", ".join("v%d" % i for i in range(len(readers))) + ","
    src = ("def from_fields(fields):\n"
           "    if len(fields) == n:\n"
           "        %s = fields.values()\n"
           "    else:\n"
           "        get = fields.get\n"
           "        %s\n"
           "    return cls(%s)\n") % (unpack, "\n        ".join(by_name), ", ".join(values))
    exec(src, env)
    return env["from_fields"]


# C field type -> how the block reader of the SWIG layer turns its text into the value
# (youth.i, "Records in blocks": 0 str, 1 int, 2 date, 3 the parse function, 4 bool, 5 list).
_HOW = {"id": 1, "ref": 1, "int": 1, "count": 1, "uuid": 0, "text": 0, "enum": 0,
        "date": 2, "money": 3, "bool": 4}
_LIST = 5


def _block_spec(readers):
    """What the block reader (``capi.youth_py_<kind>_block``) needs to build the records that
    the compiled reader of :func:`_compile_reader` builds from a dict: per field, in the C
    order, (how, the value of an unset field, the function parsing a text).  The same table
    (_PARSE, _READ_ENV, the dataclass defaults) serves both, so both give the same values."""
    spec = []
    for f, c in readers:
        if c["list"]:
            spec.append((_LIST, None, _list))
            continue
        how = _HOW[c["type"]]
        name = _PARSE.get(c["type"])  # None: kept as str (and bool, read in C alone)
        parse = int if name == "int" else _READ_ENV[name] if name else str
        unset = None
        if f.default is not dataclasses.MISSING and f.default is not None:
            unset = f.default
        spec.append((how, unset, parse))
    return tuple(spec)


def to_fields(cls, record, what):
    """A dataclass instance -> {field: text or None} for the SWIG layer.  Read-only fields
    (set by the library, such as an enrollment's state) are not sent."""
    if not isinstance(record, cls):
        raise TypeError("%s: expected a youth.%s, got %s"
                        % (what, cls.__name__, type(record).__name__))
    return {name: text(name, getattr(record, name)) for name, text in cls._youth_writers}


def from_fields(cls, fields):
    """The dict {field: text or None} returned by the SWIG layer -> a dataclass instance.
    A dict holding every field must list them in the C order (the SWIG layer's do); a partial
    one may be in any order, a missing field being unset."""
    return cls._youth_from(fields)


def key_id(key, cls, what=None):
    """An int id, or the id of a record of class ``cls``; ``what`` names the argument in the
    TypeError (default: the noun of the class's kind, "session" for a CounsellingSession)."""
    if isinstance(key, cls):
        key = key.id
    if isinstance(key, bool) or not isinstance(key, int):
        raise TypeError("%s: expected an int id or a youth.%s, got %s"
                        % (what or cls._youth_what, cls.__name__, type(key).__name__))
    return key


def key_or_all(cls):
    """The converter of a filter argument naming a record of ``cls``: None (every record) is
    0, else :func:`key_id`."""
    def convert(key):
        return 0 if key is None else key_id(key, cls)
    convert.hint = Optional[Union[int, cls]]  # the parameter's annotation (see _function)
    return convert


def key_of(cls):
    """The converter of an argument naming one record of ``cls``: :func:`key_id`."""
    def convert(key):
        return key_id(key, cls)
    convert.hint = Union[int, cls]
    return convert


def date_arg(value):
    """The converter of a ``date`` argument: a date or ISO text -> the text C parses."""
    return _text("date", value)


date_arg.hint = DateLike


def optional_date(name, value):
    """A date bound of a count or a range (None: unbounded) -> text or None."""
    return None if value is None else _text(name, value)


def vocabulary(name_fn):
    """Names of a C vocabulary, from value 1 until NULL: {"counsellor": 1, ...}."""
    names = {}
    value = 1
    while True:
        name = name_fn(value)
        if name is None:
            return names
        names[name] = value
        value += 1


def vocab_value(vocab, what, value, noun="name", unset=False):
    """The C value of a vocabulary name (``vocab``: {name: value}, from :func:`vocabulary`);
    an int passes through (the C library checks it); None is 0 when ``unset`` allows it.
    An unknown name is youth.InvalidError naming ``what`` and the known names."""
    if value is None and unset:
        return 0
    if isinstance(value, bool):
        raise TypeError("%s: expected a %s, got bool" % (what, noun))
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return vocab[value]
        except KeyError:
            raise InvalidError("%s %r: not one of %s" % (what, value, ", ".join(vocab)),
                               code=capi.YOUTH_EINVAL, field=what) from None
    raise TypeError("%s: expected a %s, got %s" % (what, noun, type(value).__name__))


# ---- the iterators ------------------------------------------------------------------------

class Records(Generic[T]):
    """The records an iteration of a registry yields (``reg.persons()``, ``reg.enrollments()``,
    ``reg.timeline(p)``...), read lazily, in blocks, as the loop asks for them.

    Iterate it once (``for p in reg.persons():``, ``next(it)``, ``list(it)``), or make it a
    pandas DataFrame of the records not yet read with :meth:`to_pandas`.  :meth:`close` (or
    the end of the records, or the garbage collector) frees the C iterator.  Closing the
    registry meanwhile ends the iteration at the next record with youth.MisuseError."""

    __slots__ = ("_gen", "_loop", "_cls", "_block", "__weakref__")

    def __init__(self, blocks: Callable[["Records[T]"], Iterator[List[T]]], cls: type) -> None:
        #: the block being handed out (see _stop); ``blocks(self)`` sets it before each yield
        self._block: List[T] = []
        self._gen = blocks(self)
        # The loop runs over the blocks in C (chain), not through a Python call per record.
        self._loop: Iterator[T] = itertools.chain.from_iterable(self._gen)
        self._cls = cls

    def __iter__(self) -> Iterator[T]:
        return self._loop

    def __next__(self) -> T:
        return next(self._loop)

    def __repr__(self) -> str:
        return "<youth.Records of %s>" % self._cls.__name__

    def close(self) -> None:
        """Frees the C iterator now; the records not yet read are not read."""
        self._gen.close()

    def _stop(self) -> None:
        # The registry is closed: the records left in the block in hand are dropped, so the
        # loop asks for the next block at once, and the generator refuses it.
        self._block.clear()

    def to_pandas(self) -> Any:
        """The records not yet read as a pandas DataFrame, one column per attribute in the
        class's order (``id`` first for the records of a kind), values as the records hold them
        (ints, str, datetime.date, Decimal, bool, lists; None where unset).  Reads the rest of
        the iteration.  pandas is not a dependency of the package: ImportError without it."""
        pd = _pandas("to_pandas()")
        names = [f.name for f in dataclasses.fields(self._cls)]
        row = operator.attrgetter(*names)
        if len(names) == 1:
            return pd.DataFrame.from_records([(row(r),) for r in self._loop], columns=names)
        return pd.DataFrame.from_records([row(r) for r in self._loop], columns=names)


def _pandas(what: str) -> Any:
    """The pandas module, or ImportError saying how to get it (never a dependency)."""
    try:
        import pandas
    except ImportError as e:
        raise ImportError("%s needs pandas, which is not installed (pip install pandas, or "
                          "apt-get install python3-pandas on Debian)" % what,
                          name="pandas") from e
    return pandas


# ---- the Registry methods of every kind ---------------------------------------------------
#
# The methods that are the same for every kind (add and update, get by id, iterate, move to a
# state) are written once below and declared per kind with one line in the kind's mixin:
#
#     add_course = stores(Course, capi.youth_course_add, "course", """Validates...""")
#
# On the class, each declaration becomes an ordinary function with the declared name, the
# declared parameters (so keyword arguments, defaults, help() and inspect.signature() are those
# of a hand-written method) and the docstring, calling the generic implementation.

REQUIRED = inspect.Parameter.empty


class Arg:
    """One parameter of a declared method: its ``name``, its ``default`` (REQUIRED: none) and
    the ``convert`` function giving the value the C call takes (None: the value itself);
    ``with_self``: ``convert(registry, value)``, for a conversion that reads the registry (a
    course code); ``hint``: its type annotation (default: the converter's ``hint`` attribute,
    if any)."""

    __slots__ = ("name", "default", "convert", "with_self", "hint")

    def __init__(self, name, convert=None, default=REQUIRED, with_self=False, hint=None):
        self.name, self.convert, self.default, self.with_self = name, convert, default, with_self
        self.hint = hint if hint is not None else getattr(convert, "hint", None)


class _Method:
    """A declared method (see the functions below): replaced, when its class is created, by
    the function :func:`_function` builds (``__set_name__`` runs then, with the attribute's
    name)."""

    def __init__(self, args, doc, make, returns=None):
        self.args, self.doc, self.make, self.returns = args, doc, make, returns

    def __set_name__(self, owner, name):
        setattr(owner, name, _function(owner, name, self.args, self.make(name), self.doc,
                                       self.returns))


def _function(owner, name, args, impl, doc, returns=None):
    """``def name(self, <args>): return impl(self, <each arg converted>)``, compiled so that
    the signature is exactly the declared one (the converters run before any lock is taken,
    as a hand-written method checks its arguments first)."""
    env = {"_impl": impl}
    params, values = [], []
    for i, a in enumerate(args):
        if a.default is REQUIRED:
            params.append(a.name)
        else:
            env["_d%d" % i] = a.default
            params.append("%s=_d%d" % (a.name, i))
        if a.convert is None:
            values.append(a.name)
        else:
            env["_c%d" % i] = a.convert
            values.append("_c%d(%s%s)" % (i, "self, " if a.with_self else "", a.name))
    src = "def %s(self%s):\n    return _impl(self%s)\n" % (
        name, "".join(", " + p for p in params), "".join(", " + v for v in values))
    exec(src, env)
    fn = env[name]
    fn.__module__ = owner.__module__
    fn.__qualname__ = "%s.%s" % (owner.__qualname__, name)
    fn.__doc__ = inspect.cleandoc(doc)  # declared in the class body, indented
    fn.__annotations__ = {a.name: a.hint for a in args if a.hint is not None}
    if returns is not None:
        fn.__annotations__["return"] = returns
    return fn


def _args(args):
    return [a if isinstance(a, Arg) else Arg(a) for a in args]


def stores(cls, write, param, doc, *args):
    """An add or update of ``cls``: ``method(self, <param>, <args>)`` sends the record as text
    fields to ``write(handle, fields, <args converted>)`` and returns it as stored
    (Registry._store)."""
    def make(name):
        return lambda self, record, *rest: self._store(cls, name, write, record, *rest)
    return _Method([Arg(param, hint=cls)] + _args(args), doc, make, cls)


def call(fn, doc, *args, returns=None):
    """A method that hands its arguments, converted, to ``fn(handle, <args>)`` under the lock
    and returns what it returns (a count, a number of records loaded...: ``returns``)."""
    def impl(self, *values):
        return self._locked(fn, *values)
    return _Method(_args(args), doc, lambda name: impl, returns)


def getter(cls, doc, by_code=False):
    """``get_<kind>(self, key)``: the record of ``cls`` with int id ``key`` (or the record
    itself); with ``by_code`` also a str code.  youth.NotFoundError from C if none."""
    kind = cls._youth_kind["name"]
    get = getattr(capi, "youth_%s_get" % kind)
    get_by_code = getattr(capi, "youth_%s_get_by_code" % kind) if by_code else None
    read = cls._youth_from

    def impl(self, key):
        with self._lock:
            reg = self._handle()
            if get_by_code is not None and isinstance(key, str):
                return read(get_by_code(reg, key))
            return read(get(reg, key_id(key, cls)))
    hint = Union[int, str, cls] if by_code else Union[int, cls]
    return _Method([Arg("key", hint=hint)], doc, lambda name: impl, cls)


def iterator(cls, doc, *args, new=None):
    """An iteration of the records of ``cls``: ``method(self, <args>)`` opens the C iterator
    ``new(handle, <args converted>)`` (default youth_<kind>_iter_new) under the lock and yields
    each record until its end, read in blocks (Registry._blocks)."""
    kind = cls._youth_kind["name"]
    new = new or getattr(capi, "youth_%s_iter_new" % kind)
    free = getattr(capi, "youth_%s_iter_free" % kind)
    block = getattr(capi, "youth_py_%s_block" % kind)

    def impl(self, *values):
        with self._lock:
            it = self._owned(new(self._handle(), *values), free)
        return self._blocks(it, block, cls)
    return _Method(_args(args), doc, lambda name: impl, Records[cls])


def transition(cls, call, param, doc, *args):
    """A change the library makes to one record of ``cls`` (a state, attendance...):
    ``method(self, <param>, <args>)`` runs ``call(handle, id, <args converted>)`` and returns
    the record as stored.  ``param`` is an id or the record."""
    def impl(self, key, *values):
        rid = key_id(key, cls)
        with self._lock:
            call(self._handle(), rid, *values)
            return self._fetch(cls, rid)
    return _Method([Arg(param, hint=Union[int, cls])] + _args(args), doc, lambda name: impl, cls)


class _Owned:
    """A C object (an iterator, a report) and its free function: freed by close() (the end of
    an iteration), or when garbage collected (the C library frees in any order)."""

    __slots__ = ("ptr", "_free")

    def __init__(self, ptr, free):
        self.ptr = ptr
        self._free = free

    def close(self):
        ptr, self.ptr = self.ptr, None
        if ptr is not None:
            self._free(ptr)

    def __del__(self):
        # An iteration never started never ran its generator's finally: free the C iterator
        # here (the C library frees in any order, so no lock is needed).
        try:
            self.close()
        except Exception:
            pass
