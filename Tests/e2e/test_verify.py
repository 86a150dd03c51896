"""verify checks a store: exit 0 when sound, 7 naming the problem when an object is
corrupt or a file is not canonical, not valid or refers to a missing annotation."""

import json
import re

from e2e_support import DATASET, canonical_json, git, shard

IDENTITY = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}


def replace_in_tree(store, tree, parts, blob):
    """The id of `tree` with the file at path `parts` set to `blob` (made with mktree)."""
    entries = []
    for line in git(store, "ls-tree", "-z", tree, text=False).split(b"\0"):
        if line:
            meta, name = line.decode().split("\t", 1)
            entries.append([*meta.split(), name])
    found = [entry for entry in entries if entry[3] == parts[0]]
    if len(parts) == 1:
        if found:
            found[0][2] = blob
        else:
            entries.append(["100644", "blob", blob, parts[0]])
    else:
        subtree = found[0][2] if found else git(store, "mktree", input=b"").strip()
        new = replace_in_tree(store, subtree, parts[1:], blob)
        if found:
            found[0][2] = new
        else:
            entries.append(["040000", "tree", new, parts[0]])
    listing = "".join(f"{mode} {kind} {oid}\t{name}\0" for mode, kind, oid, name in entries)
    return git(store, "mktree", "-z", input=listing.encode()).strip()


def commit_with_file(store, path, data):
    """Commits, with git plumbing, HEAD's tree with `path` holding `data`."""
    blob = git(store, "hash-object", "-w", "--stdin", input=data).strip()
    tree = replace_in_tree(store, "HEAD^{tree}", path.split("/"), blob)
    commit = git(store, "commit-tree", tree, "-p", "HEAD", "-m", "tampered", env=IDENTITY).strip()
    git(store, "update-ref", "refs/heads/main", commit)


def an_annotation(store):
    listing = git(store, "ls-tree", "-r", "--name-only", "HEAD", f"datasets/{DATASET}/annotations")
    path = sorted(listing.split())[0]
    return path, json.loads(git(store, "show", f"HEAD:{path}", text=False))


def assert_verify_fails(run, store, *names):
    result = run(["-C", store, "verify"], ok=7)
    output = result.stdout + result.stderr
    for name in names:
        assert re.search(name, output, re.I), f"verify does not name {name!r}: {output[-2000:]}"


def test_a_sound_store_verifies(run, sample_store):
    run(["-C", sample_store, "verify"])
    run(["-C", sample_store, "verify", "HEAD"])


def test_a_corrupt_pack_fails(run, copy_store, sample_store):
    store = copy_store(sample_store)
    packs = sorted((store / "objects" / "pack").glob("*.pack"))
    assert packs, "the store has no pack"
    pack = packs[0]
    pack.chmod(0o644)
    data = bytearray(pack.read_bytes())
    data[len(data) // 2] ^= 0xFF
    pack.write_bytes(bytes(data))
    assert_verify_fails(run, store, r"pack|corrupt|object|checksum|inflate|decompress|hash|mismatch")


def test_a_non_canonical_file_fails(run, copy_store, sample_store):
    store = copy_store(sample_store)
    path, document = an_annotation(store)
    commit_with_file(store, path, (json.dumps(document, indent=2) + "\n").encode())
    assert_verify_fails(run, store, re.escape(document["_id"]), r"canonical")
    run(["-C", store, "verify", "HEAD"], ok=7)
    run(["-C", store, "verify", "HEAD~1"])


def test_a_file_against_its_schema_fails(run, copy_store, sample_store):
    store = copy_store(sample_store)
    path, document = an_annotation(store)
    document["shape"] = "circle"
    commit_with_file(store, path, canonical_json.file_bytes(document))
    assert_verify_fails(run, store, re.escape(document["_id"]))


def test_values_of_a_missing_annotation_fail(run, copy_store, sample_store):
    store = copy_store(sample_store)
    missing = "ffffffffffffffffffffffff"
    path = f"datasets/{DATASET}/values/{shard(missing)}/{missing}.json"
    commit_with_file(store, path, b'{"66a201108c1d4e2f7a04b1f3":1}\n')
    assert_verify_fails(run, store, missing)
