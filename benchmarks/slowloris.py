#!/usr/bin/env python3
"""The slowloris case of issue 18, measured against a running app (local mode, plain port).

    benchmarks/slowloris.py PORT [--connections 200] [--line-every 5] [--seconds 60] [--path /q/health/live]

Opens CONNECTIONS sockets from 127.0.0.1 that each send a request line, then one header line every LINE_EVERY
seconds and never the blank line that ends the head (the issue's attack). Meanwhile a well-behaved client asks
GET PATH once a second from another address (127.0.0.2), as kube-apiserver would for an HPA, on a new connection
each time. After SECONDS, prints how many slow sockets the server closed and when (from their connect), how many were
refused at once, and the well-behaved client's latencies; one line of JSON with the same figures goes to stderr.
Standard library only; loopback only; bounded in time.
"""
import argparse
import json
import os
import selectors
import socket
import statistics
import threading
import time


def well_behaved(port, path, until, out):
    while time.monotonic() < until:
        t0 = time.monotonic()
        try:
            s = socket.socket()
            s.bind(("127.0.0.2", 0))
            s.settimeout(30)
            s.connect(("127.0.0.1", port))
            s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" % path).encode())
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
            s.close()
            code = int(data[9:12]) if data.startswith(b"HTTP/1.") else 0
            out.append((time.monotonic() - t0, code))
        except OSError as e:
            out.append((time.monotonic() - t0, "error: %s" % e))
        time.sleep(max(0.0, 1.0 - (time.monotonic() - t0)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("port", type=int)
    ap.add_argument("--connections", type=int, default=200)
    ap.add_argument("--line-every", type=float, default=5.0)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--path", default="/q/health/live")
    a = ap.parse_args()

    start = time.monotonic()
    until = start + a.seconds
    good = []
    t = threading.Thread(target=well_behaved, args=(a.port, a.path, until, good), daemon=True)
    t.start()

    sel = selectors.DefaultSelector()
    slow = []  # [socket, connected_at, closed_at, lines_sent]
    for _ in range(a.connections):
        s = socket.socket()
        s.settimeout(10)
        t0 = time.monotonic()
        s.connect(("127.0.0.1", a.port))
        s.setblocking(False)
        rec = [s, t0, None, 0]
        try:
            s.sendall(b"GET /q/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        except OSError:
            rec[2] = time.monotonic()
        slow.append(rec)
        if rec[2] is None:
            sel.register(s, selectors.EVENT_READ, rec)

    next_line = time.monotonic() + a.line_every
    while time.monotonic() < until:
        timeout = max(0.0, min(next_line, until) - time.monotonic())
        for key, _ in sel.select(timeout):
            rec = key.data
            try:
                data = rec[0].recv(4096)
            except OSError:
                data = b""
            if not data:  # closed (or reset) by the server; an answer would be a bug of the attack
                rec[2] = time.monotonic()
                sel.unregister(rec[0])
        if time.monotonic() >= next_line:
            for rec in slow:
                if rec[2] is None:
                    try:
                        rec[0].send(b"X-Slow-%d: x\r\n" % rec[3])
                        rec[3] += 1
                    except OSError:
                        rec[2] = time.monotonic()
                        sel.unregister(rec[0])
            next_line += a.line_every
    t.join(35)
    for rec in slow:
        rec[0].close()

    closed = sorted(r[2] - r[1] for r in slow if r[2] is not None)
    refused = [c for c in closed if c < 1.0]
    timed_out = [c for c in closed if c >= 1.0]
    lat = sorted(d for d, code in good if code == 200)
    bad = [(round(d, 3), code) for d, code in good if code != 200]
    fig = {
        "connections": a.connections, "line_every_s": a.line_every, "seconds": a.seconds,
        "still_open_at_end": a.connections - len(closed),
        "closed_within_1s": len(refused),
        "closed_later": len(timed_out),
        "closed_later_min_s": round(timed_out[0], 2) if timed_out else None,
        "closed_later_median_s": round(statistics.median(timed_out), 2) if timed_out else None,
        "closed_later_max_s": round(timed_out[-1], 2) if timed_out else None,
        "good_requests": len(good), "good_200": len(lat),
        "good_p50_ms": round(1000 * statistics.median(lat), 1) if lat else None,
        "good_max_ms": round(1000 * lat[-1], 1) if lat else None,
        "good_failures": bad[:5],
        "load_average": os.getloadavg()[0],
    }
    print("slow sockets: %d opened from 127.0.0.1, a header line every %ss, for %ss" % (
        a.connections, a.line_every, a.seconds))
    print("  still open at the end:           %d" % fig["still_open_at_end"])
    print("  closed by the server within 1 s: %d (per-client limit)" % fig["closed_within_1s"])
    print("  closed later:                    %d (min %s s, median %s s, max %s s after connect)" % (
        fig["closed_later"], fig["closed_later_min_s"], fig["closed_later_median_s"], fig["closed_later_max_s"]))
    print("well-behaved GET %s from 127.0.0.2, one a second: %d sent, %d answered 200, p50 %s ms, max %s ms%s" % (
        a.path, fig["good_requests"], fig["good_200"], fig["good_p50_ms"], fig["good_max_ms"],
        "" if not bad else ", failures: %s" % bad[:5]))
    print(json.dumps(fig), file=__import__("sys").stderr)


if __name__ == "__main__":
    main()
