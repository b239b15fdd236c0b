#!/bin/bash
# cli_sign.sh - syswall keygen, sign and verify from the command line.
set -u
S=${SYSWALL:?}
SRC=${SW_SOURCE_DIR:?}
T=$(mktemp -d /tmp/sw-cli-sign.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
passes=0

ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

# expect CODE PATTERN CMD...: exit status CODE and PATTERN in the output
expect() {
        local want=$1 pattern=$2 out rc
        shift 2
        out=$("$@" 2>&1)
        rc=$?
        if [ "$rc" != "$want" ]; then
                bad "$* -> exit $rc, want $want; output: $out"
        elif ! grep -qF -- "$pattern" <<<"$out"; then
                bad "$* -> output lacks '$pattern': $out"
        else
                ok
        fi
}

cd "$T"
expect 0 "key " $S keygen -o agent --id security-agent
[ "$(stat -c %a agent.key)" = 600 ] && ok || bad "agent.key mode"
[ "$(stat -c %a agent.pub)" = 644 ] && ok || bad "agent.pub mode"
grep -qE '^syswall-ed25519-public [0-9a-f]{16} [A-Za-z0-9+/]{43}= security-agent$' \
        agent.pub && ok || bad "public line format"
id=$(awk '/^syswall/ {print $2}' agent.pub)
expect 2 "keys are never overwritten" $S keygen -o agent
expect 0 "key " $S keygen -o other
expect 0 "usage: syswall keygen" $S keygen --help

cp "$SRC/tests/data/sign/whitelist.json" wl.json
expect 4 "is not signed" $S verify --trust agent.pub wl.json
expect 0 "wl.json: signed with key $id" $S sign --key agent.key wl.json
expect 0 "signature valid, signed by key $id security-agent" \
        $S verify --trust agent.pub wl.json

# The rest of the text is kept: only the signature line is new.
diff "$SRC/tests/data/sign/whitelist.json" wl.json >diff.out
[ "$(grep -c '^>' diff.out)" = 2 ] && grep -q '^>   "signature": "ed25519:' \
        diff.out && ok || bad "sign changed more than the signature: $(cat diff.out)"

# Reformatting keeps the signature; a change of meaning breaks it.
python3 -c 'import json,sys; d=json.load(open("wl.json")); print(json.dumps(d, indent=7, sort_keys=True))' >reformatted.json
expect 0 "signature valid" $S verify --trust agent.pub reformatted.json
sed 's/"EACCES"/"EPERM"/' wl.json >changed.json
expect 4 "bad signature: no key of trust file 'agent.pub'" \
        $S verify --trust agent.pub changed.json
expect 4 "changed after it was signed, or it was signed by a key that is not trusted" \
        $S verify --trust other.pub wl.json

# A trust file with several keys and comments.
{ echo "# signers"; cat other.pub; echo; cat agent.pub; } >trust.pub
expect 0 "signed by key $id" $S verify --trust trust.pub wl.json

# Re-signing with the other key replaces the signature.
expect 0 "signed with key" $S sign --key other.key wl.json
[ "$(grep -c '"signature"' wl.json)" = 1 ] && ok || bad "two signatures"
expect 4 "bad signature" $S verify --trust agent.pub wl.json
expect 0 "signature valid" $S verify --trust other.pub wl.json

# Malformed signatures.
sed -E 's/("signature": "ed25519:[^"]{4})[^"]*"/\1"/' wl.json >short.json
expect 4 "too short" $S verify --trust other.pub short.json
sed -E 's/("signature": "ed25519:)..../\1@@@@/' wl.json >nonb64.json
expect 4 "not valid standard base64" $S verify --trust other.pub nonb64.json

# A second signature member is a duplicate key.
sed -E 's/^}$/, "signature": "ed25519:x"}/' wl.json >dup.json
expect 5 "duplicate object key" $S verify --trust other.pub dup.json
expect 5 "duplicate object key" $S sign --key other.key dup.json

# Keys in the wrong place, keys readable by others.
expect 5 "secret key" $S verify --trust other.key wl.json
expect 5 "signing needs the secret key" $S sign --key other.pub wl.json
chmod 644 other.key
expect 4 "can be read or written by other users (mode 0644)" \
        $S sign --key other.key wl.json
expect 3 "cannot open 'missing.pub'" $S verify --trust missing.pub wl.json
expect 5 "give --trust PUBLIC and one FILE" $S verify wl.json
expect 5 "give --key SECRET and one FILE" $S sign wl.json

# check reads the signature first when given a trust store.
cp "$SRC/tests/data/sign/whitelist.json" plain.json
expect 0 "plain.json: ok, 5 rules for" $S check plain.json
expect 0 "; unsigned" $S check plain.json
expect 0 "; signed, not verified (no --trust)" $S check wl.json
expect 0 "note: signed by trusted key" $S check --trust other.pub wl.json
expect 4 "plain.json:1:1: error: the whitelist is not signed" \
        $S check --trust other.pub plain.json
expect 4 "error: bad signature" $S check --trust agent.pub wl.json
expect 4 "a signature is required, but no trust store" \
        $S check --require-signature wl.json
expect 3 "cannot open 'missing.pub'" $S check --trust missing.pub wl.json

# A changed rule under --trust: only the signature is reported, the
# unknown system call name is never read.
sed 's/"exit_group"/"exit_grouq"/' wl.json >renamed.json
expect 3 "exit_grouq" $S check renamed.json
out=$($S check --trust other.pub renamed.json 2>&1)
[ $? = 4 ] && ! grep -q exit_grouq <<<"$out" && grep -q "1 error" <<<"$out" &&
        ok || bad "check --trust read the rules of a refused document: $out"

# Signed by a trusted key, created_by not the authority: refused too.
sed 's/"Security Agent"/"Mallory"/' plain.json >mallory.json
chmod 600 other.key
expect 0 "signed with key" $S sign --key other.key mallory.json
expect 0 "signature valid" $S verify --trust other.pub mallory.json
expect 4 "created_by is \"Mallory\", not the policy authority" \
        $S check --trust other.pub mallory.json

# run: a whitelist refused for its signature never starts the command.
cp "$SRC/data/default-whitelist.json" run.json
expect 0 "signed with key" $S sign --key agent.key run.json
expect 0 "SW_SIGN_MARKER" $S run -p run.json --trust agent.pub -- echo SW_SIGN_MARKER
sed 's/"whitelist_id": "\([^"]*\)"/"whitelist_id": "\1-changed"/' run.json >run-changed.json
cmp -s run.json run-changed.json && bad "sed changed nothing in run.json"
runs_not() {
        local pattern=$1 out rc
        shift
        out=$("$@" echo SW_SIGN_MARKER 2>&1)
        rc=$?
        if [ $rc != 125 ] || grep -q SW_SIGN_MARKER <<<"$out" ||
                ! grep -qF -- "$pattern" <<<"$out" ||
                ! grep -qF "the command was not started [EPERM]" <<<"$out"; then
                bad "$* -> exit $rc, want 125, no marker, '$pattern': $out"
        else
                ok
        fi
}
runs_not "error: bad signature" $S run -p run-changed.json --trust agent.pub --
runs_not "error: bad signature" $S run -p run.json --trust other.pub --
runs_not "the whitelist is not signed" $S run -p "$SRC/data/default-whitelist.json" \
        --trust agent.pub --
runs_not "the whitelist is not signed" $S run --trust agent.pub --
runs_not "a signature is required, but no trust store" \
        $S run -p run.json --require-signature --

# compile: same gate, and no program is written for a refused whitelist.
expect 0 "" $S compile run.json --trust agent.pub -o run.bpf
[ -s run.bpf ] && ok || bad "compile --trust wrote no program"
expect 4 "error: bad signature" $S compile run-changed.json --trust agent.pub \
        -o changed.bpf
[ -e changed.bpf ] && bad "compile wrote a program for a refused whitelist" || ok
expect 4 "the whitelist is not signed" $S compile "$SRC/data/default-whitelist.json" \
        --trust agent.pub -o unsigned.bpf
expect 4 "a signature is required, but no trust store" \
        $S compile run.json --require-signature -o required.bpf
expect 3 "cannot open 'missing.pub'" $S compile run.json --trust missing.pub \
        -o missing.bpf

ls -A | grep -q syswall-sign && bad "temporary file left" || ok
echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
