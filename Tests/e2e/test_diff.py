"""End-to-end tests of diff, show, log --annotation, tag/tags and restore.

Each test builds a store from exports made by Tools/gen-export.py, edits them with its
`mutate` command, and checks annostore's answers against what is computed here,
independently, from the two export files.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from e2e_support import ISOLATED_ENV, REPO, TOOLS, Schemas, git
from jsonschema import Draft202012Validator

BIN = os.environ.get("ANNOSTORE_BIN", str(REPO / ".build" / "debug" / "annostore"))
GENERATOR = TOOLS / "gen-export.py"
SCHEMAS = Schemas()
KINDS = ("annotations", "connections", "properties", "values")
ANNOTATIONS = 300


# ----------------------------------------------------------------------------- helpers


def annostore(*args, store=None, expect=0):
    """Runs annostore (on `store` when given) and returns the completed process."""
    command = [BIN] + (["-C", str(store)] if store else []) + [str(arg) for arg in args]
    done = subprocess.run(command, capture_output=True, text=True, env=ISOLATED_ENV, timeout=600)
    if expect is not None:
        assert done.returncode == expect, f"{command}: {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def annostore_json(*args, store=None):
    return json.loads(annostore(*args, store=store).stdout)


def generate(path, seed, annotations=ANNOTATIONS):
    subprocess.run([sys.executable, GENERATOR, "export", "--annotations", str(annotations), "--seed", str(seed),
                    "-o", str(path)], check=True, capture_output=True)
    return path


def mutate(source, path, fraction, seed):
    summary = path.with_suffix(".summary.json")
    subprocess.run([sys.executable, GENERATOR, "mutate", str(source), "--fraction", str(fraction), "--seed",
                    str(seed), "-o", str(path), "--summary", str(summary)], check=True, capture_output=True)
    return path, json.loads(summary.read_text())


def new_store(tmp_path, name="store"):
    store = tmp_path / name
    annostore("init", store)
    return store


def commit(store, export, dataset, message):
    annostore("commit", export, "--dataset", dataset, "-m", message, store=store)


def head(store, revision="HEAD"):
    return git(store, "rev-parse", revision).strip()


def copy(store, target):
    shutil.copytree(store, target)
    return target


def validate(document, definition=None):
    """Checks a diff document (or one of the diff schema's definitions) against the schema."""
    if definition is None:
        assert SCHEMAS.errors("diff", document) == []
        return
    reference = {"$ref": SCHEMAS.documents["diff"]["$id"] + "#/$defs/" + definition}
    Draft202012Validator(reference, registry=SCHEMAS.registry).validate(document)


# ------------------------------------------------------------ the expectation, from the files


def normalised(value):
    """A value as canonical JSON holds it: whole floats are the same number as integers."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: normalised(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalised(item) for item in value]
    return value


def canonical(document):
    document = dict(document)
    if "id" in document and "_id" not in document:
        document["_id"] = document.pop("id")
    return json.dumps(normalised(document), sort_keys=True, ensure_ascii=False)


def contents(path):
    """Each kind of record of an export, id -> canonical text, as a store keeps them:
    values and connections of annotations that do not exist are dropped, no values is
    the same as empty values."""
    data = json.loads(Path(path).read_text())

    def by_id(documents):
        return {document.get("_id", document.get("id")): document for document in documents}

    annotations = by_id(data.get("annotations", []))
    connections = {key: doc for key, doc in by_id(data.get("annotationConnections", [])).items()
                   if doc["parentId"] in annotations and doc["childId"] in annotations}
    values = {key: value for key, value in data.get("annotationPropertyValues", {}).items()
              if value and key in annotations}
    return {
        "annotations": {key: canonical(doc) for key, doc in annotations.items()},
        "connections": {key: canonical(doc) for key, doc in connections.items()},
        "properties": {key: canonical(doc) for key, doc in by_id(data.get("annotationProperties", [])).items()},
        "values": {key: json.dumps(normalised(value), sort_keys=True) for key, value in values.items()},
    }


def expected_changes(old_path, new_path):
    """Per kind, the ids added, removed and modified between two exports."""
    old, new = contents(old_path), contents(new_path)
    result = {}
    for kind in KINDS:
        a, b = old[kind], new[kind]
        result[kind] = {
            "added": sorted(set(b) - set(a)),
            "removed": sorted(set(a) - set(b)),
            "modified": sorted(key for key in set(a) & set(b) if a[key] != b[key]),
        }
    return result


def counts(changes):
    return {kind: {change: len(ids) for change, ids in by_change.items()} for kind, by_change in changes.items()}


def ids_in(dataset_diff):
    """Per kind and change, the ids a diff document lists for one dataset."""
    result = {}
    for kind in KINDS:
        result[kind] = {change: sorted(entry["id"] for entry in dataset_diff[kind] if entry["change"] == change)
                        for change in ("added", "removed", "modified")}
    return result


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def base_export(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("exports") / "base.json", seed=7)


@pytest.fixture(scope="module")
def edited(tmp_path_factory, base_export):
    """A store holding the base export, then a 20% re-analysis of it."""
    directory = tmp_path_factory.mktemp("edited")
    edit, summary = mutate(base_export, directory / "edit.json", 0.2, seed=21)
    store = new_store(directory)
    commit(store, base_export, "hela", "first segmentation")
    commit(store, edit, "hela", "re-analysis")
    return {"store": store, "base": base_export, "edit": edit, "summary": summary}


# ----------------------------------------------------------------------------- diff


@pytest.mark.parametrize("seed,fraction", [(11, 0.02), (12, 0.1), (13, 0.35), (14, 0.8)])
def test_summary_matches_the_edits(tmp_path, base_export, seed, fraction):
    edit, summary = mutate(base_export, tmp_path / "edit.json", fraction, seed)
    store = new_store(tmp_path)
    commit(store, base_export, "hela", "base")
    commit(store, edit, "hela", "edit")
    expected = expected_changes(base_export, edit)

    document = annostore_json("diff", "HEAD~1", "HEAD", "--dataset", "hela", "--format", "json", store=store)

    validate(document)
    assert document["summary"] == counts(expected)
    assert document["datasets"]["hela"]["summary"] == counts(expected)
    assert ids_in(document["datasets"]["hela"]) == expected
    assert document["from"] == head(store, "HEAD~1") and document["to"] == head(store)
    # The generator's own account agrees on what it did.
    assert set(summary["moved"]) | set(summary["retagged"]) == set(expected["annotations"]["modified"])
    assert set(summary["deleted"]) == set(expected["annotations"]["removed"])
    assert set(summary["added"]) == set(expected["annotations"]["added"])
    assert set(summary["connectionsRemoved"]) == set(expected["connections"]["removed"])


def test_a_diff_of_many_pages_lists_every_record_once_in_id_order(tmp_path):
    """A diff is worked out a few thousand records at a time while it is written: with
    9,000 annotations (several pages on any number of cores), every changed record is
    listed once, each kind in id order, in JSON and in text, and the first commit's diff
    (everything added) is complete too."""
    base = generate(tmp_path / "base.json", seed=31, annotations=9000)
    edit, _ = mutate(base, tmp_path / "edit.json", 0.8, seed=32)
    store = new_store(tmp_path)
    commit(store, base, "hela", "base")
    commit(store, edit, "hela", "edit")
    expected = expected_changes(base, edit)

    document = annostore_json("diff", "--format", "json", store=store)
    dataset = document["datasets"]["hela"]
    assert ids_in(dataset) == expected
    for kind in KINDS:
        ids = [entry["id"] for entry in dataset[kind]]
        assert ids == sorted(ids) and len(set(ids)) == len(ids), kind
    assert dataset["summary"] == counts(expected)

    text = annostore("diff", store=store).stdout.splitlines()
    listed = [line.split()[2].rstrip(":") for line in text if line[:2] in ("+ ", "- ", "~ ") and line.split()[1] == "annotation"]
    assert listed == [entry["id"] for entry in dataset["annotations"]]

    first = annostore_json("show", "HEAD~1", "--format", "json", store=store)
    added = first["diffs"][0]["datasets"]["hela"]
    everything = contents(base)
    for kind in KINDS:
        assert [entry["id"] for entry in added[kind]] == sorted(everything[kind]), kind
        assert all(entry["change"] == "added" for entry in added[kind])


def test_modified_annotations_say_what_changed(edited):
    document = annostore_json("diff", "HEAD~1", "HEAD", "--format", "json", store=edited["store"])
    annotations = {entry["id"]: entry for entry in document["datasets"]["hela"]["annotations"]}
    for moved in edited["summary"]["moved"]:
        fields = {field["field"]: field for field in annotations[moved]["fields"]}
        assert list(fields) == ["coordinates"]
        coordinates = fields["coordinates"]
        assert coordinates["verticesBefore"] == coordinates["verticesAfter"] == annotations[moved]["after"]["vertices"]
        assert 0 < coordinates["moved"] <= coordinates["verticesAfter"]
        assert 0 < coordinates["maxDisplacement"] <= 4.4  # at most 3 px in x and y (one-decimal rounding aside)
    for retagged in edited["summary"]["retagged"]:
        fields = annotations[retagged]["fields"]
        assert [field["field"] for field in fields] == ["tags"]
        assert len(fields[0]["added"]) == 1 and fields[0]["removed"] == []
    values = {entry["id"]: entry for entry in document["datasets"]["hela"]["values"]}
    for revalued in edited["summary"]["revalued"]:
        entries = values[revalued]["entries"]
        assert entries and all(entry["change"] == "modified" for entry in entries)
        for entry in entries:
            assert " / " in entry["column"] or len(entry["path"]) == 1
            assert entry["before"] != entry["after"]


def test_text_and_stat_agree_with_json(edited):
    store = edited["store"]
    summary = annostore_json("diff", "HEAD~1", "HEAD", "--format", "json", store=store)["summary"]
    text = annostore("diff", "HEAD~1", "HEAD", store=store).stdout.splitlines()
    assert text[0] == f"diff {head(store, 'HEAD~1')[:12]}..{head(store)[:12]}"
    assert text[1].startswith("hela: annotations ")
    singular = {"annotations": "annotation", "connections": "connection", "properties": "property",
                "values": "values"}
    for kind in KINDS:
        for change, marker in (("added", "+"), ("removed", "-"), ("modified", "~")):
            lines = [line for line in text if line.startswith(f"{marker} {singular[kind]} ")]
            assert len(lines) == summary[kind][change], (kind, change)
    stat = annostore("diff", "HEAD~1", "HEAD", "--format", "stat", store=store).stdout.splitlines()
    rows = {line.split()[0]: [int(cell) for cell in line.split()[1:]] for line in stat[2:6]}
    for kind in KINDS:
        assert rows[kind] == [summary[kind]["added"], summary[kind]["removed"], summary[kind]["modified"]]
    assert "  annotations by tag:" in stat
    tag_rows = {line.split()[0]: line for line in stat if line.startswith("    ")}
    assert "nucleus" in tag_rows


def test_revision_defaults_and_exit_code(edited):
    store = edited["store"]
    explicit = annostore_json("diff", "HEAD~1", "HEAD", "--format", "json", store=store)
    assert annostore_json("diff", "--format", "json", store=store) == explicit
    assert annostore_json("diff", "HEAD~1", "--format", "json", store=store) == explicit
    assert annostore("diff", "--exit-code", store=store, expect=1).stdout
    same = annostore("diff", "HEAD", "HEAD", "--exit-code", store=store)
    assert same.stdout.splitlines()[-1] == "no differences"
    reverse = annostore_json("diff", "HEAD", "HEAD~1", "--format", "json", store=store)["summary"]
    for kind in KINDS:
        assert reverse[kind]["added"] == explicit["summary"][kind]["removed"]
        assert reverse[kind]["modified"] == explicit["summary"][kind]["modified"]
    annostore("diff", "nosuchrev", store=store, expect=2)
    annostore("diff", "--dataset", "nosuchdataset", store=store, expect=2)


def test_dataset_on_one_side_only(tmp_path, base_export):
    other = generate(tmp_path / "other.json", seed=8, annotations=50)
    store = new_store(tmp_path)
    commit(store, base_export, "hela", "hela")
    commit(store, other, "mcf7", "mcf7")
    document = annostore_json("diff", "HEAD~1", "HEAD", "--format", "json", store=store)
    validate(document)
    assert list(document["datasets"]) == ["mcf7"]
    mcf7 = document["datasets"]["mcf7"]
    assert mcf7["status"] == "added"
    expected = contents(other)
    for kind in KINDS:
        assert mcf7["summary"][kind] == {"added": len(expected[kind]), "removed": 0, "modified": 0}
    assert document["summary"] == mcf7["summary"]
    gone = annostore_json("diff", "HEAD", "HEAD~1", "--dataset", "mcf7", "--format", "json", store=store)
    assert gone["datasets"]["mcf7"]["status"] == "removed"
    assert gone["summary"]["annotations"]["removed"] == len(expected["annotations"])
    unchanged = annostore_json("diff", "HEAD~1", "HEAD", "--dataset", "hela", "--format", "json", store=store)
    assert all(unchanged["summary"][kind] == {"added": 0, "removed": 0, "modified": 0} for kind in KINDS)


# ----------------------------------------------------------------------------- show


def test_show(edited):
    store = edited["store"]
    text = annostore("show", store=store).stdout
    assert text.startswith(f"commit {head(store)}\n")
    assert "Author: " in text and "Date:   " in text and "    re-analysis" in text
    assert "\nhela: annotations " in text
    document = annostore_json("show", "--format", "json", store=store)
    assert document["commit"] == head(store) and document["message"].strip() == "re-analysis"
    assert len(document["diffs"]) == 1
    validate(document["diffs"][0])
    diff = annostore_json("diff", "HEAD~1", "HEAD", "--format", "json", store=store)
    assert document["diffs"][0] == diff
    first = annostore_json("show", "HEAD~1", "--format", "json", store=store)["diffs"][0]
    validate(first)
    assert first["from"] is None
    assert first["summary"]["annotations"] == {"added": ANNOTATIONS, "removed": 0, "modified": 0}
    stat = annostore("show", "--format", "stat", store=store).stdout
    assert "annotations by tag:" in stat


# ----------------------------------------------------------------------------- log --annotation


def test_log_annotation(edited):
    store = edited["store"]
    moved = edited["summary"]["moved"][0]
    history = annostore_json("log", "--annotation", moved, "--dataset", "hela", "--json", store=store)
    assert [entry["commit"] for entry in history] == [head(store), head(store, "HEAD~1")]
    assert history[0]["annotation"]["change"] == "modified"
    assert [field["field"] for field in history[0]["annotation"]["fields"]] == ["coordinates"]
    assert history[1]["annotation"]["change"] == "added"
    for entry in history:
        if entry["annotation"] is not None:
            validate(entry["annotation"], "annotation")
        if entry["values"] is not None:
            validate(entry["values"], "values")
    text = annostore("log", "--annotation", moved, store=store).stdout
    assert f"~ annotation {moved}: coordinates: " in text

    revalued = edited["summary"]["revalued"][0]
    history = annostore_json("log", "--annotation", revalued, "--json", store=store)
    assert len(history) == 2
    assert history[0]["annotation"] is None and history[0]["values"]["change"] == "modified"

    deleted = edited["summary"]["deleted"][0]
    history = annostore_json("log", "--annotation", deleted, "--json", store=store)
    assert history[0]["annotation"]["change"] == "removed"

    changed = set().union(*(edited["summary"][key] for key in ("moved", "retagged", "revalued", "deleted")))
    untouched = next(key for key in contents(edited["base"])["annotations"] if key not in changed)
    history = annostore_json("log", "--annotation", untouched, "--json", store=store)
    assert [entry["commit"] for entry in history] == [head(store, "HEAD~1")]

    assert annostore_json("log", "--annotation", "nosuchid", "--json", store=store) == []
    annostore("log", "--annotation", "../etc", store=store, expect=2)


# ----------------------------------------------------------------------------- tags


def test_tags(tmp_path, edited):
    store = tmp_path / "tagged"
    copy(edited["store"], store)
    assert annostore("tags", store=store).stdout.strip() == "no tags yet"
    annostore("tag", "v1", "HEAD~1", "-m", "first segmentation, figure 2", store=store)
    annostore("tag", "paper/v2", store=store)
    tags = annostore_json("tags", "--json", store=store)
    assert [tag["name"] for tag in tags] == ["paper/v2", "v1"]
    assert tags[1]["commit"] == head(store, "HEAD~1") and tags[0]["commit"] == head(store)
    assert tags[1]["message"].strip() == "first segmentation, figure 2" and tags[1]["annotated"]
    assert git(store, "cat-file", "-t", "v1").strip() == "tag"
    text = annostore("tags", store=store).stdout
    assert "v1" in text and head(store, "HEAD~1")[:12] in text
    # A tag names a revision everywhere.
    by_tag = annostore("export", "json", "--dataset", "hela", "--rev", "v1", store=store).stdout
    assert by_tag == annostore("export", "json", "--dataset", "hela", "--rev", "HEAD~1", store=store).stdout
    assert (annostore_json("diff", "v1", "paper/v2", "--format", "json", store=store)
            == annostore_json("diff", "HEAD~1", "HEAD", "--format", "json", store=store))
    # Tags are never moved or replaced.
    refused = annostore("tag", "v1", store=store, expect=2)
    assert "exists already" in refused.stderr
    annostore("tag", "bad..name", store=store, expect=2)
    annostore("tag", "v3", "nosuchrev", store=store, expect=2)
    assert [tag["name"] for tag in annostore_json("tags", "--json", store=store)] == ["paper/v2", "v1"]
    annostore("verify", store=store)


# ----------------------------------------------------------------------------- restore


def export_json(store, revision, dataset="hela"):
    return annostore("export", "json", "--dataset", dataset, "--rev", revision, store=store).stdout


def test_restore_one_dataset(tmp_path, edited):
    store = tmp_path / "restored"
    copy(edited["store"], store)
    before = head(store)
    base = export_json(store, "HEAD~1")
    done = annostore("restore", "HEAD~1", "--dataset", "hela", store=store)
    assert "Restored dataset hela" in done.stdout
    assert head(store, "HEAD~1") == before  # a new commit on top: nothing lost
    assert export_json(store, "HEAD") == base
    assert export_json(store, before) != base
    message = annostore_json("log", "-n", "1", "--json", store=store)[0]["message"].strip()
    assert message == f"Restore hela to HEAD~1 ({head(store, 'HEAD~2')[:12]})"
    undo = annostore_json("diff", "HEAD~1", "HEAD", "--format", "json", store=store)["summary"]
    redo = annostore_json("diff", "HEAD~2", "HEAD~1", "--format", "json", store=store)["summary"]
    for kind in KINDS:
        assert undo[kind]["added"] == redo[kind]["removed"] and undo[kind]["removed"] == redo[kind]["added"]
    annostore("diff", "HEAD~2", "HEAD", "--exit-code", store=store)
    again = annostore("restore", "HEAD~2", "--dataset", "hela", store=store)
    assert "nothing to restore" in again.stdout
    assert len(annostore_json("log", "--json", store=store)) == 3
    annostore("restore", "HEAD~1", "--dataset", "nosuch", store=store, expect=2)
    annostore("verify", store=store)


def test_restore_all_datasets(tmp_path, base_export, edited):
    store = tmp_path / "all"
    copy(edited["store"], store)
    other = generate(tmp_path / "other.json", seed=9, annotations=40)
    commit(store, other, "mcf7", "add mcf7")
    first = head(store, "HEAD~2")
    report = annostore_json("restore", first, "-m", "back to the start", "--json", store=store)
    assert report["changed"] and report["source"] == first
    assert set(report["changes"]) == {"hela", "mcf7"}
    assert report["changes"]["mcf7"]["annotations"]["removed"] == 40
    status = annostore_json("status", "--json", store=store)
    assert list(status["datasets"]) == ["hela"]
    tree = lambda revision: head(store, revision + "^{tree}")  # noqa: E731
    assert tree("HEAD") == tree(first)
    assert export_json(store, "HEAD") == export_json(store, first)
    assert annostore_json("log", "-n", "1", "--json", store=store)[0]["message"].strip() == "back to the start"
    annostore("verify", store=store)


def test_show_a_merge_diffs_against_each_parent(tmp_path, edited):
    store = copy(edited["store"], tmp_path / "merged")
    first, second = head(store, "HEAD~1"), head(store)
    # A merge made with git itself: the edited tree, with both revisions as parents.
    merge = git(store, "commit-tree", f"{second}^{{tree}}", "-p", first, "-p", second, "-m", "merge",
                env={"GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@b", "GIT_COMMITTER_NAME": "a",
                     "GIT_COMMITTER_EMAIL": "a@b"}).strip()
    git(store, "update-ref", "refs/heads/main", merge, second)
    document = annostore_json("show", "--format", "json", store=store)
    assert document["parents"] == [first, second]
    against_first, against_second = document["diffs"]
    assert against_first["from"] == first and against_second["from"] == second
    assert against_first["summary"] == annostore_json("diff", first, second, "--format", "json", store=store)["summary"]
    assert against_second["datasets"] == {}
    text = annostore("show", store=store).stdout
    assert f"against parent {first[:12]}:" in text and f"against parent {second[:12]}:" in text
