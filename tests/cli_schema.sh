#!/bin/bash
# cli_schema.sh - every whitelist the project ships validates against
# docs/whitelist.schema.json, and the schema refuses what the format refuses.
set -u
cd "$SW_SOURCE_DIR" || exit 1
PY=/usr/bin/python3
SCHEMA=docs/whitelist.schema.json
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Shipped whitelists: every tracked JSON file that has a schema_version.
mapfile -t shipped < <(git ls-files 'examples/*.json' 'data/*.json' \
        'tests/data/valid/*.json' | xargs -r grep -l '"schema_version"')
if [ ${#shipped[@]} -eq 0 ]; then
        echo "FAIL: no shipped whitelist found"
        exit 1
fi
if ! $PY tests/schema_check.py "$SCHEMA" "${shipped[@]}"; then
        echo "FAIL: a shipped whitelist does not match the schema"
        fail=1
fi

base='"schema_version":"1.0","whitelist_id":"t","created_at":"2026-01-15T10:00:00Z","created_by":"Security Agent"'
expect_invalid() { # NAME JSON FRAGMENT
        printf '%s' "$2" >"$tmp/$1.json"
        out=$($PY tests/schema_check.py "$SCHEMA" "$tmp/$1.json")
        if [ $? -ne 1 ] || ! grep -qF -- "$3" <<<"$out"; then
                echo "FAIL: $1: expected invalid with '$3', got: $out"
                fail=1
        fi
}
expect_invalid misspelled "{$base,\"sycalls\":[]}" "'syscalls' is a required property"
expect_invalid lowercase "{$base,\"syscalls\":[{\"name\":\"read\",\"permission\":\"allow\"}]}" "syscalls[0].permission"
expect_invalid noconds "{$base,\"syscalls\":[{\"name\":\"read\",\"permission\":\"CONDITIONAL\"}]}" "'conditions' is a required property"
expect_invalid nomask "{$base,\"syscalls\":[{\"name\":\"read\",\"permission\":\"CONDITIONAL\",\"conditions\":{\"description\":\"d\",\"argument_filter\":{\"arg_index\":0,\"operator\":\"masked_eq\",\"value\":1}}}]}" "'mask' is a required property"
expect_invalid port0 "{$base,\"syscalls\":[{\"name\":\"connect\",\"permission\":\"CONDITIONAL\",\"conditions\":{\"description\":\"d\",\"port_restriction\":{\"allowed_ports\":[0]}}}]}" "allowed_ports[0]"
expect_invalid major2 "{\"schema_version\":\"2.0\",\"whitelist_id\":\"t\",\"created_at\":\"2026-01-15T10:00:00Z\",\"created_by\":\"Security Agent\",\"syscalls\":[{\"name\":\"read\",\"permission\":\"ALLOW\"}]}" "schema_version"

[ $fail -eq 0 ] && echo "schema: ${#shipped[@]} shipped whitelists valid, 6 refusals as expected"
exit $fail
