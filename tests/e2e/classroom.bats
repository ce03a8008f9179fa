#!/usr/bin/env bats
# The classroom screen at 80x24: every loop line and every worker in view,
# items that say whose they are, marks that never lie, explanations whole,
# a freeze at the moment, schedules a class can pause.

load ../lib/common

teardown() { cleanup; }

# Each mode's loops, line by line, as the code columns must show them.
loop_lines() {
	local mode=$1 role=$2 pace='wait_for_next_deadline();'
	case $mode/$role in
	seed/P) printf '%s\n' "$pace" 'sem_wait(&empty);' 'slots[head] = item;' \
		'head = (head + 1) % capacity;' 'r = count;' 'r = r + 1;' \
		'count = r;' 'sem_post(&full);' ;;
	seed/C) printf '%s\n' "$pace" 'sem_wait(&full);' 'item = slots[tail];' \
		'tail = (tail + 1) % capacity;' 'r = count;' 'r = r - 1;' \
		'count = r;' 'sem_post(&empty);' ;;
	mutex/P) printf '%s\n' "$pace" 'sem_wait(&empty);' 'sem_wait(&mutex);' \
		'slots[head] = item;' 'head = (head + 1) % capacity;' 'r = count;' \
		'r = r + 1;' 'count = r;' 'sem_post(&mutex);' 'sem_post(&full);' ;;
	mutex/C) printf '%s\n' "$pace" 'sem_wait(&full);' 'sem_wait(&mutex);' \
		'item = slots[tail];' 'tail = (tail + 1) % capacity;' 'r = count;' \
		'r = r - 1;' 'count = r;' 'sem_post(&mutex);' 'sem_post(&empty);' ;;
	atomic/P) printf '%s\n' "$pace" 'sem_wait(&empty);' \
		'i = fetch_inc_mod(&head);' 'cas(&slots[i], EMPTY, item);' \
		'atomic_fetch_add(&count, 1);' 'sem_post(&full);' ;;
	atomic/C) printf '%s\n' "$pace" 'sem_wait(&full);' \
		'i = fetch_inc_mod(&tail);' 'item = xchg(&slots[i], EMPTY);' \
		'atomic_fetch_sub(&count, 1);' 'sem_post(&empty);' ;;
	wrong-order/P) printf '%s\n' "$pace" 'sem_wait(&mutex);' \
		'sem_wait(&empty);' 'slots[head] = item;' \
		'head = (head + 1) % capacity;' 'r = count;' 'r = r + 1;' \
		'count = r;' 'sem_post(&full);' 'sem_post(&mutex);' ;;
	wrong-order/C) printf '%s\n' "$pace" 'sem_wait(&mutex);' \
		'sem_wait(&full);' 'item = slots[tail];' \
		'tail = (tail + 1) % capacity;' 'r = count;' 'r = r - 1;' \
		'count = r;' 'sem_post(&empty);' 'sem_post(&mutex);' ;;
	none/P) printf '%s\n' "$pace" 'while (count == capacity) ;' \
		'slots[head] = item;' 'head = (head + 1) % capacity;' 'r = count;' \
		'r = r + 1;' 'count = r;' ;;
	none/C) printf '%s\n' "$pace" 'while (count == 0) ;' \
		'item = slots[tail];' 'tail = (tail + 1) % capacity;' 'r = count;' \
		'r = r - 1;' 'count = r;' ;;
	esac
}

# What one role's code column shows, a line each, names and arrows taken
# off, from the first line of the loops down.
code_column() {
	screen | sed 's/▶/>/g' | awk -v role="$1" -v cols="${COLS:-80}" '
		!start && /^[ PC0-9,>-]*wait_for_next_deadline\(\);/ { start = NR }
		start && NR < start + 10 {
			half = int(cols / 2)
			col = role == "P" ? substr($0, 1, half) : substr($0, half + 1, half)
			sub(/^[^>]*> /, "", col); sub(/^ +/, "", col); sub(/ +$/, "", col)
			if (col !~ /;$/)
				exit
			print col
		}'
}

shows_loops() {
	[ "$(code_column P)" = "$(loop_lines "$1" P)" ] &&
		[ "$(code_column C)" = "$(loop_lines "$1" C)" ]
}

@test "-P 3 -C 2 at 80x24: every line of both loops, each worker named on its line and in a status line" {
	start_shmviz -P 3 -C 2 -r 20 -R 10
	TIMEOUT_S=10 eventually shows_loops seed
	for w in P1 P2 P3 C1 C2; do
		wait_worker "$w" "^ [1-9] $w +pid [0-9]+ +[0-9]+/s +[0-9]+ items? +r=-?[0-9]+ +[a-z]"
		TIMEOUT_S=10 eventually named_on_a_line "$w"
	done
}

named_on_a_line() { [ -n "$(current_step "$1")" ]; }

# Shown status lines and the count of those not shown add up to n.
all_counted() {
	local shown hidden
	shown=$(screen | grep -cE '^ [1-9 ] [PC][1-8] +pid ')
	hidden=$(screen | grep -oE '[0-9]+ more workers? not shown' | grep -oE '^[0-9]+')
	[ "$shown" -ge 1 ] && [ $((shown + ${hidden:-0})) -eq "$1" ]
}

@test "every sync mode, up to 8 producers and 8 consumers at 80x24: no loop line dropped; workers not shown are counted" {
	for mode in seed mutex atomic wrong-order none; do
		start_shmviz --sync "$mode" -P 8 -C 8 -r 1 -R 1
		TIMEOUT_S=10 eventually shows_loops "$mode"
		TIMEOUT_S=10 eventually all_counted 16
		keys q
		wait_for 'shmviz-exit=0' 10
		cleanup
		MY_PIDS=() MY_SHMIDS=()
	done
	for shape in "-P 1 -C 8" "-P 8 -C 1" "-P 1 -C 1"; do
		start_shmviz --sync mutex $shape -r 1 -R 1
		TIMEOUT_S=10 eventually shows_loops mutex
		keys q
		wait_for 'shmviz-exit=0' 10
		cleanup
		MY_PIDS=() MY_SHMIDS=()
	done
}

# Whether a worker's status line is drawn in reverse video at its name:
# the attributes are followed through the whole capture (a row goes on
# with those the row before ended with), each character with its own.
reversed() {
	tm capture-pane -e -p | python3 -c '
import re, sys
name, rev = sys.argv[1], False
for raw in sys.stdin:
    cells = []
    for part in re.split(r"(\x1b\[[0-9;]*m)", raw.rstrip("\n")):
        m = re.fullmatch(r"\x1b\[([0-9;]*)m", part)
        if m:
            for c in (m.group(1) or "0").split(";"):
                if c in ("0", "", "27"):
                    rev = False
                elif c == "7":
                    rev = True
        else:
            cells += [(ch, rev) for ch in part]
    plain = "".join(ch for ch, _ in cells)
    if re.match(r"^ [1-9 ] " + name + r" +pid [0-9]+", plain):
        sys.exit(0 if cells[3][1] else 1)
sys.exit(2)' "$1"
}

# The status line is there, and not reversed.
plain() { local rc=0; reversed "$1" || rc=$?; [ "$rc" -eq 1 ]; }

@test "the selected process's name and status line are in reverse video, and only its" {
	start_shmviz -P 2 -r 5 -R 5
	TIMEOUT_S=10 eventually reversed P1
	plain P2
	plain C1
	keys 2
	TIMEOUT_S=10 eventually reversed P2
	plain P1
	plain C1
	keys Tab
	TIMEOUT_S=10 eventually reversed C1
	plain P1
	plain P2
}

@test "with two producers each box says whose item it holds: free runs never look like duplicates" {
	start_shmviz -P 2 -n 4 -r 4 -R 2
	wait_for '\[ *P[12]#[0-9]+\]' 10
	# no box holds a bare number: every item names its producer
	holds_for 2 bash -c "! tmux -S '$SOCK' capture-pane -p | grep -qE '\\[ +[0-9]+\\]'"
}

@test "a schedule shows P1#1 and P2#1 side by side; one cell a slot, a digit says whose" {
	start_shmviz -P 2 -n 4 --schedule 'P1:8 P2:8' --step-delay 0
	wait_for '\[ *P1#1\]\[ *P2#1\]' 10
	cleanup
	MY_PIDS=() MY_SHMIDS=()
	start_shmviz -P 2 -n 64 --schedule 'P1:8 P2:8 P1:8' --step-delay 0
	wait_for 'schedule 24/24 done'
	# slot 0 P1's, 1 P2's, 2 P1's; tail at 0, head at 3
	wait_for '^ T21H'
}

# While a schedule is paused, take its next step with s on the process
# it names, and wait until it has been taken.
take_next() {
	local at next
	at=$(screen | grep -oE 'schedule [0-9]+/' | grep -oE '[0-9]+')
	next=$(screen | grep -oE 'next: [PC][0-9]' | cut -c7-)
	case $next in
	P*) keys "${next#P}" s ;;
	C*) keys "$(( ${next#C} + $1 ))" s ;;
	esac
	wait_for "schedule $((at + 1))/" 10
}

@test "an overwrite is named at the step it happens, naming both items and the slot" {
	start_shmviz -P 2 -n 4 --schedule 'P1:3 P2:3 C1:1' --step-delay 60000
	wait_for 'schedule [01]/7  next: P1' 10
	keys Space
	wait_for 'schedule [01]/7 paused' 10
	# by hand, step by step, to P2's write into the slot P1 wrote
	until screen_has 'schedule 5/7 paused'; do take_next 2; done
	wait_for 'schedule 5/7 paused  next: P2 slots\[head\] = item;' 10
	! screen_has 'overwrote'
	# that one step, and it is named then: the one after has not come
	take_next 2
	wait_for 'P2 overwrote P1#1 in slot 0 before anyone read it' 10
	screen_has 'schedule 6/7 paused  next: C1'
}

@test "in a free run an overwrite is named as soon as it is known" {
	start_shmviz -P 2 -r max -R max
	wait_for 'P[12] overwrote P[12]#[0-9]+ in slot [0-9]+ before anyone read it' 20
}

# How many of 20 looks, 0.1 s apart, show the mark of count.
count_marked() {
	local n=0
	for _ in $(seq 20); do
		screen_has "^ $1 count == produced - consumed" && n=$((n + 1))
		sleep 0.1
	done
	echo "$n"
}

@test "marks at the default rates: decided most of the time" {
	# mutex: a lost update (which seed allows even at these rates) would
	# rightly cross the mark for good
	start_shmviz --sync mutex
	wait_for '✓ count == produced - consumed' 10
	local held=$(count_marked ✓)
	echo "held on $held of 20 looks"
	[ "$held" -ge 10 ]
}

@test "marks at max rates, mutex: never claimed, never crossed, checked when everything stops" {
	start_shmviz --sync mutex -r max -R max
	wait_for 'produced [1-9]'
	holds_for 2 screen_has '^ \? count == produced - consumed +\? empty \+ full == capacity +\? fill == count'
	keys Space
	TIMEOUT_S=10 eventually all_held
}

all_held() {
	joined | grep -qE '✓ count == produced - consumed ✓ empty \+ full == capacity( \([^)]*\))? ✓ fill == count'
}

@test "a proven violation is a cross; in a plain locale the marks are words" {
	start_shmviz LANG=C LC_ALL=C -n 4 --schedule 'P1:8 P1:6 C1:8 P1:1' --step-delay 0
	wait_for '^ NO count == produced - consumed' 10
	screen_has 'ok empty \+ full == capacity'
	! screen_has '\+ count'
	cleanup
	MY_PIDS=() MY_SHMIDS=()
	start_shmviz LANG=C LC_ALL=C --sync mutex -r max -R max
	wait_for '^ \?\? count == produced - consumed' 10
}

@test "empty + full == capacity names the permits it counts" {
	# an item made, then each takes a permit and holds it
	start_shmviz -P 2 -n 4 --schedule 'P1:8 P1:2 P2:2 C1:2' --step-delay 0
	wait_for 'schedule 14/14 done' 10
	TIMEOUT_S=10 eventually reads '✓ empty + full == capacity (P1 and P2 hold empty permits; C1 holds a full permit)'
}

@test "each semaphore says who is blocked on it: sem_getvalue says only 0" {
	start_shmviz -P 2 -n 1 -r max -R 0.1
	TIMEOUT_S=10 eventually reads 'sem empty 0 waiting: P1 P2'
	cleanup
	MY_PIDS=() MY_SHMIDS=()
	start_shmviz --sync wrong-order -n 2 --schedule 'P1:23 C1:2' --step-delay 0
	TIMEOUT_S=10 eventually reads 'mutex 0 held by P1, waiting: C1'
}

# The screen as one line, rows joined: what wraps reads as it is written.
joined() { screen | sed 's/^ *//' | tr '\n' ' ' | tr -s ' '; }
reads() { joined | grep -qF -- "$1"; }

@test "the lost update's whole explanation, and the deadlock's, are on the 80x24 screen" {
	local why
	why=$("$SHMVIZ" --headless --json -n 4 --schedule 'P1:8 P1:6 C1:8 P1:1' |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["violation_details"]["count == produced - consumed"])')
	start_shmviz -n 4 --schedule 'P1:8 P1:6 C1:8 P1:1' --step-delay 0 --freeze-on-violation
	wait_for 'FROZEN' 10
	TIMEOUT_S=10 eventually reads "FROZEN: count == produced - consumed violated: $why (broken by P1 at count = r;)."
	cleanup
	MY_PIDS=() MY_SHMIDS=()
	# not frozen, the log has room for the whole of it
	start_shmviz -n 4 --schedule 'P1:8 P1:6 C1:8 P1:1' --step-delay 0
	TIMEOUT_S=10 eventually reads "VIOLATED count == produced - consumed: $why; by P1 count = r;"
	cleanup
	MY_PIDS=() MY_SHMIDS=()
	start_shmviz --sync wrong-order -n 2 --schedule 'P1:23 C1:2' --step-delay 0
	TIMEOUT_S=10 eventually reads 'DEADLOCK: P1 waits on empty, holds mutex; C1 waits on mutex. m: next mode, q: quit.'
}

log_rows() { screen | grep -cE '^ +[0-9]+\.[0-9]s  '; }

@test "at 120x40 the spare rows go to the log, not to blank space" {
	start_shmviz -r 0.1 -R 0.1
	wait_for 'RUNNING'
	# nineteen log lines: the rate going up its ladder to max
	for _ in $(seq 19); do keys +; done
	wait_for 'producer rate 100000/s -> max' 10
	local small=$(log_rows)
	tm resize-window -x 120 -y 40
	wait_for '^ seed +16 slots' 10
	TIMEOUT_S=10 eventually bash -c "[ \$(tmux -S '$SOCK' capture-pane -p | grep -cE '^ +[0-9]+\.[0-9]s  ') -gt $small ]"
	# no blank row between the last row of the trends and the key bar
	[ -z "$(screen | sed -n '/occupancy/,$p' | sed '1d;$d' | grep -E '^ *$')" ]
}

@test "--freeze-on-violation at full speed stops within a step: drift at most 3 away from 0, five times" {
	for _ in 1 2 3 4 5; do
		local out drift
		out=$("$SHMVIZ" --headless --json -r max -R max --freeze-on-violation --duration 30)
		drift=$(grep -oE '"drift":-?[0-9]+' <<<"$out" | cut -d: -f2)
		echo "drift $drift"
		grep -q '"ended":"frozen"' <<<"$out"
		[ "${drift#-}" -le 3 ]
	done
}

stored() { joined | grep -oE 'when it stored -?[0-9]+: the change between was erased' | head -n 1 | grep -oE -- '-?[0-9]+'; }
row_count() { screen | grep -oE '^ H head [0-9]+ +T tail [0-9]+ +count -?[0-9]+' | grep -oE -- '-?[0-9]+$'; }

@test "the frozen banner's numbers are the frozen screen's: the store that froze it is the count shown" {
	start_shmviz -r max -R max --freeze-on-violation
	wait_for 'FROZEN' 10
	TIMEOUT_S=10 eventually reads 'Now count'
	echo "banner: $(joined | grep -oE 'FROZEN: .*Space resumes')"
	# what the erasing store wrote is what count holds: nothing moved after
	[ "$(stored)" = "$(row_count)" ]
	reads "Now count $(row_count),"
}

@test "a schedule shows its progress; space pauses it and resumes it where it stopped; s takes exactly its next step" {
	start_shmviz -n 4 --schedule 'P1:8 P1:6 C1:8 P1:1' --step-delay 200
	wait_for 'schedule [1-9][0-9]*/23  next: P1 ' 10
	keys Space
	wait_for 'schedule [0-9]+/23 paused  next: ' 10
	local at=$(screen | grep -oE 'schedule [0-9]+/23' | grep -oE '[0-9]+/' | tr -d /)
	holds_for 1 screen_has "schedule $at/23 paused"
	# s on the process the schedule names next: that one step, still paused
	local next=$(screen | grep -oE 'next: [PC][0-9]' | cut -c7-)
	keys "$( [ "$next" = P1 ] && echo 1 || echo 2 )" s
	wait_for "schedule $((at + 1))/23 paused" 10
	holds_for 1 screen_has "schedule $((at + 1))/23 paused"
	keys Space
	wait_for 'schedule 23/23 done' 20
	! screen_has 'dropped'
	screen_has '✗ count == produced - consumed'
}

@test "a key that leaves the schedule drops it and says so: p, and s on another process" {
	start_shmviz -n 4 --schedule 'P1:8 P1:6 C1:8 P1:1' --step-delay 200
	wait_for 'schedule [1-9][0-9]*/23  next: P1 ' 10
	keys Space
	wait_for 'paused  next: P1' 10
	keys 2 s
	wait_for 'the schedule is dropped at [0-9]+/23: stepping C1 by hand' 10
	wait_for 'schedule dropped at [0-9]+/23: r plays it again'
	keys r
	wait_for 'schedule [0-9]+/23  next' 10
	keys p
	wait_for 'the schedule is dropped at [0-9]+/23: running free' 10
}

rate_shown() { worker_says P1 " $1 "; }

@test "r replays the schedule on a fresh ring; m replays it in the next mode; both keep the rates set" {
	start_shmviz -n 4 --schedule 'P1:8 P1:6 C1:8 P1:1' --step-delay 0
	wait_for 'schedule 23/23 done' 10
	screen_has '^ H head 2 +T tail 1 +count 2'
	keys + +
	TIMEOUT_S=10 eventually rate_shown 10/s
	local first=$(screen | grep -oE 'shmid [0-9]+' | head -n 1)
	keys r
	# a fresh ring, where the same schedule ends the same way
	TIMEOUT_S=10 eventually bash -c "! tmux -S '$SOCK' capture-pane -p | grep -q '$first '"
	wait_for 'schedule 23/23 done' 10
	screen_has '^ H head 2 +T tail 1 +count 2'
	rate_shown 10/s
	keys m
	wait_for '^ mutex ' 10
	wait_for 'schedule 23/23 done' 10
	# the same interleaving under the mutex: count stays right, and the
	# consumer waits for the producer's mutex
	wait_for '✓ count == produced - consumed'
	wait_worker C1 'blocked on mutex'
	rate_shown 10/s
}

@test "none: a paused producer says it spins only while count == capacity holds" {
	start_shmviz --sync none -n 1 --schedule 'P1:7 P1:2' --step-delay 0
	wait_worker P1 'paused, spinning: count == capacity' 10
	wait_for 'schedule 9/9 done' 10
	keys 2 S
	# the consumer took the item: count is 0, and the producer is only paused
	wait_for '^ H head 0 +T tail 0 +count 0' 10
	wait_worker P1 'r=1 +paused *$' 10
	! worker_says P1 'spinning'
}

@test "at max rates status lines stay apart and numbers are compact" {
	start_shmviz -P 2 -r max -R max
	wait_for '[0-9.]+[kM]/s' 10
	for w in P1 P2 C1; do
		wait_worker "$w" "^ [1-9] $w +pid [0-9]+ +max +[0-9.]+[kM]? items +r=-?[0-9]+ +[a-z]"
	done
}
