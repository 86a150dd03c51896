#!/usr/bin/env python3
"""A small smart-HTTP git server for tests: `git http-backend` as CGI, stdlib only.

    git_http_server.py --root DIR --port PORT [--user U --token T] [--tls-cert C --tls-key K]

Serves every bare repository under DIR at http://127.0.0.1:PORT/<name>. With --user and
--token, every request needs HTTP Basic auth with exactly those (else 401), and
REMOTE_USER is passed on, which enables pushes. Without them, pushes need
`http.receivepack=true` in the repository. With --tls-cert and --tls-key it serves
HTTPS instead.

Why not `python3 -m http.server --cgi`: as root it runs CGI scripts as nobody, git then
refuses the repositories as of dubious ownership, and clients fall back to dumb HTTP.
Request bodies may be chunked (git and libgit2 chunk large pushes); they are decoded and
streamed to http-backend, and its output is streamed back, so a large push never sits in
memory here.
"""

import argparse
import base64
import os
import shutil
import ssl
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

GIT = shutil.which("git") or "/usr/bin/git"
BLOCK = 1 << 16


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    root = ""
    credentials = None  # (user, token) or None

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        self.serve()

    def do_POST(self):
        self.serve()

    def authorized_user(self):
        if self.credentials is None:
            return ""
        header = self.headers.get("Authorization", "")
        if header.startswith("Basic "):
            try:
                user, _, token = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                return None
            if (user, token) == self.credentials:
                return user
        return None

    def serve(self):
        user = self.authorized_user()
        if user is None:
            body = b"authentication required\n"
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="annostore-test"')
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.discard_body()
            return
        url = urlsplit(self.path)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/tmp"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_PROJECT_ROOT": self.root,
            "GIT_HTTP_EXPORT_ALL": "1",
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "SERVER_SOFTWARE": "annostore-test",
            "REQUEST_METHOD": self.command,
            "PATH_INFO": url.path,
            "QUERY_STRING": url.query,
            "REMOTE_ADDR": self.client_address[0],
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
        }
        if user:
            env["REMOTE_USER"] = user
        for header, variable in (("Content-Encoding", "HTTP_CONTENT_ENCODING"), ("Git-Protocol", "GIT_PROTOCOL")):
            if self.headers.get(header):
                env[variable] = self.headers[header]
        chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
        length = int(self.headers.get("Content-Length", "0") or 0)
        if length and not chunked:
            env["CONTENT_LENGTH"] = str(length)
        backend = subprocess.Popen(
            [GIT, "http-backend"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
        )
        feeder = threading.Thread(target=self.feed, args=(backend.stdin, chunked, length), daemon=True)
        feeder.start()
        try:
            self.relay(backend.stdout)
        finally:
            feeder.join()
            backend.stdout.close()
            backend.wait()

    def feed(self, sink, chunked, length):
        """Copies the request body (decoding chunks) to http-backend's stdin."""
        try:
            for block in self.body_blocks(chunked, length):
                sink.write(block)
        except (BrokenPipeError, ConnectionError, ValueError):
            pass
        finally:
            try:
                sink.close()
            except BrokenPipeError:
                pass

    def body_blocks(self, chunked, length):
        if not chunked:
            while length > 0:
                block = self.rfile.read(min(BLOCK, length))
                if not block:
                    return
                length -= len(block)
                yield block
            return
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return
            while size > 0:
                block = self.rfile.read(min(BLOCK, size))
                if not block:
                    return
                size -= len(block)
                yield block
            self.rfile.readline()  # CRLF after the chunk

    def discard_body(self):
        chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
        for _ in self.body_blocks(chunked, int(self.headers.get("Content-Length", "0") or 0)):
            pass

    def relay(self, source):
        """Sends http-backend's CGI response: its Status header as the status line, its
        other headers as they are, and the body chunked."""
        status, headers = 200, []
        while True:
            line = source.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").rstrip("\r\n").partition(":")
            if name.lower() == "status":
                status = int(value.strip().split()[0])
            else:
                headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        while True:
            block = source.read1(BLOCK) if hasattr(source, "read1") else source.read(BLOCK)
            if not block:
                break
            self.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--user")
    parser.add_argument("--token")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    args = parser.parse_args()
    Handler.root = os.path.abspath(args.root)
    Handler.credentials = (args.user, args.token) if args.user else None
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(f"serving {Handler.root} on 127.0.0.1:{args.port}", file=sys.stderr, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
