"""Minimal exec worker in Python that follows the worker contract of docs/workers.md."""

import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = "v1"
LIMIT_VARIABLES = ("WORKER_MAX_PROCS", "WORKER_MEM_LIMIT_BYTES", "GOMAXPROCS", "GOMEMLIMIT")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path == "/health":
            self.reply(200, {"status": "ok"})
        elif self.path == "/env":
            self.reply(200, {name: os.environ.get(name) for name in LIMIT_VARIABLES})
        elif self.path == "/":
            self.reply(200, {"message": "python " + VERSION,
                             "route": os.environ["WORKER_ROUTE"]})
        else:
            self.reply(404, {"error": "not found: " + self.path})

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        sys.stdout.write("%s %s\n" % (self.address_string(), format % args))
        sys.stdout.flush()


def exit_when_parent_exits(server):
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(0.25)
    print("TQServer exited, stopping", flush=True)
    os._exit(0)


def main():
    server = ThreadingHTTPServer(("127.0.0.1", int(os.environ["WORKER_PORT"])), Handler)
    server.daemon_threads = True

    def stop(signum, frame):
        print("SIGTERM received, stopping", flush=True)
        threading.Thread(target=server.shutdown).start()

    signal.signal(signal.SIGTERM, stop)
    threading.Thread(target=exit_when_parent_exits, args=(server,), daemon=True).start()
    print("listening on 127.0.0.1:%s" % os.environ["WORKER_PORT"], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
