"""init and commit: the store is a sound git repository holding exactly the canonical
files docs/STORE-FORMAT.md describes, packed, with the commit annostore was asked for."""

import json
import re
import subprocess
import sys

import pytest
from e2e_support import (
    DATASET,
    LEGACY,
    SAMPLE,
    TOOLS,
    expected_files,
    git,
    layout_problems,
    load,
    tree_files,
)


def test_init_makes_an_empty_bare_store(run, tmp_path):
    result = run(["init", "store"], cwd=tmp_path)
    store = tmp_path / "store"
    said = re.escape(str(store)) + "|" + re.escape("store")
    assert re.search(rf"Initialized empty annostore store in ({said})/?$", result.stdout.strip(), re.M), result.stdout
    assert git(store, "config", "annostore.format").strip() == "1"
    assert git(store, "rev-parse", "--is-bare-repository").strip() == "true"
    assert git(store, "symbolic-ref", "HEAD").strip() == "refs/heads/main"


def test_commit_is_one_packed_commit_that_fsck_accepts(sample_store):
    fsck = subprocess.run(["git", "--git-dir", sample_store, "fsck", "--strict"], capture_output=True, text=True)
    assert fsck.returncode == 0, fsck.stdout + fsck.stderr
    assert not re.search(r"error|warning|missing|dangling|broken", fsck.stdout + fsck.stderr, re.I), fsck.stdout
    counts = dict(line.split(": ", 1) for line in git(sample_store, "count-objects", "-v").splitlines())
    assert counts["count"] == "0", f"loose objects left: {counts}"
    assert int(counts["packs"]) >= 1
    assert git(sample_store, "rev-list", "--count", "HEAD").strip() == "1"
    assert git(sample_store, "log", "-1", "--format=%an <%ae>").strip() == "annostore <annostore@localhost>"
    assert git(sample_store, "log", "-1", "--format=%B").strip() == "sample export"


def test_every_file_is_canonical_valid_and_where_it_belongs(sample_store, schemas):
    files = tree_files(sample_store)
    assert layout_problems(files, schemas) == []
    assert {path.split("/")[2] for path in files if path.startswith("datasets/")} == {
        "dataset.json", "annotations", "connections", "properties", "values"}


def test_files_hold_exactly_the_export_canonicalized(sample_store):
    files = tree_files(sample_store)
    expected = expected_files(load(SAMPLE))
    assert sorted(files) == sorted(expected)
    for path, data in expected.items():
        assert files[path] == data, path


def test_dataset_record_names_the_dataset(sample_store, schemas):
    record = json.loads(git(sample_store, "show", f"HEAD:datasets/{DATASET}/dataset.json", text=False))
    assert schemas.errors("dataset", record) == []
    assert record["name"] == DATASET
    assert record["nimbusDatasetId"] == load(SAMPLE)["annotations"][0]["datasetId"]


@pytest.mark.parametrize("source", ["sample", "legacy", "generated-server", "generated-legacy"])
def test_tree_id_equals_an_independent_fast_import(source, run, new_store, generated, tmp_path):
    export = {"sample": SAMPLE, "legacy": LEGACY, "generated-server": generated["server"],
              "generated-legacy": generated["legacy"]}[source]
    store = new_store()
    run(["-C", store, "commit", export, "--dataset", DATASET, "-m", source])
    counts = dict(line.split(": ", 1) for line in git(store, "count-objects", "-v").splitlines())
    assert counts["count"] == "0", f"loose objects left: {counts}"

    baseline = tmp_path / "baseline.git"
    git(baseline, "init", "-q", "--bare")
    stream = subprocess.run(
        [sys.executable, TOOLS / "fast-import-stream.py", export, "--dataset", DATASET],
        capture_output=True, check=True,
    ).stdout
    git(baseline, "fast-import", "--quiet", input=stream)
    ours = git(store, "rev-parse", "HEAD^{tree}").strip()
    theirs = git(baseline, "rev-parse", "refs/heads/main^{tree}").strip()
    if ours != theirs:
        git(store, "fetch", "-q", baseline, "refs/heads/main:refs/baseline")
        differences = git(store, "diff-tree", "-r", "--name-status", "refs/baseline", "HEAD")
        pytest.fail(f"tree {ours} differs from the baseline {theirs}:\n{differences[:3000]}", pytrace=False)


def test_author_from_option_and_environment(run, new_store, tmp_path):
    store = new_store()
    run(["-C", store, "commit", SAMPLE, "--dataset", DATASET, "--author", "Ada Lovelace <ada@example.org>"])
    assert git(store, "log", "-1", "--format=%an <%ae>").strip() == "Ada Lovelace <ada@example.org>"
    other = new_store("other")
    run(["-C", other, "commit", SAMPLE, "--dataset", DATASET],
        env={"ANNOSTORE_AUTHOR_NAME": "Grace Hopper", "ANNOSTORE_AUTHOR_EMAIL": "grace@example.org"})
    assert git(other, "log", "-1", "--format=%an <%ae>").strip() == "Grace Hopper <grace@example.org>"


def test_file_arguments_stay_relative_to_the_working_directory(run, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "in.json").write_bytes(SAMPLE.read_bytes())
    run(["init", "../store"], cwd=work)
    run(["-C", "../store", "commit", "in.json", "--dataset", DATASET], cwd=work)
    run(["-C", "../store", "export", "json", "--dataset", DATASET, "-o", "out.json"], cwd=work)
    assert (work / "out.json").is_file()
    assert not (tmp_path / "store" / "out.json").exists()


def test_store_is_found_from_the_working_directory(run, sample_store):
    for where in (sample_store, sample_store / "refs"):
        result = run(["export", "json", "--dataset", DATASET], cwd=where)
        assert json.loads(result.stdout)["annotations"]


def test_many_commits_keep_few_packs(run, new_store, tmp_path):
    """Every commit adds a pack; past 50 packs the smaller ones are merged into one, so a
    store written to for years keeps few packs. Every revision stays readable and git's
    checks pass."""
    store = new_store()
    sample = load(SAMPLE)
    exports = []
    for index in range(53):
        edited = json.loads(json.dumps(sample))
        edited["annotations"][0]["name"] = f"revision {index}"
        path = tmp_path / f"edit-{index}.json"
        path.write_text(json.dumps(edited))
        run(["-C", store, "commit", path, "--dataset", DATASET, "-m", f"revision {index}"])
        exports.append(edited)
    packs = [name for name in (store / "objects" / "pack").iterdir() if name.suffix == ".pack"]
    assert len(packs) <= 5, sorted(packs)
    fsck = subprocess.run(["git", "--git-dir", store, "fsck", "--strict", "--full"], capture_output=True, text=True)
    assert fsck.returncode == 0, fsck.stderr
    assert git(store, "rev-list", "--count", "HEAD").strip() == "53"
    for back in (0, 10, 52):
        exported = json.loads(run(["-C", store, "export", "json", "--dataset", DATASET, "--rev",
                                   f"HEAD~{back}"]).stdout)
        names = {doc["_id"]: doc.get("name") for doc in exported["annotations"]}
        assert names[exports[52 - back]["annotations"][0]["_id"]] == f"revision {52 - back}"
