"""Sharing through git remotes against real servers on 127.0.0.1: a bare repository by
path and by file://, `git daemon`, smart HTTP through `git http-backend` with Basic
auth, and sshd with temporary ed25519 keys (servers.py starts and stops them).

For each transport: push, clone, commit on one side, push, pull on the other, and the
same HEAD and data on both; the git CLI reads what annostore pushed. Then the failures:
wrong password, unknown or changed host key, wrong key, unreachable port, a connection
cut halfway, non-fast-forward, a repository that is not a store: each a clear message,
exit status 6 (5 for a non-store), and nothing changed on either side. Last, HTTP(S)
through a forwarding proxy (http_proxy.py): chosen from the environment or git's config,
bypassed by no_proxy, and an unreachable proxy or a refused proxy login failing cleanly."""

import json
import os
import shutil
import subprocess
from contextlib import ExitStack
from pathlib import Path

import pytest
from conftest import BINARY, skip_or_fail
from e2e_support import DATASET, ISOLATED_ENV, SAMPLE, git, load, tree_files
from http_proxy import ForwardingProxy
from servers import CuttingProxy, GitDaemon, SmartHTTP, SSHServer, bare_repository, free_port, sshd_available

USER, TOKEN = "alice", "t0ken-for-tests"
HTTP_ENV = {"ANNOSTORE_HTTP_USER": USER, "ANNOSTORE_HTTP_TOKEN": TOKEN}
TRANSPORTS = ["path", "file", "git", "http", "ssh"]
REMOTE_FAILURE = 6


class Remote:
    """A bare repository on a hub: the URL annostore uses, the URL the git CLI uses, and
    the options and environment annostore needs to reach it."""

    def __init__(self, bare, url, git_url=None, args=(), env=None, git_env=None):
        self.bare, self.url, self.git_url = Path(bare), url, git_url or url
        self.args, self.env, self.git_env = list(args), dict(env or {}), dict(git_env or {})


class Hub:
    """Where the bare repositories of one transport live, and its server if it has one."""

    def __init__(self, kind, root, server=None):
        self.kind, self.root, self.server = kind, Path(root), server
        self.made = 0

    def new_remote(self, name):
        self.made += 1
        bare = bare_repository(self.root / f"{name}-{self.made}.git")
        if self.kind == "path":
            return Remote(bare, str(bare))
        if self.kind == "file":
            return Remote(bare, bare.as_uri())
        if self.kind == "git":
            return Remote(bare, self.server.url(bare.name))
        if self.kind == "http":
            return Remote(bare, self.server.url(bare.name), self.server.url(bare.name, with_credentials=True),
                          env=HTTP_ENV)
        return Remote(bare, self.server.url(bare), args=["--ssh-key", self.server.client_key, "--known-hosts",
                                                         self.server.known_hosts],
                      env={"SSH_AUTH_SOCK": ""}, git_env=self.server.git_env())


def start_hub(kind, root, stack):
    root.mkdir(parents=True, exist_ok=True)
    if kind == "git":
        return Hub(kind, root, stack.enter_context(GitDaemon(root / "server", root)))
    if kind == "http":
        return Hub(kind, root, stack.enter_context(SmartHTTP(root / "server", root, USER, TOKEN)))
    if kind == "ssh":
        if not sshd_available():
            skip_or_fail("sshd is not installed (Tools/install-deps.sh --test installs openssh-server)")
        return Hub(kind, root, stack.enter_context(SSHServer(root / "server")))
    return Hub(kind, root)


@pytest.fixture(scope="module", params=TRANSPORTS)
def hub(request, tmp_path_factory):
    """One transport with its server running for the module's tests, stopped after them."""
    with ExitStack() as stack:
        yield start_hub(request.param, tmp_path_factory.mktemp(f"hub-{request.param}"), stack)


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """`servers(kind)`: a hub of that transport, started once for the module."""
    with ExitStack() as stack:
        hubs = {}

        def get(kind):
            if kind not in hubs:
                hubs[kind] = start_hub(kind, tmp_path_factory.mktemp(f"fail-{kind}"), stack)
            return hubs[kind]

        yield get


# ----------------------------------------------------------------------------- helpers


def head(store):
    return git(store, "rev-parse", "--verify", "-q", "refs/heads/main").strip()


def repo_state(repository):
    """Every reference and every file under objects/ with its size: what a refused or
    broken transfer must leave exactly as it was."""
    objects = Path(repository) / "objects"
    listing = sorted((str(p.relative_to(objects)), p.stat().st_size) for p in objects.rglob("*") if p.is_file())
    refs = subprocess.run(["git", "--git-dir", str(repository), "for-each-ref"], capture_output=True, text=True,
                          env=ISOLATED_ENV, check=True).stdout
    return {"refs": refs, "objects": listing}


def export(run, store):
    return run(["-C", store, "export", "json", "--dataset", DATASET]).stdout


def write_edit(path, change):
    """A copy of the sample export with `change(export)` applied, written to `path`."""
    data = load(SAMPLE)
    change(data)
    Path(path).write_text(json.dumps(data))
    return path


def sync(run, remote, args, ok=True, **kwargs):
    """Runs a command that talks to `remote`, with the options and environment it needs."""
    return run([*args, *remote.args], ok=ok, env=remote.env, **kwargs)


def git_cli(args, env=None, cwd=None):
    result = subprocess.run(["git", *map(str, args)], capture_output=True, text=True, cwd=cwd,
                            env={**ISOLATED_ENV, **(env or {})}, check=False)
    assert result.returncode == 0, f"git {' '.join(map(str, args))}: {result.stderr}"
    return result.stdout


def published_store(run, hub, tmp_path, name="shared"):
    """A store `a` holding the sample, pushed to a new remote: (remote, a)."""
    remote = hub.new_remote(name)
    a = tmp_path / "a"
    run(["init", a])
    run(["-C", a, "commit", SAMPLE, "--dataset", DATASET, "-m", "sample"])
    run(["-C", a, "remote", "add", "origin", remote.url])
    sync(run, remote, ["-C", a, "push"])
    return remote, a


def assert_refused(result, *words):
    message = result.stderr.lower()
    for word in words:
        assert word.lower() in message, result.stderr
    assert TOKEN not in result.stdout + result.stderr


# ----------------------------------------------------------------------------- every transport


def test_round_trip(run, hub, tmp_path):
    remote, a = published_store(run, hub, tmp_path)
    assert git(remote.bare, "rev-parse", "main").strip() == head(a)
    git(remote.bare, "fsck", "--strict", "--no-dangling")
    assert "sample" in git(remote.bare, "log", "--format=%s", "main")
    work = tmp_path / "git-clone"
    git_cli(["clone", "-q", "-b", "main", remote.git_url, work], env=remote.git_env)
    assert git_cli(["-C", work, "rev-parse", "HEAD"]).strip() == head(a)
    assert {p: (work / p).read_bytes() for p in tree_files(a)} == tree_files(a)

    b = tmp_path / "b"
    cloned = sync(run, remote, ["clone", remote.url, b])
    assert "Cloned" in cloned.stdout
    assert head(b) == head(a) and export(run, b) == export(run, a)
    listed = json.loads(run(["-C", b, "remote", "list", "--json"]).stdout)
    assert listed == [{"name": "origin", "url": remote.url}]

    edited = write_edit(tmp_path / "edited.json", lambda d: d["annotations"].pop())
    run(["-C", b, "commit", edited, "--dataset", DATASET, "-m", "one annotation fewer"])
    sync(run, remote, ["-C", b, "push"])
    assert git(remote.bare, "rev-parse", "main").strip() == head(b)
    pulled = sync(run, remote, ["-C", a, "pull"])
    assert "fast-forward" in pulled.stdout.lower()
    assert head(a) == head(b) and export(run, a) == export(run, b)
    git(remote.bare, "fsck", "--strict", "--no-dangling")
    git(a, "fsck", "--strict", "--no-dangling")

    again = sync(run, remote, ["-C", a, "pull"])
    assert "up to date" in again.stdout.lower()
    assert "Nothing new" in sync(run, remote, ["-C", a, "fetch"]).stdout
    assert "up to date" in sync(run, remote, ["-C", a, "push"]).stdout


def test_push_refuses_a_non_fast_forward(run, hub, tmp_path):
    remote, a = published_store(run, hub, tmp_path, "diverging")
    b = tmp_path / "b"
    sync(run, remote, ["clone", remote.url, b])
    run(["-C", b, "commit", write_edit(tmp_path / "b.json", lambda d: d["annotations"].pop()), "--dataset", DATASET])
    sync(run, remote, ["-C", b, "push"])
    run(["-C", a, "commit", write_edit(tmp_path / "a.json", lambda d: d["annotations"].pop(0)), "--dataset", DATASET])
    before_a, before_remote = repo_state(a), repo_state(remote.bare)
    refused = sync(run, remote, ["-C", a, "push"], ok=REMOTE_FAILURE)
    assert_refused(refused, "fast-forward", "pull first")
    assert repo_state(a) == before_a and repo_state(remote.bare) == before_remote


# ----------------------------------------------------------------------------- network push

NETWORK = ["git", "http", "ssh"]


def push_json(run, remote, store, *args):
    return json.loads(sync(run, remote, ["-C", store, "push", *args, "--json"]).stdout)


@pytest.mark.parametrize("kind", NETWORK)
def test_incremental_push_sends_only_the_change(run, servers, tmp_path, kind):
    """After a small edit, the push sends exactly the objects git would (the new commit,
    the trees on the changed paths, the new blobs), and the server accepts them: its
    connectivity check and fsck pass."""
    remote, a = published_store(run, servers(kind), tmp_path, "incremental")
    before = head(a)
    run(["-C", a, "commit", write_edit(tmp_path / "e.json", named(0, "renamed")), "--dataset", DATASET,
         "-m", "one name changed"])
    after = head(a)
    needed = git(a, "rev-list", "--objects", after, "--not", before).split()
    pushed = push_json(run, remote, a)
    assert pushed["changes"] == [{"ref": "refs/heads/main", "old": before, "new": after}]
    assert pushed["sentObjects"] == len([line for line in needed if len(line) == 40])
    assert git(remote.bare, "rev-parse", "main").strip() == after
    assert git(remote.bare, "log", "--format=%s", "main").splitlines()[:2] == ["one name changed", "sample"]
    git(remote.bare, "fsck", "--strict", "--no-dangling")
    assert git(a, "rev-parse", "refs/remotes/origin/main").strip() == after


@pytest.mark.parametrize("kind", NETWORK)
def test_push_new_tags(run, servers, tmp_path, kind):
    """A lightweight tag on a pushed commit needs no object; an annotated one sends its
    tag object only."""
    remote, a = published_store(run, servers(kind), tmp_path, "tags")
    git(a, "tag", "figure-1", "main")
    light = push_json(run, remote, a, "--tags")
    assert light["changes"] == [{"ref": "refs/tags/figure-1", "old": None, "new": head(a)}]
    assert light["sentObjects"] == 0
    git(a, "-c", "user.name=t", "-c", "user.email=t@t", "tag", "-a", "-m", "paper", "paper-1", "main")
    annotated = push_json(run, remote, a, "--tags")
    assert [change["ref"] for change in annotated["changes"]] == ["refs/tags/paper-1"]
    assert annotated["sentObjects"] == 1
    assert git(remote.bare, "rev-parse", "paper-1").strip() == git(a, "rev-parse", "paper-1").strip()
    assert git(remote.bare, "rev-parse", "figure-1").strip() == head(a)
    git(remote.bare, "fsck", "--strict", "--no-dangling")
    assert push_json(run, remote, a, "--tags")["changes"] == []


@pytest.mark.parametrize("kind", NETWORK)
def test_push_needing_no_objects(run, servers, tmp_path, kind):
    """A new branch at a commit the remote has: an empty pack, and the branch appears."""
    remote, a = published_store(run, servers(kind), tmp_path, "branch")
    git(a, "branch", "review", "main")
    pushed = push_json(run, remote, a, "origin", "review")
    assert pushed["changes"] == [{"ref": "refs/heads/review", "old": None, "new": head(a)}]
    assert pushed["sentObjects"] == 0
    assert git(remote.bare, "rev-parse", "review").strip() == head(a)
    git(remote.bare, "fsck", "--strict", "--no-dangling")


@pytest.mark.parametrize("kind", NETWORK)
def test_push_refused_when_the_remote_is_ahead_sends_nothing(run, servers, tmp_path, kind):
    """The remote's branch moved past what this store has: refused before any pack is
    sent; neither side changes."""
    remote, a = published_store(run, servers(kind), tmp_path, "ahead")
    work = tmp_path / "git-work"
    git_cli(["clone", "-q", "-b", "main", remote.git_url, work], env=remote.git_env)
    (work / "NOTE").write_text("the remote moved on\n")
    git_cli(["-C", work, "add", "NOTE"])
    git_cli(["-C", work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "ahead"])
    git_cli(["-C", work, "push", "-q", "origin", "main"], env=remote.git_env)
    run(["-C", a, "commit", write_edit(tmp_path / "a.json", named(1, "mine")), "--dataset", DATASET])
    before_a, before_remote = repo_state(a), repo_state(remote.bare)
    refused = sync(run, remote, ["-C", a, "push"], ok=REMOTE_FAILURE)
    assert_refused(refused, "fast-forward", "pull first", "nothing was changed")
    assert repo_state(a) == before_a and repo_state(remote.bare) == before_remote


# ----------------------------------------------------------------------------- merge (pull)


def two_collaborators(run, servers, tmp_path):
    remote, a = published_store(run, servers("path"), tmp_path, "collaboration")
    b = tmp_path / "b"
    run(["clone", remote.url, b])
    return remote, a, b


def tagged(index, value):
    """An edit of the sample: annotation `index` gets the tags [value]."""
    def change(data):
        data["annotations"][index]["tags"] = [value]
    return change


def named(index, value):
    """An edit of the sample: annotation `index` gets the name `value`."""
    def change(data):
        data["annotations"][index]["name"] = value
    return change


def names_of(run, store):
    return {doc["_id"]: doc.get("name") for doc in json.loads(export(run, store))["annotations"]}


def tags_of(run, store):
    return {doc["_id"]: doc["tags"] for doc in json.loads(export(run, store))["annotations"]}


def test_pull_merges_edits_of_different_annotations(run, servers, tmp_path):
    remote, a, b = two_collaborators(run, servers, tmp_path)
    run(["-C", b, "commit", write_edit(tmp_path / "b.json", tagged(0, "from-b")), "--dataset", DATASET, "-m", "b"])
    run(["-C", b, "push"])
    run(["-C", a, "commit", write_edit(tmp_path / "a.json", tagged(1, "from-a")), "--dataset", DATASET, "-m", "a"])
    ours = head(a)
    pulled = run(["-C", a, "pull"])
    assert "Merged" in pulled.stdout
    parents = git(a, "rev-list", "--parents", "-n", "1", "main").split()[1:]
    assert parents == [ours, head(b)]
    sample = load(SAMPLE)["annotations"]
    tags = tags_of(run, a)
    assert tags[sample[0]["_id"]] == ["from-b"] and tags[sample[1]["_id"]] == ["from-a"]
    git(a, "fsck", "--strict", "--no-dangling")
    run(["-C", a, "verify"])
    # The merge goes back and b fast-forwards to it.
    run(["-C", a, "push"])
    assert "Fast-forward" in run(["-C", b, "pull"]).stdout
    assert head(b) == head(a) and export(run, b) == export(run, a)


def test_pull_merges_datasets_each_side_added(run, servers, tmp_path):
    remote, a, b = two_collaborators(run, servers, tmp_path)
    run(["-C", b, "commit", SAMPLE, "--dataset", "second", "-m", "b adds a dataset"])
    run(["-C", b, "push"])
    run(["-C", a, "commit", write_edit(tmp_path / "a.json", tagged(2, "a")), "--dataset", DATASET])
    report = json.loads(run(["-C", a, "pull", "--json"]).stdout)
    assert report["outcome"] == "merged" and report["datasets"] == ["second"]
    assert export(run, a).replace(DATASET, "x") != ""  # both datasets readable
    first = load(SAMPLE)["annotations"][2]["_id"]
    assert tags_of(run, a)[first] == ["a"]
    second = run(["-C", a, "export", "json", "--dataset", "second"]).stdout
    assert second == run(["-C", b, "export", "json", "--dataset", "second"]).stdout


def test_pull_conflict_on_the_same_field(run, servers, tmp_path, schemas):
    remote, a, b = two_collaborators(run, servers, tmp_path)
    run(["-C", b, "commit", write_edit(tmp_path / "b.json", named(0, "b")), "--dataset", DATASET])
    run(["-C", b, "push"])
    run(["-C", a, "commit", write_edit(tmp_path / "a.json", named(0, "a")), "--dataset", DATASET])
    ours = head(a)
    first = load(SAMPLE)["annotations"][0]["_id"]

    # fail (the default): exit 4, the conflict listed, the branch untouched.
    failed = run(["-C", a, "pull"], ok=4)
    assert first in failed.stdout and "name" in failed.stdout
    report = json.loads(run(["-C", a, "pull", "--json"], ok=4).stdout)
    assert report["outcome"] == "refused"
    (conflict,) = report["conflicts"][0]["conflicts"]
    assert conflict["recordId"] == first and conflict["ours"]["value"] == "a" and conflict["theirs"]["value"] == "b"
    # Only the fetch wrote: the remote-tracking branch and the objects it brought.
    assert head(a) == ours and git(a, "rev-parse", "refs/remotes/origin/main").strip() == head(b)

    # manual: the merge waits; conflicts, resolve and merge --continue finish it.
    stopped = run(["-C", a, "pull", "--on-conflict", "manual"], ok=4)
    assert "merge stopped" in stopped.stdout and head(a) == ours
    run(["-C", a, "pull"], ok=2)  # no other write while the merge waits
    listed = json.loads(run(["-C", a, "conflicts", "--json"]).stdout)
    assert schemas.errors("conflicts", listed) == []
    run(["-C", a, "resolve", "--all", "--theirs"])
    run(["-C", a, "merge", "--continue"])
    assert git(a, "rev-list", "--parents", "-n", "1", "main").split()[1:] == [ours, head(b)]
    assert names_of(run, a)[first] == "b"
    assert git(a, "rev-parse", "refs/remotes/origin/main").strip() == head(b)

    # ours: settled in one go.
    c = tmp_path / "c"
    run(["clone", remote.url, c])
    run(["-C", c, "commit", write_edit(tmp_path / "c.json", named(0, "c")), "--dataset", DATASET])
    run(["-C", a, "commit", write_edit(tmp_path / "a2.json", named(0, "a2")), "--dataset", DATASET])
    run(["-C", a, "push"])
    merged = run(["-C", c, "pull", "--on-conflict", "ours"])
    assert "settled with ours" in merged.stdout
    assert names_of(run, c)[first] == "c"


def test_pull_conflicts_in_two_datasets(run, servers, tmp_path):
    remote, a, b = two_collaborators(run, servers, tmp_path)
    run(["-C", a, "commit", SAMPLE, "--dataset", "second"])
    run(["-C", a, "push"])
    run(["-C", b, "pull"])
    for store, value in ((b, "b"), (a, "a")):
        for dataset in (DATASET, "second"):
            edit = write_edit(tmp_path / f"{value}-{dataset}.json", named(0, value))
            run(["-C", store, "commit", edit, "--dataset", dataset])
        if store == b:
            run(["-C", b, "push"])
    ours = head(a)
    refused = run(["-C", a, "pull", "--on-conflict", "manual"], ok=4)
    assert "one dataset at a time" in refused.stderr and head(a) == ours
    run(["-C", a, "status"])  # no merge was left waiting
    run(["-C", a, "pull", "--on-conflict", "theirs"])
    first = load(SAMPLE)["annotations"][0]["_id"]
    for dataset in (DATASET, "second"):
        exported = json.loads(run(["-C", a, "export", "json", "--dataset", dataset]).stdout)
        assert {doc["_id"]: doc.get("name") for doc in exported["annotations"]}[first] == "b"


# ----------------------------------------------------------------------------- refusals


def test_http_wrong_or_missing_token(run, servers, tmp_path):
    hub = servers("http")
    remote, a = published_store(run, hub, tmp_path, "guarded")
    run(["-C", a, "commit", write_edit(tmp_path / "e.json", lambda d: d["annotations"].pop()), "--dataset", DATASET])
    before_a, before_remote = repo_state(a), repo_state(remote.bare)
    wrong = {"ANNOSTORE_HTTP_USER": USER, "ANNOSTORE_HTTP_TOKEN": "not-the-token"}
    for command in (["push"], ["fetch"], ["pull"]):
        refused = run(["-C", a, *command], ok=REMOTE_FAILURE, env=wrong)
        assert_refused(refused, "authentication failed", "ANNOSTORE_HTTP_TOKEN")
        assert "not-the-token" not in refused.stdout + refused.stderr
        missing = run(["-C", a, *command], ok=REMOTE_FAILURE)
        assert_refused(missing, "authentication failed", "ANNOSTORE_HTTP_TOKEN")
    assert repo_state(a) == before_a and repo_state(remote.bare) == before_remote
    clone = run(["clone", remote.url, tmp_path / "c"], ok=REMOTE_FAILURE, env=wrong)
    assert_refused(clone, "authentication failed")
    assert sorted(os.listdir(tmp_path)) == sorted(["a", "e.json"])
    # Secrets never reach the config, even when typed into the URL.
    refused = run(["-C", a, "remote", "add", "leak", hub.server.url(remote.bare.name, with_credentials=True)], ok=2)
    assert TOKEN not in refused.stderr and TOKEN not in (a / "config").read_text()


def test_http_login_from_a_git_credential_helper(run, servers, tmp_path):
    """Without ANNOSTORE_HTTP_TOKEN, the login comes from the git credential helper of the
    user's git configuration (here git's own `store` helper): clone, push and pull work;
    a helper whose login the server refuses is an authentication failure that names the
    helper, shows no secret, and changes nothing."""
    hub = servers("http")
    remote, a = published_store(run, hub, tmp_path, "helped")
    home = tmp_path / "home"
    home.mkdir()
    logins = tmp_path / "logins"
    server = hub.server.url("")[: -len("/")]
    logins.write_text(server.replace("://", f"://{USER}:{TOKEN}@") + "\n")
    (home / ".gitconfig").write_text(f"[credential]\n\thelper = store --file={logins}\n")
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}

    b = tmp_path / "b"
    run(["clone", remote.url, b], env=env)
    assert head(b) == head(a)
    run(["-C", b, "commit", write_edit(tmp_path / "e.json", lambda d: d["annotations"].pop()),
         "--dataset", DATASET, "-m", "one fewer"])
    run(["-C", b, "push"], env=env)
    assert git(remote.bare, "rev-parse", "main").strip() == head(b)
    run(["-C", a, "pull"], env=env)
    assert head(a) == head(b)
    assert TOKEN not in (b / "config").read_text()

    logins.write_text(server.replace("://", f"://{USER}:not-the-token@") + "\n")
    run(["-C", b, "commit", write_edit(tmp_path / "f.json", lambda d: d["annotations"].pop()),
         "--dataset", DATASET, "-m", "another one fewer"])
    before_b, before_remote = repo_state(b), repo_state(remote.bare)
    refused = run(["-C", b, "push"], ok=REMOTE_FAILURE, env=env)
    assert_refused(refused, "authentication failed", "credential helper")
    assert "not-the-token" not in refused.stdout + refused.stderr
    assert repo_state(b) == before_b and repo_state(remote.bare) == before_remote
    # The environment's token, when set, is used before any helper.
    run(["-C", b, "push"], env={**env, **HTTP_ENV})
    assert git(remote.bare, "rev-parse", "main").strip() == head(b)


def test_ssh_host_keys(run, servers, tmp_path):
    hub = servers("ssh")
    remote, a = published_store(run, hub, tmp_path, "hostkeys")
    ssh = hub.server
    key = ["--ssh-key", ssh.client_key]
    env = {"SSH_AUTH_SOCK": ""}
    before = repo_state(a)
    unknown = run(["-C", a, "fetch", *key], ok=REMOTE_FAILURE, env=env)
    assert_refused(unknown, f"[127.0.0.1]:{ssh.port}", ssh.fingerprint(), "--accept-new-host-key")
    clone = run(["clone", remote.url, tmp_path / "c", *key], ok=REMOTE_FAILURE, env=env)
    assert_refused(clone, "not known")
    assert not (tmp_path / "c").exists()

    # A listed key that differs: refused, even when new keys are accepted.
    forged = tmp_path / "forged_known_hosts"
    other = " ".join((ssh.workdir / "other_client_key.pub").read_text().split()[:2])
    forged.write_text(f"[127.0.0.1]:{ssh.port} {other}\n")
    changed = run(["-C", a, "fetch", *key, "--known-hosts", forged, "--accept-new-host-key"], ok=REMOTE_FAILURE,
                  env=env)
    assert_refused(changed, "changed", ssh.fingerprint())
    assert forged.read_text() == f"[127.0.0.1]:{ssh.port} {other}\n"
    assert repo_state(a) == before

    # Accepting a new key records it; then it is known without the flag.
    trusted = tmp_path / "trusted_known_hosts"
    run(["-C", a, "fetch", *key, "--known-hosts", trusted, "--accept-new-host-key"], env=env)
    assert ssh.public_host_key() in trusted.read_text()
    git(a, "config", "annostore.knownHosts", trusted)
    git(a, "config", "annostore.sshKey", ssh.client_key)
    run(["-C", a, "fetch"], env=env)
    # Hashed entries (ssh-keygen -H) are understood too.
    subprocess.run(["ssh-keygen", "-q", "-H", "-f", str(trusted)], check=True, capture_output=True)
    assert "|1|" in trusted.read_text()
    run(["-C", a, "fetch"], env=env)


def test_ssh_key_the_server_does_not_accept(run, servers, tmp_path):
    hub = servers("ssh")
    remote, a = published_store(run, hub, tmp_path, "wrongkey")
    before = repo_state(a), repo_state(remote.bare)
    args = ["--ssh-key", hub.server.other_key, "--known-hosts", hub.server.known_hosts]
    for command in (["fetch"], ["push"]):
        refused = run(["-C", a, *command, *args], ok=REMOTE_FAILURE, env={"SSH_AUTH_SOCK": ""})
        assert_refused(refused, "authentication failed", str(hub.server.other_key))
    missing = run(["-C", a, "fetch", "--ssh-key", tmp_path / "no-such-key", "--known-hosts",
                   hub.server.known_hosts], ok=REMOTE_FAILURE, env={"SSH_AUTH_SOCK": ""})
    assert_refused(missing, "no-such-key")
    assert (repo_state(a), repo_state(remote.bare)) == before


def test_https_with_a_trusted_certificate(run, sample_store, copy_store, tmp_path):
    """Over HTTPS with a certificate signed by an authority the user names (GIT_SSL_CAINFO,
    or git's `http.sslCAInfo` in the store's config), push, clone and pull work like over
    HTTP, with Basic auth; a file of authorities that cannot be read is a clear refusal."""
    root = tmp_path / "served"
    bare = bare_repository(root / "lab.git")
    a = copy_store(sample_store)
    with SmartHTTP(tmp_path / "server", root, USER, TOKEN, tls=True) as server:
        env = {**HTTP_ENV, "GIT_SSL_CAINFO": str(server.cert)}
        run(["-C", a, "remote", "add", "origin", server.url("lab.git")])
        run(["-C", a, "push"], env=env)
        assert git(bare, "rev-parse", "main").strip() == head(a)
        git(bare, "fsck", "--strict", "--no-dangling")
        b = tmp_path / "b"
        run(["clone", server.url("lab.git"), b], env=env)
        run(["-C", b, "commit", write_edit(tmp_path / "e.json", lambda d: d["annotations"].pop()),
             "--dataset", DATASET, "-m", "one fewer"])
        git(b, "config", "http.sslCAInfo", str(server.cert))
        run(["-C", b, "push"], env=HTTP_ENV)
        run(["-C", a, "pull"], env=env)
        assert head(a) == head(b) == git(bare, "rev-parse", "main").strip()
        assert export(run, a) == export(run, b)
        before = repo_state(a)
        missing = run(["-C", a, "fetch"], ok=REMOTE_FAILURE,
                      env={**HTTP_ENV, "GIT_SSL_CAINFO": str(tmp_path / "no-such-ca.pem")})
        assert_refused(missing, "no-such-ca.pem")
        assert repo_state(a) == before


def test_https_certificate_nobody_trusts(run, sample_store, copy_store, tmp_path):
    root = tmp_path / "served"
    bare = bare_repository(root / "lab.git")
    store = copy_store(sample_store)
    with SmartHTTP(tmp_path / "server", root, USER, TOKEN, tls=True) as server:
        run(["-C", store, "remote", "add", "origin", server.url("lab.git")])
        before = (repo_state(store), repo_state(bare))
        for command in (["fetch"], ["push"]):
            refused = run(["-C", store, *command], ok=REMOTE_FAILURE, env=HTTP_ENV)
            assert_refused(refused, "certificate", "127.0.0.1", "not trusted")
        assert (repo_state(store), repo_state(bare)) == before
        run(["clone", server.url("lab.git"), tmp_path / "c"], ok=REMOTE_FAILURE, env=HTTP_ENV)
        assert not (tmp_path / "c").exists()


@pytest.mark.parametrize("scheme", ["git", "http", "ssh"])
def test_unreachable_port(run, scheme, sample_store, copy_store, tmp_path):
    store = copy_store(sample_store)
    port = free_port()
    url = {"git": f"git://127.0.0.1:{port}/x.git", "http": f"http://127.0.0.1:{port}/x.git",
           "ssh": f"ssh://someone@127.0.0.1:{port}/x.git"}[scheme]
    run(["-C", store, "remote", "add", "origin", url])
    before = repo_state(store)
    for command in (["fetch"], ["push"], ["pull"]):
        refused = run(["-C", store, *command], ok=REMOTE_FAILURE, env=HTTP_ENV)
        assert_refused(refused, "cannot reach", url, "nothing was changed")
    assert repo_state(store) == before
    refused = run(["clone", url, tmp_path / "c"], ok=REMOTE_FAILURE)
    assert_refused(refused, "cannot reach")
    assert not (tmp_path / "c").exists() and not [p for p in os.listdir(tmp_path) if p.startswith(".c.")]


@pytest.fixture(scope="module")
def big_store(run, generated, tmp_path_factory):
    """A store holding 10,000 generated annotations (a pack of several MB)."""
    store = tmp_path_factory.mktemp("big") / "store"
    run(["init", store])
    run(["-C", store, "commit", generated["server"], "--dataset", DATASET, "-m", "big"])
    return store


def test_a_connection_cut_halfway_changes_nothing(run, servers, big_store, sample_store, copy_store, tmp_path):
    target = tmp_path / "target"
    shutil.copytree(sample_store, target)
    hub = servers("git")
    remote = hub.new_remote("cut")
    source = copy_store(big_store)
    run(["-C", source, "remote", "add", "origin", remote.url])
    with CuttingProxy(hub.server.port, limit=300_000, direction="up") as proxy:
        run(["-C", source, "remote", "add", "cut", f"git://127.0.0.1:{proxy.port}/{remote.bare.name}"])
        before_source, before_remote = repo_state(source), repo_state(remote.bare)
        broken = run(["-C", source, "push", "cut"], ok=REMOTE_FAILURE)
        assert proxy.cut.is_set()
        assert "nothing was changed" in broken.stderr.lower()
        assert repo_state(source) == before_source
        assert repo_state(remote.bare)["refs"] == before_remote["refs"] == ""

    run(["-C", source, "push"])  # now the remote holds the big store
    with CuttingProxy(hub.server.port, limit=300_000, direction="down") as proxy:
        url = f"git://127.0.0.1:{proxy.port}/{remote.bare.name}"
        run(["-C", target, "remote", "add", "origin", url])
        before = repo_state(target)
        for command in (["fetch"], ["pull"]):
            broken = run(["-C", target, *command], ok=False)
            assert broken.returncode == REMOTE_FAILURE, (proxy.connections, broken.stderr)
            assert "nothing was changed" in broken.stderr.lower(), broken.stderr
            assert repo_state(target) == before
        run(["clone", url, tmp_path / "c"], ok=REMOTE_FAILURE)
        assert not (tmp_path / "c").exists()
        assert not [p for p in os.listdir(tmp_path) if p.startswith(".c.")]


def test_a_repository_that_is_not_a_store(run, sample_store, copy_store, tmp_path):
    plain = bare_repository(tmp_path / "plain.git")
    work = tmp_path / "work"
    git_cli(["clone", "-q", plain, work])
    (work / "README").write_text("not a store\n")
    git_cli(["-C", work, "add", "README"])
    git_cli(["-C", work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "readme"])
    git_cli(["-C", work, "push", "-q", "origin", "HEAD:main"])
    refused = run(["clone", plain, tmp_path / "c"], ok=5)
    assert "not an annostore store" in refused.stderr
    assert not (tmp_path / "c").exists() and not [p for p in os.listdir(tmp_path) if p.startswith(".c.")]
    store = copy_store(sample_store)
    run(["-C", store, "remote", "add", "plain", plain])
    before = head(store)
    assert "not an annostore store" in run(["-C", store, "pull", "plain"], ok=5).stderr
    assert head(store) == before


# ----------------------------------------------------------------------------- the command line


def test_remote_commands(run, sample_store, copy_store, tmp_path):
    store = copy_store(sample_store)
    assert json.loads(run(["-C", store, "remote", "list", "--json"]).stdout) == []
    run(["-C", store, "fetch"], ok=2)
    run(["-C", store, "remote", "add", "lab", tmp_path / "lab.git"])
    run(["-C", store, "remote", "add", "lab", tmp_path / "other.git"], ok=2)
    run(["-C", store, "remote", "add", "bad name", tmp_path / "x.git"], ok=2)
    run(["-C", store, "remote", "add", "home", "ssh://me@example.org/data/lab.git"])
    listed = json.loads(run(["-C", store, "remote", "list", "--json"]).stdout)
    assert listed == [{"name": "home", "url": "ssh://me@example.org/data/lab.git"},
                      {"name": "lab", "url": str(tmp_path / "lab.git")}]
    assert "home\tssh://me@example.org/data/lab.git" in run(["-C", store, "remote", "list"]).stdout
    # Two remotes and no origin: the command must name one.
    assert "lab" in run(["-C", store, "push"], ok=2).stderr
    run(["-C", store, "remote", "remove", "home"])
    run(["-C", store, "remote", "remove", "home"], ok=2)
    # The only remote is used without a name.
    bare_repository(tmp_path / "lab.git")
    run(["-C", store, "push"])
    assert git(tmp_path / "lab.git", "rev-parse", "main").strip() == head(store)


def test_push_tags(run, sample_store, copy_store, tmp_path):
    store = copy_store(sample_store)
    remote = bare_repository(tmp_path / "tags.git")
    run(["-C", store, "remote", "add", "origin", remote])
    git(store, "tag", "figure-1", "main")
    run(["-C", store, "push"])
    assert git(remote, "tag", "--list").strip() == ""
    run(["-C", store, "push", "--tags"])
    assert git(remote, "rev-parse", "figure-1").strip() == head(store)
    clone = tmp_path / "clone"
    run(["clone", remote, clone])
    assert git(clone, "rev-parse", "figure-1").strip() == head(store)


def test_progress_only_on_a_terminal(run, big_store, tmp_path):
    remote = bare_repository(tmp_path / "progress.git")
    run(["-C", big_store, "remote", "add", "progress", remote])
    try:
        quiet = run(["-C", big_store, "push", "progress"])
        assert quiet.stderr == ""
        git(remote, "update-ref", "-d", "refs/heads/main")
        command = f"{BINARY} -C {big_store} push progress"
        shown = subprocess.run(["script", "-qec", command, "/dev/null"], capture_output=True, text=True,
                               env=ISOLATED_ENV, check=False, timeout=600)
        assert shown.returncode == 0, shown.stdout
        assert "objects" in shown.stdout
        quiet_clone = run(["clone", remote, tmp_path / "quiet"])
        assert quiet_clone.stderr == ""
    finally:
        run(["-C", big_store, "remote", "remove", "progress"])


# ----------------------------------------------------------------------------- proxies

PROXY_USER, PROXY_PASSWORD = "lab", "proxy-s3cret"


@pytest.fixture
def tls_server(tmp_path):
    """An HTTPS smart-HTTP server with Basic auth: (server, its served root, the env a
    client needs: login and the authority trusting its certificate)."""
    root = tmp_path / "served"
    root.mkdir()
    with SmartHTTP(tmp_path / "server", root, USER, TOKEN, tls=True) as server:
        yield server, root, {**HTTP_ENV, "GIT_SSL_CAINFO": str(server.cert)}


def _proxied_round_trip(run, url, bare, tmp_path, env, configure=None):
    """Push from a new store, clone, commit, push and pull back, every command with `env`;
    `configure(store)` sets a store's config first. Returns the two stores."""
    a = tmp_path / "a"
    run(["init", a])
    run(["-C", a, "commit", SAMPLE, "--dataset", DATASET, "-m", "sample"])
    run(["-C", a, "remote", "add", "origin", url])
    if configure:
        configure(a)
    run(["-C", a, "push"], env=env)
    b = tmp_path / "b"
    run(["clone", url, b], env=env)
    if configure:
        configure(b)
    run(["-C", b, "commit", write_edit(tmp_path / "e.json", lambda d: d["annotations"].pop()),
         "--dataset", DATASET, "-m", "one fewer"])
    run(["-C", b, "push"], env=env)
    run(["-C", a, "pull"], env=env)
    assert head(a) == head(b) == git(bare, "rev-parse", "main").strip()
    assert export(run, a) == export(run, b)
    git(bare, "fsck", "--strict", "--no-dangling")
    return a, b


def test_https_through_a_proxy_from_the_environment(run, tls_server, tmp_path):
    """With `https_proxy` set, push, clone, push and pull of an https:// remote all go
    through the proxy (CONNECT tunnels); `http_proxy`, for http:// URLs, is not used."""
    server, root, env = tls_server
    bare = bare_repository(root / "lab.git")
    dead = f"http://127.0.0.1:{free_port()}"
    with ForwardingProxy() as proxy:
        _proxied_round_trip(run, server.url("lab.git"), bare, tmp_path,
                            {**env, "https_proxy": proxy.url(), "http_proxy": dead})
        relayed = list(proxy.requests)
    # push, clone, push, pull: at least one tunnel each, all to the server.
    assert len(relayed) >= 4 and set(relayed) == {f"CONNECT 127.0.0.1:{server.port}"}, relayed


def test_https_through_a_proxy_from_git_config(run, tls_server, tmp_path):
    """git's `http.proxy` (the store's config; the user's ~/.gitconfig for a clone) wins
    over the environment, `remote.<name>.proxy` over both; the proxy's login in its URL
    is used and never printed; a wrong or missing login is a clear refusal."""
    server, root, env = tls_server
    bare = bare_repository(root / "lab.git")
    dead = f"http://127.0.0.1:{free_port()}"
    with ForwardingProxy(PROXY_USER, PROXY_PASSWORD) as proxy:
        url = proxy.url((PROXY_USER, PROXY_PASSWORD))
        home = tmp_path / "home"
        home.mkdir()
        (home / ".gitconfig").write_text(f"[http]\n\tproxy = {url}\n")
        env = {**env, "https_proxy": dead, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
        a, _ = _proxied_round_trip(run, server.url("lab.git"), bare, tmp_path, env,
                                   lambda store: git(store, "config", "http.proxy", url))
        assert len(proxy.requests) >= 4, proxy.requests
        git(a, "config", "remote.origin.proxy", dead)
        before = len(proxy.requests), repo_state(a)
        refused = run(["-C", a, "fetch"], ok=REMOTE_FAILURE, env=env)
        assert_refused(refused, "cannot reach the proxy", dead)
        assert (len(proxy.requests), repo_state(a)) == before
        # A wrong proxy password is refused by the proxy: a clear failure, no password shown.
        git(a, "config", "--unset", "remote.origin.proxy")
        git(a, "config", "http.proxy", proxy.url((PROXY_USER, "wrong-pass")))
        refused = run(["-C", a, "fetch"], ok=REMOTE_FAILURE, env=env)
        assert_refused(refused, "refused the user and password", f"{PROXY_USER}:***@")
        assert "wrong-pass" not in refused.stdout + refused.stderr
        git(a, "config", "http.proxy", proxy.url())
        refused = run(["-C", a, "fetch"], ok=REMOTE_FAILURE, env=env)
        assert_refused(refused, "asks for a login", proxy.url())
        assert repo_state(a) == before[1]


def test_plain_http_through_a_proxy(run, servers, tmp_path):
    """With `http_proxy` (holding the proxy's login), push, clone, push and pull of a plain
    http:// remote go through the proxy as absolute-URI requests, chunked pushes included
    (libgit2 1.5 alone would connect to the server itself)."""
    remote = servers("http").new_remote("proxied-plain")
    with ForwardingProxy(PROXY_USER, PROXY_PASSWORD) as proxy:
        env = {**HTTP_ENV, "http_proxy": proxy.url((PROXY_USER, PROXY_PASSWORD)), "https_proxy": ""}
        _proxied_round_trip(run, remote.url, remote.bare, tmp_path, env)
        relayed = list(proxy.requests)
    origin = remote.url.rsplit("/", 1)[0] + "/"
    assert all(r.split()[1].startswith(origin) for r in relayed), relayed
    posts = [r for r in relayed if r.startswith("POST ")]
    assert any("git-receive-pack" in r for r in posts) and any("git-upload-pack" in r for r in posts), relayed


def test_no_proxy_bypasses_the_proxy(run, servers, tmp_path):
    """`no_proxy` naming the host (among others, with a port): the remote is reached
    directly and the proxy sees nothing; with `no_proxy=*` too."""
    remote = servers("http").new_remote("bypass")
    with ForwardingProxy() as proxy:
        env = {**HTTP_ENV, "http_proxy": proxy.url(), "no_proxy": "localhost, .example.org,127.0.0.1:8080"}
        a, _ = _proxied_round_trip(run, remote.url, remote.bare, tmp_path, env)
        assert "Nothing new" in run(["-C", a, "fetch"], env={**env, "no_proxy": "*"}).stdout
        assert proxy.requests == []
        run(["-C", a, "fetch"], env={**env, "no_proxy": ""})
        assert proxy.requests, "without no_proxy the proxy is used"


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_unreachable_proxy(run, scheme, servers, tls_server, sample_store, copy_store, tmp_path):
    """A proxy nothing listens on: fetch, push, pull and clone exit 6 naming the proxy
    (its password hidden), and nothing changes."""
    server, root, env = tls_server
    if scheme == "http":
        remote = servers("http").new_remote("dead-proxy")
        url, bare, env = remote.url, remote.bare, HTTP_ENV
    else:
        url, bare = server.url("lab.git"), bare_repository(root / "lab.git")
    store = copy_store(sample_store)
    run(["-C", store, "remote", "add", "origin", url])
    port = free_port()
    env = {**env, f"{scheme}_proxy": f"http://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:{port}"}
    shown = f"http://{PROXY_USER}:***@127.0.0.1:{port}"
    before = (repo_state(store), repo_state(bare))
    for command in (["fetch"], ["push"], ["pull"]):
        refused = run(["-C", store, *command], ok=REMOTE_FAILURE, env=env)
        assert_refused(refused, "cannot reach the proxy", shown, "nothing was changed")
        assert PROXY_PASSWORD not in refused.stdout + refused.stderr
    assert (repo_state(store), repo_state(bare)) == before
    refused = run(["clone", url, tmp_path / "c"], ok=REMOTE_FAILURE, env=env)
    assert_refused(refused, "cannot reach the proxy", shown)
    assert PROXY_PASSWORD not in refused.stdout + refused.stderr
    assert not (tmp_path / "c").exists() and not [p for p in os.listdir(tmp_path) if p.startswith(".c.")]
