"""The actor registry: bundled data loads and validates; the validator catches bad files."""

import datetime as dt

import pytest

from dragoman.entities.registry import REQUIRED_LANGS, bundled_files, load_files, load_registry, main
from dragoman.errors import ResourceError

ACTOR = """
[[actor]]
key = "test-person"
type = "PERSON"
name = "Test Person"
country = "RU"
names.en = ["Test Person"]
{names}
roles = [{roles}]
"""
ALL_NAMES = "\n".join(f'names.{lang} = ["Test"]' for lang in REQUIRED_LANGS if lang != "en")


def write(tmp_path, text, name="actors-x.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_registry_is_valid_and_large():
    reg = load_registry()
    assert len(reg) >= 400
    assert len(bundled_files()) >= 5
    for actor in reg.actors.values():
        assert all(lang in actor.names for lang in REQUIRED_LANGS), actor.key


def test_roles_resolve_in_time():
    reg = load_registry()
    us_2022 = [a.name for a in reg.holders("US.head_of_state", dt.date(2022, 6, 1))]
    us_2025 = [a.name for a in reg.holders("US.head_of_state", dt.date(2025, 6, 1))]
    assert us_2022 == ["Joe Biden"] and us_2025 == ["Donald Trump"]


def test_user_file_overrides_and_adds(tmp_path):
    path = write(tmp_path, ACTOR.format(names="", roles='{ office = "RU.presidential_aide", from = "2020-01" }'))
    reg = load_files([path], strict_langs=False, base=load_registry())
    assert reg.get("test-person").holders_of("RU.presidential_aide", dt.date(2021, 1, 1))


@pytest.mark.parametrize("change,message", [
    ('{ office = "RU.emperor" }', "office must be HOLDER.role"),
    ('{ office = "RU.head_of_state", from = "2020-13-01" }', "invalid date"),
    ('{ office = "RU.head_of_state", from = "2021", to = "2020" }', "is after"),
    ('{ office = "RU.head_of_state", since = "2021" }', "unknown field"),
])
def test_validator_rejects_bad_roles(tmp_path, change, message):
    path = write(tmp_path, ACTOR.format(names=ALL_NAMES, roles=change))
    with pytest.raises(ResourceError, match=message):
        load_files([path])


def test_validator_rejects_missing_languages_and_duplicates(tmp_path):
    with pytest.raises(ResourceError, match="names missing for"):
        load_files([write(tmp_path, ACTOR.format(names="", roles=""))])
    one = write(tmp_path, ACTOR.format(names=ALL_NAMES, roles=""), "actors-a.toml")
    two = write(tmp_path, ACTOR.format(names=ALL_NAMES, roles=""), "actors-b.toml")
    with pytest.raises(ResourceError, match="is also in"):
        load_files([one, two])
    with pytest.raises(ResourceError, match="invalid TOML"):
        load_files([write(tmp_path, "[[actor]\nkey=", "actors-c.toml")])


def test_command_line_check(capsys):
    assert main([]) == 0
    assert "valid" in capsys.readouterr().out
