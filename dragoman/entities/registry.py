"""The actor registry: actors with Wikidata ids, names in many languages and dated roles.

Bundled files are ``resources/registry/actors-*.toml`` (format in that folder's
README); users add their own files with the same format. :func:`load_registry`
validates everything and raises :class:`~dragoman.errors.ResourceError` naming the file
and the actor at fault.

``python -m dragoman.entities.registry [FILE...]`` checks files (default: the bundled
registry) and prints counts.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import ResourceError
from ..resources import read_toml, resource_dir

TYPES = ("PERSON", "ORG", "GPE", "LOC")
REQUIRED_LANGS = ("ar", "fa", "ru", "uk", "de", "en", "fr", "tr")
KNOWN_LANGS = frozenset(REQUIRED_LANGS + ("es", "it", "pl", "zh", "he", "cs", "bg", "sl", "ja", "ko", "pt", "nl", "be"))
_KEY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_QID = re.compile(r"^Q[1-9]\d*$")
_HOLDER = re.compile(r"^([A-Z]{2}|[A-Z][A-Z0-9_]{1,15})$")
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True, slots=True)
class Role:
    """An office held from ``start`` to ``end`` (ISO dates at their granularity; ``end``
    ``None`` while in office)."""

    office: str
    start: str | None = None
    end: str | None = None

    @property
    def holder(self) -> str:
        return self.office.split(".", 1)[0]

    @property
    def role(self) -> str:
        return self.office.split(".", 1)[1]

    def held_on(self, day: dt.date) -> bool:
        """Whether the role was held on ``day`` (inclusive at both ends)."""
        lo = _bound(self.start, low=True)
        hi = _bound(self.end, low=False)
        return (lo is None or lo <= day) and (hi is None or day <= hi)


@dataclass(slots=True)
class Actor:
    key: str
    type: str
    name: str
    wikidata: str | None = None
    country: str | None = None
    parent: str | None = None
    names: dict[str, list[str]] = field(default_factory=dict)
    roles: list[Role] = field(default_factory=list)
    origin: str = ""

    def all_names(self) -> Iterable[tuple[str, str]]:
        """(language, name) pairs, the English display name included."""
        yield "en", self.name
        for lang, names in self.names.items():
            for name in names:
                yield lang, name

    def holders_of(self, office: str, day: dt.date | None) -> bool:
        return any(r.office == office and (day is None or r.held_on(day)) for r in self.roles)


@dataclass(slots=True, eq=False)  # compared and hashed by identity: matchers are cached per registry
class Registry:
    actors: dict[str, Actor]
    role_labels: dict[str, str]

    def __len__(self) -> int:
        return len(self.actors)

    def get(self, key: str) -> Actor | None:
        return self.actors.get(key)

    def holders(self, office: str, day: dt.date) -> list[Actor]:
        """Actors holding ``office`` on ``day``."""
        return [a for a in self.actors.values() if a.holders_of(office, day)]

    def holder_actor(self, holder: str) -> Actor | None:
        """The country (GPE whose ``country`` is the code) or organisation (ORG without a
        parent whose ``country`` is the key) that an office belongs to."""
        for typ in ("GPE", "ORG"):
            for a in self.actors.values():
                if a.type == typ and a.country == holder and not a.parent:
                    return a
        return None

    def office_label(self, office: str) -> str:
        holder, role = office.split(".", 1)
        of = self.holder_actor(holder)
        template = self.role_labels.get(role, role.replace("_", " "))
        return template.replace("{of}", of.name if of else holder)


def _bound(value: str | None, *, low: bool) -> dt.date | None:
    """The first (``low``) or last day a partial ISO date can mean."""
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        y, m = parts
        if low:
            return dt.date(y, m, 1)
        nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(parts[0], 1, 1) if low else dt.date(parts[0], 12, 31)


def _check_date(value: object, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str) or not _PARTIAL_DATE.match(value):
        raise ResourceError(f"{where}: date must be YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    try:
        _bound(value, low=True)
    except ValueError as exc:
        raise ResourceError(f"{where}: invalid date {value!r}: {exc}") from exc
    return value


def load_role_labels() -> dict[str, str]:
    path = resource_dir() / "registry" / "roles.toml"
    data = read_toml(path, "the role vocabulary")
    return {k: v["label"] for k, v in data.get("role", {}).items()}


def parse_actor(raw: dict, *, origin: str, roles: dict[str, str], strict_langs: bool) -> Actor:
    key = raw.get("key")
    if not isinstance(key, str) or not _KEY.match(key):
        raise ResourceError(f"actor {key!r}: key must be a lowercase slug (a-z, 0-9, '-')", source=origin)
    where = f"actor {key!r}"
    unknown = set(raw) - {"key", "wikidata", "type", "name", "country", "parent", "names", "roles"}
    if unknown:
        raise ResourceError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}", source=origin)
    typ = raw.get("type")
    if typ not in TYPES:
        raise ResourceError(f"{where}: type must be one of {', '.join(TYPES)}, got {typ!r}", source=origin)
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ResourceError(f"{where}: name (English) is required", source=origin)
    qid = raw.get("wikidata")
    if qid is not None and (not isinstance(qid, str) or not _QID.match(qid)):
        raise ResourceError(f"{where}: wikidata must look like Q123, got {qid!r}", source=origin)
    country = raw.get("country")
    if country is not None and (not isinstance(country, str) or not _HOLDER.match(country)):
        raise ResourceError(f"{where}: country must be an ISO code or organisation key, got {country!r}", source=origin)
    names_raw = raw.get("names", {})
    if not isinstance(names_raw, dict):
        raise ResourceError(f"{where}: names must be a table of language -> list", source=origin)
    names: dict[str, list[str]] = {}
    for lang, values in names_raw.items():
        if lang not in KNOWN_LANGS:
            raise ResourceError(f"{where}: unknown language {lang!r} in names", source=origin)
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            raise ResourceError(f"{where}: names.{lang} must be a list of non-empty strings", source=origin)
        names[lang] = [v.strip() for v in values]
    if strict_langs:
        missing = [lang for lang in REQUIRED_LANGS if lang not in names]
        if missing:
            raise ResourceError(f"{where}: names missing for {', '.join(missing)}", source=origin)
    parsed_roles: list[Role] = []
    for i, r in enumerate(raw.get("roles", [])):
        rwhere = f"{where} role {i + 1}"
        if not isinstance(r, dict) or "office" not in r:
            raise ResourceError(f"{rwhere}: needs an office", source=origin)
        if set(r) - {"office", "from", "to"}:
            raise ResourceError(f"{rwhere}: unknown field(s) {', '.join(sorted(set(r) - {'office', 'from', 'to'}))}", source=origin)
        office = r["office"]
        holder, _, role = str(office).partition(".")
        if not _HOLDER.match(holder) or role not in roles:
            raise ResourceError(f"{rwhere}: office must be HOLDER.role with a role from roles.toml, got {office!r}", source=origin)
        start = _check_date(r.get("from"), rwhere)
        end = _check_date(r.get("to"), rwhere)
        if start and end and _bound(start, low=True) > _bound(end, low=False):  # type: ignore[operator]
            raise ResourceError(f"{rwhere}: from {start} is after to {end}", source=origin)
        parsed_roles.append(Role(office, start, end))
    if parsed_roles and typ != "PERSON":
        raise ResourceError(f"{where}: only a PERSON holds roles", source=origin)
    return Actor(key=key, type=typ, name=name.strip(), wikidata=qid, country=country, parent=raw.get("parent"),
                 names=names, roles=parsed_roles, origin=origin)


def load_files(paths: Sequence[Path], *, strict_langs: bool = True, base: Registry | None = None) -> Registry:
    """Load and validate registry files; later files override earlier keys."""
    roles = base.role_labels if base else load_role_labels()
    actors: dict[str, Actor] = dict(base.actors) if base else {}
    qids: dict[str, str] = {a.wikidata: a.key for a in actors.values() if a.wikidata}
    for path in paths:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise ResourceError(f"cannot read registry file: {exc}", source=str(path)) from exc
        except tomllib.TOMLDecodeError as exc:
            raise ResourceError(f"invalid TOML: {exc}", source=str(path)) from exc
        seen: set[str] = set()
        for raw in data.get("actor", []):
            actor = parse_actor(raw, origin=str(path), roles=roles, strict_langs=strict_langs)
            if actor.key in seen:
                raise ResourceError(f"actor {actor.key!r} appears twice", source=str(path))
            if base is None and actor.key in actors:
                # bundled files must not clash; a user's file (base given) may override
                raise ResourceError(f"actor {actor.key!r} is also in {actors[actor.key].origin}", source=str(path))
            seen.add(actor.key)
            if base is not None and actor.key in actors and actors[actor.key].wikidata:
                qids.pop(actors[actor.key].wikidata, None)
            if actor.wikidata and qids.get(actor.wikidata, actor.key) != actor.key:
                raise ResourceError(
                    f"actor {actor.key!r}: wikidata {actor.wikidata} already belongs to {qids[actor.wikidata]!r}",
                    source=str(path))
            if actor.wikidata:
                qids[actor.wikidata] = actor.key
            actors[actor.key] = actor
    for actor in actors.values():
        if actor.parent and actor.parent not in actors:
            raise ResourceError(f"actor {actor.key!r}: parent {actor.parent!r} is not in the registry", source=actor.origin)
    return Registry(actors, roles)


def bundled_files() -> list[Path]:
    return sorted((resource_dir() / "registry").glob("actors-*.toml"))


@lru_cache(maxsize=8)
def load_registry(extra: tuple[str, ...] = ()) -> Registry:
    """The bundled registry plus user files (``extra``), validated and cached."""
    base = load_files(bundled_files())
    if extra:
        return load_files([Path(p) for p in extra], strict_langs=False, base=base)
    return base


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    paths = [Path(a) for a in args] or bundled_files()
    try:
        reg = load_files(paths, strict_langs=not args)
    except ResourceError as exc:
        print(f"registry: {exc}", file=sys.stderr)
        return 1
    by_type: dict[str, int] = {}
    for a in reg.actors.values():
        by_type[a.type] = by_type.get(a.type, 0) + 1
    with_qid = sum(1 for a in reg.actors.values() if a.wikidata)
    n_roles = sum(len(a.roles) for a in reg.actors.values())
    print(f"registry: {len(reg)} actors ({', '.join(f'{k} {v}' for k, v in sorted(by_type.items()))}), "
          f"{with_qid} with a Wikidata id, {n_roles} dated roles, from {len(paths)} file(s): valid")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
