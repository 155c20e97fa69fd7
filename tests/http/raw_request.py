#!/usr/bin/env python3
"""raw_request.py - one raw request over a socket, for the HTTP framing tests.

    printf 'GET / HTTP/1.1\\r\\n...' | raw_request.py PORT

Sends standard input as it is to 127.0.0.1:PORT and reads every answer.
Prints the status line of each response on one line, joined by " | ", then
" ; closed" if the server closed the connection within a second of its
last byte, or " ; open" if it did not.  A test appends a second request:
a server that closes after the first never answers it.
"""
import re
import socket
import sys
import time


def main():
    port = int(sys.argv[1])
    data = sys.stdin.buffer.read()
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        s.sendall(data)
    except OSError:
        pass  # the server may close before it has read everything
    s.settimeout(1.0)
    out, state = b"", "open"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            got = s.recv(65536)
        except socket.timeout:
            break
        except OSError:
            state = "reset"
            break
        if not got:
            state = "closed"
            break
        out += got
    s.close()
    lines = re.findall(rb"HTTP/1\.[01] [0-9]{3}[^\r\n]*", out)
    print(" | ".join(l.decode("latin-1") for l in lines) + " ; " + state)


if __name__ == "__main__":
    main()
