#!/usr/bin/env python3
"""slow_clients.py - many slow clients at once, for tests/http/test_slowloris.sh.

    slow_clients.py PORT COUNT SECONDS [SOURCE_ADDR]

Opens COUNT connections from SOURCE_ADDR (default 127.0.0.1) to 127.0.0.1:PORT,
starts a request head on each ("GET /healthz HTTP/1.1", "Host: x") and then
sends one more header byte a second on every connection, never ending the
head.  Stops after SECONDS, closes everything, and prints one line:

    opened N refused R busy B answered A closed C open O

refused: connect failed; busy: the server answered with a 503 status line;
answered: it answered with any other; closed: it closed the connection
without a word; open: still waiting when the time was up.  Bounded in time and count, and
only ever talks to 127.0.0.1.
"""
import select
import socket
import sys
import time


def main():
    port, count, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    source = sys.argv[4] if len(sys.argv) > 4 else "127.0.0.1"
    if count > 2000 or seconds > 60:
        sys.exit("slow_clients.py: at most 2000 connections for 60 s")
    deadline = time.monotonic() + seconds
    socks, refused = [], 0
    for _ in range(count):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((source, 0))
        s.setblocking(False)
        try:
            s.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        except OSError:
            refused += 1
            s.close()
            continue
        socks.append(s)
    # Wait for the connections to complete (the listen queue may hold some).
    pending = list(socks)
    while pending and time.monotonic() < deadline:
        _, w, _ = select.select([], pending, [], 0.5)
        for s in w:
            pending.remove(s)
            if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0:
                refused += 1
                socks.remove(s)
                s.close()
    state = {s: "open" for s in socks}
    head = {s: b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " for s in socks}
    next_byte = time.monotonic()
    while time.monotonic() < deadline:
        live = [s for s in socks if state[s] == "open"]
        if not live:
            break
        now = time.monotonic()
        if now >= next_byte:
            for s in live:
                data, head[s] = (head[s], b"a") if head[s] else (b"a", b"")
                try:
                    s.send(data)
                except BlockingIOError:
                    pass
                except OSError:
                    state[s] = "closed"
            next_byte = now + 1.0
        r, _, _ = select.select([s for s in live if state[s] == "open"], [], [],
                                max(0.0, min(next_byte, deadline) - time.monotonic()))
        for s in r:
            try:
                got = s.recv(4096)
            except OSError:
                got = b""
            if got.startswith(b"HTTP/1.1 503") or got.startswith(b"HTTP/1.0 503"):
                state[s] = "503"
            elif got:
                state[s] = "answered"
            else:
                state[s] = "closed"
    values = list(state.values())
    for s in socks:
        s.close()
    print("opened %d refused %d busy %d answered %d closed %d open %d" % (
        len(socks), refused, values.count("503"), values.count("answered"),
        values.count("closed"), values.count("open")))


if __name__ == "__main__":
    main()
