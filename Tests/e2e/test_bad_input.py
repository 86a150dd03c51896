"""Bad input is refused with status 3, a message naming the file and the place, and
nothing written: the store stays exactly as it was, down to the files under objects/."""

import copy
import json
import re

import pytest
from e2e_support import DATASET, SAMPLE, load, store_state

SAMPLE_BYTES = SAMPLE.read_bytes()
LINE_COLUMN = r"line \d+, column \d+"


def pointer(text):
    """A JSON pointer as a whole word (not the prefix of a longer one)."""
    return re.escape(text) + r"(?![\w/~])"


def annotation_changed(index=0, **fields):
    export = copy.deepcopy(load(SAMPLE))
    export["annotations"][index].update(fields)
    return json.dumps(export).encode()


def duplicated_id():
    export = copy.deepcopy(load(SAMPLE))
    export["annotations"][1]["_id"] = export["annotations"][0]["_id"]
    return json.dumps(export).encode()


def replaced_once(old, new):
    assert old in SAMPLE_BYTES
    return SAMPLE_BYTES.replace(old, new, 1)


# name -> (file content, where the message must say the problem is)
CASES = {
    "not-json": (b"this is not JSON\n", LINE_COLUMN),
    "truncated": (SAMPLE_BYTES[:1000], LINE_COLUMN),
    # A 0-byte file has no better place than its start; "empty" says as much.
    "empty": (b"", r"line 1, column 1|empty|0 bytes"),
    "bom": (b"\xef\xbb\xbf" + SAMPLE_BYTES, r"line 1, column 1\b"),
    "invalid-utf8": (replaced_once(b'"name":"Cell 1"', b'"name":"Cell \xff1"'),
                     LINE_COLUMN + "|" + pointer("/annotations/0/name")),
    "tags-not-a-list": (annotation_changed(tags="nucleus"), pointer("/annotations/0/tags")),
    "channel-a-string": (annotation_changed(channel="0"), pointer("/annotations/0/channel")),
    "unknown-shape": (annotation_changed(2, shape="circle"), pointer("/annotations/2/shape")),
    "duplicate-ids": (duplicated_id(), r"/annotations/1(/_id)?(?![\w/~])"),
    "id-dot-dot": (annotation_changed(_id="../x"), pointer("/annotations/0/_id")),
    "id-with-slash": (annotation_changed(_id="a/b"), pointer("/annotations/0/_id")),
    "id-empty": (annotation_changed(_id=""), pointer("/annotations/0/_id")),
    "id-200-chars": (annotation_changed(_id="a" * 200), pointer("/annotations/0/_id")),
    "huge-integer": (replaced_once(b'"x":669.0', b'"x":12345678901234567890'),
                     pointer("/annotations/0/coordinates/0/x")),
}


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    paths = {}
    for name, (content, _) in CASES.items():
        paths[name] = folder / f"bad-{name}.json"
        paths[name].write_bytes(content)
    return paths


def assert_refused(result, path, place):
    assert result.returncode == 3, f"exit {result.returncode}: {result.stderr}"
    assert path.name in result.stderr, f"the message does not name the file: {result.stderr!r}"
    assert re.search(place, result.stderr), f"the message does not say where ({place}): {result.stderr!r}"


@pytest.mark.parametrize("case", CASES)
def test_commit_refuses_and_writes_nothing(case, bad_files, run, copy_store, sample_store):
    store = copy_store(sample_store)
    before = store_state(store)
    result = run(["-C", store, "commit", bad_files[case], "--dataset", DATASET, "-m", case], ok=False)
    assert_refused(result, bad_files[case], CASES[case][1])
    assert store_state(store) == before


@pytest.mark.parametrize("case", CASES)
def test_validate_refuses(case, bad_files, run, sample_store):
    before = store_state(sample_store)
    result = run(["-C", sample_store, "validate", bad_files[case]], ok=False)
    assert_refused(result, bad_files[case], CASES[case][1])
    assert store_state(sample_store) == before


@pytest.mark.parametrize("export", ["sample-export.json", "sample-export-legacy-frontend.json",
                                    "sample-export-annotations-only.json", "sample-export.pretty.json"])
def test_validate_accepts_good_exports(export, run, sample_store):
    run(["-C", sample_store, "validate", SAMPLE.parent / export])
