"""A local stand-in for the part of GitHub's REST API the action's comment step uses: list a pull
request's comments, add one, update one. Comments live in memory; every request is logged to the
file named by the second argument. With READONLY=1 in the environment, writes get 403, as a fork's
token does. Prints its port on standard output, then serves until killed."""
import json
import os
import re
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

comments = []
log = open(sys.argv[1], "a", encoding="utf-8")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, code, value):
        body = json.dumps(value).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        return json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")

    def do_GET(self):
        log.write(f"GET {self.path}\n")
        log.flush()
        if re.match(r"^/repos/o/r/issues/7/comments", self.path):
            found = re.search(r"[?&]page=(\d+)", self.path)
            page = int(found.group(1)) if found else 1
            self.answer(200, comments[(page - 1) * 100 : page * 100])
        else:
            self.answer(404, {"message": "Not Found"})

    def do_POST(self):
        log.write(f"POST {self.path}\n")
        log.flush()
        if os.environ.get("READONLY") == "1":
            return self.answer(403, {"message": "Resource not accessible by integration"})
        if self.path == "/repos/o/r/issues/7/comments":
            comment = {"id": 1000 + len(comments), "body": self.body()["body"]}
            comments.append(comment)
            return self.answer(201, comment)
        self.answer(404, {"message": "Not Found"})

    def do_PATCH(self):
        log.write(f"PATCH {self.path}\n")
        log.flush()
        if os.environ.get("READONLY") == "1":
            return self.answer(403, {"message": "Resource not accessible by integration"})
        m = re.match(r"^/repos/o/r/issues/comments/(\d+)$", self.path)
        for c in comments:
            if m and c["id"] == int(m.group(1)):
                c["body"] = self.body()["body"]
                return self.answer(200, c)
        self.answer(404, {"message": "Not Found"})


server = HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
