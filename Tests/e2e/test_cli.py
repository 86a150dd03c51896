"""The command line's fixed points: log --json against its schema, status, and the
documented exit codes for a missing store (5) and a usage error (2)."""

import json
import subprocess

import pytest
from e2e_support import DATASET, SAMPLE, git, load


@pytest.fixture(scope="module")
def two_commits(run, tmp_path_factory):
    """A store with the sample, then an edited sample (one annotation fewer)."""
    folder = tmp_path_factory.mktemp("log")
    store = folder / "store"
    run(["init", store])
    run(["-C", store, "commit", SAMPLE, "--dataset", DATASET, "-m", "first"])
    edited = load(SAMPLE)
    edited["annotations"].pop()  # the untagged point: no values, no connections
    (folder / "edited.json").write_text(json.dumps(edited))
    run(["-C", store, "commit", folder / "edited.json", "--dataset", DATASET, "-m", "second",
         "--author", "Ada Lovelace <ada@example.org>"])
    return store


def test_log_json(run, schemas, two_commits):
    log = json.loads(run(["-C", two_commits, "log", "--json"]).stdout)
    assert schemas.errors("log", log) == []
    newest, oldest = log
    assert newest["commit"] == git(two_commits, "rev-parse", "HEAD").strip()
    assert newest["parents"] == [oldest["commit"]] and oldest["parents"] == []
    assert (newest["message"].strip(), oldest["message"].strip()) == ("second", "first")
    assert newest["author"]["name"] == "Ada Lovelace" and newest["author"]["email"] == "ada@example.org"
    assert oldest["author"]["name"] == "annostore" and oldest["author"]["email"] == "annostore@localhost"
    assert oldest["datasets"] == [DATASET]
    assert newest["datasets"] == [DATASET]


def test_log_json_options(run, schemas, two_commits):
    last = json.loads(run(["-C", two_commits, "log", "--json", "-n", "1"]).stdout)
    assert schemas.errors("log", last) == [] and len(last) == 1
    of_dataset = json.loads(run(["-C", two_commits, "log", "--json", "--dataset", DATASET]).stdout)
    assert schemas.errors("log", of_dataset) == [] and len(of_dataset) == 2


def test_log_and_status_in_text(run, two_commits):
    assert "second" in run(["-C", two_commits, "log"]).stdout
    assert DATASET in run(["-C", two_commits, "status"]).stdout
    json.loads(run(["-C", two_commits, "status", "--json"]).stdout)


@pytest.mark.parametrize("args", [["status"], ["log"], ["export", "json", "--dataset", DATASET],
                                  ["commit", str(SAMPLE), "--dataset", DATASET], ["verify"]])
def test_outside_a_store_exits_5(args, run, tmp_path):
    plain = tmp_path / "plain"
    plain.mkdir()
    run(args, cwd=plain, ok=5)
    run(["-C", plain, *args], ok=5)
    run(["-C", tmp_path / "does-not-exist", *args], ok=5)


def test_a_git_repository_without_the_marker_is_not_a_store(run, tmp_path):
    subprocess.run(["git", "init", "-q", "--bare", tmp_path / "bare.git"], check=True)
    run(["-C", tmp_path / "bare.git", "status"], ok=5)


@pytest.mark.parametrize("args", [["--no-such-option"], ["frobnicate"], ["commit"],
                                  ["commit", str(SAMPLE), "--dataset", DATASET, "--bogus"],
                                  ["export", "json", "--bogus"], ["log", "-n", "many"]])
def test_usage_errors_exit_2(args, run, sample_store):
    result = run(["-C", sample_store, *args], ok=2)
    assert result.stderr.strip(), "a usage error says what is wrong"
