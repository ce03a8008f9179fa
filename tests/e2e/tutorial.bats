#!/usr/bin/env bats
# The tutorial's second bug on shmviz's own ring: n starts one more
# producer the way the tutorial's program starts, with sem_init on the
# live semaphores and head = tail = count = 0.

load ../lib/common

teardown() { cleanup; }

# The supervisor's children: its workers.
children() { pgrep -P "$SUP" | wc -l; }

# Two items in the ring, unread, from slot 1: P1 made three, C1 took one.
THREE_ONE='P1:8 P1:8 P1:8 C1:8'

@test "n on a consumer asleep in sem_wait: sem_init forgets it, and the posts after it never wake it" {
	ROWS=50 start_shmviz -n 8 -r 1 -R max
	# the producers paused: the consumer empties the ring and sleeps in
	# sem_wait(&full), in the kernel, with full at 0
	keys p
	wait_for 'PRODUCER PAUSED'
	wait_worker C1 'blocked on full'
	keys n
	wait_for "n: P2 \(pid [0-9]+\) starts as the tutorial's producer does"
	TIMEOUT_S=10 eventually bash -c "[ \$(pgrep -P $SUP | wc -l) -eq 3 ]"
	local p2
	p2=$(pgrep -P "$SUP" | sort -n | tail -n 1)
	MY_PIDS+=("$p2")
	wait_for "P2's sem_init found empty at 8 and full at 0"
	wait_for '^ 3 P2  pid [0-9]+ '
	# P2 holds nothing of the supervisor's: not the viewers' page, no file
	! grep -q 'shmviz-status' "/proc/$p2/maps"
	[ "$(ls "/proc/$p2/fd" | sort -n | tr '\n' ' ')" = "0 1 2 " ]
	# the producers run again; their posts raise full but wake nobody
	keys p
	wait_for 'FORGOTTEN: C1 has slept in sem_wait\(&full\) for 1 s with full at [1-9]' 15
	wait_worker C1 'asleep on full, forgotten'
	# everything paused, P2 can still be run to its next item, and the
	# screen comes back to PAUSED: the forgotten sleeper counts as still
	keys Space
	wait_for 'PAUSED'
	local made
	made=$(items_of P2)
	keys 3 S
	TIMEOUT_S=10 eventually bash -c "[ \"\$(tmux -S '$SOCK' capture-pane -p | grep -E '^ 3 P2 ' | grep -oE '[0-9]+ items?' | grep -oE '[0-9]+')\" -gt $made ]"
	wait_for ' PAUSED *$'
	local taken
	taken=$(items_of C1)
	keys Space
	# the ring fills, and both producers block on empty while full is 8;
	# C1 takes nothing all along
	wait_worker P1 'blocked on empty' 20
	wait_worker P2 'blocked on empty' 20
	screen | grep -E '^ H head ' | grep -qE 'full 8( |$)'
	[ "$(items_of C1)" = "$taken" ]
	# a viewer of the session sees the third worker, and C1 forgotten
	"$SHMVIZ" attach "${MY_SHMIDS[0]}" --headless --json --duration 0.5 --fps 5 \
		>"$BATS_TEST_TMPDIR/view"
	python3 - "$BATS_TEST_TMPDIR/view" <<'PY'
import json, sys
d = [json.loads(l) for l in open(sys.argv[1])][-1]
assert [w["name"] for w in d["workers"]] == ["P1", "C1", "P2"], d["workers"]
assert [w["forgotten"] for w in d["workers"]] == [False, True, False], d["workers"]
PY
	keys q
	wait_for 'shmviz-exit=0 tty=same'
}

@test "n with items in the ring: they are forgotten, named, and written over" {
	ROWS=50 start_shmviz -n 4 --step-delay 0 --schedule "$THREE_ONE"
	wait_for "schedule 32/32 done"
	wait_worker C1 'paused'
	keys n
	# (the log wraps at 80 columns: each pattern is within one of its rows)
	wait_for "P2's sem_init found empty at 2 and full at 2"
	wait_for 'head 3, tail 1, count 2: now empty is 4, full 0'
	wait_for '2 items in the ring \(P1#2, P1#3, from slot 1\) are forgotten'
	wait_for 'VIOLATED count == produced - consumed: count 0, produced 3'
	wait_for "by P2's sem_init and head = tail = count = 0"
	screen | grep -qE '^ H head 0  T tail 0  count 0  fill 0  sem empty 4  full 0'
	# P2, stepped, writes slot 0, then slot 1 over P1#2, which nobody read
	keys 3
	keys S
	wait_worker P2 '1 item'
	keys S
	wait_for 'P2 overwrote P1#2 in slot 1 before anyone read it'
	# a history with a start in it is not one u can replay
	keys u
	wait_for 'a producer was started with n'
	keys q
	wait_for 'shmviz-exit=0 tty=same'
}

@test "n only in seed mode, not on a session stuck for good, and not past the most producers a ring takes" {
	start_shmviz --sync mutex
	wait_for RUNNING
	keys n
	wait_for "n: a producer started the tutorial's way is seed mode's lesson"
	holds_for 1 bash -c "[ \$(pgrep -P $SUP | wc -l) -eq 2 ]"
	keys q
	wait_for 'shmviz-exit=0 tty=same'
	tm kill-server
	# a session judged stuck for good stays so: n does not start anyone
	start_shmviz -n 4 -r 5 -R 5
	wait_for RUNNING
	keys 2 k
	wait_for 'HANG'
	keys n
	wait_for 'n: the session is stuck \(hang\), and is judged so for good'
	[ "$(children)" -eq 1 ]
	keys q
	wait_for 'shmviz-exit=0 tty=same'
	tm kill-server
	start_shmviz -P 8 -r 1 -R 1
	wait_for RUNNING
	keys n
	wait_for 'there are already 8 producers, the most a ring takes'
	[ "$(children)" -eq 9 ]
	keys q
	wait_for 'shmviz-exit=0 tty=same'
}
