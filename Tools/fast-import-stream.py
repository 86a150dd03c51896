#!/usr/bin/env python3
"""Write a `git fast-import` stream of the tree annostore stores for one export.

    Tools/fast-import-stream.py EXPORT.json --dataset D [-o STREAM] [-m MESSAGE]
    git init --bare repo && git -C repo fast-import < STREAM

The stream holds one commit on refs/heads/main whose tree is what a fresh store holds
after `annostore commit EXPORT.json --dataset D` (see docs/STORE-FORMAT.md), computed
here without annostore: the benchmark's baseline, and the tests' independent check of
annostore's tree ids. The commit's author and date are fixed, so the same export always
gives the same stream. Orphans left out are counted on stderr.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from export_reader import ExportReader  # noqa: E402
from store_layout import Snapshot  # noqa: E402

IDENTITY = b"annostore <annostore@localhost> 0 +0000"


def _data(out, payload):
    out.write(b"data %d\n" % len(payload))
    out.write(payload)
    out.write(b"\n")


def write_stream(files, out, message):
    """Writes a stream committing `files` (`(path, bytes)` pairs) to refs/heads/main."""
    out.write(b"feature done\ncommit refs/heads/main\n")
    out.write(b"author " + IDENTITY + b"\ncommitter " + IDENTITY + b"\n")
    _data(out, message.encode("utf-8"))
    for path, payload in files:
        out.write(b"M 100644 inline " + path.encode("utf-8") + b"\n")
        _data(out, payload)
    out.write(b"done\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("export", help="a NimbusImage JSON export")
    parser.add_argument("--dataset", required=True, help="the dataset name (a plain token)")
    parser.add_argument("-o", "--output", help="the stream file (default: stdout)")
    parser.add_argument("-m", "--message", default="fast-import baseline", help="the commit message")
    args = parser.parse_args()
    snapshot = Snapshot(ExportReader(args.export).sections(), args.dataset)
    with open(args.output, "wb") if args.output else sys.stdout.buffer as out:
        write_stream(snapshot.files(), out, args.message)
    print(
        f"dropped {snapshot.dropped_connections} orphaned connections, "
        f"{snapshot.dropped_values} orphaned values",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
