"""Helpers of the end-to-end suite that are plain functions, not fixtures.

They read a store with git itself (never through annostore), compute what the store
should hold with the project's independent tools (Tools/canonical_json.py,
Tools/store_layout.py), and compare exports by meaning.
"""

import atexit
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "Tests" / "Fixtures"
SCHEMAS = REPO / "Schemas"
TOOLS = REPO / "Tools"
sys.path.insert(0, str(TOOLS))

import canonical_json  # noqa: E402
from export_reader import SECTIONS, VALUES  # noqa: E402
from store_layout import Snapshot, dict_sections, shard, stored_document  # noqa: E402

DATASET = "hela"
SAMPLE = FIXTURES / "sample-export.json"
LEGACY = FIXTURES / "sample-export-legacy-frontend.json"
ANNOTATIONS_ONLY = FIXTURES / "sample-export-annotations-only.json"

# The schema of each kind of record directory under datasets/<dataset>/.
RECORD_SCHEMAS = {
    "annotations": "annotation",
    "connections": "connection",
    "properties": "property",
    "values": "property-values",
}


def _isolated_env():
    """An environment where git and annostore see no user or system configuration."""
    home = tempfile.mkdtemp(prefix="annostore-e2e-home-")
    atexit.register(shutil.rmtree, home, True)
    # Proxy settings of the developer's environment must not reach the tests that mean none.
    proxies = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("GIT_", "ANNOSTORE_")) and key.lower() not in proxies}
    env.update(GIT_CONFIG_NOSYSTEM="1", HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"), TZ="UTC")
    return env


ISOLATED_ENV = _isolated_env()


def load(path):
    """Parses a JSON file."""
    return json.loads(Path(path).read_bytes())


# ----------------------------------------------------------------------------- git


def git(store, *args, text=True, input=None, env=None):
    """Runs git on the repository `store` in ISOLATED_ENV (plus `env`); returns its
    stdout, failing the test on an error."""
    result = subprocess.run(
        ["git", "--git-dir", str(store), *map(str, args)],
        input=input,
        capture_output=True,
        env={**ISOLATED_ENV, **(env or {})},
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(f"git {' '.join(map(str, args))} failed: {result.stderr.decode(errors='replace')}")
    return result.stdout.decode() if text else result.stdout


def tree_files(store, rev="HEAD"):
    """Every file of revision `rev`: {path: bytes}."""
    listing = git(store, "ls-tree", "-r", "-z", rev, text=False).split(b"\0")
    entries = [line.decode().split("\t", 1) for line in listing if line]
    ids = [meta.split()[2] for meta, _ in entries]
    blobs = git(store, "cat-file", "--batch", input="".join(i + "\n" for i in ids).encode(), text=False)
    files, offset = {}, 0
    for (_, path), object_id in zip(entries, ids, strict=True):
        header_end = blobs.index(b"\n", offset)
        found, kind, size = blobs[offset:header_end].decode().split()
        assert found == object_id and kind == "blob", f"{path}: {found} {kind}"
        start = header_end + 1
        files[path] = blobs[start : start + int(size)]
        offset = start + int(size) + 1
    return files


def store_state(store):
    """What a refused write must leave exactly as it was: HEAD, refs and every file
    under objects/ with its size."""
    head = git(store, "rev-parse", "HEAD").strip()
    objects = Path(store) / "objects"
    listing = sorted(
        (str(path.relative_to(objects)), path.stat().st_size) for path in objects.rglob("*") if path.is_file()
    )
    return {"HEAD": head, "refs": git(store, "for-each-ref"), "objects": listing}


# ----------------------------------------------------------------------------- schemas


class Schemas:
    """The JSON Schemas of Schemas/, with a registry so `$ref`s between them resolve."""

    def __init__(self, folder=SCHEMAS):
        self.documents = {path.name.removesuffix(".schema.json"): load(path) for path in folder.glob("*.schema.json")}
        self.registry = Registry().with_resources(
            (schema["$id"], Resource.from_contents(schema)) for schema in self.documents.values()
        )

    def validator(self, name):
        return Draft202012Validator(
            self.documents[name], registry=self.registry, format_checker=Draft202012Validator.FORMAT_CHECKER
        )

    def errors(self, name, instance):
        """Readable validation errors of `instance` against schema `name`."""
        return [
            f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
            for error in self.validator(name).iter_errors(instance)
        ]


def schema_for_path(path):
    """The schema a store file at `path` must follow (fails on a path outside the layout)."""
    parts = path.split("/")
    if path == "annostore.json":
        return "annostore"
    if parts[0] == "datasets" and len(parts) == 3 and parts[2] == "dataset.json":
        return "dataset"
    # properties/<id>.json; the other kinds are sharded: <kind>/<aa>/<bb>/<id>.json
    depth = 4 if parts[2:3] == ["properties"] else 6
    if parts[0] == "datasets" and len(parts) == depth and parts[2] in RECORD_SCHEMAS:
        return RECORD_SCHEMAS[parts[2]]
    raise AssertionError(f"{path} is not a path of the store layout")


def layout_problems(files, schemas):
    """Everything wrong with a store tree {path: bytes}: schema, canonical bytes, shard
    path, file name, dangling references."""
    problems = []
    annotations = {(p.split("/")[1], p.rsplit("/", 1)[1][:-5]) for p in files if p.split("/")[2:3] == ["annotations"]}
    for path, data in sorted(files.items()):
        name = schema_for_path(path)
        value = json.loads(data)
        problems += [f"{path}: {error}" for error in schemas.errors(name, value)]
        if data != canonical_json.file_bytes(value):
            problems.append(f"{path}: not canonical JSON plus one newline")
        parts = path.split("/")
        if name in ("annotation", "connection", "property", "property-values"):
            record_id = parts[-1].removesuffix(".json")
            if name != "property-values" and value.get("_id") != record_id:
                problems.append(f"{path}: _id is {value.get('_id')!r}")
            if name != "property" and "/".join(parts[3:5]) != shard(record_id):
                problems.append(f"{path}: shard should be {shard(record_id)}")
            ends = [record_id] if name == "property-values" else []
            ends += [value.get(key) for key in ("parentId", "childId")] if name == "connection" else []
            problems += [f"{path}: refers to missing annotation {end}"
                         for end in ends if (parts[1], end) not in annotations]
    return problems


# ----------------------------------------------------------------------------- expectations


def expected_files(export, dataset=DATASET):
    """{path: bytes} of a fresh store after committing `export` (a dict) to `dataset`."""
    return dict(Snapshot(dict_sections(export), dataset).files())


def as_floats(value):
    """`value` with every number a float, so 2170 and 2170.0 compare equal."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dict):
        return {key: as_floats(item) for key, item in value.items()}
    return [as_floats(item) for item in value]


def meaning(export):
    """What an export says, as annostore keeps it: each part keyed by id (`id` becomes
    `_id`), numbers as floats, missing parts empty, orphaned connections and values and
    empty values left out."""
    parts = {}
    for section in SECTIONS[:3]:
        records = (as_floats(doc) for doc in export.get(section, []))
        parts[section] = {doc["_id"]: doc for doc in map(stored_document, records)}
    annotations = parts["annotations"]
    parts["annotationConnections"] = {
        key: doc
        for key, doc in parts["annotationConnections"].items()
        if doc["parentId"] in annotations and doc["childId"] in annotations
    }
    parts[VALUES] = {
        key: as_floats(values) for key, values in export.get(VALUES, {}).items() if key in annotations and values
    }
    return parts


def raw_numbers(data):
    """Every number token of a JSON text, as written."""
    found = []

    def keep(token):
        found.append(token)
        return 0

    json.loads(data, parse_int=keep, parse_float=keep)
    return found


def dropped_report(output):
    """The lines of a command's output that talk about dropped orphans."""
    return "\n".join(line for line in output.splitlines() if re.search(r"orphan|dropp", line, re.I))


def said_nothing_changed(result):
    return re.search(r"nothing changed", result.stdout + result.stderr, re.I) is not None
