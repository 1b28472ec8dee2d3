"""Conversions between the dataclasses of the package and the dicts of the SWIG layer.

Records with a text interface in C (``youth_<kind>_set_field`` / ``_get_field`` /
``_field_name``) cross the SWIG boundary as dicts {field: str or None}.  Each dataclass field
declares how its text is read back (``kind`` in the field's metadata: ``id``, ``int``,
``bool``, ``date``, ``text``); values going to C are turned into text by the same function as
for persons.  Nothing here validates: the C library checks every rule, so a rule lives in one
place.
"""

import dataclasses
import datetime
import decimal

from .person import _text

__all__ = []


def text_field(**kw):
    """A str field (or an enum given by its name)."""
    return dataclasses.field(default=kw.pop("default", None), metadata=dict(kind="text", **kw))


def id_field(**kw):
    """A record id (int), or None when unset."""
    return dataclasses.field(default=None, metadata=dict(kind="id", **kw))


def int_field(**kw):
    """A whole number, or None when unset (0 in C)."""
    return dataclasses.field(default=kw.pop("default", None), metadata=dict(kind="int", **kw))


def count_field(**kw):
    """A count set by the library: 0 (which C reads back as no text) when none."""
    return dataclasses.field(default=0, metadata=dict(kind="count", **kw))


def bool_field(default=False, **kw):
    return dataclasses.field(default=default, metadata=dict(kind="bool", **kw))


def date_field(**kw):
    """A datetime.date (ISO text accepted on input), or None."""
    return dataclasses.field(default=None, metadata=dict(kind="date", **kw))


def money_field(**kw):
    """Money: a decimal.Decimal of dollars ("125.50" in C, int64 cents underneath), or None.
    On input a Decimal, an int (whole dollars) or the C text form; never a float."""
    return dataclasses.field(default=None, metadata=dict(kind="money", **kw))


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


def _money(text):
    return None if text is None else decimal.Decimal(text)


def _date(text):
    return None if text is None else datetime.date.fromisoformat(text)


def _bool(text):
    return text is not None and text.lower() in ("true", "yes", "1")


def _int(text):
    return None if text is None else int(text)


_PARSE = {
    "id": _int,
    "int": _int,
    "bool": _bool,
    "date": _date,
    "money": _money,
    "count": lambda text: 0 if text is None else int(text),
    "text": lambda text: text,
}


def to_fields(cls, record, what):
    """A dataclass instance -> {field: text or None} for the SWIG layer.  Read-only fields
    (set by the library, such as an enrollment's state) are not sent."""
    if not isinstance(record, cls):
        raise TypeError("%s: expected a youth.%s, got %s"
                        % (what, cls.__name__, type(record).__name__))
    return {f.name: (money_text if f.metadata.get("kind") == "money" else _text)(
                f.name, getattr(record, f.name))
            for f in dataclasses.fields(cls) if not f.metadata.get("readonly")}


def from_fields(cls, fields):
    """The dict {field: text or None} returned by the SWIG layer -> a dataclass instance."""
    values = {}
    for f in dataclasses.fields(cls):
        values[f.name] = _PARSE[f.metadata.get("kind", "text")](fields.get(f.name))
    return cls(**values)


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
