"""Connections and values that refer to annotations not there after the commit are
dropped and counted, never stored dangling (real NimbusImage exports carry them)."""

import json
import re

from e2e_support import (
    ANNOTATIONS_ONLY,
    DATASET,
    SAMPLE,
    dropped_report,
    expected_files,
    layout_problems,
    load,
    tree_files,
)

MISSING = ["ffffffffffffffffffffff01", "ffffffffffffffffffffff02"]


def test_orphans_in_the_export_are_dropped_and_counted(run, new_store, schemas, tmp_path):
    export = load(SAMPLE)
    anchor = export["annotations"][0]["_id"]
    properties = [p["_id"] for p in export["annotationProperties"]]
    for missing in MISSING:
        export["annotationPropertyValues"][missing] = {properties[0]: {"Area": 12.0}}
    for number, (parent, child) in enumerate([(anchor, MISSING[0]), (MISSING[1], anchor), MISSING]):
        export["annotationConnections"].append(
            {"_id": f"eeeeeeeeeeeeeeeeeeeeee0{number}", "tags": [], "parentId": parent, "childId": child,
             "datasetId": export["annotations"][0]["datasetId"]})
    (tmp_path / "orphans.json").write_text(json.dumps(export))

    store = new_store()
    result = run(["-C", store, "commit", tmp_path / "orphans.json", "--dataset", DATASET])
    report = dropped_report(result.stdout + result.stderr)
    assert re.search(r"\b3\b", report) and re.search(r"\b2\b", report), result.stdout + result.stderr
    files = tree_files(store)
    assert layout_problems(files, schemas) == []
    assert files == expected_files(load(SAMPLE))


def test_annotations_left_out_take_their_references_along(run, copy_store, sample_store, schemas, tmp_path):
    store = copy_store(sample_store)
    partial = load(ANNOTATIONS_ONLY)
    gone = partial["annotations"].pop(0)["_id"]
    (tmp_path / "partial.json").write_text(json.dumps(partial))

    result = run(["-C", store, "commit", tmp_path / "partial.json", "--dataset", DATASET])
    sample = load(SAMPLE)
    dropped_connections = [c for c in sample["annotationConnections"] if gone in (c["parentId"], c["childId"])]
    assert len(dropped_connections) == 3 and gone in sample["annotationPropertyValues"]
    report = dropped_report(result.stdout + result.stderr)
    assert re.search(r"\b3\b", report) and re.search(r"\b1\b", report), result.stdout + result.stderr
    files = tree_files(store)
    assert layout_problems(files, schemas) == []
    sample["annotations"] = partial["annotations"]
    assert files == expected_files(sample)
