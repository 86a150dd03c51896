"""The files of an annostore tree, computed independently of annostore.

`Snapshot` turns one NimbusImage export into the files a fresh store holds after
committing it to a dataset (docs/STORE-FORMAT.md): canonical JSON plus one newline per
file, ids under `_id`, records at shard paths, orphaned connections and values left out,
empty values objects left out.
"""

import hashlib
import re

from canonical_json import file_bytes
from export_reader import VALUES

MARKER = {"format": "annostore", "sharding": {"hash": "sha1", "levels": [2, 2]}, "version": 1}
TOKEN = re.compile(r"[A-Za-z0-9_-]{1,128}\Z")


class LayoutError(ValueError):
    """The export cannot be stored: an unsafe or duplicate id."""


def check_token(text, what):
    """Refuses anything but a plain token (the only text that may become a path)."""
    if not isinstance(text, str) or not TOKEN.match(text):
        raise LayoutError(f"{what} {text!r} is not a plain token")
    return text


def shard(record_id):
    """`aa/bb`: the first four hex digits of the SHA-1 of the id."""
    digest = hashlib.sha1(record_id.encode("utf-8")).hexdigest()
    return f"{digest[0:2]}/{digest[2:4]}"


def stored_document(doc):
    """The document as stored: an older export's `id` key becomes `_id`."""
    if "_id" not in doc and "id" in doc:
        doc = dict(doc)
        doc["_id"] = doc.pop("id")
    return doc


def dict_sections(export):
    """An export held as a dict, in the `(name, items)` form `ExportReader` yields."""
    return [(name, part.items() if name == VALUES else part) for name, part in export.items()]


class Snapshot:
    """The tree of a new dataset after one commit of an export.

    `sections` is what `ExportReader.sections()` or `dict_sections()` gives. `files()`
    yields `(path, bytes)` for every file; once it is used up, `dropped_connections` and
    `dropped_values` count the orphans left out.
    """

    def __init__(self, sections, dataset):
        self.sections = sections
        self.dataset = check_token(dataset, "dataset")
        self.base = f"datasets/{dataset}"
        self.dropped_connections = 0
        self.dropped_values = 0
        self._annotation_ids = set()
        self._nimbus_dataset_id = None

    def files(self):
        """Yields `(path, bytes)` of every file of the tree."""
        yield "annostore.json", file_bytes(MARKER)
        held = []  # connections or values that come before the annotations
        annotations_seen = False
        for name, items in self.sections:
            if name == "annotations":
                yield from self._annotations(items)
                annotations_seen = True
            elif name == "annotationProperties":
                for _, path, data in self._records(items, "properties", sharded=False):
                    yield path, data
            elif annotations_seen:
                yield from self._references(name, items)
            else:
                held.append((name, list(items)))
        for name, items in held:
            yield from self._references(name, items)
        dataset = {"name": self.dataset, "nimbusDatasetId": self._nimbus_dataset_id}
        yield f"{self.base}/dataset.json", file_bytes(dataset)

    def _records(self, docs, kind, sharded=True):
        seen = set()
        for index, doc in enumerate(docs):
            doc = stored_document(doc)
            record_id = check_token(doc.get("_id"), f"{kind}[{index}] id")
            if record_id in seen:
                raise LayoutError(f"duplicate {kind} id {record_id}")
            seen.add(record_id)
            folder = f"{self.base}/{kind}/{shard(record_id)}" if sharded else f"{self.base}/{kind}"
            yield doc, f"{folder}/{record_id}.json", file_bytes(doc)

    def _annotations(self, docs):
        for doc, path, data in self._records(docs, "annotations"):
            self._annotation_ids.add(doc["_id"])
            if self._nimbus_dataset_id is None and isinstance(doc.get("datasetId"), str):
                self._nimbus_dataset_id = doc["datasetId"]
            yield path, data

    def _references(self, name, items):
        ids = self._annotation_ids
        if name == "annotationConnections":
            for doc, path, data in self._records(items, "connections"):
                if doc.get("parentId") in ids and doc.get("childId") in ids:
                    yield path, data
                else:
                    self.dropped_connections += 1
            return
        seen = set()
        for annotation_id, values in items:
            if annotation_id in seen:
                raise LayoutError(f"duplicate values for annotation {annotation_id}")
            seen.add(annotation_id)
            if annotation_id not in ids:
                self.dropped_values += 1
            elif values:
                yield f"{self.base}/values/{shard(annotation_id)}/{annotation_id}.json", file_bytes(values)
