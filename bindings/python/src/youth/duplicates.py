"""The same youth twice: candidate pairs, their review, merge and unmerge (docs/duplicates.md).

Mixed into :class:`youth.Registry`; every method here is a method of a registry.
"""

from typing import Any, Dict, Iterable, List, Optional, Tuple, Union

from . import capi
from .person import Person

#: The states of a candidate pair, by name.
DUPLICATE_STATES = ("open", "confirmed", "dismissed", "merged")
#: Points from which a pair is a candidate (docs/duplicates.md, "Scoring").
DUPLICATE_THRESHOLD = 13
#: Points from which a pair is "likely": the desk's warning and the import's flag count those.
DUPLICATE_LIKELY = 16


def _pair(row: Dict[str, Any]) -> Dict[str, Any]:
    """A pair dict with its numbers as int and its reasons as a list."""
    for key in ("id", "person_id", "other_id", "score", "name_score"):
        row[key] = int(row[key]) if row[key] is not None else None
    row["reasons"] = row["reasons"].split(",") if row["reasons"] else []
    return row


def _state(state: Optional[str]) -> int:
    if state is None:
        return 0
    try:
        return DUPLICATE_STATES.index(state) + 1
    except ValueError:
        raise ValueError("state %r: not one of %s" % (state, ", ".join(DUPLICATE_STATES))) from None


class DuplicatesMixin:
    """Duplicate detection, review and merge (see docs/duplicates.md)."""

    def find_duplicates(self, census_round: Optional[str] = None, from_person: Optional[int] = None,
                        min_score: Optional[int] = None, dry_run: bool = False) -> Dict[str, int]:
        """Scans the registry (or the persons of one census round, or those with an id from
        ``from_person`` on, against the rest) and stores each new candidate pair as open.
        Returns the counts as a dict: persons, compared, found, likely, added, reopened,
        kept, big_blocks."""
        with self._lock:
            return capi.youth_py_duplicates_find(self._handle(), census_round,
                                                 int(from_person or 0), int(min_score or 0),
                                                 1 if dry_run else 0)

    def duplicates(self, state: Optional[str] = None,
                   person: Union[int, str, Person, None] = None) -> List[Dict[str, Any]]:
        """The stored candidate pairs, best first, as dicts (``person_id``, ``other_id``,
        ``score``, ``name_score``, ``reasons`` as a list, ``state``, the decision), filtered by
        state (``"open"``...) and by a person (id, UUID or a Person)."""
        pid = self._person_id(person) if person is not None else 0
        with self._lock:
            return [_pair(r) for r in capi.youth_py_duplicates(self._handle(), _state(state), pid)]

    def duplicate(self, pair_id: int) -> Dict[str, Any]:
        """One stored pair by its id (youth.NotFoundError when there is none)."""
        with self._lock:
            return _pair(capi.youth_py_duplicate_get(self._handle(), int(pair_id)))

    def confirm_duplicate(self, pair_id: int, note: Optional[str] = None) -> None:
        """Records that the two persons of the pair are one youth (merge them next)."""
        self._locked(capi.youth_duplicate_confirm, int(pair_id), note)

    def dismiss_duplicate(self, pair_id: int, note: Optional[str] = None) -> None:
        """Records that they are two youths: the pair is not proposed again unless one of
        the two records changes."""
        self._locked(capi.youth_duplicate_dismiss, int(pair_id), note)

    def similar_persons(self, person: Person,
                        limit: int = 10) -> List[Tuple[int, int, int, List[str]]]:
        """"Who might this be?": for a Person not yet added, the registered persons it may be,
        best first, as ``(person_id, score, name_score, reasons)`` tuples (reasons a list)."""
        if not isinstance(person, Person):
            raise TypeError("similar_persons: a youth.Person is needed, not %s"
                            % type(person).__name__)
        sex = {"female": 1, "male": 2}.get(person.sex, person.sex or 0)
        birth = person.birth_date.isoformat() if hasattr(person.birth_date, "isoformat") \
            else person.birth_date
        with self._lock:
            rows = capi.youth_py_person_similar(
                self._handle(), person.given_names, person.first_surname,
                person.second_surname, birth, int(sex), person.place, person.national_id,
                person.phone, int(limit))
        return [(pid, score, name, reasons.split(",") if reasons else [])
                for pid, score, name, reasons in rows]

    def merge(self, keep: Union[int, str, Person], other: Union[int, str, Person],
              take: Union[str, Iterable[str]] = ()) -> int:
        """Merges person ``other`` into person ``keep`` (ids, UUIDs or Persons): every record
        of ``other`` moves to ``keep``, conflicting values are journalled (``keep``'s stay
        unless the field is in ``take``), ``other``'s UUID becomes an alias of ``keep``.
        Returns the merge's id, for :meth:`unmerge`."""
        keep_id, other_id = self._person_id(keep), self._person_id(other)
        fields = ",".join(take) if not isinstance(take, str) else take
        return self._locked(capi.youth_py_person_merge, keep_id, other_id, fields or None)

    def unmerge(self, merge_id: int) -> None:
        """Undoes a merge from its journal: both persons as they were."""
        self._locked(capi.youth_person_unmerge, int(merge_id))
