"""Exceptions of the youth package.

Every failure of the C library arrives as an instance of :class:`Error` (raised by the SWIG layer
from ``youth_error_last()``), or of one of its subclasses.  The subclasses also derive from the
built-in exception family they belong to, so ordinary Python code works unchanged::

    try:
        reg.get_person(42)
    except LookupError:          # youth.NotFoundError is a LookupError
        ...

Each error carries:

``code``
    the negative C result code (``youth.capi.YOUTH_EINVAL``...);
``name``
    its short name ("EINVAL", "ENOTFOUND"...);
``field``
    the offending field (``"birth_date"``) or ``None``;
``message``
    the C library's explanation, naming the field, the value and the rule broken.
"""

from . import capi

__all__ = [
    "Error",
    "InvalidError",
    "ParseError",
    "LimitError",
    "NotFoundError",
    "ExistsError",
    "ReferencedError",
    "StateError",
    "RuleError",
    "StorageError",
    "CorruptError",
    "VersionError",
    "BusyError",
    "ReadOnlyError",
    "AccessError",
    "FullError",
    "NoMemoryError",
    "MisuseError",
]


class Error(Exception):
    """Base class of every libyouth error (C code YOUTH_ERROR and all the others)."""

    code = capi.YOUTH_ERROR

    def __init__(self, message="", *, code=None, name=None, field=None):
        super().__init__(message)
        if code is not None:
            self.code = code
        self.name = name or capi.youth_error_name(self.code)
        self.field = field
        self.message = message

    def __str__(self):
        return self.message

    def __repr__(self):
        return "%s(%r, code=%s, field=%r)" % (
            type(self).__name__, self.message, self.name, self.field)

    def __reduce__(self):
        return (_rebuild, (type(self), self.message, self.code, self.name, self.field))


def _rebuild(cls, message, code, name, field):
    return cls(message, code=code, name=name, field=field)


class InvalidError(Error, ValueError):
    """A value breaks a rule (EINVAL), input text is malformed (EPARSE) or too large (ELIMIT)."""

    code = capi.YOUTH_EINVAL


class ParseError(InvalidError):
    """Malformed input text, e.g. YAML (EPARSE)."""

    code = capi.YOUTH_EPARSE


class LimitError(InvalidError):
    """Input exceeds a safety limit: depth, length, count (ELIMIT)."""

    code = capi.YOUTH_ELIMIT


class CancelledError(Error):
    """A progress callback asked an import or export to stop (ECANCELLED)."""

    code = capi.YOUTH_ECANCELLED


class NotFoundError(Error, LookupError):
    """No record, place or file with that id, UUID, path or name (ENOTFOUND)."""

    code = capi.YOUTH_ENOTFOUND


class ExistsError(Error, ValueError):
    """A unique value (UUID, national ID, place name) is already taken (EEXISTS)."""

    code = capi.YOUTH_EEXISTS


class ReferencedError(Error, ValueError):
    """The record is still referred to by others (EREFERENCED)."""

    code = capi.YOUTH_EREFERENCED


class StateError(Error, ValueError):
    """A state transition is not allowed from the current state (ESTATE)."""

    code = capi.YOUTH_ESTATE


class RuleError(Error, ValueError):
    """An eligibility or business rule refused the operation (ERULE)."""

    code = capi.YOUTH_ERULE


class StorageError(Error, OSError):
    """The registry file could not be used (EIO and the more precise subclasses)."""

    code = capi.YOUTH_EIO


class CorruptError(StorageError):
    """The file is not a registry, or is damaged or truncated (ECORRUPT)."""

    code = capi.YOUTH_ECORRUPT


class VersionError(StorageError):
    """The file was written by a newer libyouth, or needs a migration read-only (EVERSION)."""

    code = capi.YOUTH_EVERSION


class BusyError(StorageError):
    """Another connection held the lock longer than the busy timeout (EBUSY): nothing was
    done; the same call may succeed when tried again."""

    code = capi.YOUTH_EBUSY


class ReadOnlyError(StorageError):
    """The registry was opened read-only, or the file is not writable (EREADONLY)."""

    code = capi.YOUTH_EREADONLY


class AccessError(StorageError, PermissionError):
    """The operating system refused access to the file: its owner and mode do not let this
    user read it (EACCESS).  Also a PermissionError."""

    code = capi.YOUTH_EACCESS


class FullError(StorageError):
    """The disk or a size limit is full; nothing was written (EFULL)."""

    code = capi.YOUTH_EFULL


class NoMemoryError(Error, MemoryError):
    """An allocation failed; nothing was written (ENOMEM)."""

    code = capi.YOUTH_ENOMEM


class MisuseError(Error, RuntimeError):
    """The API was called out of order, e.g. on a closed registry (EMISUSE)."""

    code = capi.YOUTH_EMISUSE


_BY_CODE = {
    capi.YOUTH_ERROR: Error,
    capi.YOUTH_ENOMEM: NoMemoryError,
    capi.YOUTH_EINVAL: InvalidError,
    capi.YOUTH_ENOTFOUND: NotFoundError,
    capi.YOUTH_EEXISTS: ExistsError,
    capi.YOUTH_EIO: StorageError,
    capi.YOUTH_ECORRUPT: CorruptError,
    capi.YOUTH_EVERSION: VersionError,
    capi.YOUTH_EBUSY: BusyError,
    capi.YOUTH_EREADONLY: ReadOnlyError,
    capi.YOUTH_EFULL: FullError,
    capi.YOUTH_EMISUSE: MisuseError,
    capi.YOUTH_EREFERENCED: ReferencedError,
    capi.YOUTH_ESTATE: StateError,
    capi.YOUTH_ERULE: RuleError,
    capi.YOUTH_EPARSE: ParseError,
    capi.YOUTH_ELIMIT: LimitError,
    capi.YOUTH_ECANCELLED: CancelledError,
    capi.YOUTH_EACCESS: AccessError,
}


def error_class(code):
    """Returns the exception class for a C result code (Error for unknown codes)."""
    return _BY_CODE.get(code, Error)


def _from_c(code, name, message, field):
    """Called by the SWIG layer: the exception instance for a failed C call."""
    return error_class(code)(message, code=code, name=name, field=field)


def _misuse(message, field=None):
    """An error detected by the Python layer itself (closed registry...)."""
    return MisuseError(message, code=capi.YOUTH_EMISUSE, field=field)
