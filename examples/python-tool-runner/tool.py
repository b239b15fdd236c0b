"""tool.py - a tool an agent runs: read a task as JSON on stdin, do it,
answer JSON on stdout.  It reads files and computes; it needs no network,
no subprocesses and no writes, so its whitelist can say so.

Tasks: {"op": "wc", "paths": [...]}   line/word/byte counts of files
       {"op": "sha256", "paths": [...]} digests of files
       {"op": "sum", "numbers": [...]}  a sum, computed in a worker thread
"""
import hashlib
import json
import sys
import threading


def wc(paths):
    out = {}
    for p in paths:
        with open(p, "rb") as f:
            data = f.read()
        out[p] = {"lines": data.count(b"\n"), "words": len(data.split()),
                  "bytes": len(data)}
    return out


def sha256(paths):
    out = {}
    for p in paths:
        with open(p, "rb") as f:
            out[p] = hashlib.sha256(f.read()).hexdigest()
    return out


def threaded_sum(numbers):
    result = {}
    t = threading.Thread(target=lambda: result.update(sum=sum(numbers)))
    t.start()
    t.join()
    return result["sum"]


def main():
    task = json.load(sys.stdin)
    ops = {"wc": lambda: wc(task["paths"]),
           "sha256": lambda: sha256(task["paths"]),
           "sum": lambda: threaded_sum(task["numbers"])}
    if task.get("op") not in ops:
        json.dump({"error": "unknown op"}, sys.stdout)
        return 2
    json.dump({"op": task["op"], "result": ops[task["op"]]()}, sys.stdout,
              sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
