"""The registry: one SQLite file (or ":memory:") holding the census and the gazetteer."""

import collections
import contextlib
import datetime
import json
import os
import threading
import weakref
from typing import Any, Callable, Dict, Iterator, List, Optional, Union

from . import capi
from .errors import CorruptError, _misuse
from .person import Event, Person, from_fields, to_fields
from . import records as _records
from .records import DateLike, PathLike, Records, _Owned
from .place import (LEVELS as _LEVELS, LevelLabels, Place, from_capi as _place,
                    level_value as _level_value)
from .services import ServicesMixin
from .courses import CoursesMixin
from .counselling import CounsellingMixin
from .scholarships import ScholarshipsMixin
from .followups import FollowupsMixin
from .enterprise import EnterpriseMixin
from .interchange import InterchangeMixin
from .report import ReportMixin
from .duplicates import DuplicatesMixin
from .consent import ConsentMixin

__all__ = ["Registry", "CheckProblem", "CheckReport"]


class CheckProblem(collections.namedtuple(
        "CheckProblem", "kind table id uuid message repaired")):
    """One problem found by Registry.check(): its kind ("page", "integrity", "reference",
    "schema", "balance", "state", "derived", "national_id"), the table, id (a page number for
    "page") and UUID of the record (None when not about one), what is wrong, and whether
    ``repair=True`` repaired it."""

    __slots__ = ()


class CheckReport(list):
    """What Registry.check() found: a list of CheckProblem.  ``sealed`` says whether the
    registry's pages carry checksums (docs/reliability.md)."""

    def __init__(self, problems=(), sealed=False):
        super().__init__(problems)
        self.sealed = sealed


def _date_text(value):
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _filter(place, sex, age_min, age_max, age_at, census_round, name):
    """Keyword filters -> the dict the SWIG layer turns into a youth_person_filter."""
    f = {}
    if place is not None:
        f["place"] = place
    if sex is not None:
        f["sex"] = sex
    if age_min is not None:
        f["age_min"] = age_min
    if age_max is not None:
        f["age_max"] = age_max
    if age_at is not None:
        f["age_at"] = _date_text(age_at)
    if census_round is not None:
        f["census_round"] = census_round
    if name is not None:
        f["name"] = name
    return f or None


class Registry(InterchangeMixin, ReportMixin, ServicesMixin, CoursesMixin, CounsellingMixin,
               ScholarshipsMixin, FollowupsMixin, EnterpriseMixin, DuplicatesMixin,
               ConsentMixin):
    """An open registry.

    ``Registry(path, create=False, readonly=False)`` opens the file at ``path`` (a str or
    path-like object, or ``":memory:"``); ``create=True`` creates it when missing,
    ``readonly=True`` never writes.  Use it as a context manager, or call :meth:`close`::

        with youth.Registry("census.db", create=True) as reg:
            reg.load_gazetteer("gazetteer.yaml")

    A Registry may be shared by threads: calls on it are serialised by a lock (the C handle is
    not safe to use from two threads at once), and a transaction belongs to the thread that
    began it: the lock stays with that thread until its outermost commit or rollback, so the
    calls of another thread wait for the transaction to end instead of joining it (and being
    rolled back with it).  Separate Registry objects on the same file run in parallel, waiting
    for each other's writes up to the busy timeout.
    """

    # C iterators of the iterations (also used by the mixins of services.py and courses.py).
    _owned = _Owned

    def __init__(self, path: PathLike, create: bool = False, readonly: bool = False) -> None:
        self._reg = None
        self._lock = threading.RLock()
        self._tx_held = 0  # levels of the lock kept by the transactions of the owning thread
        self._iterations = weakref.WeakSet()  # the Records not yet freed, stopped by close()
        flags = capi.YOUTH_OPEN_DEFAULT
        if create:
            flags |= capi.YOUTH_OPEN_CREATE
        if readonly:
            flags |= capi.YOUTH_OPEN_READONLY
        self._readonly = bool(readonly)
        self._reg = capi.youth_registry_open(os.fspath(path), flags)

    # ---- life cycle ----------------------------------------------------------------------

    def close(self) -> None:
        """Closes the registry (an open transaction is rolled back).  Safe to call twice."""
        with self._lock:
            self._close()
            for records in list(self._iterations):
                records._stop()
            # a transaction left open by this thread held the lock: it ends with the handle
            for _ in range(self._tx_held):
                self._lock.release()
            self._tx_held = 0

    def _close(self):
        reg, self._reg = self._reg, None
        if reg is not None:
            capi.youth_registry_close(reg)

    def __enter__(self) -> "Registry":
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        self.close()
        return False

    def __del__(self):
        # No other thread holds a reference any more, but one may have left a transaction
        # open and with it the lock: close without waiting for it.
        try:
            self._close()
        except Exception:
            pass

    def __repr__(self) -> str:
        if self._reg is None:
            return "<youth.Registry (closed)>"
        return "<youth.Registry %r>" % self.path

    @property
    def closed(self) -> bool:
        """True once close() was called."""
        return self._reg is None

    def _handle(self):
        if self._reg is None:
            raise _misuse("the registry is closed")
        return self._reg

    def _locked(self, fn, *args):
        """``fn(handle, *args)`` under the registry's lock: a read of the handle's state."""
        with self._lock:
            return fn(self._handle(), *args)

    def _store(self, cls, what, write, record, *args):
        """Every kind's add and update: ``record`` (a ``cls``) as text fields, written by
        ``write(handle, fields, *args)``, then read back as stored (by the id the add returns,
        or the record's own for an update), all under the registry's lock."""
        fields = _records.to_fields(cls, record, what)
        with self._lock:
            ids = write(self._handle(), fields, *args)
            return self._fetch(cls, ids["id"] if ids else record.id)

    def _fetch(self, cls, record_id):
        """The record of ``cls`` with this id, through its kind's ``youth_<kind>_get``."""
        get = getattr(capi, "youth_%s_get" % cls._youth_kind["name"])
        return _records.from_fields(cls, get(self._reg, record_id))

    # ---- properties ----------------------------------------------------------------------

    @property
    def path(self) -> str:
        """The path the registry was opened with."""
        return self._locked(capi.youth_registry_path)

    @property
    def readonly(self) -> bool:
        """True when opened with readonly=True."""
        return self._readonly

    @property
    def schema_version(self) -> int:
        """Schema version of the open file."""
        return self._locked(capi.youth_registry_schema_version)

    @property
    def in_transaction(self) -> int:
        """Depth of open transactions (0 when none)."""
        return self._locked(capi.youth_registry_in_transaction)

    @property
    def total_changes(self) -> int:
        """Records created, updated or deleted through this handle since it was opened."""
        return self._locked(capi.youth_registry_total_changes)

    def set_busy_timeout(self, milliseconds: int) -> None:
        """How long a write waits for another connection's lock before youth.BusyError."""
        self._locked(capi.youth_registry_set_busy_timeout, milliseconds)

    def check(self, quick: bool = False, repair: bool = False) -> "CheckReport":
        """Checks the registry for damage and broken invariants (``youth check``).

        Returns a youth.CheckReport (a list of youth.CheckProblem, empty when sound) when no
        problem is left; raises youth.CorruptError naming the first problem otherwise, with
        the whole report as its ``problems``.  ``quick``: SQLite's quick_check and no page
        scan; ``repair``: repair what is derivable (docs/reliability.md)."""
        flags = ((capi.YOUTH_CHECK_QUICK if quick else 0)
                 | (capi.YOUTH_CHECK_REPAIR if repair else 0))
        sealed, rows = self._locked(capi.youth_py_check, flags)
        report = CheckReport((CheckProblem(**row) for row in rows), sealed=sealed)
        left = [p for p in report if not p.repaired]
        if left:
            first = left[0]
            where = "%s %d: " % (first.table, first.id) if first.table else ""
            err = CorruptError("%s: %d problem%s found; first: %s%s (%s)" % (
                self.path, len(left), "" if len(left) == 1 else "s", where, first.message,
                first.kind))
            err.problems = report
            raise err
        return report

    # ---- transactions --------------------------------------------------------------------

    def begin(self) -> None:
        """Starts a (possibly nested) transaction.  Prefer ``with reg.transaction():``.

        The transaction belongs to this thread: until its outermost commit or rollback, the
        calls of other threads on this Registry wait for it (they never join it)."""
        self._lock.acquire()  # kept while the transaction is open
        try:
            capi.youth_registry_begin(self._handle())
        except BaseException:
            self._lock.release()
            raise
        self._tx_held += 1

    def _end(self, end):
        """Commits or rolls back, and gives back the lock for each level that ended."""
        with self._lock:
            reg = self._handle()
            before = capi.youth_registry_in_transaction(reg)
            try:
                end(reg)
            finally:
                ended = before - (capi.youth_registry_in_transaction(reg) if self._reg else 0)
                for _ in range(min(max(ended, 0), self._tx_held)):
                    self._tx_held -= 1
                    self._lock.release()

    def commit(self) -> None:
        """Commits the innermost transaction."""
        self._end(capi.youth_registry_commit)

    def rollback(self) -> None:
        """Rolls back the innermost transaction."""
        self._end(capi.youth_registry_rollback)

    @contextlib.contextmanager
    def transaction(self) -> Iterator["Registry"]:
        """All or nothing: commits when the block ends, rolls back if it raises.

        Transactions nest: an inner block is a savepoint, undone alone if it raises, and only
        the outermost commit writes to disk.
        """
        self.begin()
        try:
            yield self
        except BaseException:
            if self._reg is not None:
                self.rollback()
            raise
        else:
            self.commit()

    # ---- persons -------------------------------------------------------------------------

    def add_person(self, person: Person, allow_age: bool = False) -> Person:
        """Validates and stores a new person; returns the stored record (with id and uuid).

        ``allow_age=True`` accepts an age at census outside 13-29.  Raises
        youth.InvalidError (a field breaks a rule; ``.field`` names it), youth.NotFoundError
        (unknown place), youth.ExistsError (UUID or national ID already registered).
        """
        fields = to_fields(person)
        flags = capi.YOUTH_PERSON_ALLOW_AGE if allow_age else capi.YOUTH_PERSON_DEFAULT
        with self._lock:
            ids = capi.youth_person_add(self._handle(), fields, flags)
            return from_fields(capi.youth_person_get(self._reg, ids["id"]))

    def get_person(self, key: Union[int, str, Person]) -> Person:
        """The person with integer id ``key`` or UUID ``key``; youth.NotFoundError if none."""
        with self._lock:
            reg = self._handle()
            if isinstance(key, Person):
                key = key.id if key.id is not None else key.uuid
            if isinstance(key, bool) or not isinstance(key, (int, str)):
                raise TypeError("expected an int id or a str UUID, got %s" % type(key).__name__)
            if isinstance(key, int):
                return from_fields(capi.youth_person_get(reg, key))
            return from_fields(capi.youth_person_get_by_uuid(reg, key))

    def get_person_by_national_id(self, national_id: str) -> Person:
        """The person with national ID (DUI) ``national_id`` (``"06397166-8"``);
        youth.NotFoundError if none, youth.InvalidError if it is not a valid DUI."""
        if not isinstance(national_id, str):
            raise TypeError("expected a str DUI, got %s" % type(national_id).__name__)
        with self._lock:
            return from_fields(capi.youth_person_get_by_national_id(self._handle(), national_id))

    def update_person(self, person: Person, allow_age: bool = False) -> Person:
        """Replaces every field of the stored person ``person.id`` (or ``person.uuid``).

        Returns the stored record.  The UUID of a stored person never changes.
        """
        fields = to_fields(person)
        flags = capi.YOUTH_PERSON_ALLOW_AGE if allow_age else capi.YOUTH_PERSON_DEFAULT
        with self._lock:
            capi.youth_person_update(self._handle(), fields, flags)
            if person.id is not None:
                return self.get_person(person.id)
            return self.get_person(person.uuid)

    def _person_id(self, key):
        if isinstance(key, Person):
            key = key.id if key.id is not None else key.uuid
        if isinstance(key, str):
            key = self.get_person(key).id
        if isinstance(key, bool) or not isinstance(key, int):
            raise TypeError("expected an int id or a str UUID, got %s" % type(key).__name__)
        return key

    def delete_person(self, key: Union[int, str, Person], cascade: bool = False) -> int:
        """Deletes the person with this id (or UUID, or the Person itself).

        A person whom services refer to is refused with ReferencedError unless
        ``cascade=True``, which deletes those records too (in one transaction) and returns
        how many records went, the person included.
        """
        with self._lock:
            reg = self._handle()
            key = self._person_id(key)
            if cascade:
                return capi.youth_person_delete_cascade(reg, key)
            capi.youth_person_delete(reg, key)
            return 1

    def erase_person(self, key: Union[int, str, Person], reason: str) -> str:
        """Erases the person with this id (or UUID, or the Person itself): names, national ID,
        contact details and every free text about the person go from the registry file and
        its WAL; the services stay as an anonymous record; the UUID can never be added,
        changed or imported again (docs/privacy.md, "Erasure").  ``reason`` (1-200 bytes)
        is kept with the UUID.  Returns the UUID erased.

        Raises NotFoundError for an unknown person, StateError for one already erased,
        MisuseError inside a transaction, BusyError when the erasure was committed but
        another connection kept the old values in the WAL.
        """
        with self._lock:
            person = self.get_person(key)
            capi.youth_person_erase(self._handle(), person.id, None, reason)
            return person.uuid

    def purge(self, as_of: Optional[DateLike] = None, dry_run: bool = False) -> List[str]:
        """Erases every person whose ``retain_until`` lies before ``as_of`` (a date or ISO
        text; default today, UTC), in one transaction, and returns their UUIDs in the order
        of their ids.  With ``dry_run`` nothing is erased: the list says who is due
        (docs/privacy.md, "Retention")."""
        flags = capi.YOUTH_PURGE_DRY_RUN if dry_run else 0
        if as_of is not None and not isinstance(as_of, str):
            as_of = as_of.isoformat()
        text = self._locked(capi.youth_purge, as_of, flags)
        return text.split()

    def timeline(self, person: Union[int, str, Person]) -> "Records[Event]":
        """Yields the person's history, oldest first, as :class:`youth.Event` records: census,
        enrollments and certificates, counselling, scholarships and payments, groups, plans
        with disbursements, visits and services, follow-ups, eligibility overrides."""
        with self._lock:
            it = _Owned(capi.youth_timeline_iter_new(self._handle(), self._person_id(person)),
                        capi.youth_timeline_iter_free)
        return self._iterate(it, capi.youth_timeline_next, Event.from_capi, Event)

    def count_persons(self, place: Optional[str] = None, sex: Optional[str] = None,
                      age_min: Optional[int] = None, age_max: Optional[int] = None,
                      age_at: Optional[DateLike] = None, census_round: Optional[str] = None,
                      name: Optional[str] = None) -> int:
        """Number of persons matching the filters (same filters as :meth:`persons`)."""
        f = _filter(place, sex, age_min, age_max, age_at, census_round, name)
        return self._locked(capi.youth_person_count, f)

    def persons(self, place: Optional[str] = None, sex: Optional[str] = None,
                age_min: Optional[int] = None, age_max: Optional[int] = None,
                age_at: Optional[DateLike] = None, census_round: Optional[str] = None,
                name: Optional[str] = None) -> "Records[Person]":
        """Yields the persons matching every filter given, in id order.

        ``place``: this place or below it; ``sex``: "female"/"male"; ``age_min``/``age_max``:
        age in years at ``age_at`` (a date, default today); ``census_round``: a round label;
        ``name``: words that must all appear in the name, accents and case ignored.
        """
        f = _filter(place, sex, age_min, age_max, age_at, census_round, name)
        with self._lock:
            it = _Owned(capi.youth_person_iter_new(self._handle(), f),
                        capi.youth_person_iter_free)
        return self._blocks(it, capi.youth_py_person_block, Person)

    def search_persons(self, text: str, **filters: Any) -> List[Person]:
        """The persons whose name contains every word of ``text``, accents and case ignored
        ("jose hernandez" finds "José Hernández"), as a list in id order."""
        return list(self.persons(name=text, **filters))

    def find_persons(self, text: str, limit: int = 20) -> List[Dict[str, Any]]:
        """Ranked name search through the name index (docs/duplicates.md): a list of dicts
        ``{"id", "uuid", "name", "rank", "score", "reasons"}``, best rank first ("exact", then
        "prefix", then "near"), in id order inside a rank.  ``reasons`` lists why the name
        matches: "exact", "prefix", "swapped_surnames", "missing_second_surname", "nickname",
        "one_typo", "sounds_alike", "missing_given_name".  Accents, case, particles and the
        order of the words do not matter; one word may be a typo, a sound-alike or a nickname."""
        with self._lock:
            found = _Owned(capi.youth_person_find(self._handle(), text, limit),
                           capi.youth_person_matches_free)
            try:
                out = []
                for i in range(capi.youth_person_matches_count(found.ptr)):
                    m = capi.youth_person_matches_get(found.ptr, i)
                    out.append({
                        "id": m.id, "uuid": m.uuid, "name": m.name,
                        "rank": capi.youth_match_rank_name(m.rank), "score": m.score,
                        "reasons": [capi.youth_name_reason_name(1 << b) for b in range(8)
                                    if m.reasons & (1 << b)],
                    })
                return out
            finally:
                found.close()

    def search(self, text: str, limit: int = 20) -> List[Dict[str, Any]]:
        """Short name of :meth:`find_persons`."""
        return self.find_persons(text, limit)

    def reindex_names(self) -> int:
        """Rebuilds the name index of :meth:`find_persons` from the persons (one transaction);
        returns the number of persons indexed."""
        return self._locked(capi.youth_name_index_rebuild)

    def __iter__(self) -> Iterator[Person]:
        """Every person, in id order (:meth:`persons`)."""
        return iter(self.persons())

    #: Records read per crossing of the C boundary by :meth:`_blocks`.
    _BLOCK = 256

    def _new_records(self, blocks: Callable[..., Any], cls: type) -> _records.Records:
        """A :class:`youth.Records` over ``blocks(records)`` (a generator of lists), which
        :meth:`close` stops."""
        records = _records.Records(blocks, cls)
        with self._lock:
            self._iterations.add(records)
        return records

    def _blocks(self, handle: "_Owned", block: Callable[..., List[Any]], cls: type,
                select: Optional[Callable[[Any], bool]] = None) -> _records.Records:
        """The records of class ``cls`` of the C iterator ``handle``, read ``_BLOCK`` at a
        time by ``block`` (``capi.youth_py_<kind>_block``: the C library's work with the GIL
        released, then the instances built in C); ``select``: only those it accepts."""
        return self._new_records(
            lambda into: self._read_blocks(into, handle, block, cls, select), cls)

    def _read_blocks(self, into, handle, block, cls, select):
        """Yields the blocks of :meth:`_blocks`.  The lock is held for each block, not
        between them, as :meth:`_iterate` holds it for each record."""
        spec, size = cls._youth_spec, self._BLOCK
        try:
            while True:
                with self._lock:
                    if self._reg is None:
                        raise _misuse("the registry was closed during the iteration")
                    rows = block(handle.ptr, cls, spec, size)
                done = len(rows) < size
                if select is not None:
                    rows = [r for r in rows if select(r)]
                into._block = rows
                yield rows
                if done and self._reg is not None:  # closed meanwhile: refused above
                    return
        finally:
            handle.close()

    def _iterate(self, handle: "_Owned", next_fn: Callable[[Any], Any],
                 convert: Callable[[Any], Any], cls: type) -> _records.Records:
        """The records of ``cls`` of the C iterator ``handle``, one ``next_fn`` call each
        (kinds without a block reader: places, the timeline, programmes, overrides)."""
        return self._new_records(
            lambda into: self._read_one_by_one(into, handle, next_fn, convert), cls)

    def _read_one_by_one(self, into, handle, next_fn, convert):
        try:
            while True:
                with self._lock:
                    if self._reg is None:
                        raise _misuse("the registry was closed during the iteration")
                    item = next_fn(handle.ptr)
                if item is None:
                    return
                into._block = [convert(item)]
                yield into._block
        finally:
            handle.close()

    # ---- census --------------------------------------------------------------------------

    def load_census(self, path: PathLike, allow_age: bool = False) -> int:
        """Loads a census YAML file (all or nothing); returns the number of persons added."""
        flags = capi.YOUTH_PERSON_ALLOW_AGE if allow_age else capi.YOUTH_PERSON_DEFAULT
        return self._locked(capi.youth_census_load, os.fspath(path), flags)

    def load_census_data(self, data: Union[str, bytes], name: Optional[str] = None,
                         allow_age: bool = False) -> int:
        """Same as :meth:`load_census` on a YAML document in memory (str or bytes)."""
        flags = capi.YOUTH_PERSON_ALLOW_AGE if allow_age else capi.YOUTH_PERSON_DEFAULT
        return self._locked(capi.youth_census_load_buffer, data, name, flags)

    # ---- gazetteer -----------------------------------------------------------------------

    def load_gazetteer(self, path: PathLike) -> int:
        """Adds the places of a gazetteer YAML file that the registry lacks; returns how many
        were added (loading the same file again adds 0)."""
        return self._locked(capi.youth_gazetteer_load, os.fspath(path))

    def load_gazetteer_data(self, data: Union[str, bytes], name: Optional[str] = None) -> int:
        """Same as :meth:`load_gazetteer` on a YAML document in memory (str or bytes)."""
        return self._locked(capi.youth_gazetteer_load_buffer, data, name)

    def place(self, text: str) -> Place:
        """The place named by a full path, a path of names, or an unambiguous trailing part of
        a path ("Santa Eugenia"), optionally after a level or level label and ':'
        ("district:Sonsonate").  youth.NotFoundError if none; youth.InvalidError if several,
        at one level or at several ("Sonsonate" is the department and a district)."""
        with self._lock:
            return _place(capi.youth_place_get(self._handle(), text))

    def places(self, under: Optional[str] = None,
               level: Union[str, int, None] = None) -> "Records[Place]":
        """Yields places in path order: only ``under`` and its descendants, only one ``level``
        ("department", "municipality", "district", "community")."""
        lv = _level_value(level)
        with self._lock:
            it = _Owned(capi.youth_place_iter_new(self._handle(), under, lv),
                        capi.youth_place_iter_free)
        return self._iterate(it, capi.youth_place_next, _place, Place)

    def level_labels(self) -> List[LevelLabels]:
        """The place levels in tree order, each a :class:`youth.LevelLabels` (name, label,
        alt_label): the labels come from the gazetteer file's ``levels`` section."""
        with self._lock:
            h = self._handle()
            return [LevelLabels(name, capi.youth_place_level_label(h, value, 0),
                                capi.youth_place_level_label(h, value, 1))
                    for name, value in _LEVELS.items()]

    def set_level_labels(self, level: Union[str, int], label: Optional[str] = None,
                         alt_label: Optional[str] = None) -> None:
        """Gives ``level`` (a name or int) its label and second label (None: the level's name,
        no second label).  youth.InvalidError if a label already names another level."""
        lv = _level_value(level)
        self._locked(capi.youth_place_level_set_labels, lv, label, alt_label)

    def find_level(self, text: str) -> str:
        """The level name ("district") that ``text`` names: a level name or a label of this
        registry ("municipality (before 2024)").  youth.NotFoundError if none."""
        value = self._locked(capi.youth_place_level_find, text)
        return next(name for name, v in _LEVELS.items() if v == value)

    def add_place(self, name: str, parent: Optional[str] = None,
                  critical: bool = False) -> Place:
        """Adds one place under ``parent`` (None for a department); returns it."""
        with self._lock:
            new_id = capi.youth_place_add(self._handle(), parent, name, 1 if critical else 0)
            for pl in self.places(under=parent):
                if pl.id == new_id:
                    return pl
        raise _misuse("place %d was added but cannot be read back" % new_id)

    # ---- the audit trail (docs/privacy.md) -----------------------------------------------

    def set_actor(self, actor: Optional[str]) -> None:
        """Names who makes the writes through this registry from now on
        (``"maria.lopez@sonsonate"``); None clears it.  Once the file is audited, a write
        without an actor raises youth.MisuseError."""
        self._locked(capi.youth_registry_set_actor, actor)

    @property
    def actor(self) -> Optional[str]:
        """The actor set with :meth:`set_actor`, or None."""
        return self._locked(capi.youth_registry_actor)

    def enable_audit(self) -> None:
        """Switches the audit trail on for the file, for good (an actor must be set)."""
        self._locked(capi.youth_audit_enable)

    @property
    def audited(self) -> bool:
        """True when the file is audited (as the file says now, whoever switched it on)."""
        with self._lock:
            return bool(capi.youth_audit_enabled(self._handle()))

    def audit_reads(self, on: bool = True) -> None:
        """Adds a ``read`` entry for every person read in full (get_person) while on."""
        self._locked(capi.youth_audit_reads, 1 if on else 0)

    def audit_log(self, kind: Optional[str] = None, uuid: Optional[str] = None,
                  actor: Optional[str] = None, since: Optional[DateLike] = None,
                  until: Optional[DateLike] = None) -> List[Dict[str, Any]]:
        """The audit entries, oldest first, filtered by kind (``"person"``), the record's
        UUID, the actor and a date range (``since``/``until``: dates or ISO texts, inclusive).
        Each entry is a dict: ``id`` and ``record_id`` as int, ``changes`` decoded from its
        JSON (``{field: [old, new]}``, or None), the other fields as text."""
        with self._lock:
            rows = capi.youth_py_audit_log(self._handle(), kind, uuid, actor,
                                           _date_text(since), _date_text(until))
        for row in rows:
            row["id"] = int(row["id"])
            row["record_id"] = int(row["record_id"]) if row["record_id"] else None
            if row["changes"] is not None:
                row["changes"] = json.loads(row["changes"])
        return rows

    def verify_audit(self, anchor: Optional[str] = None, check: bool = True) -> Dict[str, Any]:
        """Checks the hash chain of the audit trail (and, with ``anchor``, that it still holds
        the entry an earlier verification's ``head`` named).  Returns a dict ``{entries,
        problems, entry, what, head}``; with ``check`` (the default) a trail with a problem
        raises youth.CorruptError naming the first one instead (its ``problem`` attribute is
        that dict)."""
        report = self._locked(capi.youth_py_audit_verify, anchor)
        if check and report["problems"]:
            err = CorruptError("%s: audit trail: %s" % (self.path, report["what"]),
                               code=capi.YOUTH_ECORRUPT)
            err.problem = report
            raise err
        return report
