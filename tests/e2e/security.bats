#!/usr/bin/env bats
# Another user on the same machine can neither read the ring nor drive the
# workers, and shmviz writes no file anywhere.

load ../lib/common

teardown() {
	local rc=0
	cleanup || rc=$?
	[ -n "${PEEK_DIR:-}" ] && rm -rf "$PEEK_DIR"
	return "$rc"
}

# The peek helper, somewhere another user can run it from.  Becoming
# another user takes root.
setup_peek() {
	[ "$(id -u)" = 0 ] || skip "becoming another user needs root"
	PEEK_DIR=$(mktemp -d)
	chmod 755 "$PEEK_DIR"
	cp "$TOP/build/peek" "$PEEK_DIR/peek"
	chmod 755 "$PEEK_DIR/peek"
}

as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }

@test "another user can neither attach nor read the segment (mode 0600)" {
	setup_peek
	start_shmviz
	wait_for 'RUNNING'
	run as_nobody "$PEEK_DIR/peek" shm "${MY_SHMIDS[0]}"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(grep -c denied <<<"$output")" -eq 4 ]
	# and the segment is untouched
	segment_exists "${MY_SHMIDS[0]}"
}

@test "another user cannot drive the workers: no memory, no signals, no other channel" {
	setup_peek
	start_shmviz
	wait_for 'RUNNING'
	for p in "$SUP" "${WORKERS[@]}"; do
		run as_nobody "$PEEK_DIR/peek" proc "$p"
		echo "$p: $output"
		[ "$status" -eq 0 ]
	done
	# commands travel in a shared anonymous mapping: no key, no name, no
	# file; the only System V segment is the ring
	[ "$(segments_of "$SUP" | wc -l)" -eq 1 ]
	for p in "${WORKERS[@]}"; do
		[ "$(grep -c '/SYSV' "/proc/$p/maps")" -eq 1 ]
		grep -q '/dev/zero (deleted)' "/proc/$p/maps"
	done
}

# Every call that names a file (strace's %file class) and every bind: all
# but reading ones are flagged, so a FIFO, a socket, a directory or a
# rename shows as readily as a file opened for writing.
TRACE='%file,bind'
READ_ONLY='execve|access|faccessat|faccessat2|newfstatat|fstatat64|statx|stat|lstat|statfs|readlink|readlinkat|getcwd'

no_writes_in() {
	local bad
	bad=$(grep -E '^[0-9]+ +[a-z_0-9]+\(' "$1" |
		grep -vE "^[0-9]+ +($READ_ONLY)\(" |
		grep -vE '^[0-9]+ +(open|openat|openat2)\([^)]*O_RDONLY' ) || true
	bad+=$(grep -E '^[0-9]+ +(open|openat|openat2)\(.*O_CREAT' "$1") || true
	[ -z "$bad" ] || { echo "writes: $bad"; return 1; }
}

@test "headless: no file is created or written, by the supervisor or a worker" {
	local log="$BATS_TEST_TMPDIR/strace.log"
	strace -f -qq -e trace="$TRACE" -o "$log" \
		"$SHMVIZ" --headless --items 2000 -r max -R max -P 2 -C 2 --sync mutex
	grep -q 'openat' "$log"
	no_writes_in "$log"
}

@test "on screen: no file is created or written either" {
	local log="$BATS_TEST_TMPDIR/strace.log"
	SOCK="$BATS_TEST_TMPDIR/tmux.sock"
	tm -f /dev/null new-session -d -x 80 -y 24 "$TOP/tests/lib/pane.sh" \
		strace -f -qq -e trace="$TRACE" -o "$log" "$SHMVIZ" -r 50 -R 50
	PANE_PID=$(tm list-panes -F '#{pane_pid}')
	wait_for 'RUNNING'
	keys m
	wait_for '^ mutex'
	keys q
	wait_for 'shmviz-exit=0 tty=same' 10
	no_writes_in "$log"
}
