"""Places of the gazetteer: department > municipality > district > community."""

from typing import NamedTuple, Optional

from . import capi
from .records import record, vocab_value, vocabulary

__all__ = ["Place", "LEVELS", "LevelLabels"]

#: Level names in tree order, with their C values: {"department": 1, ...}.
LEVELS = vocabulary(capi.youth_place_level_name)
_LEVEL_NAMES = {v: k for k, v in LEVELS.items()}


@record("place", complete=True, frozen=True, types={"level": str})
class Place:
    """A place of the gazetteer.

    ``path`` is the canonical slug path (``"sonsonate/sonsonate-centro/sonzacate"``), ``name``
    the name as written in the gazetteer, ``level`` one of ``"department"``,
    ``"municipality"``, ``"district"``, ``"community"``, ``critical`` marks the critical areas
    of the programme.
    """

    @property
    def parent_path(self) -> Optional[str]:
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
    """The typed dict of the SWIG layer -> a Place, its level by name."""
    level = d["level"]
    return Place(**dict(d, level=_LEVEL_NAMES.get(level, str(level)),
                        critical=bool(d["critical"])))


def level_value(level):
    """A level given as a name or an int -> the C value (0 for None = all levels)."""
    return vocab_value(LEVELS, "level", level, "level name or int", unset=True)
