"""commit records a snapshot: a top-level key the export lacks keeps that part as it
was, an unchanged export makes no commit, an edited one makes a commit on top."""

import json

from e2e_support import (
    ANNOTATIONS_ONLY,
    DATASET,
    FIXTURES,
    SAMPLE,
    expected_files,
    git,
    load,
    said_nothing_changed,
    tree_files,
)


def head(store):
    return git(store, "rev-parse", "HEAD").strip()


def test_the_same_export_again_changes_nothing(run, copy_store, sample_store):
    store = copy_store(sample_store)
    before = head(store)
    for same in (SAMPLE, FIXTURES / "sample-export.pretty.json"):
        result = run(["-C", store, "commit", same, "--dataset", DATASET, "-m", "again"])
        assert said_nothing_changed(result), result.stdout + result.stderr
        assert head(store) == before
    assert git(store, "rev-list", "--count", "HEAD").strip() == "1"


def test_a_missing_key_keeps_that_part(run, copy_store, sample_store, tmp_path):
    store = copy_store(sample_store)
    before, files = head(store), tree_files(store)
    result = run(["-C", store, "commit", ANNOTATIONS_ONLY, "--dataset", DATASET])
    assert said_nothing_changed(result), "the annotations are those already stored"
    assert head(store) == before

    edited = load(ANNOTATIONS_ONLY)
    edited["annotations"][3]["tags"].append("reviewed")
    (tmp_path / "edited.json").write_text(json.dumps(edited))
    run(["-C", store, "commit", tmp_path / "edited.json", "--dataset", DATASET, "-m", "reviewed"])
    assert git(store, "rev-parse", "HEAD^").strip() == before
    after = tree_files(store)
    changed = sorted(path for path in set(files) | set(after) if files.get(path) != after.get(path))
    assert len(changed) == 1 and changed[0].endswith(f"/{edited['annotations'][3]['_id']}.json"), changed
    whole = load(SAMPLE)
    whole["annotations"] = edited["annotations"]
    assert after == expected_files(whole)


def test_an_edited_export_makes_a_commit_on_top(run, copy_store, sample_store, tmp_path):
    store = copy_store(sample_store)
    before = head(store)
    edited = load(SAMPLE)
    moved = edited["annotations"][1]
    moved["coordinates"] = [{**point, "x": point["x"] + 2.5} for point in moved["coordinates"]]
    edited["annotationPropertyValues"][moved["_id"]][edited["annotationProperties"][0]["_id"]]["Area"] = 1700.0
    gone = edited["annotations"].pop(4)["_id"]
    edited["annotationConnections"] = [
        c for c in edited["annotationConnections"] if gone not in (c["parentId"], c["childId"])]
    edited["annotationPropertyValues"].pop(gone)
    (tmp_path / "edited.json").write_text(json.dumps(edited))

    result = run(["-C", store, "commit", tmp_path / "edited.json", "--dataset", DATASET, "-m", "re-analysis"])
    assert not said_nothing_changed(result)
    assert git(store, "rev-parse", "HEAD^").strip() == before
    assert git(store, "log", "-1", "--format=%B").strip() == "re-analysis"
    assert tree_files(store) == expected_files(edited)
    assert tree_files(store, "HEAD~1") == expected_files(load(SAMPLE))
