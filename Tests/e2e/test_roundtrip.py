"""export json gives back what was committed: a valid server-shape export, the same
bytes every time, equal in meaning to the input, in id order with canonical numbers."""

import json
import os
import stat

import pytest
from e2e_support import ANNOTATIONS_ONLY, DATASET, LEGACY, SAMPLE, canonical_json, load, meaning, raw_numbers
from export_reader import SECTIONS, VALUES

SOURCES = ["sample", "legacy", "annotations-only", "generated-server", "generated-legacy"]


@pytest.fixture
def source_file(request, generated):
    name = request.param
    return {"sample": SAMPLE, "legacy": LEGACY, "annotations-only": ANNOTATIONS_ONLY,
            "generated-server": generated["server"], "generated-legacy": generated["legacy"]}[name]


def ordered_keys(data):
    return list(json.loads(data, object_pairs_hook=lambda pairs: pairs))


@pytest.mark.parametrize("source_file", SOURCES, indirect=True)
def test_export_json_round_trips(source_file, run, new_store, schemas, tmp_path):
    store = new_store()
    run(["-C", store, "commit", source_file, "--dataset", DATASET])
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    run(["-C", store, "export", "json", "--dataset", DATASET, "-o", first])
    run(["-C", store, "export", "json", "--dataset", DATASET, "-o", second])
    data = first.read_bytes()
    assert data == second.read_bytes(), "two exports of one revision differ"
    stdout = run(["-C", store, "export", "json", "--dataset", DATASET], binary=True).stdout
    assert stdout == data, "export to stdout differs from export to -o"

    exported = json.loads(data)
    assert schemas.errors("nimbus-export", exported) == []
    assert [key for key, _ in ordered_keys(data)] == list(SECTIONS)
    assert meaning(exported) == meaning(load(source_file))

    for section in SECTIONS[:3]:
        ids = [doc["_id"] for doc in exported[section]]
        assert ids == sorted(ids), f"{section} not in id order"
    assert list(exported[VALUES]) == sorted(exported[VALUES]), "values not in annotation id order"
    wrong = [token for token in raw_numbers(data) if token != canonical_json.format_number(json.loads(token))]
    assert wrong == [], f"numbers not in canonical form: {wrong[:10]}"


@pytest.mark.parametrize(
    "flags, keys",
    [
        (["--no-values"], ["annotations", "annotationConnections", "annotationProperties"]),
        (["--no-connections", "--no-values"], ["annotations", "annotationProperties"]),
        (["--no-annotations", "--no-connections"], ["annotationProperties", "annotationPropertyValues"]),
        (["--no-annotations", "--no-connections", "--no-properties", "--no-values"], []),
    ],
)
def test_export_json_leaves_out_parts(flags, keys, run, sample_store):
    data = run(["-C", sample_store, "export", "json", "--dataset", DATASET, *flags], binary=True).stdout
    assert [key for key, _ in ordered_keys(data)] == keys
    whole = json.loads(run(["-C", sample_store, "export", "json", "--dataset", DATASET], binary=True).stdout)
    part = json.loads(data)
    assert {key: part[key] for key in keys} == {key: whole[key] for key in keys}


def test_export_of_an_older_revision(run, new_store, tmp_path):
    store = new_store()
    run(["-C", store, "commit", SAMPLE, "--dataset", DATASET, "-m", "first"])
    edited = load(SAMPLE)
    edited["annotations"][0]["tags"].append("reviewed")
    del edited["annotationPropertyValues"][edited["annotations"][1]["_id"]]
    (tmp_path / "edited.json").write_text(json.dumps(edited))
    run(["-C", store, "commit", tmp_path / "edited.json", "--dataset", DATASET, "-m", "second"])

    older = run(["-C", store, "export", "json", "--dataset", DATASET, "--rev", "HEAD~1"], binary=True).stdout
    newer = run(["-C", store, "export", "json", "--dataset", DATASET], binary=True).stdout
    assert meaning(json.loads(older)) == meaning(load(SAMPLE))
    assert meaning(json.loads(newer)) == meaning(edited)


def test_export_to_a_device_writes_in_place(run, tmp_path):
    """`-o /dev/null` must write to the device, never rename a file over it."""
    store = tmp_path / "store"
    run(["init", store])
    run(["-C", store, "commit", SAMPLE, "--dataset", "hela"])
    run(["-C", store, "export", "json", "-o", "/dev/null"])
    assert os.path.exists("/dev/null") and stat.S_ISCHR(os.stat("/dev/null").st_mode)
