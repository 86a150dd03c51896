"""The ingest index (annostore-cache/<dataset>.<kind>.idx) only makes commits faster: a
re-commit that recognises unchanged records by their bytes records exactly the tree a
fresh store (or git itself) gets for the same file, reports the same changes, and refuses
the same bad input with the same message; deleting or damaging the cache changes nothing
but speed."""

import copy
import json
import re
import subprocess
import sys

import pytest
from e2e_support import DATASET, SAMPLE, TOOLS, git, load, store_state

TIMING = {"ANNOSTORE_TIMING": "1"}


def dataset_tree(store, rev="HEAD"):
    return git(store, "rev-parse", f"{rev}:datasets/{DATASET}").strip()


def report(result):
    """The commit's report without the commit id (which has the time in it)."""
    return re.sub(r"commit [0-9a-f]+", "commit <id>", result.stdout)


def cache_files(store):
    return sorted((store / "annostore-cache").glob(f"{DATASET}.*.idx"))


def drop_index(store):
    for path in cache_files(store):
        path.unlink()


def commit(run, store, export, ok=True):
    return run(["-C", store, "commit", export, "--dataset", DATASET, "-m", "m"], ok=ok, env=TIMING)


def used_index(result):
    return "(index true)" in result.stderr


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """An export of 3,000 annotations and a copy with 5% of the records edited."""
    folder = tmp_path_factory.mktemp("cache-exports")
    base, edited = folder / "base.json", folder / "edited.json"
    subprocess.run([sys.executable, TOOLS / "gen-export.py", "export", "--annotations", "3000", "--seed", "11",
                    "-o", base], check=True)
    subprocess.run([sys.executable, TOOLS / "gen-export.py", "mutate", base, "--fraction", "0.05", "--seed", "3",
                    "-o", edited], check=True)
    return base, edited


def git_tree_of(export, tmp_path, name):
    """The dataset tree git itself builds from the canonical files (fast-import stream)."""
    repository = tmp_path / name
    subprocess.run(["git", "init", "-q", "--bare", repository], check=True)
    stream = subprocess.run([sys.executable, TOOLS / "fast-import-stream.py", export, "--dataset", DATASET],
                            check=True, capture_output=True).stdout
    subprocess.run(["git", "-C", repository, "fast-import", "--quiet"], input=stream, check=True)
    return git(repository, "rev-parse", f"main:datasets/{DATASET}").strip()


def test_recommit_records_the_tree_of_a_fresh_commit(run, new_store, exports, tmp_path):
    base, edited = exports
    store = new_store("cached")
    first = commit(run, store, base)
    assert not used_index(first), "a new store has no index to use"
    assert len(cache_files(store)) == 4
    second = commit(run, store, edited)
    assert used_index(second), second.stderr

    fresh = new_store("fresh")
    commit(run, fresh, edited)
    assert dataset_tree(store) == dataset_tree(fresh) == git_tree_of(edited, tmp_path, "git.git")
    assert git(store, "fsck", "--strict").strip() == ""

    # The same edit on top of the same base without the index reports the same changes.
    uncached = new_store("uncached")
    commit(run, uncached, base)
    drop_index(uncached)
    plain = commit(run, uncached, edited)
    assert not used_index(plain)
    assert report(plain) == report(second)
    assert dataset_tree(uncached) == dataset_tree(store)


@pytest.mark.parametrize("damage", ["deleted", "flipped", "truncated", "other-tree"])
def test_a_damaged_cache_changes_nothing_but_speed(damage, run, new_store, exports, tmp_path):
    base, edited = exports
    store = new_store()
    commit(run, store, base)
    files = cache_files(store)
    if damage == "deleted":
        for path in files:
            path.unlink()
    elif damage == "flipped":
        data = bytearray(files[0].read_bytes())
        data[len(data) // 2] ^= 0x40
        files[0].write_bytes(bytes(data))
    elif damage == "truncated":
        files[-1].write_bytes(files[-1].read_bytes()[:-100])
    else:
        # The branch moved without annostore: the index describes a tree that is not HEAD's.
        commit(run, store, edited)
        git(store, "update-ref", "refs/heads/main", "HEAD~1")
    result = commit(run, store, edited)
    assert not used_index(result), result.stderr

    reference = new_store("reference")
    commit(run, reference, base)
    expected = commit(run, reference, edited)
    assert used_index(expected)
    assert report(result) == report(expected)
    assert dataset_tree(store) == dataset_tree(reference)
    # The cache is whole again afterwards.
    again = commit(run, store, base)
    assert used_index(again)
    assert dataset_tree(store) == dataset_tree(reference, "HEAD~1")


def serialized(export):
    return json.dumps(export).encode()


def sample():
    return copy.deepcopy(load(SAMPLE))


def bad_exports():
    """name -> (export, pattern the message must match), each built from the sample."""
    cases = {}
    export = sample()
    export["annotations"].append(copy.deepcopy(export["annotations"][2]))
    cases["the same record twice"] = (export, rf"/annotations/{len(export['annotations']) - 1}/_id")
    export = sample()
    changed = copy.deepcopy(export["annotations"][1])
    changed["tags"] = ["changed"]
    export["annotations"].append(changed)
    cases["a changed record with an unchanged one's id"] = (export, rf"/annotations/{len(export['annotations']) - 1}/_id")
    export = sample()
    changed = copy.deepcopy(export["annotations"][3])
    changed["tags"] = ["first"]
    export["annotations"].insert(0, changed)
    cases["an unchanged record after a changed one with its id"] = (export, r"/annotations/4/_id")
    export = sample()
    export["annotations"][4]["shape"] = "circle"
    cases["a bad record among unchanged ones"] = (export, r"/annotations/4/shape")
    return cases


@pytest.mark.parametrize("case", list(bad_exports()))
def test_recommit_refuses_bad_input_as_without_cache(case, run, new_store, tmp_path):
    export, place = bad_exports()[case]
    good = tmp_path / "good.json"
    good.write_bytes(serialized(sample()))
    bad = tmp_path / "bad.json"
    bad.write_bytes(serialized(export))
    messages = []
    for cached in (True, False):
        store = new_store(f"store-{cached}")
        commit(run, store, good)
        if not cached:
            for path in cache_files(store):
                path.unlink()
        before = store_state(store)
        cache_before = {path.name: path.read_bytes() for path in cache_files(store)}
        result = commit(run, store, bad, ok=3)
        assert used_index(result) == cached, result.stderr
        assert re.search(place, result.stderr), result.stderr
        assert store_state(store) == before
        assert {path.name: path.read_bytes() for path in cache_files(store)} == cache_before
        messages.append(re.sub(r"\[timing\].*\n", "", result.stderr))
    assert messages[0] == messages[1]


def test_repeated_values_key_is_refused_with_the_reader_message(run, new_store, tmp_path):
    good = tmp_path / "good.json"
    good.write_bytes(serialized(sample()))
    values = sample()["annotationPropertyValues"]
    first = next(iter(values))
    text = serialized(sample())
    marker = b'"annotationPropertyValues": {'
    for name, repeat in (("same", json.dumps({first: values[first]})[1:-1]), ("empty", f'"{first}": {{}}')):
        bad = tmp_path / f"bad-{name}.json"
        bad.write_bytes(text.replace(marker, marker + repeat.encode() + b", ", 1))
        store = new_store(f"store-{name}")
        commit(run, store, good)
        result = commit(run, store, bad, ok=3)
        assert f'duplicate key "{first}"' in result.stderr
        assert re.search(rf"/annotationPropertyValues/{first} \(line 1, column \d+\)", result.stderr), result.stderr
        validated = run(["validate", bad], ok=3)
        assert validated.stderr.strip() == re.sub(r"\[timing\].*\n", "", result.stderr).strip()


def import_(run, store, export):
    return run(["-C", store, "import", export, "--dataset", DATASET, "--source", "lab", "--json"],
               env=TIMING)


def test_import_writes_and_uses_the_index_of_its_snapshot(run, new_store, exports):
    """An import leaves the index of its snapshot, and the next import from the same source
    recognises unchanged records with it: the merge it makes is exactly the one a store
    without the index makes."""
    base, edited = exports
    store = new_store("imported")
    first = import_(run, store, base)
    assert not used_index(first)
    assert len(cache_files(store)) == 4
    second = import_(run, store, edited)
    assert used_index(second), second.stderr

    uncached = new_store("imported-uncached")
    import_(run, uncached, base)
    drop_index(uncached)
    plain = import_(run, uncached, edited)
    assert not used_index(plain)
    assert json.loads(second.stdout)["changes"] == json.loads(plain.stdout)["changes"]
    assert dataset_tree(store) == dataset_tree(uncached)
    snapshot = f"refs/imports/{DATASET}/lab"
    assert git(store, "rev-parse", f"{snapshot}^{{tree}}") == git(uncached, "rev-parse", f"{snapshot}^{{tree}}")
    assert git(store, "fsck", "--strict").strip() == ""


def test_a_dry_run_import_leaves_no_index(run, new_store, exports):
    base, _ = exports
    store = new_store("dry")
    run(["-C", store, "import", base, "--dataset", DATASET, "--source", "lab", "--dry-run"])
    assert cache_files(store) == []
