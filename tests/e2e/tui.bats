#!/usr/bin/env bats
# The interactive screen, driven through a real terminal in tmux.

load ../lib/common

teardown() { cleanup; }

@test "the screen shows the ring, the numbers and both workers" {
	start_shmviz
	wait_for 'shmid [0-9]+ +perms 600'
	wait_worker P1 'P1 producer +pid [0-9]+ +3/s'
	wait_worker C1 'C1 consumer +pid [0-9]+ +2/s'
	wait_for 'H head [0-9]+ +T tail [0-9]+ +count'
	wait_for 'sem empty [0-9]+ +full [0-9]+'
	wait_for 'q quit'
}

head_passed() { [ "$(field head)" -gt "$1" ] && [ "$(field tail)" -gt "$2" ]; }

@test "head, tail and count advance as items move" {
	start_shmviz -r 20 -R 10
	wait_for 'H head [0-9]+'
	local h=$(field head) t=$(field tail)
	eventually head_passed "$h" "$t"
	# the producer is twice as fast: the ring fills, count grows
	wait_for 'count [1-9]'
}

@test "a rate key changes the shown rate and the throughput follows" {
	start_shmviz -r 5 -R max
	wait_worker P1 ' 5/s'
	wait_for 'throughput in [45]\.[0-9]/s'
	keys +
	wait_worker P1 ' 10/s' 1
	# measured over the last 3 s: it reaches the new rate within a few
	TIMEOUT_S=8 eventually screen_has 'throughput in (9\.[5-9]|10\.[0-4])/s'
	keys '<'
	wait_worker C1 ' 100000/s' 1
}

@test "a new rate takes effect at once even after one item a minute" {
	start_shmviz -r 0.017 -R max
	wait_worker P1 ' 1 item( |$)'
	# 0.1, 0.2, 0.5, 1, 2, 5, 10, 20 per second
	keys + + + + + + + +
	wait_worker P1 ' 20/s' 1
	TIMEOUT_S=3 eventually items_reach P1 10
}

items_reach() { [ "$(items_of "$1")" -ge "$2" ]; }

same_counts() {
	local a b
	a=$(screen | grep -oE 'produced [0-9]+ consumed [0-9]+')
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		sleep 0.1
		b=$(screen | grep -oE 'produced [0-9]+ consumed [0-9]+')
		[ "$a" = "$b" ] || return 1
	done
}

@test "space pauses both workers, the numbers stop, space resumes" {
	start_shmviz -r 50 -R 40
	wait_for 'produced [1-9]'
	keys Space
	wait_for 'PAUSED' 1
	wait_worker P1 '(paused|blocked)'
	wait_worker C1 '(paused|blocked)'
	# a worker blocked when the pause came may finish its step; then,
	# a second of looking finds nothing moving
	TIMEOUT_S=5 eventually same_counts
	local p=$(field produced)
	keys Space
	wait_for 'RUNNING' 1
	TIMEOUT_S=3 eventually produced_above "$p"
}

produced_above() { [ "$(field produced)" -gt "$1" ]; }

@test "p pauses only the producer and c only the consumer" {
	start_shmviz -r 20 -R 20
	keys p
	wait_for 'PRODUCER PAUSED' 1
	wait_worker P1 'paused'
	keys p c
	wait_for 'CONSUMER PAUSED' 1
	wait_worker C1 'paused'
	wait_worker P1 '(sleeping|running|blocked)'
}

@test "? shows the help with every key, any key closes it" {
	start_shmviz
	keys '?'
	wait_for 'shmviz keys' 1
	for k in 'producers faster, slower' 'consumers faster, slower' \
	    'pause or resume everything' 'the producers, the consumers' \
	    'select a process' 'one step' 'until it blocks' 'next sync mode' \
	    'freeze on violation' 'quit'; do
		screen_has "$k"
	done
	keys x
	TIMEOUT_S=1 eventually bash -c "! tmux -S '$SOCK' capture-pane -p | grep -q 'shmviz keys'"
}

@test "q quits with status 0, restores the terminal, leaves nothing" {
	start_shmviz
	wait_for 'RUNNING'
	keys q
	wait_for 'shmviz-exit=0 tty=same' 5
	TIMEOUT_S=2 eventually nothing_left
}

@test "a terminal smaller than 80x24 gets a message, and the screen comes back" {
	start_shmviz -r 20 -R 20
	wait_for 'RUNNING'
	tm resize-window -x 60 -y 20
	wait_for 'needs 80x24; this terminal is 60x20' 2
	tm resize-window -x 100 -y 30
	wait_for 'RUNNING' 2
	wait_worker C1 'consumer'
	tm resize-window -x 80 -y 24
	wait_for 'q quit' 2
}

@test "1024 slots show as one cell each, head and tail marked" {
	start_shmviz -n 1024 -r 200 -R 100
	wait_for ' 1024 slots'
	wait_for 'T█+H'
}

@test "NO_COLOR and a plain locale give an ASCII screen that works" {
	start_shmviz NO_COLOR=1 LANG=C LC_ALL=C -n 512 -r 100 -R 50
	wait_for 'T#+H'
	[ -z "$(screen | grep '█')" ]
	keys q
	wait_for 'shmviz-exit=0 tty=same' 5
}

@test "a worker's death is shown and the supervisor stays up" {
	start_shmviz -r 20 -R 20
	wait_worker C1 'consumer'
	kill -KILL "${WORKERS[1]}"
	wait_worker C1 'killed by SIGKILL' 2
	wait_for 'C1 \(pid [0-9]+\) killed by SIGKILL' 1
	alive "$SUP"
	# the producer fills the ring and waits for good
	wait_worker P1 'blocked on empty'
	keys q
	wait_for 'shmviz-exit=0 tty=same' 5
	TIMEOUT_S=2 eventually nothing_left
}
