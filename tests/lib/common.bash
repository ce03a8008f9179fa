# Helpers for the bats suites: run shmviz in a private tmux server at a
# fixed size, poll its screen, find the processes and segments it made,
# and remove exactly those when a test ends.

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
SHMVIZ=${SHMVIZ:-$TOP/shmviz}

# What this test created: cleaned up by teardown, by id and pid only.
MY_PIDS=()
MY_SHMIDS=()

now_ms() { date +%s%3N; }

# A process that has exited, zombie or reaped, is not alive.
alive() {
	local st
	st=$(sed -n 's/^[0-9]* (.*) \([A-Z]\).*/\1/p' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# Segments whose creator is pid $1.
segments_of() {
	awk -v pid="$1" 'NR > 1 && $5 == pid { print $2 }' /proc/sysvipc/shm
}

segment_exists() {
	awk -v id="$1" 'NR > 1 && $2 == id { found = 1 } END { exit !found }' \
		/proc/sysvipc/shm
}

# Poll until "$@" succeeds, every 0.1 s, for at most $TIMEOUT_S seconds.
eventually() {
	local deadline=$(( $(now_ms) + ${TIMEOUT_S:-10} * 1000 ))
	until "$@"; do
		if [ "$(now_ms)" -ge "$deadline" ]; then
			echo "timed out after ${TIMEOUT_S:-10} s: $*" >&2
			return 1
		fi
		sleep 0.1
	done
}

# --- tmux -----------------------------------------------------------------

tm() { tmux -S "$SOCK" "$@"; }

# Start shmviz with the given arguments (after any VAR=value words, which
# go to its environment) under a shell in an 80x24 pane of a private tmux
# server.  When shmviz ends, the pane shows "shmviz-exit=N tty=same|changed".
start_shmviz() {
	local envs=() a np=1 nc=1 prev=""
	while [ $# -gt 0 ] && [[ $1 == [A-Z_]*=* ]]; do envs+=("$1"); shift; done
	# the workers to wait for: -P and -C, one each unless given
	for a in "$@"; do
		[ "$prev" = -P ] && np=$a
		[ "$prev" = -C ] && nc=$a
		prev=$a
	done
	NWORKERS=$((np + nc))
	SOCK="$BATS_TEST_TMPDIR/tmux.sock"
	tm -f /dev/null new-session -d -x "${COLS:-80}" -y "${ROWS:-24}" \
		-c "${PANE_DIR:-$PWD}" "$TOP/tests/lib/pane.sh" env "${envs[@]}" \
		"$SHMVIZ" "$@"
	tm set-option -g remain-on-exit on >/dev/null
	PANE_PID=$(tm list-panes -F '#{pane_pid}')
	MY_PIDS+=("$PANE_PID")
	TIMEOUT_S=10 eventually find_supervisor
	WORKERS=($(pgrep -P "$SUP"))
	MY_PIDS+=("$SUP" "${WORKERS[@]}")
	MY_SHMIDS+=($(segments_of "$SUP"))
}

# A pane running a command that is expected not to start a session.
start_pane_only() {
	SOCK="$BATS_TEST_TMPDIR/tmux.sock"
	tm -f /dev/null new-session -d -x 80 -y 24 "$TOP/tests/lib/pane.sh" "$@"
	PANE_PID=$(tm list-panes -F '#{pane_pid}')
}

find_supervisor() {
	SUP=$(pgrep -P "$PANE_PID" -x shmviz | head -n 1)
	[ -n "$SUP" ] && [ "$(pgrep -P "$SUP" | wc -l)" -eq "${NWORKERS:-2}" ] &&
		[ -n "$(segments_of "$SUP")" ]
}

screen() { tm capture-pane -p -S - 2>/dev/null; }

# The opposite of eventually: "$@" holds on every look, every 0.1 s, for
# SECONDS (something that must not happen is watched for, not slept past).
holds_for() {
	local deadline=$(( $(now_ms) + $1 * 1000 ))
	shift
	while [ "$(now_ms)" -lt "$deadline" ]; do
		"$@" || { echo "stopped holding: $*" >&2; return 1; }
		sleep 0.1
	done
}

# Wait until the screen matches an extended regular expression.
wait_for() {
	local pat=$1
	TIMEOUT_S=${2:-10} eventually screen_has "$pat" || {
		echo "--- screen while waiting for: $pat" >&2
		screen >&2
		return 1
	}
}

screen_has() { screen | grep -qE -- "$1"; }

keys() { tm send-keys "$@"; }

# A number that follows a label on screen: field "head" -> 12.
field() { screen | grep -oE -- "$1 [0-9]+" | tail -n 1 | grep -oE '[0-9]+$'; }

# What the screen says of one worker (P1, C2): its status line, and the
# line under it when its state wraps there.
worker_text() {
	screen | awk -v name="$1" '
		found { if ($0 ~ /^                                        /) { sub(/^ +/, ""); print }; exit }
		$0 ~ "^ [1-9 ] " name " +pid " { print; found = 1 }'
}

# The line of a worker's loop it is at (0 the first), from the code
# columns: its name before the arrow, in its role's half of the screen
# (ranges like P1-P3 count).
current_step() {
	screen | sed 's/▶/>/g' | awk -v name="$1" -v cols="${COLS:-80}" '
		function has(list, who,    n, k, p, ab) {
			n = split(list, p, ",")
			for (k = 1; k <= n; k++) {
				if (p[k] == who)
					return 1
				if (split(p[k], ab, "-") == 2 &&
				    substr(ab[1], 1, 1) == substr(who, 1, 1) &&
				    substr(who, 2) + 0 >= substr(ab[1], 2) + 0 &&
				    substr(who, 2) + 0 <= substr(ab[2], 2) + 0)
					return 1
			}
			return 0
		}
		!start && /^[ PC0-9,>-]*wait_for_next_deadline\(\);/ { start = NR }
		start && NR < start + 12 {
			half = int(cols / 2)
			col = substr(name, 1, 1) == "P" ? substr($0, 1, half) : substr($0, half + 1, half)
			i = index(col, ">")
			if (i == 0)
				next
			names = substr(col, 1, i - 1)
			gsub(/ /, "", names)
			if (has(names, name)) { print NR - start; exit }
		}'
}

# Wait until a worker's text matches an extended regular expression.
worker_says() { worker_text "$1" | tr '\n' ' ' | grep -qE -- "$2"; }
wait_worker() {
	TIMEOUT_S=${3:-10} eventually worker_says "$1" "$2" || {
		echo "--- $1 while waiting for: $2" >&2
		worker_text "$1" >&2
		screen >&2
		return 1
	}
}

# Items done by a worker: "N items" (or "1 item") in its header.
items_of() { worker_text "$1" | grep -oE '[0-9]+ items?' | head -n 1 | grep -oE '[0-9]+'; }

# --- headless ---------------------------------------------------------------

# Start a headless shmviz in the background, its summary going to
# $BATS_TEST_TMPDIR/out; once its two workers run, HL_PID is the supervisor
# and HL_KIDS its workers, all recorded for the end-of-test check.
start_headless() {
	"$SHMVIZ" --headless --json "$@" >"$BATS_TEST_TMPDIR/out" &
	HL_PID=$!
	MY_PIDS+=("$HL_PID")
	TIMEOUT_S=10 eventually bash -c "[ \$(pgrep -P $HL_PID | wc -l) -eq 2 ]"
	HL_KIDS=($(pgrep -P "$HL_PID"))
	MY_PIDS+=("${HL_KIDS[@]}")
	MY_SHMIDS+=($(segments_of "$HL_PID"))
}

# Wait for it; RUN_STATUS and OUT are how it ended and what it said.
wait_headless() {
	RUN_STATUS=0
	wait "$HL_PID" || RUN_STATUS=$?
	OUT=$(cat "$BATS_TEST_TMPDIR/out")
	echo "$OUT"
}

# Run a headless session to its end: OUT is its JSON summary, RUN_STATUS
# how it exited; it must leave no segment behind.
run_json() {
	"$SHMVIZ" --headless --json "$@" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
	RUN_PID=$!
	MY_PIDS+=("$RUN_PID")
	RUN_STATUS=0
	wait "$RUN_PID" || RUN_STATUS=$?
	OUT=$(cat "$BATS_TEST_TMPDIR/out")
	echo "shmviz $*: status $RUN_STATUS"
	echo "$OUT"
	cat "$BATS_TEST_TMPDIR/err"
	[ -z "$(segments_of "$RUN_PID")" ]
}

# A top-level field of the JSON object in OUT (booleans as true/false).
jfield() { python3 -c 'import json, sys; v = json.loads(sys.argv[1])[sys.argv[2]]; print(str(v).lower() if isinstance(v, bool) else v)' "$OUT" "$1"; }

# --- what a test leaves behind ---------------------------------------------

# Every process and segment this test made is gone (the pane's shell is
# tmux's to end).
nothing_left() {
	local p id
	for p in "${MY_PIDS[@]}"; do
		[ "$p" = "${PANE_PID:-}" ] && continue
		if alive "$p"; then echo "process $p is still alive" >&2; return 1; fi
	done
	for id in "${MY_SHMIDS[@]}"; do
		if segment_exists "$id"; then echo "segment $id remains" >&2; return 1; fi
	done
}

# After every test: end what is still running the way a user would (the
# terminal goes away), then check that every process and segment the test
# made is gone.  Whatever is left is removed, by pid and id, and the test
# fails.
cleanup() {
	local p id left=0
	# workers and segments made since the start (m, r) count too
	if [ -n "${SUP:-}" ] && alive "$SUP"; then
		MY_PIDS+=($(pgrep -P "$SUP"))
		MY_SHMIDS+=($(segments_of "$SUP"))
	fi
	[ -n "${SOCK:-}" ] && tmux -S "$SOCK" kill-server 2>/dev/null
	TIMEOUT_S=5 eventually nothing_left 2>/dev/null || left=1
	if [ "$left" = 1 ]; then
		echo "left behind:" >&2
		nothing_left >&2
	fi
	for p in "${MY_PIDS[@]}"; do
		alive "$p" && kill -KILL "$p" 2>/dev/null
	done
	for id in "${MY_SHMIDS[@]}"; do
		segment_exists "$id" && ipcrm -m "$id" 2>/dev/null
	done
	return "$left"
}
