"""A hostile HTTP server on 127.0.0.1 for the fetch-limit tests.

What the mirror (mirror/server.py) cannot do, because it always answers a whole, well-formed
response: redirect anywhere, drip a body, reset the connection or close it short of its
Content-Length, stream a body bigger than memory should hold, answer robots.txt with 5xx.
Every request is logged; ``bytes_sent`` counts what the big body actually put on the wire.
"""
from __future__ import annotations

import socket
import struct
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

CHUNK = b"x" * (64 * 1024)


@dataclass
class Hit:
    path: str  # with its query string, as the client sent it
    host: str  # the Host header


class FaultyServer:
    """Routes (by path, query ignored):

    - ``/robots.txt``: ``robots_status`` with ``robots_body``
    - any path in ``redirects``: 302 to its Location
    - ``/drip``: a 40-byte body, one byte every ``drip_interval`` seconds
    - ``/reset``: a 1000-byte Content-Length, 100 bytes, then a TCP reset
    - ``/truncate``: a 1000-byte Content-Length, 500 bytes, then a clean close
    - ``/big``: ``big_size`` bytes (``?length=no``: no Content-Length, ended by closing)
    - anything else: 200 ``page`` bytes

    ``/reset`` and ``/truncate`` answer properly once ``faults_left`` is spent (``None``: never)."""

    def __init__(self):
        self.robots_status, self.robots_body = 404, b""
        self.redirects: dict[str, str] = {}
        self.drip_interval = 0.025
        self.faults_left: int | None = None
        self.big_size = 0
        self.bytes_sent = 0
        self.page = b"<html><body>the page</body></html>"
        self.log: list[Hit] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True

    @property
    def origin(self) -> str:
        return "http://127.0.0.1:%d" % self._server.server_address[1]

    @property
    def host(self) -> str:
        return "127.0.0.1:%d" % self._server.server_address[1]

    def paths(self) -> list[str]:
        return [h.path for h in self.log]

    def __enter__(self) -> "FaultyServer":
        # a short poll: shutdown() waits for it (0.5 s by default, at every test's teardown)
        threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _fault_now(self) -> bool:
        with self._lock:
            if self.faults_left is None:
                return True
            if self.faults_left > 0:
                self.faults_left -= 1
                return True
            return False

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                with server._lock:
                    server.log.append(Hit(self.path, self.headers.get("Host", "")))
                parts = urlsplit(self.path)
                query = dict(parse_qsl(parts.query))
                route = {"/robots.txt": self.robots, "/drip": self.drip, "/reset": self.reset,
                         "/truncate": self.truncate, "/big": self.big}.get(parts.path)
                try:
                    if parts.path in server.redirects:
                        self.answer(302, b"", {"Location": server.redirects[parts.path]})
                    elif route:
                        route(query)
                    else:
                        self.answer(200, server.page)
                except OSError:  # the client hung up (as it should, past a limit)
                    self.close_connection = True

            def answer(self, status: int, body: bytes, headers: dict | None = None, length: int | None = None):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body) if length is None else length))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()

            def robots(self, query) -> None:
                self.answer(server.robots_status, server.robots_body)

            def drip(self, query) -> None:
                body = b"d" * 40
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                for byte in body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(server.drip_interval)

            def reset(self, query) -> None:
                if not server._fault_now():
                    return self.answer(200, b"r" * 1000)
                self.answer(200, b"r" * 100, length=1000)
                # SO_LINGER 0: close sends RST, not FIN
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
                self.close_connection = True

            def truncate(self, query) -> None:
                if not server._fault_now():
                    return self.answer(200, b"t" * 1000)
                self.answer(200, b"t" * 500, length=1000)
                self.close_connection = True

            def big(self, query) -> None:
                self.send_response(200)
                if query.get("length") == "no":
                    self.send_header("Connection", "close")
                    self.close_connection = True
                else:
                    self.send_header("Content-Length", str(server.big_size))
                self.end_headers()
                left = server.big_size
                while left > 0:
                    piece = CHUNK[:left]
                    self.wfile.write(piece)
                    with server._lock:
                        server.bytes_sent += len(piece)
                    left -= len(piece)
                self.wfile.flush()

            def log_message(self, *args) -> None:
                pass

        return Handler
