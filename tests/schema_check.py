"""schema_check.py SCHEMA FILE... - validate whitelists against the schema.

Prints one line per file, "ok FILE" or "invalid FILE: PATH: MESSAGE", and
exits 1 if any file is invalid.  Uses Debian's python3-jsonschema.
"""
import json
import sys

from jsonschema import Draft202012Validator


def _leaves(errors):
    """The innermost errors: oneOf/anyOf failures name their branches'."""
    for e in errors:
        if e.context:
            yield from _leaves(e.context)
        else:
            yield e


def main(argv):
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    bad = 0
    for name in argv[2:]:
        with open(name, encoding="utf-8") as f:
            doc = json.load(f)
        errors = sorted(validator.iter_errors(doc), key=lambda e: e.path)
        if not errors:
            print("ok", name)
            continue
        bad += 1
        for e in _leaves(errors):
            path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}"
                           for p in e.absolute_path).lstrip(".")
            print(f"invalid {name}: {path or '(document)'}: {e.message}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
