#!/usr/bin/env python3
"""A static file server on 127.0.0.1 that compresses as GitHub Pages does (gzip for text,
JSON, JavaScript and SVG; other files as they are) and logs every response's size.

    gzip_server.py DIR PORT LOG

Each response appends `path<TAB>bytes sent (status line, headers and body)` to LOG.
"""
import gzip
import http.server
import os
import sys
from urllib.parse import unquote, urlparse

root, port, log_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
COMPRESSED = {".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "application/javascript",
              ".json": "application/json", ".svg": "image/svg+xml", ".xml": "application/xml", ".txt": "text/plain"}
log = open(log_path, "a", buffering=1)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = unquote(urlparse(self.path).path)
        file = os.path.normpath(os.path.join(root, path.lstrip("/")))
        if os.path.isdir(file):
            file = os.path.join(file, "index.html")
        if not file.startswith(os.path.abspath(root)) or not os.path.isfile(file):
            return self.send(404, b"not found", "text/plain", path)
        with open(file, "rb") as f:
            body = f.read()
        ext = os.path.splitext(file)[1]
        kind = COMPRESSED.get(ext)
        gz = kind is not None and "gzip" in self.headers.get("Accept-Encoding", "")
        if gz:
            body = gzip.compress(body, 6)
        self.send(200, body, kind or "application/octet-stream", path, gz)

    def send(self, status, body, kind, path, gz=False):
        head = [f"HTTP/1.1 {status} {'OK' if status == 200 else 'Not Found'}", f"Content-Type: {kind}",
                f"Content-Length: {len(body)}", "Cache-Control: max-age=600"]
        if gz:
            head.append("Content-Encoding: gzip")
        raw = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        self.wfile.write(raw)
        log.write(f"{path}\t{len(raw)}\n")


http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
