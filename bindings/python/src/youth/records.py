"""Conversions between the dataclasses of the package and the dicts of the SWIG layer.

Records cross the SWIG boundary as dicts {field: str or None}.  How each field's text is read
back (an int, a date, a Decimal, a bool, a list...) and which fields the library sets itself
(read-only, not sent) come from the C library's published description of its kinds
(``youth/kind.h``, :func:`youth.kinds`): a dataclass only names its attributes and defaults,
and :func:`record` checks at import time that they are exactly the fields of the C kind, so
the two cannot drift apart.  Values going to C are turned into text by :func:`_text` (money by
:func:`money_text`).  Nothing here validates: the C library checks every rule, so a rule lives
in one place.
"""

import dataclasses
import datetime
import decimal

from . import capi
from .errors import InvalidError

__all__ = ["kinds"]

_KINDS = None


def kinds():
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


def _bool(text):
    return text is not None and text.lower() in ("true", "yes", "1")


def _list(text):
    return [item.strip() for item in text.split(",") if item.strip()]


# C field type -> how a non-empty text is read back (None: kept as str).
_PARSE = {
    "id": int, "ref": int, "int": int, "count": int,
    "uuid": None, "text": None, "enum": None,
    "date": datetime.date.fromisoformat,
    "bool": _bool,
    "money": decimal.Decimal,
}


def _reader(f, c):
    """The function reading the text of dataclass field ``f`` (C field ``c``) back, or None
    when the text is the value.  An unset field (None) gives the attribute's default: None, or
    0 for a count of the library, [] for a list."""
    parse = _list if c["list"] else _PARSE[c["type"]]
    if c["type"] == "bool":
        return parse
    if f.default_factory is not dataclasses.MISSING:
        factory = f.default_factory
        return lambda text: factory() if text is None else parse(text)
    if f.default is None:
        if parse is None:
            return None
        return lambda text: None if text is None else parse(text)
    default = f.default
    if parse is None:
        return lambda text: default if text is None else text
    return lambda text: default if text is None else parse(text)


def record(kind):
    """Class decorator binding a dataclass to the C kind ``kind`` ("person", "plan_visit"...).

    Raises TypeError (at import time) unless the dataclass has exactly the C kind's fields in
    its order, and unless its list fields are exactly the C kind's: the test that nothing
    drifts.
    Attaches to the class the readers of :func:`from_fields` and the writers of
    :func:`to_fields`, computed once."""
    def bind(cls):
        info = kinds()[kind]
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
            readers.append((f.name, _reader(f, c)))
        cls._youth_kind = info
        cls._youth_from = _compile_reader(cls, readers)
        cls._youth_writers = tuple((c["name"], money_text if c["type"] == "money" else _text)
                                   for c in c_fields if not c["readonly"])
        return cls
    return bind


def _compile_reader(cls, readers):
    """One function {field: text} -> instance of ``cls`` for the readers of its fields: a
    single call with one argument expression a field, no loop and no test per field, as
    dataclasses writes its __init__ (from_fields runs once per record read)."""
    env = {"cls": cls}
    args = []
    for i, (name, read) in enumerate(readers):
        if read is None:
            args.append("get(%r)" % name)
        else:
            env["r%d" % i] = read
            args.append("r%d(get(%r))" % (i, name))
    src = "def from_fields(fields):\n    get = fields.get\n    return cls(%s)\n" % ", ".join(args)
    exec(src, env)
    return env["from_fields"]


def to_fields(cls, record, what):
    """A dataclass instance -> {field: text or None} for the SWIG layer.  Read-only fields
    (set by the library, such as an enrollment's state) are not sent."""
    if not isinstance(record, cls):
        raise TypeError("%s: expected a youth.%s, got %s"
                        % (what, cls.__name__, type(record).__name__))
    return {name: text(name, getattr(record, name)) for name, text in cls._youth_writers}


def from_fields(cls, fields):
    """The dict {field: text or None} returned by the SWIG layer -> a dataclass instance."""
    return cls._youth_from(fields)


def key_id(key, cls, what):
    """An int id, or the id of a record of class ``cls``."""
    if isinstance(key, cls):
        key = key.id
    if isinstance(key, bool) or not isinstance(key, int):
        raise TypeError("%s: expected an int id or a youth.%s, got %s"
                        % (what, cls.__name__, type(key).__name__))
    return key


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

