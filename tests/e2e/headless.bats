#!/usr/bin/env bats
# The same session without a terminal: counts, summaries, refusals.

load ../lib/common

teardown() { cleanup; }

# Run shmviz in the background, keep its pid, and wait for it.
# With REAP=1, under tests/tools/reap.c: status 99 if it left anything.
run_shmviz() {
	${REAP:+"$TOP/build/reap"} "$SHMVIZ" "$@" >"$BATS_TEST_TMPDIR/out" \
		2>"$BATS_TEST_TMPDIR/err" &
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

@test "the text summary counts in words that are true: one read, consumed with its empty reads, what is left" {
	# two producers write one slot: one item lost, one read of a slot
	# never written, which consumed counts and says it does
	run_shmviz --headless -P 2 -n 4 --schedule 'P1:3 P2:3 P1:5 P2:5 C1:16'
	echo "$OUT"
	grep -q '^shmviz: 2 produced, 2 consumed (1 of them a read of a slot never written), 1 lost' <<<"$OUT"
	grep -q '^  1 read of a slot never written$' <<<"$OUT"
	grep -q '0 items left in it,' <<<"$OUT"
	# an item written but not yet handed on is left in it, as fill says
	run_shmviz --headless -n 4 --schedule 'P1:8 P1:6 C1:8 P1:1'
	echo "$OUT"
	grep -q 'fill 1, drift 1, 1 item left in it (1 written by a producer that has not handed it on yet)' <<<"$OUT"
	# where fill and the items differ, it says why
	run_shmviz --headless --sync none -n 2 --schedule 'P1:7 C1:5 P1:7 C1:2 P1:7 P1:7 C1:14'
	echo "$OUT"
	grep -q 'fill 1, drift -1, 0 items left in it (1 of the slots from tail to head holds nothing still to be taken)' <<<"$OUT"
}

@test "SIGINT ends a headless session with a summary and status 130" {
	start_headless
	kill -INT "$HL_PID"
	wait_headless
	[ "$RUN_STATUS" -eq 130 ]
	grep -q '"ended":"signal"' <<<"$OUT"
	nothing_left
}

@test "a killed consumer is reported, not hidden" {
	start_headless -n 4 -r max -R 100
	kill -KILL "${HL_KIDS[1]}"
	wait_headless
	[ "$RUN_STATUS" -eq 1 ]
	[ "$(json ended)" = '"stalled"' ]
	grep -qE '"name":"C1","pid":[0-9]+,"done":[0-9]+,"steps":[0-9]+,"exit":"killed by SIGKILL"' <<<"$OUT"
	# every item accounted for, even with a worker killed mid-loop
	[ "$(json produced)" -eq $(( $(json consumed) + $(json in_ring) + $(json lost) )) ]
	nothing_left
}

@test "a killed producer is reported: the session hangs, it is not called drained" {
	start_headless -n 4 -r 200 -R max
	kill -KILL "${HL_KIDS[0]}"
	wait_headless
	[ "$RUN_STATUS" -eq 1 ]
	[ "$(json ended)" = '"stalled"' ]
	grep -qE '"name":"P1","pid":[0-9]+,"done":[0-9]+,"steps":[0-9]+,"exit":"killed by SIGKILL"' <<<"$OUT"
	[ "$(json produced)" -eq $(( $(json consumed) + $(json in_ring) + $(json lost) )) ]
	nothing_left
}

# A bad command line: status 2, one line that names the option given (or
# the stray word), no output, and (reap says) no process or segment left.
refused() {
	local name=""
	REAP=1 run_shmviz "$@"
	echo "shmviz $*: status $RUN_STATUS, stderr: $ERR"
	[ "$RUN_STATUS" -eq 2 ]
	[ "$(wc -l <<<"$ERR")" -eq 1 ]
	[[ $ERR == shmviz:* ]]
	[ -z "$OUT" ]
	# it names what was wrong: an option given, or the stray word
	for a in "$@"; do
		case $a in
		-*) [[ $ERR == *"${a%%=*}"* ]] && name=yes ;;
		*) [[ -n $a && $a != *[0-9]* && $ERR == *"'$a'"* ]] && name=yes ;;
		esac
	done
	[ "$name" = yes ]
}

# Each line: the arguments of one bad command line, as shell words.
BAD_LINES=(
	"-n ''" "-n abc" "-n 0" "-n -1" "-n 4097" "-n 1.5" "-n 16k" "-n 0x10"
	"-n 99999999999999999999999" "-n 8 -n 9" "-n 8 --capacity 9" "-n"
	"-r 0" "-r -3" "-r ''" "-r nan" "-r inf" "-r 1e309" "-r 1e3" "-r 5x"
	"-r 1000001" "-r 0.0001" "-r 2/s" "-r" "-R NaN" "-R -inf" "-R 0.000"
	"--items 0" "--items -1" "--items 1e6" "--items 18446744073709551616"
	"--fps 0" "--fps 121" "--fps 30fps"
	"--duration 0" "--duration nan" "--duration 1e9" "--duration 5s"
	"-P 0" "-P 9" "-C 9" "-P 2 -P 3" "--sync fast" "--sync ''"
	"--schedule ''" "--schedule P1:0" "--schedule P9:1"
	"-P 2 --schedule 'P1:3 P3:1'" "--schedule 'C1:2 C2:1'" "--schedule P1:x"
	"--schedule 'P1:3 Q1:2'" "--schedule P1:1000001" "--schedule P"
	"--step-delay -5" "--step-delay 60001" "--bogus" "-x" "extra"
	"--json=1" "--headless"
)

@test "bad command lines: status 2, one line naming the option, nothing created" {
	[ "${#BAD_LINES[@]}" -ge 40 ]
	for line in "${BAD_LINES[@]}"; do
		eval "refused --headless $line"
	done
	# and these two only make sense headless
	refused --duration 5
	refused --json
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
	[ -z "$(awk 'length > 80' <<<"$OUT")" ]
	run_shmviz -V
	[ "$RUN_STATUS" -eq 0 ]
	grep -qE '^shmviz [0-9]+\.[0-9]+\.[0-9]+$' <<<"$OUT"
}

@test "--help and the man page list the keys from the one table the screen draws from" {
	# the man page's KEYS are what the table prints: make man after a change
	"$TOP/tests/tools/man-keys.sh" --check "$TOP/docs/shmviz.1" "$TOP/build/keysdoc"
	run_shmviz --help
	# every key the man page names, --help names too, k, r, n and ^L among them
	local names
	names=$(sed -n '/^\.SH KEYS/,/^\.SH /p' "$TOP/docs/shmviz.1" | awk 'prev == ".TP" { sub(/^\.B /, ""); gsub(/\\/, ""); print } { prev = $0 }')
	[ "$(wc -l <<<"$names")" -ge 14 ]
	while read -r n; do
		grep -qF "  $n " <<<"$OUT" || { echo "--help lacks: $n"; false; }
	done <<<"$names"
	for k in k r n; do grep -qF "  $k  " <<<"$OUT"; done
	grep -qE '^  \? h F1 \^L ' <<<"$OUT"
}
