#!/usr/bin/env bats
# Condition variables and the robust mutex: OSTEP's four producer/consumer
# programs on real processes, each failure on demand, and a robust mutex
# surviving the kill that hangs the semaphore one.

load ../lib/common

teardown() { cleanup; }

CV_MODES='two-cvs-while two-cvs-if one-cv-while two-cvs-while-extra-unlock robust'

# Run shmviz explore --json; OUT and RUN_STATUS; nothing left.
explore() {
	"$SHMVIZ" explore --json "$@" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
	RUN_PID=$!
	MY_PIDS+=("$RUN_PID")
	RUN_STATUS=0
	wait "$RUN_PID" || RUN_STATUS=$?
	OUT=$(cat "$BATS_TEST_TMPDIR/out")
	echo "shmviz explore $*: status $RUN_STATUS"
	echo "$OUT"
	[ -z "$(segments_of "$RUN_PID")" ]
}

# The outcomes an exploration found, one name a line.
outcomes() { python3 -c 'import json, sys; [print(o["outcome"]) for o in json.loads(sys.argv[1])["outcomes"]]' "$OUT"; }

# The shortest schedule of an outcome found by explore.
shortest() { python3 -c 'import json, sys; print([o for o in json.loads(sys.argv[1])["outcomes"] if o["outcome"] == sys.argv[2]][0]["shortest"])' "$OUT" "$1"; }

@test "two-cvs-while and robust, -P 4 -C 4 at max rates, 250,000 items: none lost or duplicated, drift 0" {
	for mode in two-cvs-while robust; do
		run_json --sync "$mode" -P 4 -C 4 -r max -R max --items 62500
		[ "$RUN_STATUS" -eq 0 ]
		[ "$(jfield ended)" = drained ]
		[ "$(jfield produced)" -eq 250000 ]
		[ "$(jfield consumed)" -eq 250000 ]
		[ "$(jfield lost)" -eq 0 ]
		[ "$(jfield duplicated)" -eq 0 ]
		[ "$(jfield empty_reads)" -eq 0 ]
		[ "$(jfield drift)" -eq 0 ]
	done
}

# C1 finds the ring empty and waits; P1 makes an item and signals fill,
# waking C1; C2 takes the item before C1 has m again; C1's if does not
# look again, and it reads the next slot, which holds nothing.
IF_EMPTY='C1:4 P1:8 C2:8 C1:2'

@test "two-cvs-if, -C 2: a woken consumer reads an empty slot, and the log says who took its item" {
	run_json --sync two-cvs-if -C 2 --schedule "$IF_EMPTY"
	[ "$RUN_STATUS" -eq 0 ]
	[ "$(jfield empty_reads)" -eq 1 ]
	[ "$(jfield consumed)" -eq 1 ]
	# the same run with while: C1 looks again and waits, nothing read
	run_json --sync two-cvs-while -C 2 --schedule "$IF_EMPTY"
	[ "$(jfield empty_reads)" -eq 0 ]
	[ "$(jfield duplicated)" -eq 0 ]
	start_shmviz --sync two-cvs-if -C 2 --schedule "$IF_EMPTY" --step-delay 0
	wait_for 'C1 read slot 1 with nothing in it: it was woken, but C2' 10
	log_has 'C1 read slot 1 with nothing in it: it was woken, but C2 took the item first'
}

# The screen with each wrapped log line joined to the line it continues.
log_has() { screen | sed 's/^ *//' | tr '\n' ' ' | grep -qF -- "$1"; }

@test "two-cvs-if: explore finds the empty read, and its shortest order replays it" {
	explore --sync two-cvs-if -C 2 --items 2 -n 2 --preemptions all
	[ "$RUN_STATUS" -eq 0 ]
	outcomes | grep -q 'empty read'
	local s=$(shortest "$(outcomes | grep 'empty read' | head -n 1)")
	run_json --sync two-cvs-if -C 2 --items 2 -n 2 --schedule "$s"
	[ "$(jfield empty_reads)" -ge 1 ]
}

# C1 and C2 wait; P1 makes the one item, its signal wakes C1, and it waits
# on the full ring; C1 takes the item and its signal wakes C2, not P1; C2
# finds nothing and waits again, and so does C1: everyone asleep.
ASLEEP='C1:4 C2:4 P1:8 P1:4 C1:7 C2:3 C1:4'

@test "one-cv-while, -P 1 -C 2 -n 1: a schedule ends ALL ASLEEP, exit 3, and says who waits on what" {
	run_json --sync one-cv-while -C 2 -n 1 --schedule "$ASLEEP"
	[ "$RUN_STATUS" -eq 3 ]
	[ "$(jfield deadlock)" = true ]
	[ "$(jfield ended)" = deadlock ]
	[ "$(jfield stuck)" = 'ALL ASLEEP: P1, C1 and C2 wait on cv; nobody left to signal' ]
	start_shmviz --sync one-cv-while -C 2 -n 1 --schedule "$ASLEEP" --step-delay 0
	wait_for 'ALL ASLEEP: P1, C1 and C2 wait on cv; nobody left to signal\. m:' 10
	wait_for 'ALL ASLEEP *$'
	wait_for 'cv: P1 C1 C2 wait'
	wait_worker C2 'waits on cv, m let go'
	wait_worker P1 'waits on cv, m let go'
}

@test "one-cv-while: explore finds the deadlock, and its shortest order replays it ALL ASLEEP" {
	explore --sync one-cv-while -C 2 --items 2 -n 1 --preemptions all
	[ "$RUN_STATUS" -eq 0 ]
	outcomes | grep -qx deadlock
	run_json --sync one-cv-while -C 2 --items 2 -n 1 --schedule "$(shortest deadlock)"
	[ "$RUN_STATUS" -eq 3 ]
	grep -q '"stuck":"ALL ASLEEP: ' <<<"$OUT"
}

@test "two-cvs-while: explore -P 1 -C 2 --items 2 -n 1, every interleaving: no forbidden outcome" {
	explore --sync two-cvs-while -P 1 -C 2 --items 2 -n 1 --preemptions all
	[ "$RUN_STATUS" -eq 0 ]
	[ "$(jfield complete)" = true ]
	[ "$(outcomes)" = correct ]
}

@test "two-cvs-while-extra-unlock: schedules lose an item and read an empty slot; explore finds both" {
	# both consumers pass the test under m, let it go, and read one by one
	run_json --sync two-cvs-while-extra-unlock -C 2 --schedule 'P1:10 C1:4 C2:4 C1:3 C2:1'
	[ "$(jfield empty_reads)" -eq 1 ]
	# both producers pass the test, and write the same slot
	run_json --sync two-cvs-while-extra-unlock -P 2 --schedule 'P1:4 P2:4 P1:1 P2:1 P1:5 P2:5 C1:18'
	[ "$(jfield lost)" -eq 1 ]
	grep -q '"lost_items":\["P1#1"\]' <<<"$OUT"
	explore --sync two-cvs-while-extra-unlock -C 2 --items 2 -n 2 --preemptions all
	[ "$RUN_STATUS" -eq 0 ]
	outcomes | grep -q 'empty read'
	explore --sync two-cvs-while-extra-unlock -P 2 --items 1 -n 2 --preemptions 2
	outcomes | grep -q 'lost item'
}

# P1 stops inside its critical section, past head = ..., before count++;
# P2 is held in front of its lock.
IN_CS='P1:5 P2:3'

@test "robust: the killed holder's m comes back with EOWNERDEAD, count is repaired, items keep flowing" {
	start_shmviz --sync robust -P 2 --schedule "$IN_CS" --step-delay 0
	wait_for 'PAUSED'
	wait_worker P1 'holds m'
	keys 1 k
	wait_for 'EOWNERDEAD: P1 died holding m; P2.s lock got m' 10
	wait_worker P1 'killed by SIGKILL, took a permit, m handed on'
	wait_worker P2 'paused, holds m'
	[ "$(current_step P2)" -eq 3 ]         # on the first repair line
	keys 2 s
	TIMEOUT_S=10 eventually step_is P2 4
	keys s
	wait_for 'P2 set count = fill\(head, tail\) = 1 \(it was 0\) and made m' 10
	keys Space
	wait_for 'RUNNING'
	local before=$(items_of C1)
	TIMEOUT_S=15 eventually items_at_least C1 $((before + 3))
	TIMEOUT_S=15 eventually items_at_least P2 3
	! screen_has 'HANG'
}

step_is() { [ "$(current_step "$1")" = "$2" ]; }
items_at_least() { [ "$(items_of "$1")" -ge "$2" ]; }

@test "mutex: the same kill leaves the mutex taken forever: HANG" {
	start_shmviz --sync mutex -P 2 --schedule "$IN_CS" --step-delay 0
	wait_for 'PAUSED'
	keys 1 k
	wait_worker P1 'killed by SIGKILL, took mutex\+permit'
	keys Space
	wait_for 'HANG: a worker died; P2 waits on mutex' 10
}

@test "two-cvs-while: a killed holder of a plain m hangs everyone who locks it" {
	start_shmviz --sync two-cvs-while -P 2 --schedule 'P1:5 P2:2' --step-delay 0
	wait_for 'PAUSED'
	wait_worker P1 'holds m'
	keys 1 k
	wait_for 'P1 took m with it: nobody can lock m again' 10
	keys Space
	wait_for 'HANG: a worker died; ' 10
	wait_for 'waits? on m'
}

@test "every new mode: its code on screen, s moves the marked line one step, q leaves nothing" {
	for mode in $CV_MODES; do
		start_shmviz --sync "$mode" --schedule 'P1:1' --step-delay 0
		wait_for "^ $mode "
		wait_for 'pthread_mutex_(lock|unlock)\(&m\)'
		wait_for 'PAUSED'
		local at=$(current_step P1)
		keys 1 s
		TIMEOUT_S=10 eventually step_is P1 $((at + 1)) || { screen; false; }
		keys q
		TIMEOUT_S=10 eventually nothing_left
		tm kill-server
	done
}

@test "m reaches every new mode from none, each restarted on a fresh ring" {
	start_shmviz --sync none -r 20 -R 20
	wait_for '^ none '
	for mode in $CV_MODES; do
		keys m
		wait_for "^ $mode " 10
		wait_for 'RUNNING'
	done
}

@test "every new mode: a killed worker, and SIGKILL to the supervisor, leave nothing behind" {
	for mode in $CV_MODES; do
		start_shmviz --sync "$mode" -P 2 -C 2 -r max -R 50
		wait_for 'RUNNING'
		keys 3 k
		wait_worker C1 'killed by SIGKILL'
		alive "$SUP"
		kill -KILL "$SUP"
		TIMEOUT_S=2 eventually nothing_left
		tm kill-server
		MY_PIDS=() MY_SHMIDS=()
	done
}

# A JSON summary without what differs from run to run.
normal() {
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
for k in ("elapsed_s", "producer_rate", "consumer_rate", "ended"):
    d.pop(k, None)
for w in d.get("workers", []):
    w.pop("pid", None)
print(json.dumps(d, sort_keys=True))' "$1"
}

@test "every new mode: --random gives the same trace from the same seed, and its schedule replays it" {
	local a b sched
	for mode in $CV_MODES; do
		a=$("$SHMVIZ" --headless --json --trace --random 7 --sync "$mode" -C 2 -n 1 --items 3) || true
		b=$("$SHMVIZ" --headless --json --trace --random 7 --sync "$mode" -C 2 -n 1 --items 3) || true
		[ "$(normal "$a")" = "$(normal "$b")" ]
		sched=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["schedule"])' "$a")
		echo "$mode, seed 7: $sched"
		b=$("$SHMVIZ" --headless --json --trace --sync "$mode" -C 2 -n 1 --items 3 --schedule "$sched") || true
		[ "$(normal "$a")" = "$(normal "$b")" ]
	done
}

@test "two-cvs-if: u steps back through the wake: holding m again, then woken and waiting for m" {
	start_shmviz --sync two-cvs-if -C 2 --schedule "$IF_EMPTY" --step-delay 0
	wait_for 'schedule 22/22 done' 10
	wait_worker C1 'paused, holds m'
	keys u
	wait_for 'u: back to step 21' 10
	wait_worker C1 'back from the wait, holds m again'
	[ "$(field empty)" -eq 0 ]
	keys u
	wait_for 'u: back to step 20' 10
	wait_worker C1 'woken, waits to take m again'
	[ "$(current_step C1)" -eq 3 ]
	keys U
	wait_worker C1 'back from the wait, holds m again' 10
	[ "$(current_step C1)" -eq 4 ]
}

@test "the trace says what each line of a wait did: m let go, woken by whom, m again" {
	run_json --sync two-cvs-if -C 2 --schedule "$IF_EMPTY" --trace
	python3 - "$OUT" <<'PY'
import json, sys
rows = json.loads(sys.argv[1])["trace"]
notes = [(r["worker"], r["line"].strip(), r["note"]) for r in rows]
print("\n".join(map(str, notes)))
assert ("C1", "pthread_cond_wait(&fill, &m);", "lets m go, sleeps") in notes
assert ("P1", "pthread_cond_signal(&fill);", "wakes C1") in notes
assert ("C2", "pthread_cond_signal(&empty);", "nobody waiting") in notes
assert ("C1", "pthread_cond_wait(&fill, &m);", "woken: holds m again") in notes
assert notes[-1] == ("C1", "item = slots[tail];", "slot 1: empty")
PY
}

@test "robust: a repair on a full ring counts it full; a second dead owner is not taken as repaired" {
	# P1 fills the two slots and dies past head = ..., before count++
	start_shmviz --sync robust -n 2 --schedule 'P1:13' --step-delay 0
	wait_for 'schedule 13/13 done' 10
	keys 1 k
	wait_worker P1 'killed by SIGKILL'
	keys 2 s s s s s
	wait_for 'C1 set count = fill\(head, tail\) = 2 \(it was 1\)' 10
	! screen_has 'VIOLATED'
	keys q
	TIMEOUT_S=10 eventually nothing_left
	tm kill-server
	# P1 dies half done, P2 repairs and goes on past head = ..., then dies
	start_shmviz --sync robust -n 4 -P 2 --schedule 'P1:5' --step-delay 0
	wait_for 'schedule 5/5 done' 10
	keys 1 k
	wait_worker P1 'killed by SIGKILL'
	keys 2 s s s s s s s
	TIMEOUT_S=10 eventually step_is P2 7
	keys 2 k
	wait_worker P2 'killed by SIGKILL'
	wait_for '\(its owner P2 died\)'
	! screen_has 'VIOLATED'
}

@test "a waiter killed in pthread_cond_wait took nothing: it had let m go" {
	start_shmviz --sync two-cvs-while --schedule 'C1:4' --step-delay 0
	wait_for 'schedule 4/4 done' 10
	wait_worker C1 'waits on fill, m let go'
	keys 2 k
	wait_worker C1 'killed by SIGKILL *$'
	wait_for 'm free'
	! screen_has 'took m'
}
