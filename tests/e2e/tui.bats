#!/usr/bin/env bats
# The interactive screen, driven through a real terminal in tmux.

load ../lib/common

teardown() { cleanup; }

@test "the screen shows the ring, the numbers and both workers" {
	start_shmviz
	wait_for 'shmid [0-9]+ +perms 600'
	wait_worker P1 'P1 +pid [0-9]+ +3/s'
	wait_worker C1 'C1 +pid [0-9]+ +2/s'
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
	wait_for '(throughput )?in [45]\.[0-9]/s'
	keys +
	wait_worker P1 ' 10/s' 10
	# measured over the last 3 s: it reaches the new rate within a few
	TIMEOUT_S=10 eventually screen_has '(throughput )?in (9\.[5-9]|10\.[0-4])/s'
	keys '<'
	wait_worker C1 ' 100k/s' 10
}

@test "a new rate takes effect at once even after one item a minute" {
	start_shmviz -r 0.017 -R max
	wait_worker P1 ' 1 item( |$)'
	# 0.1, 0.2, 0.5, 1, 2, 5, 10, 20 per second
	keys + + + + + + + +
	wait_worker P1 ' 20/s' 10
	TIMEOUT_S=10 eventually items_reach P1 10
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
	wait_for 'PAUSED' 10
	wait_worker P1 '(paused|blocked)'
	wait_worker C1 '(paused|blocked)'
	# a worker blocked when the pause came may finish its step; then,
	# a second of looking finds nothing moving
	TIMEOUT_S=10 eventually same_counts
	local p=$(field produced)
	keys Space
	wait_for 'RUNNING' 10
	TIMEOUT_S=10 eventually produced_above "$p"
}

produced_above() { [ "$(field produced)" -gt "$1" ]; }

@test "p pauses only the producer and c only the consumer" {
	start_shmviz -r 20 -R 20
	keys p
	wait_for 'PRODUCER PAUSED' 10
	wait_worker P1 'paused'
	keys p c
	wait_for 'CONSUMER PAUSED' 10
	wait_worker C1 'paused'
	wait_worker P1 '(sleeping|running|blocked)'
}

@test "? fits 80x24: every key and every mark explained, lines whole; any key closes it, q too" {
	start_shmviz
	wait_for 'RUNNING'
	keys '?'
	wait_for 'shmviz: keys and marks' 10
	# each key of the table, with what it does
	for k in 'producer rate up, down' 'consumer rate up, down' \
	    'pause all, or a side' 'select a process' 'steps so far; scroll' \
	    'one step of it' 'run to its next item' 'next sync mode' \
	    'freeze on violation' 'kill it \(SIGKILL\)' 'restart, fresh ring' \
	    'this help; \^L redraw' 'seed: another producer' 'quit'; do
		screen_has "$k" || { echo "missing: $k"; false; }
	done
	# each mark and abbreviation the screen uses
	for m in '✓  proven to hold' '\?  not known while the ring moves: checked whenever everything stops' \
	    '✗  proven broken' 'H T +head: next slot producers fill' 'bright: an item not yet taken; dim: taken' \
	    'P2#1 +item 1 of P2' 'r= +the register' 'drift +count less' 'dest +the segment is marked for removal' \
	    'lost dup ooo empty +items never taken' 'A schedule: space pauses it' \
	    'any key closes this help, q too'; do
		screen_has "$m" || { echo "missing: $m"; false; }
	done
	# nothing of the screen beneath shows through: every row is the box's
	[ "$(tm capture-pane -p | grep -cE '^[┌│└].*[┐│┘]$')" -eq 24 ]
	keys q
	TIMEOUT_S=10 eventually bash -c "! tmux -S '$SOCK' capture-pane -p | grep -q 'keys and marks'"
	wait_for 'RUNNING'
	alive "$SUP"
}

@test "q quits with status 0, restores the terminal, leaves nothing" {
	start_shmviz
	wait_for 'RUNNING'
	keys q
	wait_for 'shmviz-exit=0 tty=same' 10
	TIMEOUT_S=5 eventually nothing_left
}

@test "a terminal smaller than 80x24 gets a message, and the screen comes back" {
	start_shmviz -r 20 -R 20
	wait_for 'RUNNING'
	tm resize-window -x 60 -y 20
	wait_for 'needs 80x24; this terminal is 60x20' 10
	tm resize-window -x 100 -y 30
	wait_for 'RUNNING' 10
	wait_worker C1 'pid'
	tm resize-window -x 80 -y 24
	wait_for 'q quit' 10
}

@test "1024 slots at 120x40 show as one cell each, head and tail marked" {
	COLS=120 ROWS=40 start_shmviz -n 1024 -r 200 -R 100
	wait_for ' 1024 slots'
	wait_for 'T█+H'
}

# The ring's rows: between the top bar and the numbers.
ring_rows() { screen | sed -n '2,/ head [0-9]/p' | sed '$d'; }
marked_once() { [ "$(ring_rows | grep -o "$1" | wc -l)" -eq 1 ]; }

@test "1024 slots and five workers at 80x24: every loop line shown, head and tail marked by letters" {
	start_shmviz -n 1024 -P 3 -C 2 -r 200 -R 100
	wait_for ' 1024 slots'
	TIMEOUT_S=10 eventually marked_once H
	marked_once T
	for line in 'wait_for_next_deadline' 'sem_wait\(&empty\);' 'sem_post\(&full\);' 'sem_post\(&empty\);'; do
		screen_has "$line"
	done
	for w in P1 P2 P3 C1 C2; do wait_worker "$w" "pid [0-9]+"; done
}

@test "1024 slots, five workers, no colour, plain locale: head and tail still letters" {
	start_shmviz NO_COLOR=1 LANG=C LC_ALL=C -n 1024 -P 3 -C 2 -r 200 -R 100
	wait_for ' 1024 slots'
	TIMEOUT_S=10 eventually marked_once H
	marked_once T
	[ -z "$(ring_rows | grep '[⠀-⣿]')" ]
}

@test "NO_COLOR and a plain locale give an ASCII screen that works" {
	start_shmviz NO_COLOR=1 LANG=C LC_ALL=C -n 512 -r 100 -R 50
	wait_for 'T#+H'
	[ -z "$(screen | grep '█')" ]
	keys q
	wait_for 'shmviz-exit=0 tty=same' 10
}

@test "a worker's death is shown and the supervisor stays up" {
	start_shmviz -r 20 -R 20
	wait_worker C1 'pid'
	kill -KILL "${WORKERS[1]}"
	wait_worker C1 'killed by SIGKILL' 10
	wait_for 'C1 \(pid [0-9]+\) killed by SIGKILL' 10
	alive "$SUP"
	# the producer fills the ring and waits for good
	wait_worker P1 'blocked on empty'
	keys q
	wait_for 'shmviz-exit=0 tty=same' 10
	TIMEOUT_S=5 eventually nothing_left
}
