#!/usr/bin/env python3
"""A stand-in for a help desk's webhook: records every JSON document varco's support forwarder
POSTs and shows them at GET /received (newest last), so the demo and the tests can see what was
delivered.

    support_webhook.py --port 9110 [--address 127.0.0.1] [--ready-file F] [--fail-first N] [--fail-status 500]

--fail-first N answers the first N posts with --fail-status (500 by default) before accepting,
to watch varco retry and, with N at least the forwarder's max_attempts, dead-letter. Every post
is recorded with the status it got. Standard library only; loopback unless --address says
otherwise (docker-compose.yml).
"""
import argparse
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 256 * 1024


class Recorder:
    def __init__(self, fail_first, fail_status):
        self.lock = threading.Lock()
        self.posts = []
        self.fail_first = fail_first
        self.fail_status = fail_status

    def record(self, entry):
        with self.lock:
            failing = len(self.posts) < self.fail_first
            entry["status"] = self.fail_status if failing else 200
            self.posts.append(entry)
            return entry["status"]

    def snapshot(self):
        with self.lock:
            return list(self.posts)


def handler_for(recorder):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def answer(self, status, document):
            body = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path.split("?")[0] == "/received":
                self.answer(200, recorder.snapshot())
            else:
                self.answer(404, {"error": "not found"})

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self.answer(413, {"error": "too large"})
                return
            raw = self.rfile.read(length)
            try:
                document = json.loads(raw)
            except ValueError:
                self.answer(400, {"error": "not JSON"})
                return
            status = recorder.record({
                "path": self.path,
                "content_type": self.headers.get("Content-Type", ""),
                "idempotency_key": self.headers.get("Idempotency-Key", ""),
                "body": document,
            })
            self.answer(status, {"ok": status == 200})

        def log_message(self, fmt, *args):
            sys.stderr.write("support-webhook: " + (fmt % args) + "\n")

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9110)
    parser.add_argument("--address", default="127.0.0.1",
                        help="listen address (0.0.0.0 in a container, docker-compose.yml)")
    parser.add_argument("--ready-file", default="")
    parser.add_argument("--fail-first", type=int, default=0)
    parser.add_argument("--fail-status", type=int, default=500)
    args = parser.parse_args()
    recorder = Recorder(args.fail_first, args.fail_status)
    server = ThreadingHTTPServer((args.address, args.port), handler_for(recorder))
    server.daemon_threads = True
    port = server.server_address[1]
    sys.stderr.write(f"support-webhook: listening on http://{args.address}:{port}\n")
    if args.ready_file:
        with open(args.ready_file + ".tmp", "w") as ready:
            json.dump({"port": port}, ready)
        os.replace(args.ready_file + ".tmp", args.ready_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
