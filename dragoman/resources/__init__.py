"""Language data shipped with Dragoman: one folder per language (``<lang>/``),
language-independent data in ``_common/``, the public contract in ``schema/``."""

from __future__ import annotations

from importlib import resources as _resources
from pathlib import Path


def resource_dir() -> Path:
    """The folder that holds the bundled data files."""
    return Path(str(_resources.files(__name__)))


def languages() -> list[str]:
    """Languages with a data folder (``_common`` and ``schema`` excluded)."""
    return sorted(
        p.name for p in resource_dir().iterdir() if p.is_dir() and not p.name.startswith(("_", "schema"))
    )


def read_toml(path: Path, what: str) -> dict:
    """A bundled or user TOML data file; a missing or malformed file is a
    :class:`~dragoman.errors.ResourceError` naming it and saying ``what`` it holds."""
    import tomllib

    from ..errors import ResourceError

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ResourceError(f"cannot read {what}: {exc}", source=str(path)) from exc


def language_file(lang: str, name: str) -> Path | None:
    """``resources/<lang>/<name>`` if it exists."""
    path = resource_dir() / lang / name
    return path if path.is_file() else None
