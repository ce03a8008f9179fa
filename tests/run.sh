#!/usr/bin/env bash
# Run every suite (the cmocka unit tests named as arguments, then the bats
# suites that drive the real program), print each test, and end with one
# line: N passed, N failed.
cd "$(dirname "$0")/.." || exit 1
passed=0 failed=0 skipped=0
log=$(mktemp) || exit 1
trap 'rm -f "$log"' EXIT

# Run a command that prints TAP; count its ok and not ok lines.
suite() {
	local name=$1 rc p f
	shift
	echo "== $name"
	"$@" 2>&1 | tee "$log" | sed -u 's/^/   /'
	rc=${PIPESTATUS[0]}
	p=$(grep '^ok ' "$log" | grep -vc '# skip')
	f=$(grep -c '^not ok ' "$log")
	skipped=$((skipped + $(grep '^ok ' "$log" | grep -c '# skip')))
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

[ "$skipped" -gt 0 ] && echo "($skipped skipped: see above why)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
