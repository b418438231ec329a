"""Validate an export file against the bundled contract:
``python -m dragoman.export.validate export.json``."""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from typing import Any

from ..errors import InputError
from ..resources import resource_dir


@lru_cache(maxsize=4)
def schema(name: str = "export") -> dict[str, Any]:
    return json.loads((resource_dir() / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))


def validation_errors(document: Any, name: str = "export") -> list[str]:
    """Every way ``document`` breaks ``resources/schema/<name>.schema.json``."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema(name))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in validator.iter_errors(document)]


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if not args:
        print("usage: python -m dragoman.export.validate FILE [export|annotate]", file=sys.stderr)
        return 2
    name = args[1] if len(args) > 1 else "export"
    try:
        document = json.loads(open(args[0], encoding="utf-8").read())
    except (OSError, json.JSONDecodeError) as exc:
        raise SystemExit(str(InputError(f"cannot read JSON: {exc}", source=args[0])))
    errors = validation_errors(document, name)
    for error in errors[:50]:
        print(f"{args[0]}: {error}", file=sys.stderr)
    if errors:
        return 1
    counts = ", ".join(f"{len(document[k])} {k}" for k in ("documents", "entities", "quotes", "events", "stories") if k in document)
    print(f"{args[0]}: valid against {name}.schema.json ({counts})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
