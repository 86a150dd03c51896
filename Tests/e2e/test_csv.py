"""End-to-end tests of `annostore export csv` and `annostore dataset set-listed-paths`.

The CSV is checked three ways: byte for byte against NimbusImage's own samples and
against an independent Python model of the format (csv_reference.py), and by reading it
back with real readers (pandas `read_csv`, R `read.csv`/`read.delim`) and comparing every
cell with the data the store holds.
"""

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import BINARY, require_module, require_tool, skip_or_fail  # noqa: E402
from csv_reference import Dataset  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "Tests" / "Fixtures"
SAMPLE = FIXTURES / "sample-export.json"
SAMPLE_V2 = FIXTURES / "sample-export-v2.json"
BIN = BINARY  # without it conftest's annostore_binary skips these tests (fails them under CI)


def annostore(*args, ok=True, cwd=None):
    """Runs annostore; returns the CompletedProcess (stdout as bytes)."""
    env = {**os.environ, "ANNOSTORE_AUTHOR_NAME": "Test", "ANNOSTORE_AUTHOR_EMAIL": "t@example.org"}
    result = subprocess.run([str(BIN), *map(str, args)], capture_output=True, cwd=cwd, env=env,
                            timeout=600, check=False)
    expected = 0 if ok is True else ok
    if expected is not False and result.returncode != expected:
        pytest.fail(f"annostore {' '.join(map(str, args))} exited {result.returncode}, expected "
                    f"{expected}\n{result.stderr.decode(errors='replace')[-3000:]}", pytrace=False)
    return result


def make_store(tmp_path, exports, name="store"):
    """A store with one commit per (file, dataset) in order."""
    path = tmp_path / name
    annostore("init", path)
    for file, dataset in exports:
        annostore("-C", path, "commit", file, "--dataset", dataset, "-m", f"record {Path(file).name}")
    return path


def write_json(path, value):
    path.write_text(json.dumps(value, ensure_ascii=False))
    return path


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    """The sample export as dataset `hela`, then its second version on top."""
    tmp = tmp_path_factory.mktemp("csv-sample")
    return make_store(tmp, [(SAMPLE, "hela"), (SAMPLE_V2, "hela")])


# ------------------------------------------------------------------ NimbusImage's samples


def test_request_reproduces_sample_csv(sample_store):
    out = annostore("-C", sample_store, "export", "csv", "--dataset", "hela", "--rev", "HEAD~1",
                    "--request", FIXTURES / "sample-csv-request.json").stdout
    assert out == (FIXTURES / "sample-export.csv").read_bytes()


def test_sanitized_na_tsv_reproduces_sample(sample_store, tmp_path):
    body = json.loads((FIXTURES / "sample-csv-request.json").read_text())
    body.update(delimiter="\t", undefinedValue="NA", sanitizeColumnNames=True)
    request = write_json(tmp_path / "request.json", body)
    target = tmp_path / "out.tsv"
    annostore("-C", sample_store, "export", "csv", "--dataset", "hela", "--rev", "HEAD~1",
              "--request", request, "-o", target)
    assert target.read_bytes() == (FIXTURES / "sample-export.sanitized-NA.tsv").read_bytes()
    # the same through the command line's own options
    paths = [".".join(p) for p in body["propertyPaths"]]
    args = [a for p in paths for a in ("--path", p)]
    out = annostore("-C", sample_store, "export", "csv", "--rev", "HEAD~1", *args, "--tsv",
                    "--undefined", "NA", "--sanitize").stdout
    assert out == target.read_bytes()


def test_older_revision_gives_its_own_values(sample_store):
    request = FIXTURES / "sample-csv-request.json"
    paths = json.loads(request.read_text())["propertyPaths"]
    old = annostore("-C", sample_store, "export", "csv", "--rev", "HEAD~1", "--request", request).stdout
    new = annostore("-C", sample_store, "export", "csv", "--request", request).stdout
    assert old == Dataset(json.loads(SAMPLE.read_text())).csv(paths)
    assert new == Dataset(json.loads(SAMPLE_V2.read_text())).csv(paths)
    assert old != new


def test_default_columns_are_the_leaf_walk(sample_store):
    out = annostore("-C", sample_store, "export", "csv").stdout
    data = Dataset(json.loads(SAMPLE_V2.read_text()))
    assert out == data.csv(data.leaf_paths())
    header = out.split(b"\n")[0].decode()
    assert header.startswith('"Id",Channel,XY,Z,Time,"Tags","Shape","Name",axon Line Length,')


def test_empty_id_list_gives_the_header_only(sample_store, tmp_path):
    body = json.loads((FIXTURES / "sample-csv-request.json").read_text())
    body["annotationIds"] = []
    out = annostore("-C", sample_store, "export", "csv", "--rev", "HEAD~1", "--request",
                    write_json(tmp_path / "r.json", body)).stdout
    assert out == (FIXTURES / "sample-export.csv").read_bytes().split(b"\n")[0] + b"\n"


def test_row_subsets(sample_store, tmp_path):
    data = Dataset(json.loads(SAMPLE_V2.read_text()))
    paths = data.leaf_paths()
    ids = tmp_path / "ids.txt"
    ids.write_text("66a1fc108c1d4e2f7a04b1ed\n\n  66a1f8e08c1d4e2f7a04b1e2 \r\nnot-in-the-dataset\n")
    out = annostore("-C", sample_store, "export", "csv", "--ids", ids).stdout
    assert out == data.csv(paths, ids={"66a1fc108c1d4e2f7a04b1ed", "66a1f8e08c1d4e2f7a04b1e2"})

    def rows(*args):
        text = annostore("-C", sample_store, "export", "csv", *args).stdout.decode()
        return [line.split(",")[0].strip('"') for line in text.splitlines()[1:]]

    spots = [a["_id"] for a in data.annotations if "spot" in a["tags"]]
    assert rows("--tag", "spot") == spots
    assert rows("--tag", "nucleus", "--tag", "dividing") == ["66a1f8e08c1d4e2f7a04b1e2"]
    assert rows("--shape", "line", "--shape", "rectangle") == ["66a1fc108c1d4e2f7a04b1ed",
                                                               "66a1fc388c1d4e2f7a04b1ee"]
    assert rows("--channel", "1", "--xy", "1") == [
        a["_id"] for a in data.annotations if a["channel"] == 1 and a["location"]["XY"] == 0]
    assert rows("--channel", "0", "--xy", "2") == ["66a1f8e08c1d4e2f7a04b1e4"]
    assert rows("--z", "3", "--time", "2") == [
        a["_id"] for a in data.annotations if a["location"]["Z"] == 2 and a["location"]["Time"] == 1]
    assert rows("--tag", "no such tag") == []


def test_named_columns_and_errors(sample_store):
    out = annostore("-C", sample_store, "export", "csv", "--property",
                    "nucleus Blob Intensity / Intensity / mean", "--property", "axon Line Length",
                    "--path", "66a201108c1d4e2f7a04b1f3.Area").stdout.decode()
    assert out.splitlines()[0].endswith(
        ',nucleus Blob Intensity / Intensity / mean,axon Line Length,nucleus Blob Metrics / Area')
    bad = annostore("-C", sample_store, "export", "csv", "--property", "no such thing", ok=2)
    assert b"no property is named" in bad.stderr
    annostore("-C", sample_store, "export", "csv", "--request", FIXTURES / "sample-csv-request.json",
              "--tsv", ok=2)
    bad = annostore("-C", sample_store, "export", "csv", "--request", SAMPLE, ok=3)
    assert b"sample-export.json" in bad.stderr


def test_preview(sample_store):
    out = annostore("-C", sample_store, "export", "csv", "--preview", "3").stdout.decode()
    assert "22 columns" in out
    assert "axon Line Length" in out and "66a204948c1d4e2f7a04b1f6" in out
    lines = out.splitlines()
    start = lines.index("first 3 rows:")
    assert lines[start + 1].startswith('"Id",Channel')
    assert len([line for line in lines[start + 2:] if line.startswith('"66a')]) == 3


def test_all_datasets(tmp_path):
    store = make_store(tmp_path, [(SAMPLE, "one"), (SAMPLE_V2, "two")])
    target = tmp_path / "out"
    annostore("-C", store, "export", "csv", "--all-datasets", "--tsv", "-o", target)
    assert sorted(p.name for p in target.iterdir()) == ["one.tsv", "two.tsv"]
    for name, source in (("one", SAMPLE), ("two", SAMPLE_V2)):
        data = Dataset(json.loads(source.read_text()))
        assert (target / f"{name}.tsv").read_bytes() == data.csv(data.leaf_paths(), delimiter="\t")


def test_listed_paths(tmp_path):
    store = make_store(tmp_path, [(SAMPLE, "hela")])
    annostore("-C", store, "export", "csv", "--listed", ok=2)
    result = annostore("-C", store, "dataset", "set-listed-paths", "66a201108c1d4e2f7a04b1f3.Area",
                       "66a204948c1d4e2f7a04b1f6", "--property", "nucleus Blob Intensity / Intensity / max",
                       "66a201108c1d4e2f7a04b1f3.NotComputed")
    assert b"listed path" in result.stdout
    again = annostore("-C", store, "dataset", "set-listed-paths", "66a201108c1d4e2f7a04b1f3.Area",
                      "66a204948c1d4e2f7a04b1f6", "--property", "nucleus Blob Intensity / Intensity / max",
                      "66a201108c1d4e2f7a04b1f3.NotComputed")
    assert b"nothing changed" in again.stdout
    annostore("-C", store, "dataset", "set-listed-paths", "nosuchproperty.x", ok=2)
    # the commit changed dataset.json only
    diff = subprocess.run(["git", "--git-dir", str(store), "diff", "--name-only", "HEAD~1", "HEAD"],
                          capture_output=True, check=True).stdout.decode().split()
    assert diff == ["datasets/hela/dataset.json"]
    data = Dataset(json.loads(SAMPLE.read_text()))
    listed = {("66a201108c1d4e2f7a04b1f3", "Area"), ("66a204948c1d4e2f7a04b1f6",),
              ("66a2023c8c1d4e2f7a04b1f4", "Intensity", "max")}
    expected = [p for p in data.leaf_paths() if tuple(p) in listed]
    assert annostore("-C", store, "export", "csv", "--listed").stdout == data.csv(expected)
    annostore("-C", store, "dataset", "set-listed-paths", "--clear")
    annostore("-C", store, "export", "csv", "--listed", ok=2)


# ------------------------------------------------------------------ hostile values, real readers

HOSTILE_STRINGS = [
    "G1, late", 'five " inch', "two\nlines", "crlf\r\nend", "tab\tsep", "  leading", "trailing  ",
    "µm² 細胞 🧫", "", ",", '"', "=SUM(A1)", "'quoted'", "a;b", "\\back\\slash",
]
HOSTILE_NUMBERS = [0.1, 1e-07, 1.5e-05, 2170.0, 2.5e15, 123456.789, 5e-324, -42.0, 3, 0.968, 1 / 3]


def hostile_export():
    """A dataset whose names, tags and values try to break every CSV reader."""
    def prop(pid, name):
        return {"_id": pid, "name": name, "image": "properties/none:latest", "shape": "polygon",
                "tags": {"tags": [], "exclusive": False}, "workerInterface": {}}

    properties = [
        prop("p-comma", "Area, µm²"), prop("p-quote", 'say "hi"'), prop("p-tab", "tab\there"),
        prop("p-nl", "line\nbreak"), prop("p-lead", "  leading space"), prop("p-g1", "Größe (µm)"),
        prop("p-g2", "Größe µm"), prop("p-name", "Name"), prop("p-empty", ""),
        prop("p-nested", "nucleus Metrics"), prop("p-twin1", "Twin"), prop("p-twin2", "Twin"),
        prop("p-both", 'both, "quoted"'),
    ]
    names = [None, "", "Cell 3, \"bright\"", "line\nbreak", "tab\there", "  lead", "ünïcödé 細胞",
             "crlf\r\nname", "plain"]
    tags = [[], ["nucleus"], ["a, b", 'q"uote'], ["new\nline", "tab\tx"], [" lead", "ünï"],
            ["nucleus", "dividing"]]
    annotations, values = [], {}
    scalars = HOSTILE_STRINGS + HOSTILE_NUMBERS + [None]
    count = 0
    for index in range(48):
        aid = f"a{index:03d}"
        annotation = {"_id": aid, "tags": tags[index % len(tags)], "shape": "polygon",
                      "channel": index % 3, "location": {"XY": index % 2, "Z": index % 4, "Time": index % 5},
                      "coordinates": [{"x": 1.5, "y": 2.0}, {"x": 3, "y": 4}, {"x": 5, "y": 1}],
                      "datasetId": "ds"}
        name = names[index % len(names)]
        if name is not None:
            annotation["name"] = name
        elif index % 2:
            annotation["name"] = None
        if index % 7 == 3:
            del annotation["location"]["Z"]
        annotations.append(annotation)
        if index % 11 == 10:
            continue  # no values at all
        v = {}
        for pid in ("p-comma", "p-quote", "p-tab", "p-nl", "p-lead", "p-g1", "p-g2", "p-name",
                    "p-empty", "p-twin1", "p-twin2", "p-both"):
            count += 1
            if count % 9 == 0:
                continue  # missing
            v[pid] = scalars[count % len(scalars)]
        if index == 5:
            v["p-lead"] = {"x": 1, "y": "z, \"q\""}  # heterogeneous: an object cell
        nested = {"Area": HOSTILE_NUMBERS[index % len(HOSTILE_NUMBERS)],
                  "Intensity": {"mean": HOSTILE_NUMBERS[(index + 3) % len(HOSTILE_NUMBERS)],
                                "max": None if index % 5 == 0 else float(index)},
                  "Phase": HOSTILE_STRINGS[index % len(HOSTILE_STRINGS)]}
        if index % 6 == 1:
            del nested["Intensity"]
        v["p-nested"] = nested
        values[aid] = v
    values["a047"] = {"p-unknown": 1, "p-nested": {"Area": 1}}  # a property not in the dataset
    return {"annotations": annotations, "annotationConnections": [], "annotationProperties": properties,
            "annotationPropertyValues": values}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("csv-hostile")
    export = hostile_export()
    file = write_json(tmp / "hostile.json", export)
    store = make_store(tmp, [(file, "hostile")])
    return store, Dataset(export), tmp


def pandas_cells(path, delimiter, undefined):
    pandas = require_module("pandas", "Tools/install-deps.sh --test installs it")
    frame = pandas.read_csv(path, sep=delimiter, header=None, dtype=str, keep_default_na=False,
                            na_values=[undefined] if undefined else [], quotechar='"',
                            skip_blank_lines=False, encoding="utf-8")
    return [[None if not isinstance(cell, str) else cell for cell in row]
            for row in frame.itertuples(index=False, name=None)]


R_SCRIPT = r"""
args <- commandArgs(trailingOnly = TRUE)
sep <- if (args[2] == "tab") "\t" else ","
nas <- if (args[3] == "") character(0) else args[3]
reader <- if (sep == "\t") read.delim else read.csv
frame <- reader(args[1], header = TRUE, sep = sep, quote = "\"", check.names = FALSE,
                na.strings = nas, colClasses = "character", encoding = "UTF-8",
                strip.white = FALSE, comment.char = "", stringsAsFactors = FALSE)
hex <- function(x) if (is.na(x)) "NA" else paste0("x", paste(as.character(charToRaw(enc2utf8(x))), collapse = ""))
out <- file(args[4], "w")
writeLines(paste(sapply(names(frame), hex), collapse = " "), out)
for (i in seq_len(nrow(frame))) writeLines(paste(sapply(frame[i, ], hex), collapse = " "), out)
close(out)
"""


def r_cells(path, delimiter, undefined, tmp):
    require_tool("Rscript", "Tools/install-deps.sh --test installs it")
    script = tmp / "read.R"
    script.write_text(R_SCRIPT)
    out = tmp / "r-cells.txt"
    subprocess.run(["Rscript", script, path, "tab" if delimiter == "\t" else "comma", undefined, out],
                   check=True, capture_output=True, timeout=300)

    def decode(token):
        return None if token == "NA" else bytes.fromhex(token[1:]).decode("utf-8")

    return [[decode(t) for t in line.split(" ")] for line in out.read_text().splitlines()]


def r_text(text):
    """A cell as R reads it back: line breaks become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def written_quoted(text, quoted, delimiter):
    """Whether annostore writes this header name or cell in quotes."""
    return quoted or any(c in text for c in (delimiter, '"', "\r", "\n"))


def expected_cells(data, paths, undefined, delimiter, sanitized):
    columns = data.columns(paths, sanitized)
    header = [name for name, _, _ in columns]
    rows = []
    for annotation in data.annotations:
        cells = data.cells(annotation, columns, undefined)
        rows.append([(undefined or "") if c is None else c for c in cells])
    return header, rows, columns


@pytest.mark.parametrize("delimiter", [",", "\t"], ids=["csv", "tsv"])
@pytest.mark.parametrize("undefined", ["", "NA", "NaN"], ids=["empty", "NA", "NaN"])
@pytest.mark.parametrize("sanitized", [False, True], ids=["names", "sanitized"])
def test_hostile_values_through_real_readers(hostile, delimiter, undefined, sanitized):
    store, data, tmp = hostile
    paths = data.leaf_paths() + [["p-empty"], ["p-unknown"], ["p-nested", "Intensity"]]
    body = {"datasetId": "x", "propertyPaths": paths, "undefinedValue": undefined,
            "delimiter": delimiter, "sanitizeColumnNames": sanitized}
    request = write_json(tmp / f"request-{ord(delimiter)}-{undefined}-{sanitized}.json", body)
    target = tmp / f"out-{ord(delimiter)}-{undefined}-{sanitized}.csv"
    annostore("-C", store, "export", "csv", "--request", request, "-o", target)
    assert target.read_bytes() == data.csv(paths, undefined, delimiter, sanitized)

    header, rows, columns = expected_cells(data, paths, undefined, delimiter, sanitized)
    undefined_cells = {(r, c) for r, a in enumerate(data.annotations)
                       for c, cell in enumerate(data.cells(a, columns, undefined)) if cell is None}
    # pandas: every cell is the string the store holds; undefined ones read as missing
    # when they are marked (NA, NaN), as "" otherwise.
    got = pandas_cells(target, delimiter, undefined)
    assert got[0] == header
    assert len(got) == len(rows) + 1
    for r, row in enumerate(rows):
        want = [None if undefined and (r, c) in undefined_cells else cell for c, cell in enumerate(row)]
        assert got[r + 1] == want, f"row {r}"
    # R: the same, names included (check.names = FALSE). read.table reads the header line
    # with strip.white = TRUE, so an unquoted name loses its surrounding blanks there
    # (NimbusImage writes such names unquoted, and so does annostore).
    got = r_cells(target, delimiter, undefined, tmp)
    assert got[0] == [name if written_quoted(name, quoted, delimiter) else name.strip(" \t")
                      for name, quoted, _ in columns]
    # R's text connections turn CR LF and a lone CR into LF, inside quotes too: the row
    # stays whole, only the line break's spelling changes.
    assert len(got) == len(rows) + 1
    for r, row in enumerate(rows):
        want = [None if undefined and (r, c) in undefined_cells else r_text(cell)
                for c, cell in enumerate(row)]
        assert got[r + 1] == want, f"row {r}"


def test_hostile_default_columns_and_numbers(hostile):
    store, data, _ = hostile
    out = annostore("-C", store, "export", "csv").stdout
    assert out == data.csv(data.leaf_paths())
    assert b"p-unknown" not in out


# ------------------------------------------------------------------ generated data

@pytest.mark.parametrize("undefined", ["", "NA"])
def test_generated_export(tmp_path, undefined):
    generator = REPO / "Tools" / "gen-export.py"
    if not generator.exists():
        skip_or_fail("Tools/gen-export.py is not in this tree")
    export = tmp_path / "export.json"
    subprocess.run([sys.executable, generator, "export", "--annotations", "3000", "--seed", "11",
                    "-o", export], check=True, capture_output=True)
    store = make_store(tmp_path, [(export, "gen")])
    data = Dataset(json.loads(export.read_text()))
    target = tmp_path / "gen.csv"
    annostore("-C", store, "export", "csv", "--undefined", undefined or "empty", "-o", target)
    paths = data.leaf_paths()
    assert target.read_bytes() == data.csv(paths, undefined)
    header, rows, _ = expected_cells(data, paths, undefined, ",", False)
    got = pandas_cells(target, ",", "")
    assert got[0] == header and got[1:] == rows
    got = r_cells(target, ",", "", tmp_path)
    assert got[0] == header and got[1:] == [[r_text(cell) for cell in row] for row in rows]


def test_rows_follow_id_bytes_for_ids_of_any_length(tmp_path):
    """Rows come in the byte order of the ids, also for ids that share their first 24 bytes
    (the part the sort compares as words) and differ only after them, or in length. With
    hundreds of annotations the ids spread over many shards, so the sorted parts of every
    worker are merged."""
    export = json.loads(SAMPLE.read_text())
    template = export["annotations"][0]
    values = next(iter(export["annotationPropertyValues"].values()))
    prefix = "66a1f8e08c1d4e2f7a04b1e0"
    ids = [prefix, prefix[:-1], prefix + "0", prefix + "00", prefix + "A", prefix + "a", prefix + "_z",
           prefix + "-"]
    ids += [f"{prefix}{n:03d}" for n in range(300)] + [f"{n:05d}" for n in range(300)]
    export["annotations"] = []
    export["annotationConnections"] = []
    export["annotationPropertyValues"] = {}
    for index, record_id in enumerate(ids):
        annotation = copy.deepcopy(template)
        annotation["_id"] = record_id
        annotation["name"] = f"n{index}"
        export["annotations"].append(annotation)
        if index % 3:
            export["annotationPropertyValues"][record_id] = values
    source = write_json(tmp_path / "long-ids.json", export)
    store = make_store(tmp_path, [(source, "ids")])
    target = tmp_path / "ids.csv"
    annostore("-C", store, "export", "csv", "-o", target)
    data = Dataset(json.loads(source.read_text()))
    assert target.read_bytes() == data.csv(data.leaf_paths())
    lines = target.read_text().splitlines()[1:]
    assert [line.split(",")[0].strip('"') for line in lines] == sorted(ids, key=str.encode)
