"""Places of the gazetteer: department > municipality > district > community."""

from dataclasses import dataclass
from typing import NamedTuple, Optional

from . import capi

__all__ = ["Place", "LEVELS", "LevelLabels"]


def _levels():
    # The vocabulary comes from the C library: youth_place_level_name(1), (2)...
    names = {}
    level = 1
    while True:
        name = capi.youth_place_level_name(level)
        if name is None:
            return names
        names[name] = level
        level += 1


#: Level names in tree order, with their C values: {"department": 1, ...}.
LEVELS = _levels()
_LEVEL_NAMES = {v: k for k, v in LEVELS.items()}


@dataclass(frozen=True)
class Place:
    """A place of the gazetteer.

    ``path`` is the canonical slug path (``"sonsonate/sonsonate-centro/sonzacate"``), ``name``
    the name as written in the gazetteer, ``level`` one of ``"department"``,
    ``"municipality"``, ``"district"``, ``"community"``, ``critical`` marks the critical areas
    of the programme.
    """

    id: int
    uuid: str
    path: str
    name: str
    level: str
    critical: bool

    @property
    def parent_path(self):
        """Path of the parent place, or None for a department."""
        head, sep, _ = self.path.rpartition("/")
        return head if sep else None


class LevelLabels(NamedTuple):
    """A place level with the labels a registry gives it (:meth:`Registry.level_labels`).

    ``name`` is the fixed name (a key of :data:`LEVELS`), ``label`` the label reports print
    (the name unless the gazetteer gives one), ``alt_label`` the second label
    (``"municipality (before 2024)"``) or None.
    """

    name: str
    label: str
    alt_label: Optional[str]


def from_capi(d):
    level = d["level"]
    return Place(id=d["id"], uuid=d["uuid"], path=d["path"], name=d["name"],
                 level=_LEVEL_NAMES.get(level, str(level)), critical=bool(d["critical"]))


def level_value(level):
    """A level given as a name or an int -> the C value (0 for None = all levels)."""
    if level is None:
        return 0
    if isinstance(level, bool):
        raise TypeError("level: expected a level name or int, got bool")
    if isinstance(level, int):
        return level
    if isinstance(level, str):
        try:
            return LEVELS[level]
        except KeyError:
            from .errors import InvalidError
            raise InvalidError("level %r: not one of %s" % (level, ", ".join(LEVELS)),
                               code=capi.YOUTH_EINVAL, field="level") from None
    raise TypeError("level: expected a level name or int, got %s" % type(level).__name__)
