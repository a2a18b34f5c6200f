#!/usr/bin/env python3
"""A stand-in Prometheus for benchmarks/series.sh: answers every instant query with N queue series.

    standin.py PORT SERIES ROUNDS_FILE

N/5 agent pods in 100 namespaces, 5 queues each. `up` answers the pods (the local-mode pod inventory, asked last in
every refresh); a query starting with `timestamp(` answers each series' scrape time (pods in 15 scrape slots); any
other query answers the series with their values. One line per refresh goes to ROUNDS_FILE: "<seconds> <queries>",
the time from the refresh's first query arriving to the `up` answer written (the rules' queries, their parsing and
the inventory; the snapshot's index build after it is not included).
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PORT, N, ROUNDS = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
QUEUES, NAMESPACES = 5, 100
PODS = N // QUEUES
NOW = int(time.time())


def vector(items):
    return json.dumps({"status": "success", "data": {"resultType": "vector", "result": items}},
                      separators=(",", ":")).encode()


def labels(p, q):
    return {"job": "prometheus-agent", "namespace": "ns-%d" % (p % NAMESPACES), "pod": "prometheus-agent-%d" % p,
            "remote_name": "q%d" % q, "url": "http://thanos-receive-lb:19291/api/v1/receive"}


VALUES = vector([{"metric": labels(p, q), "value": [NOW, "%d" % (p * 7 + q)]}
                 for p in range(PODS) for q in range(QUEUES)])
TIMES = vector([{"metric": labels(p, q), "value": [NOW, "%d" % (NOW - p % 15)]}
                for p in range(PODS) for q in range(QUEUES)])
UP = vector([{"metric": {"__name__": "up", "app": "prometheus-agent", "job": "prometheus-agent",
                         "namespace": "ns-%d" % (p % NAMESPACES), "pod": "prometheus-agent-%d" % p},
              "value": [NOW, "1"]} for p in range(PODS)])
lock = threading.Lock()
round_start = None
round_queries = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.answer(parse_qs(urlparse(self.path).query))

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        self.answer(parse_qs(self.rfile.read(n).decode()))

    def answer(self, params):
        global round_start, round_queries
        query = (params.get("query") or [""])[0].strip()
        with lock:
            if round_start is None:
                round_start = time.monotonic()
            round_queries += 1
        body = UP if query == "up" else TIMES if query.startswith("timestamp(") else VALUES
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        if query == "up":
            with lock:
                with open(ROUNDS, "a") as f:
                    f.write("%.3f %d\n" % (time.monotonic() - round_start, round_queries))
                round_start, round_queries = None, 0


print("stand-in: %d series, answers of %d / %d / %d bytes" % (N, len(VALUES), len(TIMES), len(UP)), flush=True)
ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
