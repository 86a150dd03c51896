"""`import` is a three-way merge (DESIGN.md "Import and merge"): idempotent re-import,
edits of both sides kept, field conflicts refused or settled, dangling references
dropped, fresh ids for transfers, and a refused import writes nothing at all."""

import copy
import hashlib
import json

import pytest
from e2e_support import DATASET, SAMPLE, git, layout_problems, load, store_state, tree_files

SOURCE = "lab"


def write(tmp_path, name, export):
    path = tmp_path / name
    path.write_text(json.dumps(export))
    return path


def annotation(export, index):
    return export["annotations"][index]


def exported(run, store, dataset=DATASET):
    return json.loads(run(["-C", store, "export", "json", "--dataset", dataset]).stdout)


def by_id(export, section="annotations"):
    return {doc["_id"]: doc for doc in export.get(section, [])}


def commits(store):
    return git(store, "rev-list", "--count", "HEAD").strip()


def import_(run, store, path, *extra, ok=True):
    return run(["-C", store, "import", path, "--dataset", DATASET, "--source", SOURCE, *extra], ok=ok)


@pytest.fixture
def imported(run, new_store):
    """A store whose branch starts at an import of the sample export from SOURCE."""
    store = new_store()
    import_(run, store, SAMPLE)
    return store


def assert_healthy(store, schemas):
    git(store, "fsck", "--strict")
    assert layout_problems(tree_files(store), schemas) == []


def test_same_file_twice_changes_once(run, new_store, tmp_path, schemas):
    store = new_store()
    other = load(SAMPLE)
    run(["-C", store, "commit", SAMPLE, "--dataset", "other"])
    first = import_(run, store, SAMPLE, "--json")
    assert json.loads(first.stdout)["outcome"] == "merged"
    assert git(store, "log", "--format=%P", "-1").split().__len__() == 2
    state = store_state(store)
    second = import_(run, store, SAMPLE, "--json")
    assert json.loads(second.stdout)["outcome"] == "unchanged"
    assert store_state(store) == state
    assert by_id(exported(run, store)) == by_id(other)
    assert_healthy(store, schemas)


def test_local_edits_and_a_later_export_are_both_kept(run, imported, tmp_path, schemas):
    sample = load(SAMPLE)
    local = copy.deepcopy(sample)
    annotation(local, 0)["name"] = "edited here"
    annotation(local, 1)["tags"] = ["nucleus", "local"]
    run(["-C", imported, "commit", write(tmp_path, "local.json", local), "--dataset", DATASET])

    later = copy.deepcopy(sample)
    annotation(later, 2)["coordinates"] = [{"x": 1.0, "y": 2.0}]
    annotation(later, 1)["tags"] = ["remote"] + annotation(later, 1)["tags"]
    gone = later["annotations"].pop(5)["_id"]
    new = copy.deepcopy(annotation(later, 0))
    new["_id"] = "77a1f8e08c1d4e2f7a04b1e0"
    later["annotations"].append(new)
    result = import_(run, imported, write(tmp_path, "later.json", later))
    assert "merged" in result.stdout

    merged = by_id(exported(run, imported))
    ids = [a["_id"] for a in sample["annotations"]]
    assert merged[ids[0]]["name"] == "edited here"
    assert merged[ids[2]]["coordinates"] == [{"x": 1.0, "y": 2.0}]
    assert merged[ids[1]]["tags"] == ["nucleus", "local", "remote"]
    assert gone not in merged and new["_id"] in merged
    assert len(git(imported, "log", "--format=%P", "-1").split()) == 2
    assert_healthy(imported, schemas)


def conflicting(run, store, tmp_path):
    """Local and imported edits of the same field: returns the later export's path."""
    sample = load(SAMPLE)
    local = copy.deepcopy(sample)
    annotation(local, 0)["name"] = "ours"
    run(["-C", store, "commit", write(tmp_path, "local.json", local), "--dataset", DATASET])
    later = copy.deepcopy(sample)
    annotation(later, 0)["name"] = "theirs"
    annotation(later, 3)["tags"] = ["clean change"]
    return write(tmp_path, "later.json", later), annotation(sample, 0)["_id"]


def test_a_conflict_refuses_and_writes_nothing(run, imported, tmp_path):
    later, conflicted = conflicting(run, imported, tmp_path)
    state = store_state(imported)
    result = import_(run, imported, later, ok=4)
    assert store_state(imported) == state
    assert conflicted in result.stdout and "name" in result.stdout
    base_name = annotation(load(SAMPLE), 0)["name"]
    for shown in (f'base:   "{base_name}"', 'ours:   "ours"', 'theirs: "theirs"'):
        assert shown in result.stdout

    report = json.loads(import_(run, imported, later, "--json", ok=4).stdout)
    assert report["outcome"] == "refused"
    [conflict] = report["conflicts"]
    assert conflict["path"] == ["name"] and conflict["recordId"] == conflicted
    assert conflict["base"] == {"exists": True, "value": base_name}
    assert conflict["ours"] == {"exists": True, "value": "ours"}
    assert store_state(imported) == state


@pytest.mark.parametrize("side", ["ours", "theirs"])
def test_on_conflict_ours_or_theirs_settles_all(run, imported, tmp_path, side, schemas):
    later, conflicted = conflicting(run, imported, tmp_path)
    import_(run, imported, later, "--on-conflict", side)
    merged = by_id(exported(run, imported))
    assert merged[conflicted]["name"] == side
    assert merged[annotation(load(SAMPLE), 3)["_id"]]["tags"] == ["clean change"]
    assert_healthy(imported, schemas)


def test_manual_resolve_and_continue(run, imported, tmp_path, schemas):
    later, conflicted = conflicting(run, imported, tmp_path)
    before = store_state(imported)
    import_(run, imported, later, "--on-conflict", "manual", ok=4)
    assert before["HEAD"] == store_state(imported)["HEAD"]
    assert before["refs"] == store_state(imported)["refs"]
    status = json.loads(run(["-C", imported, "status", "--json"]).stdout)
    assert status["mergeInProgress"] is True

    refused = run(["-C", imported, "commit", SAMPLE, "--dataset", DATASET], ok=False)
    assert refused.returncode != 0 and "merge --continue" in refused.stderr and "--abort" in refused.stderr
    for command in (["import", SAMPLE, "--dataset", DATASET, "--source", SOURCE], ["tag", "t1"],
                    ["restore", "HEAD~1", "--dataset", DATASET],
                    ["dataset", "set-dimensions", "--dataset", DATASET, "--xy", "1", "--z", "1", "--time", "1",
                     "--channels", "1"]):
        refused = run(["-C", imported, *command], ok=False)
        assert refused.returncode == 2 and "merge --continue" in refused.stderr, command

    listing = json.loads(run(["-C", imported, "conflicts", "--json"]).stdout)
    assert schemas.errors("conflicts", listing) == []
    assert listing["open"] == 1 and listing["conflicts"][0]["recordId"] == conflicted
    assert conflicted in run(["-C", imported, "conflicts"]).stdout

    early = run(["-C", imported, "merge", "--continue"], ok=4)
    assert "open" in early.stderr
    run(["-C", imported, "resolve", conflicted, "name", "--theirs"])
    listing = json.loads(run(["-C", imported, "conflicts", "--json"]).stdout)
    assert schemas.errors("conflicts", listing) == [] and listing["open"] == 0
    run(["-C", imported, "merge", "--continue"])

    merged = by_id(exported(run, imported))
    assert merged[conflicted]["name"] == "theirs"
    assert len(git(imported, "log", "--format=%P", "-1").split()) == 2
    status = json.loads(run(["-C", imported, "status", "--json"]).stdout)
    assert status["mergeInProgress"] is False
    assert_healthy(imported, schemas)
    # The import is now merged: importing it again changes nothing.
    assert json.loads(import_(run, imported, later, "--json").stdout)["outcome"] == "unchanged"


def test_resolve_with_a_file_and_all(run, imported, tmp_path, schemas):
    later, conflicted = conflicting(run, imported, tmp_path)
    import_(run, imported, later, "--on-conflict", "manual", ok=4)
    (tmp_path / "bad.json").write_text("5")
    refused = run(["-C", imported, "resolve", "1", "--file", tmp_path / "bad.json"], ok=3)
    assert "name" in refused.stderr
    assert json.loads(run(["-C", imported, "conflicts", "--json"]).stdout)["open"] == 1
    (tmp_path / "name.json").write_text('"chosen"')
    run(["-C", imported, "resolve", "1", "--file", tmp_path / "name.json"])
    assert by_id(exported(run, imported))[conflicted]["name"] == "ours"
    run(["-C", imported, "resolve", "--all", "--base"])
    run(["-C", imported, "merge", "--continue"])
    assert by_id(exported(run, imported))[conflicted]["name"] == annotation(load(SAMPLE), 0)["name"]
    assert_healthy(imported, schemas)


def test_merge_abort_leaves_the_branch(run, imported, tmp_path):
    later, _ = conflicting(run, imported, tmp_path)
    before = store_state(imported)
    import_(run, imported, later, "--on-conflict", "manual", ok=4)
    run(["-C", imported, "merge", "--abort"])
    after = store_state(imported)
    assert after["HEAD"] == before["HEAD"] and after["refs"] == before["refs"]
    assert json.loads(run(["-C", imported, "status", "--json"]).stdout)["mergeInProgress"] is False
    run(["-C", imported, "merge", "--abort"], ok=2)


def test_delete_modify_is_a_conflict(run, imported, tmp_path):
    sample = load(SAMPLE)
    local = copy.deepcopy(sample)
    annotation(local, 4)["name"] = "kept and edited"
    run(["-C", imported, "commit", write(tmp_path, "local.json", local), "--dataset", DATASET])
    later = copy.deepcopy(sample)
    gone = later["annotations"].pop(4)["_id"]
    report = json.loads(import_(run, imported, write(tmp_path, "later.json", later), "--json", ok=4).stdout)
    kinds = {(c["kind"], c["recordId"]) for c in report["conflicts"]}
    assert ("delete/modify", gone) in kinds


def test_dangling_references_after_the_merge_are_dropped(run, imported, tmp_path, schemas):
    sample = load(SAMPLE)
    parent = sample["annotationConnections"][0]["parentId"]
    local = copy.deepcopy(sample)
    local["annotationConnections"].append(
        {"_id": "88a1f9b78c1d4e2f7a04b1e9", "tags": [], "parentId": parent,
         "childId": sample["annotations"][0]["_id"], "datasetId": "x"})
    run(["-C", imported, "commit", write(tmp_path, "local.json", local), "--dataset", DATASET])
    later = copy.deepcopy(sample)
    later["annotations"] = [a for a in later["annotations"] if a["_id"] != parent]
    later["annotationConnections"] = [
        c for c in later["annotationConnections"] if parent not in (c["parentId"], c["childId"])]
    later["annotationPropertyValues"].pop(parent, None)
    report = json.loads(import_(run, imported, write(tmp_path, "later.json", later), "--json").stdout)
    assert report["dropped"]["afterMerge"]["connections"] == 1
    assert "88a1f9b78c1d4e2f7a04b1e9" not in by_id(exported(run, imported), "annotationConnections")
    assert_healthy(imported, schemas)


def test_orphans_in_the_file_are_dropped_and_counted(run, new_store, tmp_path, schemas):
    export = load(SAMPLE)
    prop = export["annotationProperties"][0]["_id"]
    export["annotationPropertyValues"]["ffffffffffffffffffffff01"] = {prop: {"Area": 1.0}}
    export["annotationPropertyValues"]["ffffffffffffffffffffff02"] = {prop: {"Area": 2.0}}
    export["annotationConnections"].append(
        {"_id": "eeeeeeeeeeeeeeeeeeeeee01", "tags": [], "parentId": "ffffffffffffffffffffff01",
         "childId": export["annotations"][0]["_id"]})
    path = write(tmp_path, "orphans.json", export)
    store = new_store()
    run(["-C", store, "commit", SAMPLE, "--dataset", "other"])
    report = json.loads(import_(run, store, path, "--json").stdout)
    assert report["dropped"]["inFile"] == {"values": 2, "connections": 1}
    assert by_id(exported(run, store)) == by_id(load(SAMPLE))
    assert_healthy(store, schemas)
    text = import_(run, new_store("strict"), path, "--strict", ok=3)
    assert "--strict" in text.stderr


def test_new_ids_twice_is_idempotent(run, new_store, tmp_path, schemas):
    store = new_store()
    run(["-C", store, "commit", SAMPLE, "--dataset", "target"])
    sample = load(SAMPLE)
    args = ["-C", store, "import", SAMPLE, "--dataset", "target", "--new-ids", "--source", "plate1", "--json"]
    first = json.loads(run(args).stdout)
    assert first["outcome"] == "merged"
    assert first["changes"]["annotations"]["added"] == len(sample["annotations"])
    # Identical property definitions are reused, not duplicated.
    assert first["changes"]["properties"]["added"] == 0
    state = store_state(store)
    assert json.loads(run(args).stdout)["outcome"] == "unchanged"
    assert store_state(store) == state

    def fresh(old):
        return hashlib.sha1(f"annostore:plate1:{old}".encode()).hexdigest()[:24]

    target = exported(run, store, "target")
    annotations = by_id(target)
    assert len(annotations) == 2 * len(sample["annotations"])
    for old in sample["annotations"]:
        assert fresh(old["_id"]) in annotations
    connections = by_id(target, "annotationConnections")
    for old in sample["annotationConnections"]:
        moved = connections[fresh(old["_id"])]
        assert moved["parentId"] == fresh(old["parentId"]) and moved["childId"] == fresh(old["childId"])
    for old, values in sample["annotationPropertyValues"].items():
        assert target["annotationPropertyValues"][fresh(old)].keys() == values.keys()
    assert_healthy(store, schemas)


def test_dry_run_writes_nothing(run, imported, tmp_path):
    later, _ = conflicting(run, imported, tmp_path)
    state = store_state(imported)
    result = import_(run, imported, later, "--dry-run", "--on-conflict", "theirs", "--json")
    report = json.loads(result.stdout)
    assert report["dryRun"] is True and report["outcome"] == "merged"
    assert report["changes"]["annotations"]["modified"] == 2
    text = import_(run, imported, later, "--dry-run")
    assert "dry run" in text.stdout and "1 conflict" in text.stdout
    assert store_state(imported) == state


def test_dimensions_refuse_out_of_range_annotations(run, imported, tmp_path):
    run(["-C", imported, "dataset", "set-dimensions", "--dataset", DATASET, "--xy", "1", "--z", "3",
         "--time", "1", "--channels", "2"])
    files = tree_files(imported)
    assert json.loads(files[f"datasets/{DATASET}/dataset.json"])["dimensions"] == {
        "xy": 1, "z": 3, "time": 1, "channels": 2}
    assert len(git(imported, "diff", "--name-only", "HEAD~1", "HEAD").split()) == 1
    later = load(SAMPLE)
    annotation(later, 0)["location"] = {"XY": 0, "Z": 7, "Time": 0}
    path = write(tmp_path, "later.json", later)
    state = store_state(imported)
    refused = import_(run, imported, path, ok=3)
    assert annotation(later, 0)["_id"] in refused.stderr and "Z 7" in refused.stderr
    assert store_state(imported) == state
    import_(run, imported, path, "--allow-out-of-range")


def test_options_leave_parts_out_with_nimbus_dependencies(run, imported, tmp_path):
    later = load(SAMPLE)
    annotation(later, 0)["name"] = "renamed"
    for values in later["annotationPropertyValues"].values():
        values["extra"] = 1.0
    path = write(tmp_path, "later.json", later)
    report = json.loads(import_(run, imported, path, "--no-properties", "--json").stdout)
    assert report["excluded"] == ["properties", "values"]
    assert report["changes"]["values"]["modified"] == 0
    assert report["changes"]["annotations"]["modified"] == 1
    report = json.loads(import_(run, imported, path, "--json").stdout)
    assert report["changes"]["values"]["modified"] == len(later["annotationPropertyValues"])


def test_overwrite_replaces_the_dataset(run, imported, tmp_path):
    sample = load(SAMPLE)
    local = copy.deepcopy(sample)
    extra = copy.deepcopy(annotation(local, 0))
    extra["_id"] = "99a1f8e08c1d4e2f7a04b1e0"
    local["annotations"].append(extra)
    run(["-C", imported, "commit", write(tmp_path, "local.json", local), "--dataset", DATASET])
    assert extra["_id"] in by_id(exported(run, imported))
    import_(run, imported, SAMPLE)  # a merge keeps the local addition
    assert extra["_id"] in by_id(exported(run, imported))
    report = json.loads(import_(run, imported, SAMPLE, "--overwrite", "--json").stdout)
    assert report["outcome"] == "overwritten"
    assert by_id(exported(run, imported)) == by_id(sample)


def test_a_file_without_a_source_needs_one(run, new_store, tmp_path):
    export = load(SAMPLE)
    for doc in export["annotations"]:
        del doc["datasetId"]
    path = write(tmp_path, "anonymous.json", export)
    store = new_store()
    result = run(["-C", store, "import", path, "--dataset", DATASET], ok=2)
    assert "--source" in result.stderr
    run(["-C", store, "import", path, "--dataset", DATASET, "--source", "../x"], ok=2)
    run(["-C", store, "import", path, "--dataset", DATASET, "--source", "anon"])
    assert "refs/imports/hela/anon" in git(store, "for-each-ref")


def test_values_changed_here_of_an_annotation_deleted_there_are_dropped(run, imported, tmp_path, schemas):
    sample = load(SAMPLE)
    target = next(iter(sample["annotationPropertyValues"]))
    local = copy.deepcopy(sample)
    prop = next(iter(local["annotationPropertyValues"][target]))
    local["annotationPropertyValues"][target][prop] = 12345.0
    run(["-C", imported, "commit", write(tmp_path, "local.json", local), "--dataset", DATASET])
    later = copy.deepcopy(sample)
    later["annotations"] = [a for a in later["annotations"] if a["_id"] != target]
    later["annotationConnections"] = [
        c for c in later["annotationConnections"] if target not in (c["parentId"], c["childId"])]
    del later["annotationPropertyValues"][target]
    report = json.loads(import_(run, imported, write(tmp_path, "later.json", later), "--json").stdout)
    assert report["conflicts"] == []
    assert report["dropped"]["afterMerge"]["values"] == 1
    merged = exported(run, imported)
    assert target not in by_id(merged) and target not in merged["annotationPropertyValues"]
    assert_healthy(imported, schemas)


def test_first_import_after_commits_uses_the_oldest_commit_of_the_source(run, new_store, tmp_path, schemas):
    store = new_store()
    sample = load(SAMPLE)
    run(["-C", store, "commit", SAMPLE, "--dataset", DATASET])
    local = copy.deepcopy(sample)
    annotation(local, 0)["name"] = "edited here"
    run(["-C", store, "commit", write(tmp_path, "local.json", local), "--dataset", DATASET])
    later = copy.deepcopy(sample)
    annotation(later, 1)["name"] = "edited there"
    del later["annotationConnections"]  # not exported: kept as they were
    source = annotation(sample, 0)["datasetId"]
    result = run(["-C", store, "import", write(tmp_path, "later.json", later), "--dataset", DATASET, "--json"])
    report = json.loads(result.stdout)
    assert report["baseFromHistory"] is True and report["conflicts"] == []
    assert report["base"] == git(store, "rev-list", "--max-parents=0", "HEAD^1").strip()
    merged = by_id(exported(run, store))
    assert merged[annotation(sample, 0)["_id"]]["name"] == "edited here"
    assert merged[annotation(sample, 1)["_id"]]["name"] == "edited there"
    assert by_id(exported(run, store), "annotationConnections") == by_id(sample, "annotationConnections")
    assert f"refs/imports/{DATASET}/{source}" in git(store, "for-each-ref")
    # The import is parented on that commit, so git sees the same merge base.
    assert git(store, "merge-base", "HEAD^1", "HEAD^2").strip() == report["base"]
    assert_healthy(store, schemas)
