"""Rule files: the built-in rules, user overrides, and PatternError."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

import cleaner
from cleaner.rules import KINDS, LINE_KINDS, builtin_patterns_dir, load_rules
from conftest import body, content_lines, doc

BUILTIN = list(load_rules())
BY_ID = {rule.id: rule for rule in BUILTIN}
README = Path(__file__).resolve().parent.parent / "README.md"


def rule_table(**fields) -> str:
    """One ``[[rule]]`` table; values are written as TOML (JSON-compatible) literals."""
    return "[[rule]]\n" + "".join(f"{name} = {json.dumps(value)}\n" for name, value in fields.items())


def valid_fields(**overrides) -> dict:
    fields = {
        "id": "fragments.test_rule",
        "category": "fragment",
        "lang": "en",
        "pattern": "Skip this line please",
        "note": "A rule written by the tests.",
        "example": "Skip this line please",
    }
    fields.update(overrides)
    return fields


def write_rules(directory: Path, stage: str, *tables: dict, header: str = "") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{stage}.toml"
    path.write_text(header + "\n".join(rule_table(**t) for t in tables), encoding="utf-8")
    return path


# ---------------------------------------------------------------- built-in rules


def test_builtin_rules_load():
    assert BUILTIN, "no built-in rules were loaded"
    assert {rule.stage for rule in BUILTIN} <= set(cleaner.STAGE_NAMES)


def test_builtin_rule_ids_unique_across_files():
    ids = []
    for path in sorted(builtin_patterns_dir().glob("*.toml")):
        ids += [table["id"] for table in tomllib.loads(path.read_text("utf-8")).get("rule", [])]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates
    assert len(ids) == len(BUILTIN) + sum(1 for r in BUILTIN if not r.enabled)


@pytest.mark.parametrize("rule", BUILTIN, ids=lambda r: r.id)
def test_rule_id_starts_with_its_stage(rule):
    assert rule.id.startswith(rule.stage + ".")
    assert rule.stage in cleaner.STAGE_NAMES
    assert Path(rule.source).stem == rule.stage


@pytest.mark.parametrize("rule", BUILTIN, ids=lambda r: r.id)
def test_rule_fields_are_valid(rule):
    assert rule.kind in KINDS
    assert rule.note.strip() and rule.category.strip() and rule.lang.strip()
    assert rule.compiled().search(rule.example), "the example does not match its own pattern"
    if rule.kind in LINE_KINDS and rule.max_words is not None:
        assert len(rule.example.split()) <= rule.max_words, "the example is longer than max_words"


def _attached_anchor(rule) -> str:
    """A line that the rule's stage removes on its own, for 'attached' rules to sit next to."""
    return next(
        other.example
        for other in BUILTIN
        if other.stage == rule.stage and other.kind == "line" and other.zone == "any"
    )


def _placed(rule, block: list[str]) -> list[str]:
    lines = body(4)
    if rule.zone == "head":
        return block + lines
    if rule.zone == "tail":
        return lines + block
    return lines[:2] + block + lines[2:]


#: Rules whose example a built-in rule listed earlier in the same stage shadows:
#: StageRules.match_line reports only the first rule that matches a line.
LINE_RULES = [r for r in BUILTIN if r.kind in LINE_KINDS]


@pytest.mark.parametrize("sep", ["\n\n", "\n"], ids=["blank", "single"])
@pytest.mark.parametrize("rule", LINE_RULES, ids=lambda r: r.id)
def test_rule_example_is_removed_by_its_stage(rule, sep):
    block = [_attached_anchor(rule), rule.example] if rule.kind == "attached" else [rule.example]
    text = doc(_placed(rule, block), sep)
    result = cleaner.clean(text, stages=(rule.stage,))
    assert rule.example not in content_lines(result.text)
    assert content_lines(result.text) == body(4), "article lines were removed too"
    removed_by = [e.rule for e in result.edits if rule.example in e.before]
    assert removed_by and all(r.startswith(rule.stage + ".") for r in removed_by)


@pytest.mark.parametrize("rule", [r for r in BUILTIN if r.kind == "suffix"], ids=lambda r: r.id)
def test_credit_example_makes_a_caption_droppable(rule):
    caption = "Workers repair the damaged roof of the school on Tuesday. " + rule.example
    text = doc([body(1)[0], caption, body(1, 1)[0]])
    assert caption in cleaner.clean(text, stages=("captions",)).text  # kept by default
    result = cleaner.clean(text, stages=("captions",), drop_captions=True)
    assert caption not in result.text
    assert [e.rule for e in result.edits] and all(e.rule.startswith("captions.") for e in result.edits)


@pytest.mark.parametrize("rule", [r for r in BUILTIN if r.kind == "prefix"], ids=lambda r: r.id)
def test_label_example_makes_a_labelled_copy_a_duplicate(rule):
    caption = "Workers repair the damaged roof of the school on Tuesday."
    text = doc([body(1)[0], caption, f"{rule.example} {caption}", body(1, 1)[0]])
    result = cleaner.clean(text, stages=("captions",))
    assert content_lines(result.text) == [body(1)[0], caption, body(1, 1)[0]]
    assert [e.rule for e in result.edits] == ["captions.duplicate"]


# ---------------------------------------------------------------- user rules


def test_user_rule_adds_to_a_stage(tmp_path):
    write_rules(tmp_path, "fragments", valid_fields())
    text = doc([body(1)[0], "Skip this line please", body(1, 1)[0]])
    result = cleaner.clean(text, patterns=(str(tmp_path),))
    assert result.text == doc([body(1)[0], body(1, 1)[0]])
    assert [e.rule for e in result.edits] == ["fragments.test_rule"]
    assert "Skip this line please" in cleaner.clean(text).text  # built-in rules alone keep it


def test_user_rule_with_same_id_replaces_the_builtin_one(tmp_path):
    target = next(r for r in BUILTIN if r.stage == "fragments" and r.kind == "line" and r.zone == "any")
    line = target.example
    write_rules(
        tmp_path,
        "fragments",
        valid_fields(id=target.id, pattern="ZZZ only this", example="ZZZ only this"),
    )
    text = doc([body(1)[0], line, "ZZZ only this", body(1, 1)[0]])
    assert line not in cleaner.clean(text).text
    result = cleaner.clean(text, patterns=(str(tmp_path),))
    assert line in content_lines(result.text)
    assert "ZZZ only this" not in result.text
    ids = [r.id for r in load_rules([tmp_path])]
    assert ids.count(target.id) == 1


def test_user_rule_enabled_false_disables_the_builtin_one(tmp_path):
    target = next(r for r in BUILTIN if r.stage == "banners" and r.kind == "line" and r.zone == "any")
    fields = valid_fields(
        id=target.id,
        category=target.category,
        lang=target.lang,
        pattern=target.pattern,
        note="switched off by the tests",
        example=target.example,
        enabled=False,
    )
    for name in ("match", "max_words", "case_sensitive"):
        value = getattr(target, name)
        if value is not None:
            fields[name] = value
    write_rules(tmp_path, "banners", fields)
    text = doc([body(1)[0], target.example, body(1, 1)[0]])
    assert target.example not in cleaner.clean(text).text
    assert target.example in cleaner.clean(text, patterns=(str(tmp_path),)).text
    assert target.id not in {r.id for r in load_rules([tmp_path])}


def test_patterns_option_accepts_a_single_file(tmp_path):
    path = write_rules(tmp_path, "fragments", valid_fields())
    assert "fragments.test_rule" in {r.id for r in load_rules([path])}


def test_stage_key_overrides_the_file_name(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('stage = "fragments"\n' + rule_table(**valid_fields()), encoding="utf-8")
    rule = next(r for r in load_rules([path]) if r.id == "fragments.test_rule")
    assert rule.stage == "fragments"


# ---------------------------------------------------------------- PatternError


def assert_pattern_error(path: Path, rule_id: str | None, *words: str):
    with pytest.raises(cleaner.PatternError) as info:
        load_rules([path.parent])
    message = str(info.value)
    assert path.name in message, message
    if rule_id:
        assert rule_id in message, message
    for word in words:
        assert word in message, message
    return message


def test_pattern_error_bad_regex(tmp_path):
    path = write_rules(tmp_path, "fragments", valid_fields(pattern="(unclosed [group"))
    assert_pattern_error(path, "fragments.test_rule", "pattern")


def test_pattern_error_example_does_not_match(tmp_path):
    path = write_rules(tmp_path, "fragments", valid_fields(example="Something else entirely"))
    assert_pattern_error(path, "fragments.test_rule", "example")


def test_pattern_error_duplicate_id_in_a_file(tmp_path):
    path = write_rules(tmp_path, "fragments", valid_fields(), valid_fields())
    assert_pattern_error(path, "fragments.test_rule", "duplicate")


@pytest.mark.parametrize("field", ["category", "lang", "pattern", "note", "example"])
def test_pattern_error_missing_field(tmp_path, field):
    fields = valid_fields()
    del fields[field]
    path = write_rules(tmp_path, "fragments", fields)
    assert_pattern_error(path, "fragments.test_rule", field)


def test_pattern_error_missing_id_names_the_file(tmp_path):
    fields = valid_fields()
    del fields["id"]
    path = write_rules(tmp_path, "fragments", fields)
    assert_pattern_error(path, None, "id")


def test_pattern_error_unknown_field(tmp_path):
    path = write_rules(tmp_path, "fragments", valid_fields(colour="blue"))
    assert_pattern_error(path, "fragments.test_rule", "colour")


def test_pattern_error_id_of_another_stage(tmp_path):
    path = write_rules(tmp_path, "fragments", valid_fields(id="banners.test_rule"))
    assert_pattern_error(path, "banners.test_rule")


@pytest.mark.parametrize(
    "extra, word",
    [({"kind": "sideways"}, "kind"), ({"match": "maybe"}, "match"), ({"zone": "middle"}, "zone"), ({"kind": "block"}, "end")],
)
def test_pattern_error_bad_option_value(tmp_path, extra, word):
    path = write_rules(tmp_path, "fragments", valid_fields(**extra))
    assert_pattern_error(path, "fragments.test_rule", word)


def test_pattern_error_bad_toml(tmp_path):
    path = tmp_path / "fragments.toml"
    path.write_text("[[rule]\nid = ", encoding="utf-8")
    assert_pattern_error(path, None)


def test_pattern_error_missing_directory(tmp_path):
    with pytest.raises(cleaner.PatternError, match="nowhere"):
        load_rules([tmp_path / "nowhere"])


def test_pattern_error_from_clean_and_pipeline(tmp_path):
    write_rules(tmp_path, "fragments", valid_fields(pattern="("))
    with pytest.raises(cleaner.PatternError):
        cleaner.Pipeline(patterns=(str(tmp_path),))
    with pytest.raises(cleaner.PatternError):
        cleaner.clean("text", patterns=(str(tmp_path),))


def test_pattern_error_unknown_stage(tmp_path):
    path = write_rules(tmp_path, "boilerplate", valid_fields(id="boilerplate.test_rule"))
    assert_pattern_error(path, "boilerplate")


# ---------------------------------------------------------------- documentation


def test_readme_mentions_every_stage_and_rule_id():
    readme = README.read_text(encoding="utf-8")
    from cleaner.pipeline import MECHANISMS

    missing = [name for name in cleaner.STAGE_NAMES if name not in readme]
    missing += [rule.id for rule in BUILTIN if rule.id not in readme]
    missing += [rule_id for rule_id in MECHANISMS if rule_id not in readme]
    assert not missing
