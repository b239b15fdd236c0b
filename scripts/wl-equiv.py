#!/usr/bin/env python3
"""wl-equiv.py A.json B.json - do two P1.2 whitelists mean the same?

For every system call name either whitelist lists, compare what each does
(allow, fail with an errno, or kill because it is not listed) on argument
vectors made from the constants both compare with: each constant, its
neighbours, the bits of each mask flipped, and the upper register half
set for 32-bit comparisons.  For order comparisons these vectors cover
every region where an outcome can change; for masked ones they are a
dense sample.  Port restrictions are compared as written.

Prints the differences and exits 1 when there are any, else prints
"same meaning" and exits 0.
"""
import itertools
import json
import random
import sys

U64 = (1 << 64) - 1
LOW32 = (1 << 32) - 1


def num(v):
    if isinstance(v, str):
        v = int(v, 0)
    return v & U64


def filters(cond):
    f = cond.get("argument_filter", [])
    return f if isinstance(f, list) else [f]


def conds(rule):
    c = rule.get("conditions", [])
    return c if isinstance(c, list) else [c]


def holds(f, args):
    a, v = args[f["arg_index"]], num(f["value"])
    m = num(f.get("mask", 0))
    if f.get("width", 64) == 32:
        a, v, m = a & LOW32, v & LOW32, m & LOW32
    op = f["operator"]
    return {"eq": a == v, "ne": a != v, "gt": a > v, "lt": a < v,
            "ge": a >= v, "le": a <= v, "masked_eq": (a & m) == v}[op]


def outcome(rule, args):
    if rule is None:
        return "KILL"
    perm = rule["permission"]
    if perm == "ALLOW":
        return "ALLOW"
    err = rule.get("errno", "EPERM")
    if perm == "DENY":
        return err
    for c in conds(rule):
        if all(holds(f, args) for f in filters(c)):
            ports = c.get("port_restriction")
            return "ALLOW" + (json.dumps(ports, sort_keys=True) if ports else "")
    return err


def values(rules):
    per = [set([0, U64, LOW32, 1 << 32]) for _ in range(6)]
    for r in rules:
        if r is None:
            continue
        for c in conds(r):
            for f in filters(c):
                s, v = per[f["arg_index"]], num(f["value"])
                m = num(f.get("mask", 0))
                for x in (v, v - 1, v + 1, v | ~m, v ^ (m & -m)):
                    s.add(x & U64)
                for b in range(64):
                    if m >> b & 1:
                        s.add((v ^ (1 << b)) & U64)
                if f.get("width", 64) == 32:
                    s.add((v | (U64 ^ LOW32)) & U64)
                    s.add(((v - 1) & LOW32) | (1 << 40))
    return [sorted(s) for s in per]


def vectors(per, limit=20000):
    used = [i for i in range(6) if len(per[i]) > 4]
    full = 1
    for i in used:
        full *= len(per[i])
    if full <= limit:
        for combo in itertools.product(*[per[i] for i in used]):
            args = [0] * 6
            for i, v in zip(used, combo):
                args[i] = v
            yield args
        return
    rnd = random.Random(1)
    for i in used:  # every value of one index, the others at zero
        for v in per[i]:
            args = [0] * 6
            args[i] = v
            yield args
    for _ in range(limit):
        yield [rnd.choice(per[i]) for i in range(6)]


def main():
    a, b = (json.load(open(p)) for p in sys.argv[1:3])
    ra = {r["name"]: r for r in a["syscalls"]}
    rb = {r["name"]: r for r in b["syscalls"]}
    diffs = []
    for name in sorted(set(ra) | set(rb)):
        x, y = ra.get(name), rb.get(name)
        per = values([x, y])
        for args in vectors(per):
            ox, oy = outcome(x, args), outcome(y, args)
            if ox != oy:
                diffs.append(f"{name}: args {[hex(v) for v in args]}: "
                             f"{ox} vs {oy}")
                break
    for d in diffs:
        print(d)
    if diffs:
        print(f"{len(diffs)} calls differ")
        return 1
    print("same meaning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
