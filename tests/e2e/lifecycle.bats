#!/usr/bin/env bats
# However the supervisor or a worker ends, nothing is left behind.

load ../lib/common

teardown() { cleanup; }

supervisor_gone() { ! alive "$SUP"; }

quits_on() {
	local sig=$1 status=$2
	start_shmviz -r 50 -R 40
	wait_for 'RUNNING'
	kill "-$sig" "$SUP"
	wait_for "shmviz-exit=$status tty=same" 10
	TIMEOUT_S=5 eventually nothing_left
}

@test "SIGINT: the supervisor stops its workers, restores the terminal, exits 130" {
	quits_on INT 130
}

@test "SIGTERM: the same, exit status 143" {
	quits_on TERM 143
}

@test "SIGHUP: the same, exit status 129" {
	quits_on HUP 129
}

@test "^C typed in the terminal quits as SIGINT does" {
	start_shmviz
	wait_for 'RUNNING'
	keys C-c
	wait_for 'shmviz-exit=130 tty=same' 10
	TIMEOUT_S=5 eventually nothing_left
}

# A crash of shmviz itself: the terminal back as it was, the workers
# stopped, and it dies by that signal (no core file: the pane's shell
# says so with ulimit).
crashes_on() {
	local sig=$1 status=$2
	SOCK="$BATS_TEST_TMPDIR/tmux.sock"
	tm -f /dev/null new-session -d -x 80 -y 24 \
		"ulimit -c 0; exec '$TOP/tests/lib/pane.sh' '$SHMVIZ' -r 50 -R 40"
	tm set-option -g remain-on-exit on >/dev/null
	PANE_PID=$(tm list-panes -F '#{pane_pid}')
	MY_PIDS+=("$PANE_PID")
	NWORKERS=2 TIMEOUT_S=10 eventually find_supervisor
	WORKERS=($(pgrep -P "$SUP"))
	MY_PIDS+=("$SUP" "${WORKERS[@]}")
	MY_SHMIDS+=($(segments_of "$SUP"))
	wait_for 'RUNNING'
	kill "-$sig" "$SUP"
	wait_for "shmviz-exit=$status tty=same" 10
	TIMEOUT_S=5 eventually nothing_left
}

@test "SIGSEGV in the supervisor: terminal restored, workers stopped, it dies by SIGSEGV" {
	crashes_on SEGV 139
}

@test "SIGABRT in the supervisor: the same, and it dies by SIGABRT" {
	crashes_on ABRT 134
}

@test "SIGKILL to the supervisor: workers exit within 1 s, no segment remains" {
	start_shmviz -r 50 -R 40
	wait_for 'RUNNING'
	kill -KILL "$SUP"
	TIMEOUT_S=1 eventually nothing_left
}

@test "SIGKILL to the supervisor while the producer is blocked on a full ring" {
	start_shmviz -n 4 -r max -R 0.1
	wait_worker P1 'blocked on empty'
	kill -KILL "$SUP"
	TIMEOUT_S=1 eventually nothing_left
}

@test "the terminal going away ends the session" {
	start_shmviz
	wait_for 'RUNNING'
	tm kill-server
	TIMEOUT_S=5 eventually nothing_left
}

@test "the supervisor's view of the ring is read-only, the workers' read-write" {
	start_shmviz
	wait_for 'RUNNING'
	local id=${MY_SHMIDS[0]} p
	# /proc/PID/maps names a System V segment by its shmid, as the inode
	grep -E "^[0-9a-f-]+ r--s .* $id +/SYSV" "/proc/$SUP/maps"
	[ -z "$(grep -E "^[0-9a-f-]+ rw.s .* $id +/SYSV" "/proc/$SUP/maps")" ]
	for p in "${WORKERS[@]}"; do
		grep -E "^[0-9a-f-]+ rw-s .* $id +/SYSV" "/proc/$p/maps"
		[ "$(grep -c "/SYSV" "/proc/$p/maps")" -eq 1 ]
	done
}

@test "the segment is private, mode 0600, and already marked for removal" {
	start_shmviz
	wait_for 'RUNNING'
	local id=${MY_SHMIDS[0]}
	# perms column: 1600 = SHM_DEST (01000) | 0600
	awk -v id="$id" 'NR > 1 && $2 == id { print $1, $3, $7 }' /proc/sysvipc/shm |
		grep -qx '0 1600 3'
	wait_for "shmid $id +perms 600 .*nattch 3 +dest"
}

proc_state() { sed -n 's/^[0-9]* (.*) \([A-Z]\).*/\1/p' "/proc/$1/stat"; }

# Times each worker was switched in after a wait, all of them.
switches() {
	local p
	for p in "${WORKERS[@]}"; do
		awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$p/status"
	done | tr '\n' ' '
}

# No worker wakes for a second: none is running.
workers_still() {
	local before=$(switches)
	sleep 1
	[ "$(switches)" = "$before" ]
}

workers_moving() { ! workers_still; }
state_is() { [ "$(proc_state "$1")" = "$2" ]; }

@test "^Z suspends with the terminal restored and the workers paused; fg resumes" {
	SOCK="$BATS_TEST_TMPDIR/tmux.sock"
	tm -f /dev/null new-session -d -x 80 -y 24 "bash --norc --noprofile -i"
	PANE_PID=$(tm list-panes -F '#{pane_pid}')
	keys "PS1='$ '; $(printf '%q' "$SHMVIZ") -r 50 -R 40" Enter
	TIMEOUT_S=10 eventually find_supervisor
	WORKERS=($(pgrep -P "$SUP"))
	MY_PIDS+=("$SUP" "${WORKERS[@]}")
	MY_SHMIDS+=($(segments_of "$SUP"))
	wait_for 'RUNNING'
	keys C-z
	wait_for 'Stopped' 10
	state_is "$SUP" T
	# the workers wait at their gates: alive, and still: a paced worker
	# that ran would switch out and in 40 or 50 times a second
	for p in "${WORKERS[@]}"; do alive "$p"; done
	TIMEOUT_S=10 eventually workers_still
	keys "stty -a | grep -o ' icanon'" Enter
	wait_for '^ icanon' 10
	keys fg Enter
	wait_for 'resumed after a suspend' 10
	wait_worker P1 '(sleeping|running|blocked)'
	# and they move again: the measure above can tell
	TIMEOUT_S=10 eventually workers_moving
	keys q
	wait_for '^\$ ?$' 10
	# fg's status is the job's
	keys 'echo shmviz-exit=$?' Enter
	wait_for 'shmviz-exit=0' 10
	TIMEOUT_S=5 eventually nothing_left
}

@test "started in the background, it waits for the terminal before any worker runs" {
	SOCK="$BATS_TEST_TMPDIR/tmux.sock"
	tm -f /dev/null new-session -d -x 80 -y 24 "bash --norc --noprofile -i"
	PANE_PID=$(tm list-panes -F '#{pane_pid}')
	keys "PS1='$ '; $(printf '%q' "$SHMVIZ") -r max -R max &" Enter
	TIMEOUT_S=10 eventually bash -c "pgrep -P $PANE_PID -x shmviz >/dev/null"
	SUP=$(pgrep -P "$PANE_PID" -x shmviz)
	MY_PIDS+=("$SUP")
	# stopped by the terminal (SIGTTOU) before it forked anything
	TIMEOUT_S=10 eventually state_is "$SUP" T
	[ -z "$(pgrep -P "$SUP")" ]
	[ -z "$(segments_of "$SUP")" ]
	keys fg Enter
	wait_for 'RUNNING' 10
	MY_PIDS+=($(pgrep -P "$SUP"))
	MY_SHMIDS+=($(segments_of "$SUP"))
	keys q
	TIMEOUT_S=5 eventually nothing_left
}
