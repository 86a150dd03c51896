"""A forwarding HTTP proxy on 127.0.0.1 for the sharing tests (stdlib only, threads).

- `GET http://host:port/path HTTP/1.1` (absolute-URI requests, as a client sends to a
  proxy): each request goes to the origin on a connection of its own, with the request
  line in origin form and `Connection: close`; the body is passed through as it arrives
  (with `Content-Length`, or chunked as libgit2 sends pushes, chunks relayed unchanged),
  and the reply is streamed back. The client's connection stays open for its next request
  while replies carry their own length.
- `CONNECT host:port`: a tunnel relaying bytes both ways (https).

It counts what it relays (`requests`: one line per request or tunnel) and, when given a
user and password, demands them (`Proxy-Authorization: Basic`, else 407).
"""

import base64
import socket
import threading

from servers import LoopbackListener, relay_both_ways


class ForwardingProxy(LoopbackListener):
    """The proxy, listening on `port` while used as a context manager."""

    def __init__(self, user=None, password=None):
        super().__init__(backlog=16)
        self.expected_auth = None
        if user is not None:
            token = base64.b64encode(f"{user}:{password}".encode()).decode()
            self.expected_auth = f"Basic {token}"
        self.requests = []  # "METHOD target" of each request relayed
        self.refused = 0  # requests answered 407
        self.lock = threading.Lock()

    def url(self, with_credentials=None):
        auth = f"{with_credentials[0]}:{with_credentials[1]}@" if with_credentials else ""
        return f"http://{auth}127.0.0.1:{self.port}"

    def _handle(self, client):
        reader = client.makefile("rb")
        try:
            while True:
                head = _read_head(reader)
                if head is None:
                    return
                method, target, _ = head[0].split(" ", 2)
                headers = head[1:]
                if self.expected_auth and _header(headers, "proxy-authorization") != self.expected_auth:
                    with self.lock:
                        self.refused += 1
                    _skip_body(reader, headers)
                    client.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                                   b"Proxy-Authenticate: Basic realm=\"proxy\"\r\nContent-Length: 0\r\n\r\n")
                    continue
                with self.lock:
                    self.requests.append(f"{method} {target}")
                if method == "CONNECT":
                    self._tunnel(client, reader, target)
                    return
                if not self._forward(client, reader, method, target, head[0], headers):
                    return
        except (OSError, ValueError):
            return
        finally:
            reader.close()
            client.close()

    def _forward(self, client, reader, method, target, request_line, headers):
        """Relays one request and its reply; whether the client's connection can go on."""
        rest = target.split("://", 1)[1]
        authority, _, path = rest.partition("/")
        host, _, port = authority.rpartition(":")
        version = request_line.rsplit(" ", 1)[1]
        kept = [h for h in headers if h.split(":", 1)[0].strip().lower()
                not in ("proxy-authorization", "proxy-connection", "connection", "keep-alive")]
        origin = socket.create_connection((host or authority, int(port) if host else 80))
        try:
            lines = [f"{method} /{path} {version}", *kept, "Connection: close", "", ""]
            origin.sendall("\r\n".join(lines).encode("latin-1"))
            _relay_body(reader, headers, origin.sendall)
            replies = origin.makefile("rb")
            reply = _read_head(replies)
            if reply is None:
                return False
            client.sendall(("\r\n".join(reply) + "\r\n\r\n").encode("latin-1"))
            framed = _relay_body(replies, reply[1:], client.sendall, reply=True)
            replies.close()
            return framed
        finally:
            origin.close()

    def _tunnel(self, client, reader, target):
        host, _, port = target.rpartition(":")
        origin = socket.create_connection((host, int(port)))
        # The client sends nothing more before this reply, so nothing waits in `reader`.
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        try:
            relay_both_ways(client, origin, 60)
        finally:
            origin.close()


def _read_head(reader):
    """The request or status line and header lines of one message; None at end of input."""
    lines = []
    while True:
        line = reader.readline(65536)
        if not line:
            return None
        line = line.decode("latin-1").rstrip("\r\n")
        if not line:
            if lines:
                return lines
            continue
        lines.append(line)


def _header(headers, name):
    for line in headers:
        key, _, value = line.partition(":")
        if key.strip().lower() == name:
            return value.strip()
    return None


def _relay_body(reader, headers, send, reply=False):
    """Passes a message body on unchanged: chunked, by length, or (a reply without either)
    up to the end of the connection. Whether the body had its own framing."""
    if "chunked" in (_header(headers, "transfer-encoding") or "").lower():
        while True:
            size_line = reader.readline(65536)
            send(size_line)
            size = int(size_line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while True:  # trailers, up to the empty line
                    line = reader.readline(65536)
                    send(line)
                    if line in (b"\r\n", b"\n", b""):
                        return True
            _copy(reader, size + 2, send)
    length = _header(headers, "content-length")
    if length is not None:
        _copy(reader, int(length), send)
        return True
    if reply:
        while data := reader.read1(1 << 16):
            send(data)
        return False
    return True


def _skip_body(reader, headers):
    _relay_body(reader, headers, lambda data: None)


def _copy(reader, count, send):
    while count > 0:
        data = reader.read1(min(count, 1 << 16))
        if not data:
            raise ValueError("connection closed inside a body")
        send(data)
        count -= len(data)
