#!/usr/bin/env python3
"""A tiny static server for the published page: 127.0.0.1 only, right MIME types (.wasm, .js, .mjs),
precompressed .br/.gz answers when the browser accepts them, and optional extra files mounted by URL
path (--file /weights.safetensors=/path/to/file) so weights never need copying into the site."""
import argparse
import http.server
import os
import sys

TYPES = {
    ".wasm": "application/wasm", ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json",
    ".html": "text/html; charset=utf-8", ".css": "text/css", ".dat": "application/octet-stream",
    ".safetensors": "application/octet-stream", ".pth": "application/octet-stream", ".map": "application/json",
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("root")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--file", action="append", default=[], help="URLPATH=FILE")
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    mounts = {}
    for item in args.file:
        url, _, path = item.partition("=")
        if not os.path.isfile(path):
            sys.exit(f"web-server: {path}: no such file")
        mounts[url] = os.path.abspath(path)

    class Handler(http.server.SimpleHTTPRequestHandler):
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}

        def __init__(self, *a, **kw):
            super().__init__(*a, directory=root, **kw)

        def translate_path(self, path):
            clean = path.split("?", 1)[0].split("#", 1)[0]
            if clean in mounts:
                return mounts[clean]
            return super().translate_path(path)

        def send_head(self):
            path = self.translate_path(self.path)
            accepted = self.headers.get("Accept-Encoding", "")
            for enc, suffix in (("br", ".br"), ("gzip", ".gz")):
                if enc in accepted and os.path.isfile(path + suffix) and os.path.isfile(path):
                    f = open(path + suffix, "rb")
                    self.send_response(200)
                    self.send_header("Content-Type", self.guess_type(path))
                    self.send_header("Content-Encoding", enc)
                    self.send_header("Content-Length", str(os.fstat(f.fileno()).st_size))
                    self.send_header("Cache-Control", "no-cache")
                    self.end_headers()
                    return f
            return super().send_head()

        def end_headers(self):
            self.send_header("Cache-Control", "no-cache")
            super().end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"Serving {root} at http://127.0.0.1:{args.port}/ (Ctrl+C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
