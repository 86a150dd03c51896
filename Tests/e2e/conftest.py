"""Fixtures of the end-to-end suite, which runs the built annostore binary.

The binary is $ANNOSTORE_BIN, by default .build/debug/annostore. Without it the whole
suite is skipped with a message, except under CI (env CI set and not false), where a
missing binary fails every test. Tests that need another real tool (R, pandas, sshd)
likewise skip without it, but fail under CI: see `skip_or_fail`.

    swift build && python3 -m pytest Tests/e2e
"""

import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from e2e_support import DATASET, ISOLATED_ENV, REPO, SAMPLE, TOOLS, Schemas

BINARY = Path(os.environ.get("ANNOSTORE_BIN", REPO / ".build" / "debug" / "annostore"))
TIMEOUT = 600


def under_ci():
    """Whether the tests run under CI: env CI set and not empty, 0, false or no."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def skip_or_fail(message):
    """Skips the test for want of something it needs, or under CI fails it: a CI run that
    lacks a tool must not pass by leaving out the tests that use it."""
    if under_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def require_tool(name, install):
    """The path of the program `name`; without it, `skip_or_fail` saying how to `install` it."""
    path = shutil.which(name)
    if path is None:
        skip_or_fail(f"{name} is not installed ({install})")
    return path


def require_module(name, install):
    """The Python module `name`, imported; without it, `skip_or_fail` saying how to `install` it."""
    try:
        return importlib.import_module(name)
    except ImportError:
        skip_or_fail(f"the Python module {name} is not installed ({install})")


@pytest.fixture(scope="session", autouse=True)
def annostore_binary():
    """The binary under test; skips (or, under CI, fails) the suite without it."""
    if not (BINARY.is_file() and os.access(BINARY, os.X_OK)):
        skip_or_fail(f"annostore binary not found at {BINARY}: run `swift build` or set ANNOSTORE_BIN")
    return BINARY


class Runner:
    """Runs annostore: `run(args, ok=True)` returns the CompletedProcess.

    `ok=True` expects exit status 0, an int expects that status, `False` expects
    nothing. Output is text unless `binary=True`.
    """

    def __call__(self, args, ok=True, cwd=None, env=None, binary=False):
        command = [str(BINARY), *map(str, args)]
        result = subprocess.run(
            command, cwd=cwd, env={**ISOLATED_ENV, **(env or {})}, capture_output=True, timeout=TIMEOUT, check=False
        )
        if not binary:
            result.stdout = result.stdout.decode("utf-8", errors="replace")
            result.stderr = result.stderr.decode("utf-8", errors="replace")
        expected = 0 if ok is True else ok
        if expected is not False and result.returncode != expected:
            pytest.fail(
                f"`{' '.join(command[1:])}` exited {result.returncode}, expected {expected}\n"
                f"stdout: {str(result.stdout)[-2000:]}\nstderr: {str(result.stderr)[-2000:]}",
                pytrace=False,
            )
        return result


@pytest.fixture(scope="session")
def run():
    return Runner()


@pytest.fixture(scope="session")
def schemas():
    return Schemas()


@pytest.fixture
def new_store(run, tmp_path):
    """`new_store(name="store")`: initializes a store under the test's temp dir."""

    def make(name="store"):
        path = tmp_path / name
        run(["init", path])
        return path

    return make


@pytest.fixture(scope="module")
def sample_store(run, tmp_path_factory):
    """A store holding one commit of sample-export.json as dataset `hela` (read only;
    copy it with `copy_store` before changing it)."""
    path = tmp_path_factory.mktemp("sample") / "store"
    run(["init", path])
    run(["-C", path, "commit", SAMPLE, "--dataset", DATASET, "-m", "sample export"])
    return path


@pytest.fixture
def copy_store(tmp_path):
    """`copy_store(store)`: a private copy of a store, to change freely."""

    def copy(store):
        target = tmp_path / f"copy-of-{Path(store).name}"
        shutil.copytree(store, target)
        return target

    return copy


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    """Exports of 10,000 annotations made by Tools/gen-export.py: {"server": path, "legacy": path}."""
    folder = tmp_path_factory.mktemp("generated")
    paths = {}
    for shape, extra in (("server", []), ("legacy", ["--legacy"])):
        paths[shape] = folder / f"export-10000-{shape}.json"
        subprocess.run(
            [sys.executable, TOOLS / "gen-export.py", "export", "--annotations", "10000", "--seed", "7", *extra,
             "-o", paths[shape]],
            check=True,
        )
    return paths
