"""A stand-in for Clerk's Backend API on 127.0.0.1:PORT (argv[1]), for scripts/bench.

Answers `GET /v1/users/{id}/billing/subscription` with "no subscription", so the
billing sync that AI requests need succeeds without a Clerk account.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Clerk(BaseHTTPRequestHandler):
    def do_GET(self):
        parts = self.path.split("?")[0].strip("/").split("/")
        if parts[:2] == ["v1", "users"] and parts[3:] == ["billing", "subscription"]:
            data = json.dumps({"subscription": None}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Clerk).serve_forever()
