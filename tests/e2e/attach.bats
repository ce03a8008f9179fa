#!/usr/bin/env bats
# shmviz attach and shmviz ls: a ring shmviz did not make, watched
# read-only; the segments a user can see, and the leaked ones.

load ../lib/common

TUT="$TOP/build/tutring"

teardown() {
	local rc=0
	# a viewer's terminal, if a test made one and did not get to end it
	tmux -S "$BATS_TEST_TMPDIR/viewer.sock" kill-server 2>/dev/null
	cleanup || rc=$?
	[ -n "${OTHER_DIR:-}" ] && rm -rf "$OTHER_DIR"
	return "$rc"
}

# shmviz attach SHMID on screen, in an 80x24 terminal of its own (vsock),
# ended at teardown; vscreen is what it shows, vhas matches it.
start_viewer() {
	vsock="$BATS_TEST_TMPDIR/viewer.sock"
	tmux -S "$vsock" -f /dev/null new-session -d -x 80 -y 24 "$TOP/tests/lib/pane.sh" "$SHMVIZ" attach "$1"
	MY_PIDS+=($(tmux -S "$vsock" list-panes -F '#{pane_pid}'))
}
vscreen() { tmux -S "$vsock" capture-pane -p; }
vhas() { vscreen | grep -qE -- "$1"; }

# shmviz and peek where another user may run them (becoming another user
# takes root): OTHER_DIR, removed at teardown.
other_user_tools() {
	[ "$(id -u)" = 0 ] || skip "becoming another user needs root"
	OTHER_DIR=$(mktemp -d)
	chmod 755 "$OTHER_DIR"
	cp "$SHMVIZ" "$TOP/build/peek" "$OTHER_DIR/"
	chmod 755 "$OTHER_DIR/shmviz" "$OTHER_DIR/peek"
}

# Start the tutorial-layout program: tut produce|consume ITEMS RATE; its
# segment is found with ftok on a file of this test's own, project 65.
tut() {
	local role=$1 out="$BATS_TEST_TMPDIR/$1.$RANDOM"
	touch "$BATS_TEST_TMPDIR/key"
	"$TUT" "$role" "$BATS_TEST_TMPDIR/key" 65 "$2" "$3" >"$out" &
	TUT_PID=$!
	MY_PIDS+=("$TUT_PID")
	TIMEOUT_S=10 eventually test -s "$out"
	TUT_ID=$(head -n 1 "$out")
	MY_SHMIDS+=("$TUT_ID")
}

# The key ftok gives that file, as shmviz prints it.
tut_key() { python3 -c 'import os, sys; st = os.stat(sys.argv[1]); print("0x%08x" % ((65 << 24) | ((st.st_dev & 0xff) << 16) | (st.st_ino & 0xffff)))' "$BATS_TEST_TMPDIR/key"; }

# Run shmviz attach headless; OUT, ERR and RUN_STATUS.
attach() {
	RUN_STATUS=0
	"$SHMVIZ" attach "$@" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" ||
		RUN_STATUS=$?
	OUT=$(cat "$BATS_TEST_TMPDIR/out")
	ERR=$(cat "$BATS_TEST_TMPDIR/err")
	echo "shmviz attach $*: status $RUN_STATUS"
	echo "$OUT" | tail -n 3
	echo "$ERR"
}

# A field of every JSON line in OUT, one a line.
jlines() { python3 -c 'import json, sys; [print(json.loads(l)[sys.argv[2]]) for l in sys.argv[1].splitlines()]' "$OUT" "$1"; }

@test "attach --ftok, --key and SHMID: head, tail and count move, mode 0666 is named, nothing is written" {
	tut produce 400 40
	local producer=$TUT_PID
	tut consume 400 20
	for how in "--ftok $BATS_TEST_TMPDIR/key 65" "--key $(tut_key)" "$TUT_ID"; do
		attach $how --headless --json --duration 1.5 --fps 10
		[ "$RUN_STATUS" -eq 0 ]
		[ "$(jlines shmid | sort -u)" = "$TUT_ID" ]
		[ "$(jlines mode | sort -u)" = 0666 ]
		[ "$(jlines head | sort -u | wc -l)" -gt 3 ]
		[ "$(jlines tail | sort -u | wc -l)" -gt 3 ]
		[ "$(jlines count | sort -u | wc -l)" -ge 2 ]
		[ "$(jlines nattch | sort -un | tail -n 1)" -ge 3 ]
		grep -q 'mode 0666 lets every user on this machine write the ring' <<<"$OUT"
		python3 - "$OUT" <<'PY'
import json, sys
lines = [json.loads(l) for l in sys.argv[1].splitlines()]
assert 12 <= len(lines) <= 18, len(lines)      # 10 a second for 1.5 s
for d in lines:
    for k in ("shmid", "key", "mode", "nattch", "cpid", "lpid", "head", "tail",
              "count", "fill", "sem_empty", "sem_full", "warnings"):
        assert k in d, k
    assert d["sem_empty"] + d["sem_full"] <= 1024
    assert all(p["comm"] == "tutring" for p in d["processes"]), d["processes"]
PY
	done
	kill "$producer" "$TUT_PID"
	ipcrm -m "$TUT_ID"
}

@test "attach shows a blocked producer as blocked in a futex wait" {
	# no consumer: 1024 slots fill, and the producer waits on free slots
	tut produce 1100 0
	attach "$TUT_ID" --headless --json --duration 1 --fps 5
	tail -n 1 <<<"$OUT" | grep -q '"head":0,"tail":0,"count":1024,"fill":1024,"sem_empty":0,"sem_full":1024'
	tail -n 1 <<<"$OUT" | grep -q '"doing":"blocked (futex wait)"'
	kill "$TUT_PID"
	ipcrm -m "$TUT_ID"
}

@test "a second producer's sem_init on the live ring is named; the segment outliving its programs too" {
	tut produce 30 0
	wait "$TUT_PID"
	"$SHMVIZ" attach "$TUT_ID" --headless --json --duration 4 --fps 10 \
		>"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
	local viewer=$!
	MY_PIDS+=("$viewer")
	TIMEOUT_S=10 eventually test -s "$BATS_TEST_TMPDIR/out"
	tut produce 0 0
	wait "$TUT_PID"
	wait "$viewer"
	OUT=$(cat "$BATS_TEST_TMPDIR/out")
	tail -n 1 <<<"$OUT"
	grep -q 'the semaphores were initialised again while in use: something called sem_init on a live semaphore (free slots went from 994 to 1024 with 30 items in the ring)' <<<"$OUT"
	grep -q "it will outlive its programs (ipcrm -m $TUT_ID removes it)" <<<"$OUT"
	# the first looks, before the second producer, claimed no sem_init
	! head -n 1 <<<"$OUT" | grep -q 'sem_init'
	ipcrm -m "$TUT_ID"
}

@test "ls: the tutorial's segment is leaked once its programs exit, with the ipcrm to run" {
	tut produce 5 0
	wait "$TUT_PID"
	run "$SHMVIZ" ls
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qE "^ *$TUT_ID  0x[0-9a-f]{8}  [a-z]+ +0666 +4[0-9]+ +0  [0-9]+ gone +leaked$" <<<"$output"
	grep -qx "  ipcrm -m $TUT_ID" <<<"$output"
	run "$SHMVIZ" ls --json
	python3 - "$output" "$TUT_ID" <<'PY'
import json, sys
rows = {r["shmid"]: r for r in json.loads(sys.argv[1])}
r = rows[int(sys.argv[2])]
assert r["leaked"] and not r["removed"] and r["nattch"] == 0 and not r["creator_alive"], r
assert r["mode"] == "0666"
PY
	# a live shmviz session's segment: in use, or marked for removal
	start_shmviz
	wait_for RUNNING
	run "$SHMVIZ" ls --json
	python3 - "$output" "${MY_SHMIDS[-1]}" <<'PY'
import json, sys
r = {r["shmid"]: r for r in json.loads(sys.argv[1])}[int(sys.argv[2])]
assert not r["leaked"] and r["nattch"] >= 1, r
PY
	# ls removes nothing
	segment_exists "$TUT_ID"
	ipcrm -m "$TUT_ID"
}

@test "attach on screen: the ring, the processes and the warnings at 80x24; q detaches, nothing is left" {
	tut produce 2000 30
	local producer=$TUT_PID
	tut consume 2000 10
	start_pane_only "$SHMVIZ" attach --ftok "$BATS_TEST_TMPDIR/key" 65
	wait_for "attach  shmid $TUT_ID" 10
	wait_for 'READ-ONLY'
	wait_for "pid $producer \(tutring\) is (asleep|running|blocked)"
	wait_for 'mode 0666 lets every user on this machine write the ring'
	wait_for 'H head [0-9]+ +T tail [0-9]+ +count [0-9]+'
	[ "$(awk -v id="$TUT_ID" 'NR > 1 && $2 == id { print $7 }' /proc/sysvipc/shm)" -eq 3 ]
	keys q
	wait_for 'shmviz-exit=0' 10
	TIMEOUT_S=10 eventually attached_is 2
	kill "$producer" "$TUT_PID"
	ipcrm -m "$TUT_ID"
}

attached_is() { [ "$(awk -v id="$TUT_ID" 'NR > 1 && $2 == id { print $7 }' /proc/sysvipc/shm)" -eq "$1" ]; }

@test "attach ends when the segment goes" {
	tut produce 5 0
	wait "$TUT_PID"
	"$SHMVIZ" attach "$TUT_ID" --headless --fps 10 >"$BATS_TEST_TMPDIR/out" \
		2>"$BATS_TEST_TMPDIR/err" &
	local viewer=$!
	MY_PIDS+=("$viewer")
	TIMEOUT_S=10 eventually test -s "$BATS_TEST_TMPDIR/out"
	ipcrm -m "$TUT_ID"
	local st=0
	wait "$viewer" || st=$?
	[ "$st" -eq 0 ]
	grep -qx "shmviz attach: segment $TUT_ID is gone" "$BATS_TEST_TMPDIR/err"
}

@test "another user may not attach a session's 0600 segment: one line, whose it is, status 2" {
	other_user_tools
	start_shmviz
	wait_for RUNNING
	run setpriv --reuid=nobody --regid=nogroup --clear-groups "$OTHER_DIR/shmviz" attach "${MY_SHMIDS[0]}" --headless --duration 1
	echo "$output"
	[ "$status" -eq 2 ]
	[ "$output" = "shmviz attach: segment ${MY_SHMIDS[0]} is $(id -un)'s, mode 0600: you may not read it" ]
}

@test "every bad argument gets one line and status 2, and attaches nothing" {
	tut produce 1 0
	wait "$TUT_PID"
	for args in "" "--headless" "1 2" "$TUT_ID --key 0x1" "--key 0" "--key zz" \
		"--ftok /nonexistent/file 65" "--ftok $BATS_TEST_TMPDIR/key 0" \
		"$TUT_ID --layout other" "$TUT_ID --fps 0" "$TUT_ID --fps 61" \
		"$TUT_ID --json" "$TUT_ID --headless --duration 0" "$TUT_ID --bogus" \
		"2147483647 --headless" "x1 --headless"; do
		run "$SHMVIZ" attach $args
		echo "attach $args: $status: $output"
		[ "$status" -eq 2 ]
		[ "$(wc -l <<<"$output")" -eq 1 ]
		grep -q '^shmviz attach: ' <<<"$output"
	done
	# a segment smaller than the layout
	local small
	small=$(ipcmk -M 100 -p 0600 | grep -oE '[0-9]+$')
	MY_SHMIDS+=("$small")
	run "$SHMVIZ" attach "$small" --headless --duration 1
	echo "$output"
	[ "$status" -eq 2 ]
	grep -qE "^shmviz attach: segment $small is 100 bytes; struct shared_data needs 4[0-9]+$" <<<"$output"
	ipcrm -m "$small"
	run "$SHMVIZ" ls --bogus
	[ "$status" -eq 2 ]
	[ "$(wc -l <<<"$output")" -eq 1 ]
	# nothing was ever attached by those: the tutorial's segment is as left
	[ "$(awk -v id="$TUT_ID" 'NR > 1 && $2 == id { print $7 }' /proc/sysvipc/shm)" -eq 0 ]
	ipcrm -m "$TUT_ID"
}

@test "--binary --struct: the layout from the program's debug information finds the same fields as --layout seed" {
	tut produce 50 0
	wait "$TUT_PID"
	attach "$TUT_ID" --binary "$TUT" --struct tut_ring --headless --json --duration 0.3 --fps 5
	[ "$RUN_STATUS" -eq 0 ]
	local bin=$(tail -n 1 <<<"$OUT" | python3 -c 'import json, sys; d = json.loads(sys.stdin.read()); print(d["head"], d["tail"], d["count"], d["fill"], d["sem_empty"], d["sem_full"])')
	attach "$TUT_ID" --layout seed --headless --json --duration 0.3 --fps 5
	local seed=$(tail -n 1 <<<"$OUT" | python3 -c 'import json, sys; d = json.loads(sys.stdin.read()); print(d["head"], d["tail"], d["count"], d["fill"], d["sem_empty"], d["sem_full"])')
	echo "binary: $bin; seed: $seed"
	[ "$bin" = "50 0 50 50 974 50" ]
	[ "$bin" = "$seed" ]
	# --map overrides a guess: head and tail swapped
	attach "$TUT_ID" --binary "$TUT" --struct tut_ring --map head=tail --map tail=head --headless --json --duration 0.1
	tail -n 1 <<<"$OUT" | grep -q '"head":0,"tail":50,'
	# what cannot be: one line, status 2
	local nodebug="$BATS_TEST_TMPDIR/nodebug"
	cc -O2 -pthread -o "$nodebug" "$TOP/tests/tools/tutring.c"
	strip "$nodebug"
	attach "$TUT_ID" --binary "$nodebug" --struct tut_ring --headless
	[ "$RUN_STATUS" -eq 2 ]
	[ "$ERR" = "shmviz attach: --binary: $nodebug has no debug information: build it with -g" ]
	attach "$TUT_ID" --binary "$TUT" --struct no_such --headless
	[ "$RUN_STATUS" -eq 2 ]
	grep -q "has no struct no_such" <<<"$ERR"
	attach "$TUT_ID" --binary "$TUT" --struct tut_ring --map head=items --headless
	[ "$RUN_STATUS" -eq 2 ]
	[ "$ERR" = "shmviz attach: --map: items cannot be the head: it is no integer" ]
	attach "$TUT_ID" --binary "$TUT" --struct tut_ring --map speed=head --headless
	[ "$RUN_STATUS" -eq 2 ]
	attach "$TUT_ID" --binary "$TUT" --headless
	[ "$RUN_STATUS" -eq 2 ]
	attach "$TUT_ID" --binary "$TUT" --struct tut_ring --layout seed --headless
	[ "$RUN_STATUS" -eq 2 ]
	ipcrm -m "$TUT_ID"
}

# The pid of the headless shmviz whose ring is segment $1 (its creator).
creator_of() { awk -v id="$1" 'NR > 1 && $2 == id { print $5 }' /proc/sysvipc/shm; }

@test "a second shmviz attaches to a running session and shows its workers, lines, counters and log" {
	start_shmviz -r 20 -R 10
	wait_for RUNNING
	local id=${MY_SHMIDS[0]}
	attach "$id" --headless --json --duration 1 --fps 5
	[ "$RUN_STATUS" -eq 0 ]
	python3 - "$OUT" "$SUP" "${WORKERS[*]}" <<'PY'
import json, sys
lines = [json.loads(l) for l in sys.argv[1].splitlines()]
assert len(lines) >= 5, len(lines)
d = lines[-1]
assert d["session"] and d["supervisor"] == int(sys.argv[2]) and d["sync"] == "seed"
assert d["state"] == "RUNNING", d["state"]
pids = sorted(w["pid"] for w in d["workers"])
assert pids == sorted(int(p) for p in sys.argv[3].split()), (pids, sys.argv[3])
assert [w["name"] for w in d["workers"]] == ["P1", "C1"]
assert lines[-1]["produced"] > lines[0]["produced"], "the counters move"
assert any("share shmid" in l for l in d["log"]), d["log"]
PY
	# on screen, in a terminal of its own: the session's own screen
	start_viewer "$id"
	TIMEOUT_S=10 eventually vhas "viewing pid $SUP's session, read-only"
	TIMEOUT_S=10 eventually vhas "^ 1 P1  pid ${WORKERS[0]} "
	TIMEOUT_S=10 eventually vhas "^ 2 C1  pid ${WORKERS[1]} "
	TIMEOUT_S=10 eventually vhas 'sem_wait\(&empty\);'
	TIMEOUT_S=10 eventually vhas "shmid $id .* RUNNING"
	# it follows: the session paused is shown paused
	keys Space
	wait_for 'PAUSED'
	TIMEOUT_S=10 eventually vhas 'PAUSED *$'
	# and it can change nothing: its keys do not reach the session
	tmux -S "$vsock" send-keys Space s k m
	holds_for 1 screen_has 'PAUSED *$'
	alive "${WORKERS[0]}" && alive "${WORKERS[1]}"
	tmux -S "$vsock" send-keys q
	TIMEOUT_S=10 eventually vhas 'shmviz-exit=0'
	tmux -S "$vsock" kill-server
}

@test "a viewer of a stepped session shows its schedule line and, with t, its trace; the session's screen stays as it was" {
	start_shmviz -n 4 --step-delay 0 --schedule 'P1:8 P1:8 P1:8 C1:8'
	wait_for 'schedule 32/32 done'
	start_viewer "${MY_SHMIDS[0]}"
	TIMEOUT_S=10 eventually vhas 'schedule 32/32 done:'
	# the session's hint names keys the viewer does not have: not shown
	! vhas 'r plays it again'
	tmux -S "$vsock" send-keys t
	TIMEOUT_S=10 eventually vhas 'steps so far: P1:24 C1:8'
	# the newest steps, numbered as the session numbers them
	TIMEOUT_S=10 eventually vhas '^ +32 +post empty empty=2 +2 +3 +1$'
	vscreen | grep -qE '^ +n +C1 +count +head tail'
	# PgUp scrolls the viewer's own trace back
	tmux -S "$vsock" send-keys PPage
	TIMEOUT_S=10 eventually vhas 'the trace is 10 rows back: PgDn'
	# the session shows no trace: t on the viewer moved only the viewer
	holds_for 1 bash -c "! tmux -S '$SOCK' capture-pane -p | grep -q 'steps so far'"
	# u on the session: a fresh ring, which the viewer follows, hints for
	# keys it does not have left out
	keys u
	wait_for 'u: back to step 31'
	local id2
	id2=$(screen | grep -oE 'shmid [0-9]+' | head -n 1)
	[ "$id2" != "shmid ${MY_SHMIDS[0]}" ]
	TIMEOUT_S=10 eventually vhas "^ seed .*$id2 "
	TIMEOUT_S=10 eventually vhas 'schedule 31/32 paused +next: C1 sem_post\(&empty\);'
	! vhas 'space resumes it'
	tmux -S "$vsock" send-keys q
	TIMEOUT_S=10 eventually vhas 'shmviz-exit=0'
	tmux -S "$vsock" kill-server
}

@test "eight headless viewers at once change nothing in the session's counts" {
	local base with
	base=$("$SHMVIZ" --headless --json --sync mutex -r 60 -R 60 --items 150)
	"$SHMVIZ" --headless --json --sync mutex -r 60 -R 60 --items 150 >"$BATS_TEST_TMPDIR/with" &
	local sess=$!
	MY_PIDS+=("$sess")
	local id=""
	TIMEOUT_S=10 eventually bash -c "awk -v p=$sess 'NR > 1 && \$5 == p' /proc/sysvipc/shm | grep -q ."
	id=$(awk -v p="$sess" 'NR > 1 && $5 == p { print $2 }' /proc/sysvipc/shm)
	# its view is published just after its ring is made
	TIMEOUT_S=10 eventually bash -c "ls -l /proc/$sess/fd | grep -q 'memfd:shmviz-status-$id'"
	local v=()
	for k in 1 2 3 4 5 6 7 8; do
		"$SHMVIZ" attach "$id" --headless --json --fps 10 >"$BATS_TEST_TMPDIR/v$k" 2>&1 &
		v+=($!)
	done
	MY_PIDS+=("${v[@]}")
	wait "$sess"
	for p in "${v[@]}"; do wait "$p"; done
	with=$(cat "$BATS_TEST_TMPDIR/with")
	for k in 1 2 3 4 5 6 7 8; do
		grep -q '"session":true' "$BATS_TEST_TMPDIR/v$k"
		grep -qx 'shmviz attach: the session ended' "$BATS_TEST_TMPDIR/v$k"
	done
	for f in produced consumed lost duplicated out_of_order empty_reads drift violations ended; do
		[ "$(grep -oE "\"$f\":[^,]*" <<<"$base")" = "$(grep -oE "\"$f\":[^,]*" <<<"$with")" ]
	done
	grep -q '"produced":150,"consumed":150,"lost":0,"duplicated":0' <<<"$with"
}

@test "--share GROUP: a member of GROUP watches the session read-only; anyone else is refused" {
	other_user_tools
	start_shmviz --share nogroup -r 20 -R 10
	wait_for RUNNING
	local id=${MY_SHMIDS[0]} view
	# what they see: 0640, the group's; the ring itself stays 0600
	view=$(awk -v p="$SUP" -v id="$id" 'NR > 1 && $5 == p && $2 != id { print $2 }' /proc/sysvipc/shm)
	[ -n "$view" ]
	MY_SHMIDS+=("$view")
	awk -v id="$view" 'NR > 1 && $2 == id { print $3, $9 }' /proc/sysvipc/shm | grep -qx '1640 65534'
	awk -v id="$id" 'NR > 1 && $2 == id { print $3 }' /proc/sysvipc/shm | grep -qx '1600'
	run setpriv --reuid=nobody --regid=nogroup --clear-groups "$OTHER_DIR/shmviz" attach "$id" --headless --json --duration 0.5
	echo "$output" | tail -n 1
	[ "$status" -eq 0 ]
	tail -n 1 <<<"$output" | grep -q "\"session\":true,\"supervisor\":$SUP,"
	# a user of another group may not
	run setpriv --reuid=nobody --regid=65533 --clear-groups "$OTHER_DIR/shmviz" attach "$id" --headless --duration 0.5
	echo "$output"
	[ "$status" -eq 2 ]
	[ "$output" = "shmviz attach: segment $id is $(id -un)'s, mode 0600: you may not read it" ]
	# nobody but the session may write what viewers see, nor remove it
	run setpriv --reuid=nobody --regid=nogroup --clear-groups "$OTHER_DIR/peek" shm "$view"
	echo "$output"
	grep -q '^shmat-read ALLOWED' <<<"$output"
	grep -q '^shmat-write denied' <<<"$output"
	grep -q '^shmctl-rmid denied' <<<"$output"
}

@test "--share names a group that exists, or gets one line and status 2" {
	run "$SHMVIZ" --headless --share no-such-group-here --duration 1
	echo "$output"
	[ "$status" -eq 2 ]
	[ "$output" = "shmviz: --share: 'no-such-group-here' is not allowed; give the name of a group on this machine" ]
}
