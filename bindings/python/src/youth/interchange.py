"""Import and export of whole registries as ``libyouth/1`` YAML files (docs/format.md)."""

import codecs
import dataclasses
import io
import os
from typing import Any, Callable, Iterable, Optional, Union

from . import capi
from .records import DateLike, PathLike

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


def _path_or_none(p):
    return None if p is None else os.fspath(p)


def new_key(path: PathLike) -> None:
    """Writes a new random key to a new file at ``path`` (mode 0600), for pseudonymised or
    encrypted exports; an existing file is never overwritten (youth.ExistsError).  Keep it
    apart from the registry and from the exports."""
    capi.youth_key_new(os.fspath(path))


class InterchangeMixin:
    """Registry methods for ``libyouth/1`` files."""

    def import_yaml(self, source: Union[PathLike, Any], mode: str = "atomic",
                    upsert: bool = False, rejects: Optional[PathLike] = None,
                    progress: Optional[Callable[[int, int], Any]] = None,
                    name: Optional[str] = None, key_file: Optional[PathLike] = None,
                    passphrase: Optional[str] = None) -> "Summary":
        """Imports a ``libyouth/1`` file: a path, or a file object opened in binary or text
        mode.  Returns a :class:`Summary`.

        ``mode`` is ``"atomic"`` (all or nothing: the first bad record raises, naming file,
        line, column, record and field, and nothing is kept), ``"keep_going"`` (the valid
        records are imported; the others are written with their reasons to ``rejects``, a
        path) or ``"dry_run"`` (everything is checked, nothing is written).  With
        ``upsert=True`` a record whose UUID or national ID exists updates it instead of being
        a conflict.  ``progress(records, bytes)`` is called every few thousand records;
        returning False stops the import (youth.CancelledError, nothing kept).

        An encrypted file (``export_yaml(..., key_file=...)`` or ``passphrase=...``), given
        by path, is opened with ``key_file`` (a path) or ``passphrase`` (str); it is
        authenticated whole before anything is imported (youth.CorruptError otherwise).
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
                return _summary(capi.youth_py_import(
                    self._handle(), src, label, flags, rejects, progress,
                    _path_or_none(key_file), passphrase))
        except Exception as e:  # noqa: BLE001 - re-raised with a typed summary
            raise _attach(e)

    def export_yaml(self, sink: Union[PathLike, Any], kinds: Optional[Iterable[str]] = None,
                    place: Optional[str] = None, since: Optional[DateLike] = None,
                    until: Optional[DateLike] = None,
                    progress: Optional[Callable[[int, int], Any]] = None,
                    identifiers: bool = False, contacts: bool = False,
                    pseudonym_key: Optional[PathLike] = None, k: Optional[int] = None,
                    csv: bool = False, key_file: Optional[PathLike] = None,
                    passphrase: Optional[str] = None) -> "Summary":
        """Writes the registry, or part of it, as a ``libyouth/1`` file: to a path (written
        beside it and renamed into place when complete) or to a file object (binary or
        text).  ``kinds``: names from :data:`KINDS` (default: everything); ``place``: only
        persons living there or below, with their services; ``since``/``until``: dates
        (``YYYY-MM-DD`` or datetime.date) bounding census and service dates.  The order is
        deterministic: exporting, importing into an empty registry and exporting again gives
        the same bytes.  Returns a :class:`Summary`.

        National IDs and contact details are left out unless ``identifiers=True`` /
        ``contacts=True``.  ``pseudonym_key`` (a key file's path, :func:`youth.new_key`) makes
        a pseudonymised export for analysts (``k``: the fewest persons a named place may hold,
        default 5; ``csv=True``: the persons as one CSV table).  ``key_file`` or
        ``passphrase`` encrypts the output.  docs/privacy.md gives the rules.
        """
        mask = 0
        for kind in kinds or ():
            if kind not in KINDS:
                raise ValueError("kind %r: expected one of %s" % (kind, ", ".join(KINDS)))
            mask |= KINDS[kind]
        since = since.isoformat() if hasattr(since, "isoformat") else since
        until = until.isoformat() if hasattr(until, "isoformat") else until
        if not isinstance(sink, (str, os.PathLike)) and not callable(getattr(sink, "write", None)):
            raise TypeError("export_yaml: expected a path or a file object, got %s"
                            % type(sink).__name__)
        dst = os.fspath(sink) if isinstance(sink, (str, os.PathLike)) else _writer(sink)
        flags = ((capi.YOUTH_EXPORT_IDENTIFIERS if identifiers else 0)
                 | (capi.YOUTH_EXPORT_CONTACTS if contacts else 0)
                 | (capi.YOUTH_EXPORT_PSEUDONYMISE if pseudonym_key is not None else 0)
                 | (capi.YOUTH_EXPORT_CSV if csv else 0)
                 | (capi.YOUTH_EXPORT_ENCRYPT if key_file is not None or passphrase is not None
                    else 0))
        try:
            with self._lock:
                return _summary(capi.youth_py_export(
                    self._handle(), dst, mask, place, since, until, progress, flags,
                    _path_or_none(pseudonym_key), k or 0, _path_or_none(key_file), passphrase))
        except Exception as e:  # noqa: BLE001
            raise _attach(e)
