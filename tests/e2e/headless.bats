#!/usr/bin/env bats
# The same session without a terminal: counts, summaries, refusals.

load ../lib/common

teardown() { cleanup; }

# Run shmviz in the background, keep its pid, and wait for it.
run_shmviz() {
	"$SHMVIZ" "$@" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
	RUN_PID=$!
	MY_PIDS+=("$RUN_PID")
	RUN_STATUS=0
	wait "$RUN_PID" || RUN_STATUS=$?
	OUT=$(cat "$BATS_TEST_TMPDIR/out")
	ERR=$(cat "$BATS_TEST_TMPDIR/err")
}

json() { grep -oE "\"$1\":[^,}]+" <<<"$OUT" | head -n 1 | cut -d: -f2; }

@test "100,000 items at max rates arrive exactly once and in order, capacities 1 2 16 1024 4096" {
	for n in 1 2 16 1024 4096; do
		run_shmviz --headless --json -n "$n" -r max -R max --items 100000
		echo "capacity $n: $OUT"
		[ "$RUN_STATUS" -eq 0 ]
		[ "$(json capacity)" -eq "$n" ]
		[ "$(json produced)" -eq 100000 ]
		[ "$(json consumed)" -eq 100000 ]
		[ "$(json lost)" -eq 0 ]
		[ "$(json duplicated)" -eq 0 ]
		[ "$(json out_of_order)" -eq 0 ]
		[ "$(json ended)" = '"drained"' ]
		[ -z "$(segments_of "$RUN_PID")" ]
	done
}

@test "the JSON summary is one object with every documented key" {
	run_shmviz --headless --json --items 20 -r 200 -R 200
	[ "$RUN_STATUS" -eq 0 ]
	[ "$(wc -l <<<"$OUT")" -eq 1 ]
	for k in capacity produced consumed lost duplicated out_of_order count \
	    fill elapsed_s producer_rate consumer_rate; do
		grep -q "\"$k\":" <<<"$OUT" || { echo "missing $k: $OUT"; false; }
	done
	python3 -c 'import json,sys; json.loads(sys.argv[1])' "$OUT"
}

@test "--duration ends a session and counts what is still in the ring" {
	run_shmviz --headless --json --duration 1 -r 100 -R 20
	[ "$RUN_STATUS" -eq 0 ]
	[ "$(json ended)" = '"duration"' ]
	local p=$(json produced) c=$(json consumed) r=$(json in_ring)
	[ "$p" -gt "$c" ]
	[ "$((p - c))" -eq "$r" ]
	[ "$(json lost)" -eq 0 ]
}

@test "a paced producer is not a max-rate one" {
	run_shmviz --headless --json --duration 1 -r 10 -R max
	[ "$(json produced)" -ge 5 ]
	[ "$(json produced)" -le 20 ]
}

@test "the text summary names the counts" {
	run_shmviz --headless --items 10 -r 500 -R 500
	[ "$RUN_STATUS" -eq 0 ]
	grep -q '^shmviz: 10 produced, 10 consumed, 0 lost, 0 duplicated, 0 out of order' <<<"$OUT"
}

@test "SIGINT ends a headless session with a summary and status 130" {
	"$SHMVIZ" --headless --json >"$BATS_TEST_TMPDIR/out" &
	local pid=$!
	MY_PIDS+=("$pid")
	TIMEOUT_S=5 eventually bash -c "[ \$(pgrep -P $pid | wc -l) -eq 2 ]"
	MY_PIDS+=($(pgrep -P "$pid"))
	MY_SHMIDS+=($(segments_of "$pid"))
	kill -INT "$pid"
	wait "$pid" || RUN_STATUS=$?
	[ "$RUN_STATUS" -eq 130 ]
	grep -q '"ended":"signal"' "$BATS_TEST_TMPDIR/out"
	nothing_left
}

@test "a killed consumer is reported, not hidden" {
	"$SHMVIZ" --headless --json -n 4 -r max -R 100 >"$BATS_TEST_TMPDIR/out" &
	local pid=$!
	MY_PIDS+=("$pid")
	TIMEOUT_S=5 eventually bash -c "[ \$(pgrep -P $pid | wc -l) -eq 2 ]"
	local kids=($(pgrep -P "$pid"))
	MY_PIDS+=("${kids[@]}")
	MY_SHMIDS+=($(segments_of "$pid"))
	kill -KILL "${kids[1]}"
	wait "$pid" || RUN_STATUS=$?
	OUT=$(cat "$BATS_TEST_TMPDIR/out")
	[ "$RUN_STATUS" -eq 1 ]
	[ "$(json ended)" = '"stalled"' ]
	grep -qE '"name":"C1","pid":[0-9]+,"done":[0-9]+,"steps":[0-9]+,"exit":"killed by SIGKILL"' <<<"$OUT"
	# every item accounted for, even with a worker killed mid-loop
	[ "$(json produced)" -eq $(( $(json consumed) + $(json in_ring) + $(json lost) )) ]
	nothing_left
}

@test "a killed producer is reported: the session hangs, it is not called drained" {
	"$SHMVIZ" --headless --json -n 4 -r 200 -R max >"$BATS_TEST_TMPDIR/out" &
	local pid=$!
	MY_PIDS+=("$pid")
	TIMEOUT_S=5 eventually bash -c "[ \$(pgrep -P $pid | wc -l) -eq 2 ]"
	local kids=($(pgrep -P "$pid"))
	MY_PIDS+=("${kids[@]}")
	MY_SHMIDS+=($(segments_of "$pid"))
	kill -KILL "${kids[0]}"
	wait "$pid" || RUN_STATUS=$?
	OUT=$(cat "$BATS_TEST_TMPDIR/out")
	echo "$OUT"
	[ "$RUN_STATUS" -eq 1 ]
	[ "$(json ended)" = '"stalled"' ]
	grep -qE '"name":"P1","pid":[0-9]+,"done":[0-9]+,"steps":[0-9]+,"exit":"killed by SIGKILL"' <<<"$OUT"
	[ "$(json produced)" -eq $(( $(json consumed) + $(json in_ring) + $(json lost) )) ]
	nothing_left
}

# Bad command lines: status 2, one line naming the option, nothing made.
refused() {
	run_shmviz "$@"
	echo "shmviz $*: status $RUN_STATUS, stderr: $ERR"
	[ "$RUN_STATUS" -eq 2 ]
	[ "$(wc -l <<<"$ERR")" -eq 1 ]
	[[ $ERR == shmviz:* ]]
	[ -z "$OUT" ]
	[ -z "$(segments_of "$RUN_PID")" ]
}

@test "bad option values are refused with status 2, one line, nothing created" {
	refused -n 0
	refused -n 4097
	refused -n abc
	refused -r 0
	refused -r -3
	refused -R nan
	refused -r 1e309
	refused -r ''
	refused --items 0
	refused --fps 0
	refused --bogus
	refused -n
	refused -r
	refused -n 4 -n 5
	refused --headless --duration 0
	refused extra
}

@test "stdin or stdout not a terminal: refused with a pointer to --headless" {
	run_shmviz </dev/null
	[ "$RUN_STATUS" -eq 2 ]
	grep -q -- '--headless' <<<"$ERR"
	[ "$(wc -l <<<"$ERR")" -eq 1 ]
}

@test "TERM that cannot move the cursor is refused inside a real terminal" {
	start_pane_only env TERM=dumb "$SHMVIZ"
	wait_for 'cannot move the cursor; use --headless'
	wait_for 'shmviz-exit=2 tty=same'
}

@test "--help and --version" {
	run_shmviz --help
	[ "$RUN_STATUS" -eq 0 ]
	grep -q 'usage: shmviz' <<<"$OUT"
	grep -q -- '--headless' <<<"$OUT"
	run_shmviz -V
	[ "$RUN_STATUS" -eq 0 ]
	grep -qE '^shmviz [0-9]+\.[0-9]+\.[0-9]+$' <<<"$OUT"
}
