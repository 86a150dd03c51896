#!/usr/bin/env python3
"""Realistic NimbusImage JSON exports for annostore's tests and benchmark.

    gen-export.py export --annotations N [--seed S] [--legacy] -o FILE
    gen-export.py mutate IN --fraction F [--seed S] -o OUT [--summary FILE]

`export` simulates one analysed dataset (nimbus/FORMAT.md describes the format):
a segmentation worker outlines nuclei (about 70% of the annotations: polygons of 8 to
24 vertices, one-decimal pixel coordinates), then a spot detector finds spots inside
them (about 30%: points, each linked to its nucleus by an automatic connection; a few
placed by hand, with UI-style coordinates and a manual connection). A handful of
annotations carry an extra tag, a user's name or a colour. There are five property
definitions (one-level blob metrics computed from the outline, two-level intensities
with an occasional null, a string-valued cell cycle classifier, a spot intensity and one
property never computed), and values for about 97% of the annotations. The file is what
the server writes: one compact line, 24-hex ObjectIds with `_id`, whole floats with `.0`.
`--legacy` writes what the pre-2026 browser exporter wrote instead: `id` keys, browser
key order, `color` always present, no `access`, whole numbers without `.0`.

`mutate` re-runs the "analysis" on a fraction of the annotations of an export: moves
outlines by a few pixels, adds a tag, re-measures property values, deletes annotations
(with their connections and values) and finds new nuclei next to existing ones (with
values). Records it does not touch are copied through byte for byte. `--summary` writes
a JSON account of exactly which ids changed and how.

Both commands give the same bytes for the same arguments, write as they go, and handle
a million annotations (~700 MB) in a few minutes.
"""

import argparse
import json
import math
import random
import shutil
import sys
import tempfile
from array import array
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from export_reader import VALUES, ExportReader  # noqa: E402

try:
    import orjson

    dumps = orjson.dumps
except ImportError:  # same bytes for this data, only slower

    def dumps(value):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


NUCLEUS_SHARE = 0.7
VALUES_SHARE = 0.97
IMAGE_SIZE = 2048.0
CURATION_TAGS = ("dividing", "edge", "mitotic", "out of focus")
PHASES = ("G1", "S", "G2", "M")
AUTOMATIC = "A Connection -- automatic"
MANUAL = "Spot to nucleus"


class ObjectIds:
    """Mints ids the way one MongoDB server process does: a 4-byte timestamp, the
    process's 5 random bytes, a 3-byte counter; `per_second` documents a second."""

    def __init__(self, rng, seconds, per_second=2000):
        self.process = "%010x" % rng.getrandbits(40)
        self.counter = rng.getrandbits(24)
        self.seconds = seconds
        self.per_second = per_second
        self.minted = 0

    def __call__(self):
        self.counter = (self.counter + 1) & 0xFFFFFF
        self.minted += 1
        return "%08x%s%06x" % (self.seconds + self.minted // self.per_second, self.process, self.counter)

    def later(self, seconds):
        """Moves the clock on: documents made by a later run."""
        self.seconds += seconds


class ItemList:
    """Comma-separated JSON items written to a binary file."""

    def __init__(self, out):
        self.out = out
        self.count = 0

    def add(self, data):
        if self.count:
            self.out.write(b",")
        self.out.write(data)
        self.count += 1


class ExportWriter:
    """Writes the top-level object of an export, one section and one item at a time."""

    def __init__(self, out):
        self.out = out
        self.section = None
        self.sections = 0

    def begin(self, name):
        """Opens section `name`; returns the ItemList to add its items to."""
        self.out.write(b"," if self.sections else b"{")
        self.out.write(b'"%s":%s' % (name.encode(), b"{" if name == VALUES else b"["))
        self.section = name
        self.sections += 1
        return ItemList(self.out)

    def end(self):
        self.out.write(b"}" if self.section == VALUES else b"]")

    def close(self):
        self.out.write(b"}" if self.sections else b"{}")


def member(key, value):
    """One `"key":value` member of the values object."""
    return dumps(key) + b":" + dumps(value)


def js_numbers(value):
    """`value` as a browser's JSON.stringify writes it: whole floats without `.0`."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: js_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [js_numbers(item) for item in value]
    return value


def legacy_annotation(doc):
    """The browser exporter's normalized annotation: its key order, `id`, `color`."""
    out = {"name": doc["name"]} if "name" in doc else {}
    for key in ("tags", "shape", "channel", "location", "coordinates"):
        out[key] = doc[key]
    out["id"] = doc["_id"]
    out["datasetId"] = doc["datasetId"]
    out["color"] = doc.get("color")
    return js_numbers(out)


def legacy_connection(doc):
    return {
        "label": doc["label"],
        "tags": doc["tags"],
        "id": doc["_id"],
        "parentId": doc["parentId"],
        "childId": doc["childId"],
        "datasetId": doc["datasetId"],
    }


def legacy_property(doc):
    keys = ("name", "image", "tags", "shape", "workerInterface")
    return js_numbers({"id": doc["_id"], **{key: doc[key] for key in keys}})


# ----------------------------------------------------------------------------- export


def outline(rng, cx, cy, radius):
    """An open ring of 8-24 vertices around a slightly irregular ellipse, one decimal."""
    count = rng.randint(8, 24)
    minor = radius * rng.uniform(0.6, 1.0)
    tilt = rng.uniform(0.0, math.pi)
    cos_tilt, sin_tilt = math.cos(tilt), math.sin(tilt)
    ring = []
    for i in range(count):
        angle = 2.0 * math.pi * i / count
        wobble = rng.uniform(0.94, 1.06)
        u, v = radius * wobble * math.cos(angle), minor * wobble * math.sin(angle)
        ring.append({"x": round(cx + u * cos_tilt - v * sin_tilt, 1), "y": round(cy + u * sin_tilt + v * cos_tilt, 1)})
    return ring


def area_perimeter(ring):
    """Shoelace area and perimeter of a closed-by-convention ring."""
    area = perimeter = 0.0
    for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
        area += a["x"] * b["y"] - b["x"] * a["y"]
        perimeter += math.hypot(b["x"] - a["x"], b["y"] - a["y"])
    return abs(area) / 2.0, perimeter


class Dataset:
    """One simulated analysed dataset, written as a server (or browser) export."""

    def __init__(self, count, seed, legacy):
        self.rng = random.Random(seed)
        self.count = count
        self.legacy = legacy
        rng = self.rng
        self.ids = ObjectIds(rng, seconds=0x6650_0000 + rng.randrange(1 << 22))
        self.dataset_id = self.ids()
        self.owner = "%024x" % rng.getrandbits(96)
        self.planes = {"XY": rng.randint(4, 24), "Z": rng.randint(1, 5), "Time": rng.randint(1, 8)}
        self.ids.later(86400 * rng.randint(1, 30))
        self.properties = self._properties()
        # Per nucleus, what its spots need: centre, radius, plane and tags.
        self.nucleus_x, self.nucleus_y, self.nucleus_r = array("d"), array("d"), array("d")
        self.nucleus_xy, self.nucleus_time, self.nucleus_extra = array("H"), array("H"), array("B")
        self.nucleus_ids = []

    def _properties(self):
        ids, rng = self.ids, self.rng
        access = {"groups": [], "users": [{"id": self.owner, "level": 2, "flags": []}]}

        def from_ui(name, image, shape, tag, interface):
            return {"_id": ids(), "name": name, "image": image, "tags": {"tags": [tag], "exclusive": False},
                    "shape": shape, "workerInterface": interface, "access": access}

        metrics = from_ui("nucleus Blob Metrics", "properties/blob_metrics:latest", "polygon", "nucleus", {})
        ids.later(rng.randint(60, 3600))
        intensity = from_ui("nucleus Blob Intensity", "properties/blob_intensity_worker:latest", "polygon",
                            "nucleus", {"Channel": 1})
        ids.later(rng.randint(60, 3600))
        spot = from_ui("spot Intensity", "properties/point_intensity_worker:latest", "point", "spot",
                       {"Channel": 2, "Radius": 3})
        ids.later(rng.randint(60, 3600))
        # Made with the Python client: its own key order, no worker behind it.
        classifier = {"_id": ids(), "name": "nucleus Cell Cycle Classifier", "shape": "polygon",
                      "image": "properties/none:latest", "tags": {"exclusive": False, "tags": ["nucleus"]},
                      "workerInterface": {}, "access": access}
        overlap = from_ui("nucleus Blob Overlap", "properties/blob_overlap:latest", "polygon", "nucleus",
                          {"Overlap channel": 2, "Use threshold": True, "Threshold": 0.5})
        return {"metrics": metrics, "intensity": intensity, "spot": spot, "classifier": classifier,
                "overlap": overlap}

    def _decorate(self, doc):
        """What users did by hand to a few annotations: names and colours."""
        rng = self.rng
        if rng.random() < 0.01:
            doc["name"] = rng.choice(("Cell %d", 'Cell %d, "bright"', "Zelle µ%d")) % rng.randint(1, 9999)
        if rng.random() < 0.02:
            # NimbusImage's "random colour" action does not zero-pad.
            doc["color"] = f"#{rng.randrange(1 << 24):06X}" if rng.random() < 0.8 else f"#{rng.randrange(1 << 20):x}"

    def _nucleus(self):
        rng = self.rng
        radius = rng.uniform(7.0, 20.0)
        cx, cy = (rng.uniform(radius + 5, IMAGE_SIZE - radius - 5) for _ in range(2))
        extra = rng.randrange(1, len(CURATION_TAGS) + 1) if rng.random() < 0.08 else 0
        doc = {"_id": self.ids(), "tags": ["nucleus"] + ([CURATION_TAGS[extra - 1]] if extra else []),
               "shape": "polygon", "channel": 0,
               "location": {"XY": rng.randrange(self.planes["XY"]), "Z": rng.randrange(self.planes["Z"]),
                            "Time": rng.randrange(self.planes["Time"])},
               "datasetId": self.dataset_id, "coordinates": outline(rng, cx, cy, radius)}
        self._decorate(doc)
        for column, value in ((self.nucleus_x, cx), (self.nucleus_y, cy), (self.nucleus_r, radius),
                              (self.nucleus_xy, doc["location"]["XY"]),
                              (self.nucleus_time, doc["location"]["Time"]), (self.nucleus_extra, extra)):
            column.append(value)
        self.nucleus_ids.append(doc["_id"])
        return doc

    def _nucleus_values(self, doc):
        rng, props = self.rng, self.properties
        area, perimeter = area_perimeter(doc["coordinates"])
        values = {}
        if rng.random() < 0.9:
            values[props["classifier"]["_id"]] = {"Phase": rng.choice(PHASES),
                                                  "Confidence": round(rng.uniform(0.5, 0.99), 2)}
        if rng.random() < 0.98:
            mean = round(rng.uniform(150.0, 1800.0), 2)
            values[props["intensity"]["_id"]] = {
                "Intensity": {"mean": mean, "max": float(round(mean * rng.uniform(1.8, 3.2))),
                              "min": float(round(mean * rng.uniform(0.15, 0.35))),
                              "median": None if rng.random() < 0.02 else round(mean * rng.uniform(0.9, 1.0), 2)},
                "TotalIntensity": round(mean * area, 1)}
        values[props["metrics"]["_id"]] = {"Area": float(round(area)), "Perimeter": round(perimeter, 2),
                                           "Eccentricity": round(rng.uniform(0.1, 0.9), 3),
                                           "Solidity": round(rng.uniform(0.9, 0.995), 3)}
        return values

    def _spot(self):
        """A spot inside a random nucleus; returns it with its connection."""
        rng = self.rng
        parent = rng.randrange(len(self.nucleus_ids))
        angle, reach = rng.uniform(0.0, 2.0 * math.pi), rng.uniform(0.0, 0.8) * self.nucleus_r[parent]
        x = self.nucleus_x[parent] + reach * math.cos(angle)
        y = self.nucleus_y[parent] + reach * math.sin(angle)
        z = rng.randrange(self.planes["Z"])
        manual = rng.random() < 0.01
        point = {"x": x, "y": y, "z": z} if manual else {"x": round(x, 1), "y": round(y, 1)}
        doc = {"_id": self.ids(), "tags": ["spot"], "shape": "point", "channel": rng.randint(1, 2),
               "location": {"XY": self.nucleus_xy[parent], "Z": z, "Time": self.nucleus_time[parent]},
               "datasetId": self.dataset_id, "coordinates": [point]}
        self._decorate(doc)
        extra = self.nucleus_extra[parent]
        parent_tags = ["nucleus"] + ([CURATION_TAGS[extra - 1]] if extra else [])
        connection = {"_id": self.ids(), "tags": parent_tags + doc["tags"] if manual else [],
                      "label": MANUAL if manual else AUTOMATIC, "parentId": self.nucleus_ids[parent],
                      "childId": doc["_id"], "datasetId": self.dataset_id}
        return doc, connection

    def write(self, out):
        """Writes the whole export to the binary file `out`."""
        rng, props = self.rng, self.properties
        nuclei = max(1, round(self.count * NUCLEUS_SHARE)) if self.count else 0
        writer = ExportWriter(out)
        annotations = writer.begin("annotations")
        with tempfile.TemporaryFile() as connection_file, tempfile.TemporaryFile() as values_file:
            connections, values = ItemList(connection_file), ItemList(values_file)
            for index in range(self.count):
                if index == nuclei:
                    self.ids.later(rng.randint(3600, 86400))  # the spot detector runs later
                if index < nuclei:
                    doc = self._nucleus()
                    measured = self._nucleus_values(doc)
                else:
                    doc, connection = self._spot()
                    connections.add(dumps(legacy_connection(connection) if self.legacy else connection))
                    measured = {props["spot"]["_id"]: round(rng.uniform(200.0, 6000.0), 2)}
                annotations.add(dumps(legacy_annotation(doc) if self.legacy else doc))
                if rng.random() < VALUES_SHARE:
                    values.add(member(doc["_id"], js_numbers(measured) if self.legacy else measured))
            writer.end()
            for name, spool in (("annotationConnections", connection_file), ("annotationProperties", None),
                                (VALUES, values_file)):
                items = writer.begin(name)
                if spool is None:
                    for doc in props.values():
                        items.add(dumps(legacy_property(doc) if self.legacy else doc))
                else:
                    spool.seek(0)
                    shutil.copyfileobj(spool, out, 1 << 20)
                writer.end()
        writer.close()


# ----------------------------------------------------------------------------- mutate


def decimals(number):
    """How many decimals a float is written with (for re-measuring at its precision)."""
    text = repr(number)
    return len(text.split(".")[1]) if "." in text and "e" not in text else 6


def remeasure(rng, value):
    """`value` as a new run of the worker measures it: numbers off by up to 15% at
    the same precision, a cell cycle phase sometimes different; null stays null."""
    if isinstance(value, dict):
        return {key: remeasure(rng, item) for key, item in value.items()}
    if isinstance(value, int):
        return round(value * rng.uniform(0.85, 1.15))
    if isinstance(value, float):
        factor = rng.uniform(0.85, 1.15)
        return float(round(value * factor)) if value.is_integer() else round(value * factor, decimals(value))
    if value in PHASES and rng.random() < 0.3:
        return rng.choice(PHASES)
    return value


class Reanalysis:
    """Edits an export as a re-analysis would, streaming it from a reader to a file.

    Of the annotations picked (each with probability `fraction`), 40% move, 20% get a
    tag, 20% get new values, 10% are deleted and 10% get a new nucleus next to them.
    """

    def __init__(self, fraction, seed):
        self.fraction = fraction
        self.rng = random.Random(seed)
        self.legacy = False
        self.latest_second = 0
        self.changed = {"moved": [], "retagged": [], "revalued": [], "deleted": [], "added": []}
        self.connections_removed = []
        self.values_removed = 0
        self._deleted = set()
        self._to_revalue = set()
        self._models = []  # annotations that get a new neighbour
        self._neighbour_of = {}  # model annotation id -> the new annotation's id

    def run(self, reader, out):
        handlers = {"annotations": self._annotations, "annotationConnections": self._connections,
                    "annotationProperties": self._properties, VALUES: self._values}
        writer = ExportWriter(out)
        for name, records in reader.sections():
            items = writer.begin(name)
            for data in handlers[name](records, reader):
                items.add(data)
            writer.end()
        writer.close()

    def summary(self):
        counts = {kind: len(ids) for kind, ids in self.changed.items()}
        counts.update(connectionsRemoved=len(self.connections_removed), valuesRemoved=self.values_removed)
        return {"counts": counts, **self.changed, "connectionsRemoved": self.connections_removed}

    def _dump(self, doc):
        return dumps(js_numbers(doc) if self.legacy else doc)

    @staticmethod
    def _raw(reader):
        start, end = reader.span
        return reader.text[start:end].encode("utf-8")

    def _pick(self, doc):
        """What the re-analysis does to a picked annotation."""
        action = self.rng.random()
        kind = ("move" if action < 0.4 else "retag" if action < 0.6 else "revalue" if action < 0.8
                else "delete" if action < 0.9 else "neighbour")
        if kind == "retag" and all(tag in doc["tags"] for tag in CURATION_TAGS):
            return "move"
        if kind == "neighbour" and doc["shape"] != "polygon":
            return "move"
        return kind

    def _annotations(self, records, reader):
        rng = self.rng
        for doc in records:
            self.legacy = "_id" not in doc and "id" in doc
            annotation_id = doc["id" if self.legacy else "_id"]
            if len(annotation_id) == 24:
                self.latest_second = max(self.latest_second, int(annotation_id[:8], 16))
            kind = self._pick(doc) if rng.random() < self.fraction else None
            if kind == "delete":
                self._deleted.add(annotation_id)
                self.changed["deleted"].append(annotation_id)
                continue
            if kind == "retag":
                doc["tags"] = doc["tags"] + [rng.choice([tag for tag in CURATION_TAGS if tag not in doc["tags"]])]
                self.changed["retagged"].append(annotation_id)
            elif kind == "move":
                dx, dy = rng.randint(-30, 30) / 10, rng.randint(1, 30) / 10 * rng.choice((-1, 1))
                doc["coordinates"] = [{**c, "x": round(c["x"] + dx, 1), "y": round(c["y"] + dy, 1)}
                                      for c in doc["coordinates"]]
                self.changed["moved"].append(annotation_id)
            elif kind == "revalue":
                self._to_revalue.add(annotation_id)
            elif kind == "neighbour":
                self._models.append(doc)
            yield self._dump(doc) if kind in ("retag", "move") else self._raw(reader)
        yield from self._new_nuclei()

    def _new_nuclei(self):
        """Nuclei the re-analysis finds right of the picked ones, minted by a new run."""
        ids = ObjectIds(self.rng, seconds=max(self.latest_second, 0x6650_0000) + 86400)
        for model in self._models:
            xs = [c["x"] for c in model["coordinates"]]
            shift = round(max(xs) - min(xs) + 2.0, 1)
            doc = {"_id": ids(), "tags": model["tags"][:1], "shape": "polygon", "channel": model["channel"],
                   "location": model["location"], "datasetId": model["datasetId"],
                   "coordinates": [{"x": round(c["x"] + shift, 1), "y": float(c["y"])} for c in model["coordinates"]]}
            self._neighbour_of[model["id" if self.legacy else "_id"]] = doc["_id"]
            self.changed["added"].append(doc["_id"])
            yield dumps(legacy_annotation(doc) if self.legacy else doc)

    def _connections(self, records, reader):
        for doc in records:
            if doc["parentId"] in self._deleted or doc["childId"] in self._deleted:
                self.connections_removed.append(doc.get("_id", doc.get("id")))
            else:
                yield self._raw(reader)

    def _properties(self, records, reader):
        for _ in records:
            yield self._raw(reader)

    def _values(self, records, reader):
        found = []  # values of the new nuclei, measured like their models'
        for annotation_id, values in records:
            if annotation_id in self._deleted:
                self.values_removed += 1
                continue
            if annotation_id in self._neighbour_of:
                found.append((self._neighbour_of[annotation_id], self._remeasured(values)))
            new = self._remeasured(values) if annotation_id in self._to_revalue else values
            if new != values:
                self.changed["revalued"].append(annotation_id)
                yield member(annotation_id, new)
            else:
                yield self._raw(reader)
        for annotation_id, values in found:
            yield member(annotation_id, values)

    def _remeasured(self, values):
        measured = remeasure(self.rng, values)
        return js_numbers(measured) if self.legacy else measured


# ----------------------------------------------------------------------------- command line


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="write a new export")
    export.add_argument("--annotations", type=int, required=True, metavar="N")
    export.add_argument("--seed", type=int, default=1)
    export.add_argument("--legacy", action="store_true", help="the pre-2026 browser exporter's shape")
    export.add_argument("-o", "--output", required=True)
    mutate = commands.add_parser("mutate", help="write a re-analysed copy of an export")
    mutate.add_argument("input")
    mutate.add_argument("--fraction", type=float, required=True, metavar="F")
    mutate.add_argument("--seed", type=int, default=1)
    mutate.add_argument("-o", "--output", required=True)
    mutate.add_argument("--summary", help="write what changed, as JSON, to this file")
    args = parser.parse_args()

    with open(args.output, "wb") as out:
        if args.command == "export":
            Dataset(args.annotations, args.seed, args.legacy).write(out)
            return
        reanalysis = Reanalysis(args.fraction, args.seed)
        reanalysis.run(ExportReader(args.input), out)
    summary = reanalysis.summary()
    if args.summary:
        Path(args.summary).write_text(json.dumps(summary, indent=1) + "\n")
    print(json.dumps(summary["counts"]), file=sys.stderr)


if __name__ == "__main__":
    main()
