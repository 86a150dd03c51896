#!/usr/bin/env python3
"""annostore's benchmark: annostore against plain git and plain Python, side by side.

    make bench                      # or: python3 Tools/bench.py
    BENCH_N=100000 python3 Tools/bench.py

Environment: BENCH_N annotations (default 1,000,000); ANNOSTORE_BIN, the binary to
measure (default .build/release/annostore); BENCH_ROWS, comma-separated words: only the
rows whose operation contains one of them (e.g. BENCH_ROWS=push).

Data is cached in bench-data/ (made with Tools/gen-export.py the first time): the export,
a 1%-edited copy of it (also imported, as a merge, into a store holding an import of the
original), the fast-import stream of its canonical tree and, for the
`git add` baseline, the canonical files of an export of min(N, 100,000) annotations.
Each operation runs under /usr/bin/time -v (wall clock and peak resident memory) in a
fresh bench-data/run-N/. One table is printed, with each operation's baseline and the
ratio to it, and written to bench-results/bench-N.json. Exit status 1 when a command
fails or a target is missed.

Rows are the specs in ROWS: add one to measure a new operation. A row whose baseline is a
"time budget" checks an absolute limit (the ratio to the budget must be at most 1).
"""

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TOOLS = REPO / "Tools"
sys.path.insert(0, str(TOOLS))

from export_reader import ExportReader  # noqa: E402
from store_layout import Snapshot  # noqa: E402

sys.path.insert(0, str(REPO / "Tests" / "e2e"))
from servers import SmartHTTP  # noqa: E402

DATASET = "bench"
WORK_TREE_CAP = 100_000
PUSH_ROUNDS = 2
MB = 1024 * 1024
# No automatic gc or maintenance: git starts them detached after a large commit or push,
# and they would run on into the next measurement.
GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@localhost",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@localhost",
           "GIT_CONFIG_COUNT": "2", "GIT_CONFIG_KEY_0": "gc.auto", "GIT_CONFIG_VALUE_0": "0",
           "GIT_CONFIG_KEY_1": "maintenance.auto", "GIT_CONFIG_VALUE_1": "false"}


@dataclass
class Result:
    """One measurement: `value` (seconds, or MB for sizes) and peak memory, or an error."""

    value: float = 0.0
    peak_mb: float = 0.0
    error: str = ""

    def __add__(self, other):
        return Result(self.value + other.value, max(self.peak_mb, other.peak_mb), self.error or other.error)


def elapsed_seconds(text):
    """Seconds of GNU time's "h:mm:ss" or "m:ss.ss"."""
    seconds = 0.0
    for part in text.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def warm(paths):
    """Reads the large input files among `paths` once, so that every measured command,
    annostore's and the baselines' alike, finds its input in the page cache."""
    for path in paths:
        try:
            if not os.path.isfile(path) or os.path.getsize(path) < MB:
                continue
            with open(path, "rb") as source:
                while source.read(16 * MB):
                    pass
        except (OSError, ValueError):
            continue


def timed(command, stdin=None, cwd=None, env=None):
    """Runs `command` under /usr/bin/time -v, its input files warm in the page cache: its
    wall clock time and peak memory."""
    warm([*map(str, command), *([str(stdin)] if stdin else [])])
    with tempfile.NamedTemporaryFile("r", suffix=".time") as stats, \
            open(stdin or os.devnull, "rb") as source, tempfile.TemporaryFile() as errors:
        status = subprocess.run(
            ["/usr/bin/time", "-v", "-o", stats.name, *map(str, command)],
            stdin=source, stdout=subprocess.DEVNULL, stderr=errors, cwd=cwd, env={**os.environ, **(env or {})},
        ).returncode
        report = stats.read()
        errors.seek(0)
        message = errors.read().decode(errors="replace").strip()[-500:]
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", report)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)
    return Result(
        elapsed_seconds(wall.group(1)) if wall else 0.0,
        int(peak.group(1)) / 1024 if peak else 0.0,
        f"{Path(str(command[0])).name} exited {status}: {message}" if status else "",
    )


def pack_mb(repository):
    return sum(pack.stat().st_size for pack in (Path(repository) / "objects" / "pack").glob("*.pack")) / MB


def note(message):
    print(message, file=sys.stderr, flush=True)


class Bench:
    """The data and the measurements of one run; each is made once, when first asked for."""

    def __init__(self, n, binary):
        self.n = n
        self.binary = binary
        self.data = REPO / "bench-data"
        self.run_dir = self.data / f"run-{n}"
        self.store = self.run_dir / "store"
        self.preparation = {}  # untimed steps: seconds each took
        self.store_pack_mb = self.fast_import_pack_mb = self.git_add_seconds_per_100k = None

    def fresh_run_dir(self):
        shutil.rmtree(self.run_dir, ignore_errors=True)
        self.run_dir.mkdir(parents=True)

    # ------------------------------------------------------------------ data

    def _prepared(self, path, command):
        """`path`, made by `command` (a list) unless already cached."""
        if not path.exists():
            note(f"making {path.relative_to(REPO)}")
            started = time.monotonic()
            partial = path.with_name(path.name + ".partial")
            subprocess.run([sys.executable, *map(str, command), "-o", partial], check=True)
            partial.rename(path)
            self.preparation[path.name] = round(time.monotonic() - started, 2)
        return path

    @cached_property
    def export(self):
        return self._prepared(self.data / f"export-{self.n}.json",
                              [TOOLS / "gen-export.py", "export", "--annotations", self.n, "--seed", 1])

    @cached_property
    def edited(self):
        path = self.data / f"export-{self.n}-edited.json"
        summary = self.data / f"export-{self.n}-edited.summary.json"
        return self._prepared(path, [TOOLS / "gen-export.py", "mutate", self.export, "--fraction", 0.01,
                                     "--seed", 2, "--summary", summary])

    @cached_property
    def stream(self):
        return self._prepared(self.data / f"stream-{self.n}.fi",
                              [TOOLS / "fast-import-stream.py", self.export, "--dataset", DATASET])

    @cached_property
    def work_tree(self):
        """The canonical files of an export of min(N, 100,000) annotations."""
        size = min(self.n, WORK_TREE_CAP)
        folder = self.data / f"worktree-{size}"
        if not (folder / ".complete").exists():
            source = self.export if size == self.n else self._prepared(
                self.data / f"export-{size}.json",
                [TOOLS / "gen-export.py", "export", "--annotations", size, "--seed", 1])
            note(f"writing {folder.relative_to(REPO)}")
            shutil.rmtree(folder, ignore_errors=True)
            for path, data in Snapshot(ExportReader(source).sections(), DATASET).files():
                (folder / path).parent.mkdir(parents=True, exist_ok=True)
                (folder / path).write_bytes(data)
            (folder / ".complete").touch()
        return folder, size

    # ------------------------------------------------------------------ annostore

    def annostore(self, *args):
        return timed([self.binary, *args], cwd=self.run_dir)

    @cached_property
    def commit(self):
        export = self.export
        note("annostore init + commit")
        result = self.annostore("init", self.store) + self.annostore(
            "-C", self.store, "commit", export, "--dataset", DATASET, "-m", "full export")
        self.store_pack_mb = pack_mb(self.store)
        return result

    @cached_property
    def recommit(self):
        edited, _ = self.edited, self.commit
        note("annostore commit of the edited copy")
        return self.annostore("-C", self.store, "commit", edited, "--dataset", DATASET, "-m", "1% edited")

    @cached_property
    def import_edited(self):
        """`import` of the edited copy into a store holding an import of the original, same
        source: a three-way merge without conflicts (the import of the original is untimed)."""
        export, edited = self.export, self.edited
        store = self.run_dir / "import-store"
        note("annostore import of the original (untimed), then of the edited copy")
        prepared = self.annostore("init", store) + self.annostore(
            "-C", store, "import", export, "--dataset", DATASET, "--source", "bench")
        if prepared.error:
            return prepared
        return self.annostore("-C", store, "import", edited, "--dataset", DATASET, "--source", "bench")

    @cached_property
    def export_json(self):
        _ = self.commit
        note("annostore export json")
        return self.annostore("-C", self.store, "export", "json", "--dataset", DATASET,
                              "-o", self.run_dir / "exported.json")

    @cached_property
    def export_csv(self):
        _ = self.commit
        note("annostore export csv")
        return self.annostore("-C", self.store, "export", "csv", "--dataset", DATASET,
                              "-o", self.run_dir / "exported.csv")

    @cached_property
    def validate(self):
        _ = self.commit
        note("annostore validate")
        return self.annostore("-C", self.store, "validate", self.export)

    # ------------------------------------------------------------------ push

    def _fresh_bare(self, name):
        path = self.run_dir / f"{name}.git"
        shutil.rmtree(path, ignore_errors=True)
        subprocess.run(["git", "init", "-q", "--bare", "-b", "main", path], check=True, env={**os.environ, **GIT_ENV})
        subprocess.run(["git", "--git-dir", path, "config", "http.receivepack", "true"], check=True)
        return path

    def _push_pair(self, label, url_of):
        """annostore push and git push of the store, each to a fresh bare repository at
        url_of(path), in turns, PUSH_ROUNDS times: the best time of each, as (annostore's
        result, git's result). Taking the best of interleaved runs keeps a machine shared
        with other work from deciding the ratio."""
        _ = self.commit
        head = subprocess.run(["git", "--git-dir", self.store, "rev-parse", "main"], capture_output=True,
                              text=True).stdout
        best = [None, None]
        for round_number in range(PUSH_ROUNDS):
            ours = self._fresh_bare(f"push-{label}-annostore")
            theirs = self._fresh_bare(f"push-{label}-git")
            remote = f"bench-{label}-{round_number}"
            subprocess.run([self.binary, "-C", self.store, "remote", "add", remote, url_of(ours)], check=True)
            note(f"annostore push over {label} ({round_number + 1}/{PUSH_ROUNDS})")
            result = self.annostore("-C", self.store, "push", remote)
            note(f"git push over {label} ({round_number + 1}/{PUSH_ROUNDS})")
            baseline = timed(["git", "--git-dir", self.store, "push", "-q", url_of(theirs), "main"], env=GIT_ENV)
            for path, measured in ((ours, result), (theirs, baseline)):
                pushed = subprocess.run(["git", "--git-dir", path, "rev-parse", "main"], capture_output=True,
                                        text=True).stdout
                if not measured.error and pushed != head:
                    measured.error = f"{path.name} does not hold the store's main after the push"
            subprocess.run([self.binary, "-C", self.store, "remote", "remove", remote], check=True)
            for index, measured in enumerate((result, baseline)):
                current = best[index]  # an error in any round is the result
                if current is None or (not current.error and (measured.error or measured.value < current.value)):
                    best[index] = measured
        return best[0], best[1]

    @cached_property
    def _push_file(self):
        return self._push_pair("file", lambda path: path.as_uri())

    @cached_property
    def push_file(self):
        return self._push_file[0]

    @cached_property
    def git_push_file(self):
        return self._push_file[1]

    @cached_property
    def _push_http(self):
        root = self.run_dir
        with SmartHTTP(self.run_dir / "http-server", root) as server:
            return self._push_pair("http", lambda path: server.url(path.name))

    @cached_property
    def push_http(self):
        return self._push_http[0]

    @cached_property
    def git_push_http(self):
        return self._push_http[1]

    @cached_property
    def diff(self):
        _ = self.recommit
        note("annostore diff of the 1% edit")
        return self.annostore("-C", self.store, "diff", "HEAD~1", "HEAD", "--dataset", DATASET, "--format", "json")

    @cached_property
    def history_store(self):
        """A copy of the store with 20 revisions: the full export, the edited copy, then 18
        restores flipping between the two (cheap commits that reuse their trees)."""
        _ = self.recommit
        store = self.run_dir / "history-store"
        shutil.copytree(self.store, store)
        note("18 restores for a 20-revision history")
        started = time.monotonic()
        for _ in range(18):
            subprocess.run([self.binary, "-C", store, "restore", "HEAD~1", "--dataset", DATASET], check=True,
                           stdout=subprocess.DEVNULL, cwd=self.run_dir)
        self.preparation["18 restores"] = round(time.monotonic() - started, 2)
        return store

    @cached_property
    def log_annotation(self):
        """`log --annotation` of an annotation the edit moved, so it changed in every revision."""
        store = self.history_store
        summary = self.data / f"export-{self.n}-edited.summary.json"
        moved = json.loads(summary.read_text())["moved"][0]
        note("annostore log --annotation across 20 revisions")
        return self.annostore("-C", store, "log", "--annotation", moved, "--dataset", DATASET, "--json")

    @cached_property
    def one_second(self):
        return Result(1.0)

    @cached_property
    def two_seconds(self):
        return Result(2.0)

    @cached_property
    def pack_size(self):
        _ = self.commit
        return Result(self.store_pack_mb)

    # ------------------------------------------------------------------ baselines

    @cached_property
    def fast_import(self):
        stream = self.stream
        repository = self.run_dir / "fast-import.git"
        subprocess.run(["git", "init", "-q", "--bare", repository], check=True, env={**os.environ, **GIT_ENV})
        note("git fast-import")
        result = timed(["git", "-C", repository, "fast-import", "--quiet"], stdin=stream, env=GIT_ENV)
        self.fast_import_pack_mb = pack_mb(repository)
        return result

    @cached_property
    def fast_import_pack(self):
        _ = self.fast_import
        return Result(self.fast_import_pack_mb)

    @cached_property
    def git_add_commit(self):
        """git add -A && git commit of the canonical files, scaled from min(N, 100,000) to N."""
        folder, size = self.work_tree
        git_dir = self.run_dir / "work-tree.git"
        subprocess.run(["git", "init", "-q", "--bare", git_dir], check=True, env={**os.environ, **GIT_ENV})
        git = ["git", "--git-dir", git_dir, "--work-tree", folder]
        note(f"git add + git commit of {size} annotations")
        result = timed([*git, "add", "-A"], env=GIT_ENV) + timed([*git, "commit", "-q", "-m", "all"], env=GIT_ENV)
        self.git_add_seconds_per_100k = result.value * 100_000 / size
        return Result(result.value * self.n / size, result.peak_mb, result.error)

    def _python(self, code):
        return timed([sys.executable, "-c", code, self.export, self.run_dir / "python.json"])

    @cached_property
    def python_load_dump(self):
        note("python json.load + json.dumps")
        return self._python("import json, sys\n"
                            "data = json.load(open(sys.argv[1], encoding='utf-8'))\n"
                            "open(sys.argv[2], 'w', encoding='utf-8').write("
                            "json.dumps(data, separators=(',', ':'), ensure_ascii=False))")

    @cached_property
    def python_csv(self):
        """A plain json-to-csv conversion of the export with the standard library: every
        property leaf path a column, one row per annotation."""
        note("python json.load + csv.writer")
        return timed([sys.executable, "-c", PYTHON_CSV, self.export, self.run_dir / "python.csv"])

    @cached_property
    def python_load(self):
        note("python json.load")
        return self._python("import json, sys\njson.load(open(sys.argv[1], encoding='utf-8'))")


PYTHON_CSV = """
import csv, json, sys
export = json.load(open(sys.argv[1], encoding="utf-8"))
names = {p["_id"]: p["name"] for p in export.get("annotationProperties", [])}
values = export.get("annotationPropertyValues", {})
paths, seen = [], set()
def walk(path, node):
    if isinstance(node, dict) and node:
        for key, child in node.items():
            walk(path + [key], child)
    elif tuple(path) not in seen:
        seen.add(tuple(path))
        paths.append(path)
for entry in values.values():
    for key, child in entry.items():
        walk([key], child)
paths = [p for p in paths if p[0] in names]
with open(sys.argv[2], "w", newline="", encoding="utf-8") as out:
    writer = csv.writer(out, lineterminator="\\n")
    writer.writerow(["Id", "Channel", "XY", "Z", "Time", "Tags", "Shape", "Name"]
                    + [" / ".join([names[p[0]]] + p[1:]) for p in paths])
    for a in export.get("annotations", []):
        location = a.get("location") or {}
        own = values.get(a["_id"]) or {}
        row = [a["_id"], a.get("channel", 0), location.get("XY", 0) + 1, location.get("Z", 0) + 1,
               location.get("Time", 0) + 1, ", ".join(a.get("tags") or []), a.get("shape", ""),
               a.get("name") or ""]
        for path in paths:
            node = own
            for key in path:
                node = node.get(key) if isinstance(node, dict) else None
            row.append("" if node is None else node)
        writer.writerow(row)
"""


@dataclass
class Row:
    """One line of the table: annostore's measurement, its baseline and the targets."""

    operation: str
    ours: str  # the Bench property measuring annostore
    baseline: str
    theirs: str  # the Bench property measuring the baseline
    max_ratio: float | None = None
    max_peak_mb: float | None = None
    unit: str = "s"

    def measure(self, bench):
        ours, theirs = getattr(bench, self.ours), getattr(bench, self.theirs)
        ratio = ours.value / theirs.value if theirs.value and not (ours.error or theirs.error) else None
        checks = []
        if self.max_ratio is not None:
            checks.append(ratio is not None and ratio <= self.max_ratio)
        if self.max_peak_mb is not None:
            checks.append(not ours.error and ours.peak_mb <= self.max_peak_mb)
        targets = [f"<= {self.max_ratio:.3g}x" if self.max_ratio is not None else "",
                   f"<= {self.max_peak_mb:g} MB" if self.max_peak_mb is not None else ""]
        return {
            "operation": self.operation, "unit": self.unit,
            "annostore": round(ours.value, 3), "annostore_peak_mb": round(ours.peak_mb, 1),
            "baseline": self.baseline, "baseline_value": round(theirs.value, 3),
            "baseline_peak_mb": round(theirs.peak_mb, 1),
            "ratio": round(ratio, 4) if ratio is not None else None,
            "target": ", ".join(t for t in targets if t) or "-",
            "ok": None if not checks else all(checks),
            "errors": [e for e in (ours.error, theirs.error) if e],
        }


ROWS = [
    Row("commit (full export)", "commit", "git fast-import", "fast_import", max_ratio=0.25, max_peak_mb=1536),
    Row("commit vs git add+commit", "commit", "git add+commit, scaled", "git_add_commit"),
    Row("re-commit (1% edited)", "recommit", "full commit", "commit", max_ratio=0.15),
    Row("import (1% edited)", "import_edited", "re-commit (1% edited)", "recommit", max_ratio=1.5,
        max_peak_mb=1536),
    Row("export json", "export_json", "python json.load+dumps", "python_load_dump", max_ratio=1 / 3,
        max_peak_mb=1024),
    Row("export csv (all columns)", "export_csv", "python json+csv", "python_csv", max_ratio=0.2,
        max_peak_mb=1024),
    Row("validate", "validate", "python json.load", "python_load", max_ratio=1 / 3),
    Row("pack size", "pack_size", "fast-import pack", "fast_import_pack", max_ratio=1.5, unit="MB"),
    Row("diff (1% edited)", "diff", "full commit", "commit", max_ratio=0.05),
    Row("diff (1% edited)", "diff", "time budget", "one_second", max_ratio=1.0),
    Row("log --annotation, 20 revisions", "log_annotation", "time budget", "two_seconds", max_ratio=1.0),
    Row("push to a fresh bare repo (file://)", "push_file", "git push", "git_push_file", max_ratio=2.0),
    Row("push to a fresh bare repo (HTTP)", "push_http", "git push", "git_push_http", max_ratio=2.0),
]


def table(rows):
    """The rows as an aligned text table."""
    header = ["operation", "annostore s", "baseline", "baseline s", "ratio", "peak MB", "target", "ok?"]
    lines = [header]
    for row in rows:
        unit = row["unit"]
        ok = "FAIL" if row["errors"] else {None: "-", True: "yes", False: "NO"}[row["ok"]]
        lines.append([row["operation"], f"{row['annostore']:.2f} {unit}", row["baseline"],
                      f"{row['baseline_value']:.2f} {unit}",
                      f"{row['ratio']:.3f}" if row["ratio"] is not None else "-",
                      f"{row['annostore_peak_mb']:.0f}" if unit == "s" else "-", row["target"], ok])
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    rendered = [" | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
                for line in lines]
    rendered.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(rendered)


def main():
    n = int(os.environ.get("BENCH_N", "1000000"))
    binary = Path(os.environ.get("ANNOSTORE_BIN", REPO / ".build" / "release" / "annostore")).resolve()
    if not os.access(binary, os.X_OK):
        sys.exit(f"annostore binary not found at {binary}: run `swift build -c release` or set ANNOSTORE_BIN")
    if not os.access("/usr/bin/time", os.X_OK):
        sys.exit("/usr/bin/time (GNU time) is needed: apt-get install time")
    bench = Bench(n, binary)
    bench.fresh_run_dir()
    wanted = [word for word in os.environ.get("BENCH_ROWS", "").split(",") if word]
    rows = [row.measure(bench) for row in ROWS if not wanted or any(word in row.operation for word in wanted)]
    results = {
        "n": n, "binary": str(binary), "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"cpus": os.cpu_count(), "system": platform.platform(), "python": platform.python_version()},
        "preparation_seconds": bench.preparation,
        "git_add_commit_seconds_per_100k": round(bench.git_add_seconds_per_100k or 0, 3),
        "rows": rows,
    }
    print(f"annostore benchmark, {n:,} annotations ({binary})")
    print(table(rows))
    if bench.git_add_seconds_per_100k is not None:
        print(f"git add+commit measured on {min(n, WORK_TREE_CAP):,} annotations: "
              f"{results['git_add_commit_seconds_per_100k']:.2f} s per 100,000, "
              f"scaled x{n / min(n, WORK_TREE_CAP):g}.")
    print("fast-import time excludes writing its stream (Tools/fast-import-stream.py); "
          f"untimed preparation this run: {bench.preparation or 'none, all cached'}.")
    for row in rows:
        for error in row["errors"]:
            print(f"{row['operation']}: {error}")
    out = REPO / "bench-results" / f"bench-{n}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written {out.relative_to(REPO)}")
    return 0 if all(row["ok"] is not False and not row["errors"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
