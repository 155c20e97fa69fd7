#!/usr/bin/env python3
"""The Docker build context as .dockerignore leaves it: prints the bytes and
files it would send, then each path the Dockerfile's COPY lines name in the
build stage that the context lacks.  Reads .dockerignore as Docker does for
these patterns: each line is a path from the context's root with * and **,
a line starting with ! takes a path back in, the last matching line wins.

    python3 tests/container/context.py ROOT
"""
import fnmatch
import os
import re
import sys


def patterns(root):
    out = []
    with open(os.path.join(root, ".dockerignore")) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            keep = line.startswith("!")
            out.append((keep, line.lstrip("!").strip("/")))
    return out


def to_regex(pat):
    # ** crosses folders, * and ? do not; a match also covers what is inside.
    rx, i = "", 0
    while i < len(pat):
        if pat.startswith("**/", i):
            rx, i = rx + "(?:.*/)?", i + 3
        elif pat.startswith("**", i):
            rx, i = rx + ".*", i + 2
        elif pat[i] == "*":
            rx, i = rx + "[^/]*", i + 1
        elif pat[i] == "?":
            rx, i = rx + "[^/]", i + 1
        else:
            rx, i = rx + re.escape(pat[i]), i + 1
    return re.compile(rx + "(?:/.*)?$")


def excluded(path, rules):
    out = False
    for keep, rx in rules:
        if rx.match(path):
            out = not keep
    return out


def main():
    root = sys.argv[1]
    rules = [(keep, to_regex(p)) for keep, p in patterns(root)]
    total = files = 0
    kept = set()
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        for name in filenames:
            path = name if rel == "." else f"{rel}/{name}"
            if excluded(path, rules) or os.path.islink(os.path.join(root, path)):
                continue
            kept.add(path)
            total += os.path.getsize(os.path.join(root, path))
            files += 1
    print(f"{total} bytes in {files} files")
    with open(os.path.join(root, "Dockerfile")) as f:
        for line in f:
            m = re.match(r"COPY\s+(?!--from)(.+)", line.strip())
            if not m:
                continue
            for src in m.group(1).split()[:-1]:
                src = src.strip("/")
                if not any(k == src or k.startswith(src + "/") for k in kept):
                    print(f"missing: {src}")


if __name__ == "__main__":
    main()
