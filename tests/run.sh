#!/usr/bin/env bash
# Run every suite (the cmocka unit tests named as arguments, then the bats
# suites that drive the real program), print each test, and end with one
# line: N passed, N failed.
cd "$(dirname "$0")/.." || exit 1
passed=0 failed=0
log=$(mktemp) || exit 1
trap 'rm -f "$log"' EXIT

# Run a command that prints TAP; count its ok and not ok lines.
suite() {
	local name=$1 rc p f
	shift
	echo "== $name"
	"$@" 2>&1 | tee "$log" | sed -u 's/^/   /'
	rc=${PIPESTATUS[0]}
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	# A suite that dies without reporting a failure still failed.
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "   $name exited with status $rc"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
}

for t in "$@"; do
	suite "unit: ${t##*/test_}" env CMOCKA_MESSAGE_OUTPUT=TAP "$t"
done
for b in tests/e2e/*.bats; do
	suite "bats: $(basename "$b" .bats)" bats --tap "$b"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
