"""Case files under hostile input: one line naming the file and the problem, no traceback, no
hang, nothing read that the user did not mean (issue: nothing lost, nothing crashes)."""

import os
import subprocess
import sys
import time

import pytest

import bonemets
from bonemets import InvalidCaseError, load_case

pytestmark = pytest.mark.core  # needs only the core dependencies (make test-core)

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nprimary: *b\n"
CASES = {
    "empty.yaml": ("", "empty file; write {} for a case whose every field is unknown"),
    "comments.yaml": ("# nothing here\n", "empty file"),
    "duplicate.yaml": ("primary: breast\nprimary: lung\n", "the key 'primary' appears twice"),
    "duplicate.json": ('{"er": "positive", "er": "negative"}', "the key 'er' appears twice"),
    "int_key.yaml": ("1: breast\n", "the key 1 is not text"),
    "null_key.yaml": ("~: breast\n", "the key None is not text"),
    "bomb.yaml": (BOMB, "an alias (*name) is not allowed"),
    "deep.yaml": ("a: " + "[" * 5000 + "]" * 5000 + "\n", "nested deeper than 20 levels"),
    "deep.json": ("[" * 50_000 + "]" * 50_000, "nested deeper than 20 levels"),
    "list.yaml": ("- primary: breast\n", "a case is a mapping of fields"),
    "beside.yaml": ("case: {primary: breast}\ner: positive\n", "'er' stands beside the 'case:' block"),
    "bool_number.yaml": ("calcium_mmol_l: true\n", "calcium_mmol_l=True is not allowed"),
    "number_bool.yaml": ("back_pain: 1\n", "back_pain=1 is not allowed"),
    "long.yaml": ("her2: '" + "x" * 100_000 + "'\n", "her2='xxxx"),
    "escape.yaml": ('"bad\\x1b[31mfield": 1\n', "unknown field 'bad\\x1b[31mfield'"),
    "many.yaml": ("".join(f"k{i}: 1\n" for i in range(20_000)), "and 19,997 more"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_hostile_case_file_is_one_clear_line(tmp_path, name):
    text, expected = CASES[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    t0 = time.perf_counter()
    with pytest.raises(InvalidCaseError) as err:
        load_case(path)
    message = str(err.value)
    assert time.perf_counter() - t0 < 5
    assert expected in message and str(path) in message
    assert "\n" not in message and "\x1b" not in message and len(message) < 400, message


def test_not_utf8_not_regular_and_too_large(tmp_path):
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("primary: br\xe9ast\n".encode("latin-1"))
    with pytest.raises(InvalidCaseError, match="not UTF-8"):
        load_case(latin)
    with pytest.raises(InvalidCaseError, match="not a regular file"):
        load_case(tmp_path)
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    with pytest.raises(InvalidCaseError, match="not a regular file"):  # no hang on a FIFO
        load_case(fifo)
    big = tmp_path / "big.yaml"
    big.write_text("bone_sites: [" + ", ".join(["spine"] * 500_000) + "]\n")
    with pytest.raises(InvalidCaseError, match="at most 1,000,000 bytes"):
        load_case(big)


def test_an_all_unknown_case_is_written_as_an_empty_mapping(tmp_path):
    path = tmp_path / "unknown.yaml"
    path.write_text("{}\n")
    assert load_case(path) == bonemets.Case()


def test_the_command_line_says_it_in_one_line_and_exits_2(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB)
    for args in (["assess", str(path)], ["assess", "/dev/zero"], ["report", str(path), "-o", str(tmp_path / "x.html")]):
        r = subprocess.run([sys.executable, "-m", "bonemets.cli", *args], capture_output=True, text=True, timeout=60)
        assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bomb.yaml"]


def test_a_knowledge_file_with_a_repeated_key_is_refused(tmp_path):
    """A second 'when:' in a rule would silently replace the first; the loader refuses it."""
    import shutil

    copy = tmp_path / "knowledge"
    shutil.copytree(bonemets.knowledge().path, copy)
    rules = copy / "rules" / "emergencies.yaml"
    text = rules.read_text(encoding="utf-8")
    first = text.index("\n  when:")
    rules.write_text(text[:first] + "\n  when: {always: true}" + text[first:], encoding="utf-8")
    with pytest.raises(bonemets.KnowledgeError, match=r"emergencies\.yaml: line \d+: the key 'when' appears twice"):
        bonemets.load_knowledge(copy)
