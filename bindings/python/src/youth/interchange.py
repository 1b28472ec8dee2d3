"""Import and export of whole registries as ``libyouth/1`` YAML files (docs/format.md)."""

import codecs
import dataclasses
import io
import os

from . import capi

#: Kinds of record an export can be limited to (``Registry.export_yaml(kinds=...)``).
KINDS = {
    "gazetteer": capi.YOUTH_KIND_GAZETTEER,
    "persons": capi.YOUTH_KIND_PERSONS,
    "exchanges": capi.YOUTH_KIND_EXCHANGES,
    "rules": capi.YOUTH_KIND_RULES,
    "courses": capi.YOUTH_KIND_COURSES,
    "counselling": capi.YOUTH_KIND_COUNSELLING,
    "scholarships": capi.YOUTH_KIND_SCHOLARSHIPS,
    "enterprise": capi.YOUTH_KIND_ENTERPRISE,
    "followups": capi.YOUTH_KIND_FOLLOWUPS,
}

#: Import modes: all or nothing, import the valid records and report the others, check only.
MODES = ("atomic", "keep_going", "dry_run")


@dataclasses.dataclass(frozen=True)
class Summary:
    """What an import or export did.  After a failure, the exception's ``summary`` attribute
    holds one too (what was read before the failure; nothing of it was kept by an atomic
    import)."""

    records: int = 0    #: records read (import) or written (export)
    imported: int = 0   #: records added
    updated: int = 0    #: records that updated an existing one (upsert)
    unchanged: int = 0  #: records equal to the one already there (upsert)
    rejected: int = 0   #: records refused (keep-going mode)
    bytes: int = 0      #: bytes read or written


def _summary(d):
    return Summary(**d)


def _attach(exc):
    s = getattr(exc, "summary", None)
    if isinstance(s, dict):
        exc.summary = _summary(s)
    return exc


def _reader(f):
    """read(n) -> bytes over a binary or text file object (text is encoded as UTF-8, keeping
    what does not fit for the next call)."""
    if isinstance(f, io.TextIOBase):
        pending = bytearray()

        def read_text(n):
            while len(pending) < n:
                chunk = f.read(max(1, n // 4))
                if not chunk:
                    break
                pending.extend(chunk.encode("utf-8"))
            out = bytes(pending[:n])
            del pending[:n]
            return out
        return read_text

    def read_bytes(n):
        data = f.read(n)
        return bytes(data) if data is not None else b""
    return read_bytes


def _writer(f):
    """write(bytes) onto a binary or text file object (text files get whole characters: a UTF-8
    sequence cut by a chunk boundary waits for the next chunk)."""
    if isinstance(f, io.TextIOBase):
        decoder = codecs.getincrementaldecoder("utf-8")()
        return lambda data: f.write(decoder.decode(data))
    return f.write


class InterchangeMixin:
    """Registry methods for ``libyouth/1`` files."""

    def import_yaml(self, source, mode="atomic", upsert=False, rejects=None, progress=None,
                    name=None):
        """Imports a ``libyouth/1`` file: a path, or a file object opened in binary or text
        mode.  Returns a :class:`Summary`.

        ``mode`` is ``"atomic"`` (all or nothing: the first bad record raises, naming file,
        line, column, record and field, and nothing is kept), ``"keep_going"`` (the valid
        records are imported; the others are written with their reasons to ``rejects``, a
        path) or ``"dry_run"`` (everything is checked, nothing is written).  With
        ``upsert=True`` a record whose UUID or national ID exists updates it instead of being
        a conflict.  ``progress(records, bytes)`` is called every few thousand records;
        returning False stops the import (youth.CancelledError, nothing kept).
        """
        flags = {"atomic": 0, "keep_going": capi.YOUTH_IMPORT_KEEP_GOING,
                 "dry_run": capi.YOUTH_IMPORT_DRY_RUN}.get(mode)
        if flags is None:
            raise ValueError("mode %r: expected one of %s" % (mode, ", ".join(MODES)))
        if upsert:
            flags |= capi.YOUTH_IMPORT_UPSERT
        if rejects is not None:
            if mode != "keep_going":
                raise ValueError("rejects: only with mode='keep_going'")
            rejects = os.fspath(rejects)
        if isinstance(source, (str, os.PathLike)):
            src, label = os.fspath(source), None
        elif not callable(getattr(source, "read", None)):
            raise TypeError("import_yaml: expected a path or a file object, got %s"
                            % type(source).__name__)
        else:
            src, label = _reader(source), name or getattr(source, "name", None)
            label = label if isinstance(label, str) else None
        try:
            with self._lock:
                return _summary(capi.youth_py_import(self._handle(), src, label, flags, rejects,
                                                     progress))
        except Exception as e:  # noqa: BLE001 - re-raised with a typed summary
            raise _attach(e)

    def export_yaml(self, sink, kinds=None, place=None, since=None, until=None, progress=None):
        """Writes the registry, or part of it, as a ``libyouth/1`` file: to a path (written
        beside it and renamed into place when complete) or to a file object (binary or
        text).  ``kinds``: names from :data:`KINDS` (default: everything); ``place``: only
        persons living there or below, with their services; ``since``/``until``: dates
        (``YYYY-MM-DD`` or datetime.date) bounding census and service dates.  The order is
        deterministic: exporting, importing into an empty registry and exporting again gives
        the same bytes.  Returns a :class:`Summary`.
        """
        mask = 0
        for k in kinds or ():
            if k not in KINDS:
                raise ValueError("kind %r: expected one of %s" % (k, ", ".join(KINDS)))
            mask |= KINDS[k]
        since = since.isoformat() if hasattr(since, "isoformat") else since
        until = until.isoformat() if hasattr(until, "isoformat") else until
        if not isinstance(sink, (str, os.PathLike)) and not callable(getattr(sink, "write", None)):
            raise TypeError("export_yaml: expected a path or a file object, got %s"
                            % type(sink).__name__)
        dst = os.fspath(sink) if isinstance(sink, (str, os.PathLike)) else _writer(sink)
        try:
            with self._lock:
                return _summary(capi.youth_py_export(self._handle(), dst, mask, place, since,
                                                     until, progress))
        except Exception as e:  # noqa: BLE001
            raise _attach(e)
