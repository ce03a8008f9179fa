#!/usr/bin/env bats
# Faults: killed workers, restarts, signals, resizes, hostile terminals.
# shmviz keeps working, loses no item silently, leaves nothing behind.

load ../lib/common

teardown() { cleanup; }

@test "k kills a worker inside its critical section: the permit it took is shown, then the hang" {
	# P1 makes one item; C1 takes sem_wait(&full) and stops there
	start_shmviz -n 4 --schedule 'P1:8 C1:2' --step-delay 0
	wait_for 'PAUSED'
	wait_worker C1 'paused'
	keys 2 k
	wait_worker C1 'killed by SIGKILL, took a full permit' 10
	wait_for 'C1 took a full permit with it' 10
	alive "$SUP"
	# the producer fills what is left of the ring and waits for good
	keys Space
	wait_for 'HANG: a worker died; P1 waits on empty, forever' 10
	wait_worker P1 'blocked on empty'
}

@test "r restarts on a fresh segment; the old one disappears" {
	start_shmviz -r 20 -R 20
	wait_for 'RUNNING'
	local old=${MY_SHMIDS[0]} oldworkers=("${WORKERS[@]}")
	keys r
	wait_for "r: restarted: new workers, fresh ring" 10
	TIMEOUT_S=10 eventually bash -c "! awk -v id=$old 'NR > 1 && \$2 == id' /proc/sysvipc/shm | grep -q ."
	for p in "${oldworkers[@]}"; do
		if alive "$p"; then echo "old worker $p alive"; false; fi
	done
	local new=($(segments_of "$SUP"))
	MY_SHMIDS+=("${new[@]}")
	[ "${#new[@]}" -eq 1 ]
	[ "${new[0]}" != "$old" ]
	MY_PIDS+=($(pgrep -P "$SUP"))
	wait_for "shmid ${new[0]} "
}

fds() { ls "/proc/$SUP/fd" | wc -l; }
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$SUP/status"; }

@test "workers killed and restarted 100 times: no growth in segments, processes, fds or memory" {
	start_shmviz -r max -R max
	wait_for 'RUNNING'
	local first=${MY_SHMIDS[0]}
	# twenty first, to measure from a warm supervisor
	for _ in $(seq 20); do keys k r; done
	TIMEOUT_S=60 eventually restarts_over
	local fd0=$(fds) rss0=$(rss)
	for _ in $(seq 80); do keys k r; done
	TIMEOUT_S=60 eventually restarts_over
	# they did restart: a segment other than the first, which is gone
	[ "$(segments_of "$SUP")" != "$first" ]
	if segment_exists "$first"; then echo "segment $first remains"; false; fi
	echo "fds $fd0 -> $(fds), rss ${rss0} kB -> $(rss) kB"
	[ "$(fds)" -eq "$fd0" ]
	[ "$(segments_of "$SUP" | wc -l)" -eq 1 ]
	[ "$(pgrep -P "$SUP" | wc -l)" -eq 2 ]
	# flat: within 256 kB of what it was after the first twenty
	[ "$(rss)" -le $(( rss0 + 256 )) ]
	alive "$SUP"
}

# Every key typed was read, and the same two workers and one segment are
# there on two looks in a row: the restarts are over.
LAST_LOOK=""
restarts_over() {
	local look
	keys_drained || return 1
	look="$(pgrep -P "$SUP" | sort | tr '\n' ' ')/$(segments_of "$SUP" | tr '\n' ' ')"
	[ "$(pgrep -P "$SUP" | wc -l)" -eq 2 ] || return 1
	[ "$(segments_of "$SUP" | wc -l)" -eq 1 ] || return 1
	if [ "$look" != "$LAST_LOOK" ]; then
		LAST_LOOK=$look
		return 1
	fi
}

# Every key typed has been read: the terminal's input queue is empty.
keys_drained() {
	python3 - "$SUP" <<'PY'
import fcntl, os, struct, sys, termios
fd = os.open("/proc/%s/fd/0" % sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
n = struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]
sys.exit(0 if n == 0 else 1)
PY
}

@test "resizing below 80x24 and back, over and over, at max rate: no crash, a right screen" {
	start_shmviz -r max -R max
	wait_for 'RUNNING'
	for i in $(seq 20); do
		tm resize-window -x 60 -y 20
		tm resize-window -x $(( 80 + i )) -y $(( 24 + i % 5 ))
		tm resize-window -x 30 -y 8
		tm resize-window -x 80 -y 24
	done
	alive "$SUP"
	wait_for 'q quit' 10
	wait_for '^ seed +16 slots'
	tm resize-window -x 20 -y 5
	wait_for 'needs 80x24' 10
	tm resize-window -x 80 -y 24
	# the whole screen again, from the top bar to the key bar
	wait_for '^ seed +16 slots' 10
	wait_for '\? help  q quit' 10
	alive "$SUP"
}

# The numbers row, once a schedule has played to its end.
plan_over() { screen_has ' PAUSED *$' && ! screen_has 'STEPPING'; }

@test "SIGCONT, SIGWINCH and SIGPIPE all through a schedule: no crash, the same end" {
	local plan='P1:40 C1:30 P1:9'
	start_shmviz -n 4 --schedule "$plan" --step-delay 20
	# signals spread over the whole plan, many of them in the middle of a
	# step being taken and settled; the plan of 79 steps, 20 ms apart,
	# ends well within a minute however loaded the machine
	local deadline=$(( $(now_ms) + 60000 ))
	until plan_over || [ "$(now_ms)" -ge "$deadline" ]; do
		kill -CONT "$SUP"
		kill -WINCH "$SUP"
		kill -PIPE "$SUP"
		sleep 0.01
	done
	plan_over
	alive "$SUP"
	# the signals changed nothing: it ends where it ends without them
	local want
	want=$("$SHMVIZ" --headless --json -n 4 --schedule "$plan" |
		grep -oE '"count":-?[0-9]+,"fill":[0-9]+' | sed 's/"//g; s/:/ /g; s/,/  /')
	screen | grep -qE "count ${want#count }"
	keys q
	wait_for 'shmviz-exit=0 tty=same' 10
	TIMEOUT_S=5 eventually nothing_left
}

# What the pane shows before the exit line: the message, and only it.
one_line_before_exit() {
	[ "$(screen | sed -n '1,/shmviz-exit=/p' | grep -c .)" -eq 2 ]
}

@test "TERM unset: one clear line, status 2, nothing started" {
	start_pane_only env -u TERM "$TOP/build/reap" "$SHMVIZ"
	wait_for 'shmviz: TERM is not set; use --headless'
	# status 99 from reap would mean a process or segment left behind
	wait_for 'shmviz-exit=2 tty=same'
	one_line_before_exit
}

@test "stdout a pipe: one clear line, status 2, nothing started" {
	start_pane_only bash -c "'$TOP/build/reap' '$SHMVIZ' | cat; echo pipe-status=\${PIPESTATUS[0]}"
	wait_for 'shmviz: standard output is not a terminal; use --headless'
	wait_for 'pipe-status=2'
}

@test "a 20x5 terminal gets the message, and q still quits" {
	COLS=20 ROWS=5 start_shmviz
	wait_for 'shmviz needs 80x24;'
	wait_for 'this one is 20x5'
	keys q
	TIMEOUT_S=10 eventually screen_has 'shmviz-exit=0'
	TIMEOUT_S=5 eventually nothing_left
}

@test "a worker killed anywhere in its loop is never blamed for a violation it did not cause" {
	for i in $(seq 10); do
		start_headless --sync mutex -n 4 -r max -R max --duration 0.5
		kill -KILL "${HL_KIDS[$((i % 2))]}"
		wait_headless
		grep -q '"violations":\[\]' <<<"$OUT"
		grep -q 'killed by SIGKILL' <<<"$OUT"
	done
}
