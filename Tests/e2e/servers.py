"""Real git servers on 127.0.0.1 for the sharing tests, each started by a test and
stopped after it, even when it fails.

- `GitDaemon`: `git daemon` (git://) with receive-pack enabled.
- `SmartHTTP`: `git http-backend` behind Tests/e2e/git_http_server.py, with Basic auth,
  optionally over HTTPS with a self-signed certificate.
- `SSHServer`: OpenSSH's sshd with temporary ed25519 host and client keys.
- `CuttingProxy`: a TCP proxy that drops the connection after some bytes, to break a
  transfer halfway.

Every server runs in its own process group and is stopped with SIGKILL on the group
(a server's children, such as git daemon's per-connection processes, go with it).
"""

import atexit
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
_RUNNING = set()


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stop_all():
    for process in list(_RUNNING):
        _kill(process)


atexit.register(_stop_all)


def _kill(process):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    _RUNNING.discard(process)


class Server:
    """A server process in its own process group; a context manager."""

    name = "server"

    def __init__(self, workdir):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process = None
        self.log = self.workdir / f"{self.name}.log"

    def command(self):
        raise NotImplementedError

    def start(self, env=None):
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                self.command(), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True, env={**os.environ, **(env or {})},
            )
        _RUNNING.add(self.process)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited {self.process.returncode}: {self.log.read_text()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.name} did not listen on port {self.port}: {self.log.read_text()[-2000:]}")

    def stop(self):
        if self.process is not None:
            _kill(self.process)
            self.process = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def bare_repository(path, http_push=False):
    """`git init --bare -b main` at `path` (pushes over anonymous smart HTTP allowed when
    `http_push`)."""
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(path)], check=True,
                   env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1"})
    if http_push:
        subprocess.run(["git", "--git-dir", str(path), "config", "http.receivepack", "true"], check=True)
    return Path(path)


class GitDaemon(Server):
    """git:// on 127.0.0.1, serving every repository under `root`, pushes enabled."""

    name = "git-daemon"

    def __init__(self, workdir, root):
        super().__init__(workdir)
        self.root = Path(root)

    def command(self):
        exec_path = subprocess.run(["git", "--exec-path"], capture_output=True, text=True, check=True).stdout.strip()
        return [f"{exec_path}/git-daemon", "--export-all", "--enable=receive-pack", f"--base-path={self.root}",
                "--listen=127.0.0.1", f"--port={self.port}", "--reuseaddr", "--informative-errors", str(self.root)]

    def url(self, name):
        return f"git://127.0.0.1:{self.port}/{name}"


class SmartHTTP(Server):
    """http:// on 127.0.0.1 through `git http-backend`, with Basic auth when `user`."""

    name = "git-http"

    def __init__(self, workdir, root, user=None, token=None, tls=False):
        super().__init__(workdir)
        self.root = Path(root)
        self.user, self.token = user, token
        self.tls = tls
        if tls:  # a self-signed certificate no client trusts unless told to (GIT_SSL_CAINFO)
            self.cert, self.key = self.workdir / "cert.pem", self.workdir / "key.pem"
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                            "/CN=127.0.0.1", "-keyout", str(self.key), "-out", str(self.cert)],
                           check=True, capture_output=True)

    def command(self):
        command = [sys.executable, str(HERE / "git_http_server.py"), "--root", str(self.root), "--port", str(self.port)]
        if self.user:
            command += ["--user", self.user, "--token", self.token]
        if self.tls:
            command += ["--tls-cert", str(self.cert), "--tls-key", str(self.key)]
        return command

    def url(self, name, with_credentials=False):
        auth = f"{self.user}:{self.token}@" if with_credentials and self.user else ""
        return f"{'https' if self.tls else 'http'}://{auth}127.0.0.1:{self.port}/{name}"


class SSHServer(Server):
    """ssh:// on 127.0.0.1: sshd with a temporary ed25519 host key, accepting the
    temporary ed25519 `client_key` for the current user."""

    name = "sshd"

    def __init__(self, workdir):
        super().__init__(workdir)
        self.host_key = self._keygen("host_key")
        self.client_key = self._keygen("client_key")
        self.other_key = self._keygen("other_client_key")  # a key the server does not accept
        authorized = self.workdir / "authorized_keys"
        authorized.write_text((self.workdir / "client_key.pub").read_text())
        self.user = os.environ.get("USER") or subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()
        self.config = self.workdir / "sshd_config"
        self.config.write_text("\n".join([
            f"Port {self.port}",
            "ListenAddress 127.0.0.1",
            f"HostKey {self.host_key}",
            f"PidFile {self.workdir / 'sshd.pid'}",
            f"AuthorizedKeysFile {authorized}",
            "StrictModes no",
            "UsePAM no",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PubkeyAuthentication yes",
            "PermitRootLogin prohibit-password",
            "LogLevel VERBOSE",
            "",
        ]))
        # The client's view: a known_hosts file listing the host key.
        self.known_hosts = self.workdir / "known_hosts"
        self.known_hosts.write_text(f"[127.0.0.1]:{self.port} {self.public_host_key()}\n")

    def _keygen(self, name):
        path = self.workdir / name
        if not path.exists():
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(path)], check=True)
        return path

    def public_host_key(self):
        """`ssh-ed25519 AAAA...` of the host key."""
        return " ".join((self.workdir / "host_key.pub").read_text().split()[:2])

    def fingerprint(self):
        """The host key's fingerprint as ssh-keygen prints it (`SHA256:...`)."""
        out = subprocess.run(["ssh-keygen", "-l", "-f", str(self.workdir / "host_key.pub")], capture_output=True,
                             text=True, check=True).stdout
        return out.split()[1]

    def command(self):
        Path("/run/sshd").mkdir(parents=True, exist_ok=True)
        return ["/usr/sbin/sshd", "-D", "-e", "-f", str(self.config)]

    def url(self, path):
        return f"ssh://{self.user}@127.0.0.1:{self.port}{Path(path).resolve()}"

    def git_env(self):
        """Environment for the git CLI to use this server."""
        return {"GIT_SSH_COMMAND": f"ssh -i {self.client_key} -o IdentitiesOnly=yes -o BatchMode=yes "
                                   f"-o UserKnownHostsFile={self.known_hosts} -o StrictHostKeyChecking=yes"}


def sshd_available():
    return os.access("/usr/sbin/sshd", os.X_OK) and shutil.which("ssh-keygen") is not None


def relay_both_ways(a, b, timeout, forward=None):
    """Passes bytes between sockets `a` and `b` until either side closes or nothing moves
    for `timeout` seconds. `forward(source, data)`, when given, sends the data on itself
    and returns False to stop; by default data goes to the other socket unchanged."""
    while True:
        ready, _, _ = select.select([a, b], [], [], timeout)
        if not ready:
            return
        for source in ready:
            data = source.recv(1 << 16)
            if not data:
                return
            if forward is None:
                (b if source is a else a).sendall(data)
            elif not forward(source, data):
                return


class LoopbackListener:
    """Accepts connections on 127.0.0.1 (a free port, `port`) while used as a context
    manager, handing each to `_handle(client)` on a thread of its own."""

    def __init__(self, backlog=8):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(backlog)
        self.port = self.listener.getsockname()[1]
        self.closed = False
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        # shutdown() wakes the thread blocked in accept(); a bare close() would leave the
        # socket listening until then, and a later listener could be given the same port.
        self.closed = True
        try:
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.thread.join(timeout=10)
        self.listener.close()

    def _accept(self):
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    def _handle(self, client):
        raise NotImplementedError


class CuttingProxy(LoopbackListener):
    """A TCP proxy on 127.0.0.1 to `target_port` that closes both sides once `limit`
    bytes have gone in the direction `direction` ("down": server to client, "up": client
    to server): a connection that breaks halfway through a transfer."""

    def __init__(self, target_port, limit, direction):
        super().__init__()
        self.target_port, self.limit, self.direction = target_port, limit, direction
        self.cut = threading.Event()
        self.connections = []  # bytes relayed per connection: {"down": n, "up": n}

    def _handle(self, client):
        server = socket.create_connection(("127.0.0.1", self.target_port))
        counted = {"down": 0, "up": 0}
        self.connections.append(counted)

        def forward(source, data):
            direction = "up" if source is client else "down"
            if direction == self.direction:
                room = self.limit - counted[direction]
                if room <= len(data):
                    (server if source is client else client).sendall(data[:max(room, 0)])
                    self.cut.set()
                    return False
                counted[direction] += len(data)
            (server if source is client else client).sendall(data)
            return True

        try:
            relay_both_ways(client, server, 30, forward)
        except OSError:
            return
        finally:
            for end in (client, server):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                end.close()
