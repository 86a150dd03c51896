"""Property-based end-to-end check of `import`: random edits on both sides of the sample
export (fields, tags, coordinates, values leaves, deletions with their references,
additions, add/add on shared ids, new connections), merged by annostore with
`--on-conflict ours` and `theirs`, compared with an independent Python model of the
merge rules (DESIGN.md "Import and merge") followed by dropping dangling references."""

import copy
import json
import random

import pytest
from e2e_support import DATASET, SAMPLE, as_floats, load

ABSENT = object()
TAG_POOL = ["nucleus", "spot", "edge", "dividing", "G1", "bad"]
SECTIONS = ("annotations", "annotationConnections", "annotationProperties")


def keys(*dicts):
    seen = []
    for d in dicts:
        for key in d:
            if key not in seen:
                seen.append(key)
    return seen


def is_tags(value):
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def merge_tags(base, ours, theirs):
    if ours == theirs or theirs == base:
        return ours
    if ours == base:
        return theirs
    result = []
    for tag in ours:
        if tag in result or (tag in base and tag not in theirs):
            continue
        result.append(tag)
    for tag in theirs:
        if tag not in base and tag not in result:
            result.append(tag)
    return result


def pick(ours, theirs, policy):
    return ours if policy == "ours" else theirs


def merge_leaves(base, ours, theirs, policy):
    if ours == theirs or theirs == base:
        return ours
    if ours == base:
        return theirs
    if isinstance(ours, dict) and isinstance(theirs, dict) and (base is ABSENT or isinstance(base, dict)):
        base = base if isinstance(base, dict) else {}
        merged = {}
        for key in keys(ours, theirs, base):
            value = merge_leaves(base.get(key, ABSENT), ours.get(key, ABSENT), theirs.get(key, ABSENT), policy)
            if value is not ABSENT:
                merged[key] = value
        return merged
    return pick(ours, theirs, policy)


def merge_fields(base, ours, theirs, policy):
    merged = {}
    for key in keys(ours, theirs, base):
        b, o, t = base.get(key, ABSENT), ours.get(key, ABSENT), theirs.get(key, ABSENT)
        if key == "tags" and is_tags(o) and is_tags(t) and (b is ABSENT or is_tags(b)):
            value = merge_tags([] if b is ABSENT else b, o, t)
        elif o == t or t == b:
            value = o
        elif o == b:
            value = t
        else:
            value = pick(o, t, policy)
        if value is not ABSENT:
            merged[key] = value
    return merged


def merge_record(base, ours, theirs, policy, leaves=False):
    if ours == theirs or theirs == base:
        return ours
    if ours == base:
        return theirs
    if ABSENT in (base, ours, theirs):
        return pick(ours, theirs, policy)
    if leaves:
        merged = merge_leaves(base, ours, theirs, policy)
        return merged if merged else ABSENT
    return merge_fields(base, ours, theirs, policy)


def parts(export):
    result = {section: {doc["_id"]: doc for doc in export[section]} for section in SECTIONS}
    result["annotationPropertyValues"] = dict(export["annotationPropertyValues"])
    return result


def expected_merge(base, ours, theirs, policy):
    base, ours, theirs = parts(as_floats(base)), parts(as_floats(ours)), parts(as_floats(theirs))
    merged = {}
    for section in (*SECTIONS, "annotationPropertyValues"):
        records = {}
        for key in keys(ours[section], theirs[section], base[section]):
            value = merge_record(
                base[section].get(key, ABSENT), ours[section].get(key, ABSENT), theirs[section].get(key, ABSENT),
                policy, leaves=section == "annotationPropertyValues")
            if value is not ABSENT:
                records[key] = value
        merged[section] = records
    annotations = merged["annotations"]
    merged["annotationConnections"] = {
        key: doc for key, doc in merged["annotationConnections"].items()
        if doc["parentId"] in annotations and doc["childId"] in annotations}
    merged["annotationPropertyValues"] = {
        key: values for key, values in merged["annotationPropertyValues"].items() if key in annotations}
    return merged


def edited(export, rng, side):
    """One side's random edits, kept consistent as NimbusImage keeps them."""
    export = copy.deepcopy(export)
    annotations = export["annotations"]
    for doc in annotations:
        roll = rng.random()
        if roll < 0.15:
            doc["name"] = rng.choice(["x", "y", side])
        elif roll < 0.35:
            tags = [tag for tag in doc["tags"] if rng.random() > 0.3]
            tags += [tag for tag in rng.sample(TAG_POOL, 2) if tag not in tags]
            doc["tags"] = tags
        elif roll < 0.45:
            doc["coordinates"] = [{"x": float(rng.randint(0, 2)), "y": 1.0}]
        elif roll < 0.5:
            doc["color"] = rng.choice([None, "#ff0000", side])
    for values in export["annotationPropertyValues"].values():
        for prop, value in values.items():
            if isinstance(value, dict):
                for leaf in value:
                    if rng.random() < 0.2 and not isinstance(value[leaf], dict):
                        value[leaf] = float(rng.randint(0, 3))
            elif rng.random() < 0.2:
                values[prop] = float(rng.randint(0, 3))
    for doc in list(annotations):
        if rng.random() < 0.1:
            gone = doc["_id"]
            annotations.remove(doc)
            export["annotationConnections"] = [
                c for c in export["annotationConnections"] if gone not in (c["parentId"], c["childId"])]
            export["annotationPropertyValues"].pop(gone, None)
    template = copy.deepcopy(export["annotations"][0])
    for number in rng.sample(range(4), 2):
        new = copy.deepcopy(template)
        new["_id"] = f"aaaaaaaaaaaaaaaaaaaaaa{number:02d}"
        new["name"] = rng.choice(["new", side])
        annotations.append(new)
    for connection in export["annotationConnections"]:
        if rng.random() < 0.2:
            connection["label"] = rng.choice(["a", "b", side])
    if rng.random() < 0.7:
        parent, child = rng.sample([doc["_id"] for doc in annotations], 2)
        export["annotationConnections"].append(
            {"_id": f"cccccccccccccccccccccc{rng.randint(0, 2):02d}", "tags": [side], "parentId": parent,
             "childId": child})
    return export


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("policy", ["ours", "theirs"])
def test_random_edits_merge_like_the_model(run, new_store, tmp_path, seed, policy):
    rng = random.Random(seed * 31 + 7)
    base = load(SAMPLE)
    ours, theirs = edited(base, rng, "ours"), edited(base, rng, "theirs")
    store = new_store()
    run(["-C", store, "import", SAMPLE, "--dataset", DATASET, "--source", "lab"])
    (tmp_path / "ours.json").write_text(json.dumps(ours))
    (tmp_path / "theirs.json").write_text(json.dumps(theirs))
    run(["-C", store, "commit", tmp_path / "ours.json", "--dataset", DATASET])
    run(["-C", store, "import", tmp_path / "theirs.json", "--dataset", DATASET, "--source", "lab",
         "--on-conflict", policy])
    result = parts(as_floats(json.loads(run(["-C", store, "export", "json", "--dataset", DATASET]).stdout)))
    expected = expected_merge(base, ours, theirs, policy)
    for section in expected:
        assert result[section] == expected[section], section
