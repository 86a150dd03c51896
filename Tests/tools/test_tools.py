"""Tests of the Python tools the e2e suite and the benchmark rely on: the canonical JSON
writer, the generator and its edit summary, and the fast-import stream. No annostore
binary needed: `python3 -m pytest Tests/tools`."""

import json
import struct
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Tests" / "e2e"))

from e2e_support import SAMPLE, TOOLS, Schemas, canonical_json, expected_files, load  # noqa: E402

GEN = TOOLS / "gen-export.py"

# RFC 8785 appendix B: IEEE-754 bit patterns and their canonical spelling.
RFC8785_NUMBERS = {
    "0000000000000000": "0", "8000000000000000": "0", "0000000000000001": "5e-324",
    "8000000000000001": "-5e-324", "7fefffffffffffff": "1.7976931348623157e+308",
    "ffefffffffffffff": "-1.7976931348623157e+308", "4340000000000000": "9007199254740992",
    "c340000000000000": "-9007199254740992", "4430000000000000": "295147905179352830000",
    "44b52d02c7e14af5": "9.999999999999997e+22", "44b52d02c7e14af6": "1e+23",
    "44b52d02c7e14af7": "1.0000000000000001e+23", "444b1ae4d6e2ef4e": "999999999999999700000",
    "444b1ae4d6e2ef4f": "999999999999999900000", "444b1ae4d6e2ef50": "1e+21",
    "3eb0c6f7a0b5ed8c": "9.999999999999997e-7", "3eb0c6f7a0b5ed8d": "0.000001",
    "41b3de4355555553": "333333333.3333332", "41b3de4355555554": "333333333.33333325",
    "41b3de4355555555": "333333333.3333333", "41b3de4355555556": "333333333.3333334",
    "41b3de4355555557": "333333333.33333343", "becbf647612f3696": "-0.0000033333333333333333",
    "43143ff3c1cb0959": "1424953923781206.2",
}


@pytest.mark.parametrize("bits, text", RFC8785_NUMBERS.items())
def test_numbers_are_written_as_ecmascript_does(bits, text):
    assert canonical_json.format_number(struct.unpack(">d", bytes.fromhex(bits))[0]) == text


@pytest.mark.parametrize("number, text", [(669.0, "669"), (669, "669"), (1e-7, "1e-7"), (0.0001, "0.0001"),
                                          (1e16, "10000000000000000"), (2**60, "1152921504606847000")])
def test_whole_and_small_numbers(number, text):
    assert canonical_json.format_number(number) == text


@pytest.mark.parametrize("number", [12345678901234567890, float("nan"), float("inf"), True])
def test_numbers_a_double_cannot_hold_are_refused(number):
    with pytest.raises((ValueError, TypeError)):
        canonical_json.format_number(number)


def test_keys_sort_by_utf16_code_units_and_strings_escape_minimally():
    keys = ["\u20ac", "\r", "\ufb33", "1", "\U0001f600", "\u0080", "\u00f6"]  # RFC 8785 section 3.2.3
    encoded = canonical_json.encode({key: 0 for key in keys})
    assert list(json.loads(encoded, object_pairs_hook=lambda pairs: [k for k, _ in pairs])) == [
        "\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]
    assert canonical_json.encode(["\"\\/\b\f\n\r\t\x01\x7f\u2028é"]) == '["\\"\\\\/\\b\\f\\n\\r\\t\\u0001\x7f\u2028é"]'


def generate(tmp_path, name, *args):
    path = tmp_path / name
    subprocess.run([sys.executable, GEN, *map(str, args), "-o", path], check=True, capture_output=True)
    return path


@pytest.mark.parametrize("legacy", [[], ["--legacy"]])
def test_generated_exports_are_deterministic_valid_and_realistic(legacy, tmp_path):
    first = generate(tmp_path, "a.json", "export", "--annotations", 3000, "--seed", 5, *legacy)
    second = generate(tmp_path, "b.json", "export", "--annotations", 3000, "--seed", 5, *legacy)
    assert first.read_bytes() == second.read_bytes()
    data = first.read_bytes()
    assert b"\n" not in data
    export = json.loads(data)
    assert list(export) == ["annotations", "annotationConnections", "annotationProperties",
                            "annotationPropertyValues"]
    assert Schemas().errors("nimbus-export", export) == []
    annotations = export["annotations"]
    key = "id" if legacy else "_id"
    ids = [a[key] for a in annotations]
    assert len(set(ids)) == len(ids) and all(len(i) == 24 for i in ids)
    assert len({i[8:18] for i in ids}) == 1, "one server process"
    assert sum(a["shape"] == "polygon" for a in annotations) == 2100
    assert all(8 <= len(a["coordinates"]) <= 24 for a in annotations if a["shape"] == "polygon")
    assert 0.95 < len(export["annotationPropertyValues"]) / len(annotations) < 0.99
    assert len(export["annotationConnections"]) == 900
    assert 4 <= len(export["annotationProperties"]) <= 5
    assert (b'.0,"y"' in data) != bool(legacy), "server exports keep .0 on whole floats, browser ones do not"
    if legacy:
        assert all("color" in a for a in annotations), "the browser exporter always writes color"


@pytest.mark.parametrize("legacy", [[], ["--legacy"]])
def test_mutate_summary_says_exactly_what_changed(legacy, tmp_path):
    source = generate(tmp_path, "in.json", "export", "--annotations", 4000, "--seed", 3, *legacy)
    summary_path = tmp_path / "summary.json"
    edited = generate(tmp_path, "out.json", "mutate", source, "--fraction", 0.05, "--seed", 4,
                      "--summary", summary_path)
    summary = load(summary_path)
    before, after = load(source), load(edited)
    key = "id" if legacy else "_id"
    old = {a[key]: a for a in before["annotations"]}
    new = {a[key]: a for a in after["annotations"]}
    kept = [i for i in old if i in new]
    found = {
        "moved": [i for i in kept if old[i]["coordinates"] != new[i]["coordinates"]],
        "retagged": [i for i in kept if old[i]["tags"] != new[i]["tags"]],
        "deleted": [i for i in old if i not in new],
        "added": [i for i in new if i not in old],
        "revalued": [i for i, v in before["annotationPropertyValues"].items()
                     if i in after["annotationPropertyValues"] and after["annotationPropertyValues"][i] != v],
        "connectionsRemoved": sorted({c[key] for c in before["annotationConnections"]}
                                     - {c[key] for c in after["annotationConnections"]}),
    }
    for kind, ids in found.items():
        assert sorted(ids) == sorted(summary[kind]), kind
        assert summary["counts"][kind] == len(ids)
        assert ids, f"nothing {kind}"
    assert all({k: v for k, v in old[i].items() if k not in ("coordinates", "tags")}
               == {k: v for k, v in new[i].items() if k not in ("coordinates", "tags")} for i in kept)
    assert after["annotationProperties"] == before["annotationProperties"]
    assert all(i in new for i in after["annotationPropertyValues"])
    assert all(c["parentId"] in new and c["childId"] in new for c in after["annotationConnections"])
    assert Schemas().errors("nimbus-export", after) == []


def test_fast_import_stream_is_the_tree_of_the_canonical_files(tmp_path):
    files = expected_files(load(SAMPLE))
    work = tmp_path / "work"
    for path, data in files.items():
        (work / path).parent.mkdir(parents=True, exist_ok=True)
        (work / path).write_bytes(data)
    git = ["git", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q", work], check=True)
    subprocess.run([*git, "-C", work, "add", "-A"], check=True)
    added = subprocess.run([*git, "-C", work, "write-tree"], check=True, capture_output=True, text=True).stdout

    stream = subprocess.run([sys.executable, TOOLS / "fast-import-stream.py", SAMPLE, "--dataset", "hela"],
                            check=True, capture_output=True).stdout
    subprocess.run([*git, "init", "-q", "--bare", tmp_path / "imported.git"], check=True)
    subprocess.run([*git, "-C", tmp_path / "imported.git", "fast-import", "--quiet"], input=stream, check=True)
    imported = subprocess.run([*git, "-C", tmp_path / "imported.git", "rev-parse", "main^{tree}"],
                              check=True, capture_output=True, text=True).stdout
    assert imported == added
