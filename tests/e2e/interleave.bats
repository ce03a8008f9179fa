#!/usr/bin/env bats
# Interleavings as data: the trace of every step, stepping back and forth,
# schedules written and read, random schedules from a seed, recordings.

load ../lib/common

teardown() {
	local rc=0
	cleanup || rc=$?
	return "$rc"
}

LOST_UPDATE='P1:8 P1:6 C1:8 P1:1'
DEADLOCK='P1:23 C1:2'

# A headless run's JSON, the fields that vary from run to run taken out.
normal() {
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
for k in ("elapsed_s", "producer_rate", "consumer_rate"):
    d.pop(k, None)
for w in d.get("workers", []):
    w.pop("pid", None)
print(json.dumps(d, sort_keys=True))' "$1"
}

@test "the lost update's trace: every step in order, what it left, the store that broke count marked" {
	local out
	out=$("$SHMVIZ" --headless --json --trace -n 4 --schedule "$LOST_UPDATE")
	python3 - "$out" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
t = d["trace"]
# the workers, in order, are the schedule's
assert [r["worker"] for r in t] == ["P1"] * 14 + ["C1"] * 8 + ["P1"], t
assert [r["n"] for r in t] == list(range(1, 24))
keys = {"n", "worker", "line", "blocked", "r", "count", "head", "tail",
        "sem_empty", "sem_full", "sem_mutex", "slot", "item"}
assert all(keys <= set(r) for r in t)
# P1 loads 1, C1 takes the item and stores 0, P1 stores 2 over it
assert t[12]["line"] == "r = count;" and t[12]["r"] == 1
assert t[16]["line"] == "item = slots[tail];" and t[16]["slot"] == 0 and t[16]["item"] == "P1#1"
assert t[20]["line"] == "count = r;" and t[20]["count"] == 0
last = t[-1]
assert last["worker"] == "P1" and last["line"] == "count = r;" and last["count"] == 2
assert "count == produced - consumed" in last["broke"]
assert all("broke" not in r for r in t[:-1])
# seed mode has no mutex, and a line without a slot has none
assert all(r["sem_mutex"] is None for r in t) and t[0]["slot"] is None
assert d["schedule"] == "P1:14 C1:8 P1"
PY
	# the text summary: the same steps, a column a process
	run "$SHMVIZ" --headless --trace -n 4 --schedule "$LOST_UPDATE"
	echo "$output"
	[[ $output == *"schedule: P1:14 C1:8 P1"* ]]
	grep -qE '^ +n +P1 +C1 +count head tail' <<<"$output"
	grep -qE '^ +23  count = r; count=2 .*<- breaks count == produced - consumed' <<<"$output"
	grep -qE '^ +17 +item = slots\[tail\]; slot 0: P1#1' <<<"$output"
}

@test "a blocked step is traced as blocked, and one not taken as not taken" {
	local out
	out=$("$SHMVIZ" --headless --json --trace --sync mutex -n 4 --schedule "$LOST_UPDATE")
	python3 - "$out" <<'PY'
import json, sys
t = json.loads(sys.argv[1])["trace"]
held = [r for r in t if r["blocked"] and r["taken"]]
skipped = [r for r in t if not r["taken"]]
assert len(held) == 1 and held[0]["worker"] == "C1" and held[0]["line"] == "sem_wait(&mutex);"
assert len(skipped) == 5 and all(r["blocked"] for r in skipped)
PY
}

@test "free running is not traced, and the trace says where it began" {
	local out
	out=$("$SHMVIZ" --headless --json --trace --duration 0.3 -r 50 -R 50)
	python3 - "$out" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
assert d["trace"][0]["note"].startswith("free running began"), d["trace"]
assert all(r["n"] is None for r in d["trace"])
assert d["schedule"] is None
PY
}

# The state a row of the trace describes, and each worker's line and r
# then, as one comparable line: from the headless trace of a schedule.
# The slots hold the items written to them (a read leaves its item there).
state_after() {
	python3 - "$1" "$2" "$3" <<'PY'
import json, sys
d, k, mode = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
lens = {"seed": (8, 8), "wrong-order": (10, 10), "mutex": (10, 10)}[mode]
line, r = {"P1": 0, "C1": 0}, {"P1": 0, "C1": 0}
slots = [""] * d["capacity"]
rows = [x for x in d["trace"] if x["n"] is not None and x["n"] <= k]
for x in rows:
    if x["taken"] and not x["blocked"]:
        line[x["worker"]] = line[x["worker"]] + 1
    r[x["worker"]] = x["r"]
    if x["slot"] is not None and x["line"] == "slots[head] = item;":
        slots[x["slot"]] = x["item"].split("#")[1]
last = rows[-1] if rows else {"head": 0, "tail": 0, "count": 0,
    "sem_empty": d["capacity"], "sem_full": 0,
    "sem_mutex": None if mode == "seed" else 1}
sems = "empty %s full %s" % (last["sem_empty"], last["sem_full"])
if last["sem_mutex"] is not None:
    sems += " mutex %s" % last["sem_mutex"]
print("head %s tail %s count %s | %s | %s | P1 %d r=%s | C1 %d r=%s" % (
      last["head"], last["tail"], last["count"], sems, ",".join(slots),
      line["P1"] % lens[0], r["P1"], line["C1"] % lens[1], r["C1"]))
PY
}

# The same, read off the screen: the numbers below the ring, its cells.
state_shown() {
	local h t c sems slots
	read -r h t c < <(screen | grep -oE '^ H head [0-9]+ +T tail [0-9]+ +count -?[0-9]+' |
		grep -oE -- '-?[0-9]+' | tr '\n' ' ')
	sems=$(screen | grep -oE '(sem empty|full|mutex) -?[0-9]+' | sed 's/^sem //' | tr '\n' ' ')
	slots=$(screen | grep -m1 -E '^ \[.*\]->' | sed 's/->.*//' | grep -oE '\[[^]]*\]' |
		tr -d '[] ' | paste -sd,)
	printf 'head %s tail %s count %s | %s | %s | P1 %s r=%s | C1 %s r=%s\n' "$h" "$t" "$c" \
		"${sems% }" "$slots" \
		"$(current_step P1)" "$(worker_text P1 | grep -oE 'r=-?[0-9]+' | cut -c3-)" \
		"$(current_step C1)" "$(worker_text C1 | grep -oE 'r=-?[0-9]+' | cut -c3-)"
}

shows_state() { [ "$(state_shown)" = "$1" ]; }

title_ends_at() { [ "$(screen | head -n 1 | awk '{ print length }')" -eq "$1" ]; }

# Press u until the screen is back at step k, checking each step's state
# against the headless trace, field by field.
back_to() {
	local json=$1 mode=$2 k=$3 want
	want=$(state_after "$json" "$k" "$mode")
	keys u
	wait_for "u: back to step $k:" 10
	TIMEOUT_S=10 eventually shows_state "$want" || {
		echo "step $k: want $want, shown $(state_shown)"; false; }
}

@test "u steps back and U forward: the state shown is the state of that step, field by field" {
	local json
	json=$("$SHMVIZ" --headless --json --trace -n 4 --schedule "$LOST_UPDATE")
	start_shmviz -n 4 --schedule "$LOST_UPDATE" --step-delay 0
	wait_for 'schedule 23/23 done' 10
	TIMEOUT_S=10 eventually shows_state "$(state_after "$json" 23 seed)"
	for k in 22 21 20 19 18 17 16 15 14 13; do back_to "$json" seed "$k"; done
	# the erasing store is undone: count is right again
	wait_for '✓ count == produced - consumed'
	# forward again, each step the one taken back
	for k in 14 15 16; do
		keys U
		TIMEOUT_S=10 eventually shows_state "$(state_after "$json" "$k" seed)"
	done
}

@test "u and U through the deadlock schedule, to before the producer took the mutex and back" {
	local json
	json=$("$SHMVIZ" --headless --json --trace --sync wrong-order -n 2 --schedule "$DEADLOCK" || true)
	# tall enough for the ring's cells beside the deadlock's banner
	ROWS=30 start_shmviz --sync wrong-order -n 2 --schedule "$DEADLOCK" --step-delay 0
	wait_for 'DEADLOCK' 10
	for k in 24 23 22 21; do back_to "$json" wrong-order "$k"; done
	! screen_has 'DEADLOCK:'
	for k in 22 23 24 25; do
		keys U
		TIMEOUT_S=10 eventually shows_state "$(state_after "$json" "$k" wrong-order)"
	done
	wait_for 'DEADLOCK: P1 waits on empty, holds mutex; C1 waits on mutex' 10
}

@test "a new step after u drops the steps that were to come again" {
	start_shmviz -n 4 --schedule "$LOST_UPDATE" --step-delay 0
	wait_for 'schedule 23/23 done' 10
	keys u
	wait_for 'u: back to step 22' 10
	wait_for 'next: P1 count = r;' 10
	# a step of another process: what was to come is dropped
	keys 2 s
	wait_for 'the schedule is dropped at 22/23: stepping C1 by hand' 10
	keys U
	wait_for 'U: no step taken back to take again' 10
}

@test "a session that ran free cannot be stepped back, and says so" {
	start_shmviz -r 20 -R 20
	wait_for 'RUNNING'
	keys Space
	wait_for 'PAUSED' 10
	keys 1 s
	keys u
	wait_for 'u: the session ran free before these steps' 10
}

@test "after k, u and w refuse: the killed worker cannot be played again" {
	start_shmviz -n 4 --schedule "$LOST_UPDATE" --step-delay 0
	wait_for 'schedule 23/23 done' 10
	keys 2 k
	wait_for 'k: SIGKILL to C1' 10
	keys u
	wait_for 'u: a worker was killed, so it cannot be played again' 10
	keys w
	wait_for 'w: a worker was killed: the steps would not play this session again' 10
}

@test "w after free running refuses: those steps would not play the session again" {
	start_shmviz -r 20 -R 20
	wait_for 'RUNNING'
	keys Space
	wait_for 'PAUSED' 10
	keys 1 s
	keys w
	wait_for 'w: the session ran free before these steps: the steps would not play' 10
}

@test "r with everything paused starts a fresh ring paused: its steps can be stepped back" {
	start_shmviz -r 20 -R 20
	wait_for 'RUNNING'
	keys Space
	wait_for 'PAUSED' 10
	keys r
	wait_for 'r: restarted' 10
	holds_for 1 screen_has '^ seed .* PAUSED$'
	keys 1 s s s
	keys t
	wait_for 'steps so far: P1:3' 10
	keys u
	wait_for 'u: back to step 2' 10
	wait_for 'steps so far: P1:2' 10
}

@test "s after a freeze steps the frozen ring, one step a press" {
	start_shmviz -r max -R max --freeze-on-violation
	wait_for 'FROZEN' 10
	# the freeze may catch one side blocked in its sem_wait (a full or an
	# empty ring): step the other, which can always go on
	local w=1 name=P1
	wait_worker C1 '(paused|blocked)'
	if worker_says P1 'blocked'; then w=2 name=C1; fi
	echo "stepping $name"
	keys t "$w" s
	wait_for "steps so far: $name\$" 10
	keys s
	wait_for "steps so far: $name:2" 10
	screen_has 'FROZEN'
}

@test "w writes the history to a new file; --schedule-file plays it to the same end" {
	PANE_DIR=$BATS_TEST_TMPDIR start_shmviz -n 4 --schedule "$LOST_UPDATE" --step-delay 0
	wait_for 'schedule 23/23 done' 10
	keys w
	wait_for 'w: the 23 steps so far are in shmviz-seed-1.schedule' 10
	keys w
	wait_for 'shmviz-seed-2.schedule' 10
	local f=$BATS_TEST_TMPDIR/shmviz-seed-1.schedule
	cat "$f"
	[ "$(stat -c %a "$f")" = 644 ]
	grep -q '^# 23 steps of shmviz --sync seed -n 4 -P 1 -C 1$' "$f"
	grep -qx 'P1:14 C1:8 P1' "$f"
	[ "$(normal "$("$SHMVIZ" --headless --json -n 4 --schedule-file "$f")")" = \
		"$(normal "$("$SHMVIZ" --headless --json -n 4 --schedule "$LOST_UPDATE")")" ]
}

@test "a schedule file may have comments and run across lines" {
	local f=$BATS_TEST_TMPDIR/lesson.schedule
	printf '# the lost update, prepared at home\nP1:8   # one whole item\nP1:6\n\tC1:8,\nP1 # the store that erases\n' >"$f"
	[ "$(normal "$("$SHMVIZ" --headless --json -n 4 --schedule-file "$f")")" = \
		"$(normal "$("$SHMVIZ" --headless --json -n 4 --schedule "$LOST_UPDATE")")" ]
}

@test "--random: the same seed gives the same trace, another seed another; its schedule replays it" {
	local a b c
	a=$("$SHMVIZ" --headless --json --trace --random 7 -P 2 -n 2 --items 3)
	b=$("$SHMVIZ" --headless --json --trace --random 7 -P 2 -n 2 --items 3)
	c=$("$SHMVIZ" --headless --json --trace --random 8 -P 2 -n 2 --items 3)
	[ "$(normal "$a")" = "$(normal "$b")" ]
	[ "$(normal "$a")" != "$(normal "$c")" ]
	grep -q '"ended":"drained"' <<<"$a"
	local sched
	sched=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["schedule"])' "$a")
	echo "seed 7: $sched"
	[ "$(normal "$("$SHMVIZ" --headless --json --trace --schedule "$sched" -P 2 -n 2 --items 3)" |
		sed 's/"ended": "[a-z]*"//')" = "$(normal "$a" | sed 's/"ended": "[a-z]*"//')" ]
}

@test "--random stops at --steps, and at a deadlock with status 3" {
	run "$SHMVIZ" --headless --json --random 5 --steps 30
	[ "$status" -eq 0 ]
	grep -q '"ended":"steps"' <<<"$output"
	grep -q '"steps_taken":30' <<<"$output"
	run "$SHMVIZ" --headless --json --random 5 --sync wrong-order -n 1
	[ "$status" -eq 3 ]
	grep -q '"deadlock":true' <<<"$output"
}

@test "--random that leaves the consumers spinning beside items says so: a hang, status 3" {
	run "$SHMVIZ" --headless --json --random 10 --sync none -P 2 -C 2 -n 2 --items 4
	echo "$output"
	[ "$status" -eq 3 ]
	grep -q '"ended":"spin"' <<<"$output"
	grep -q '"in_ring":2,' <<<"$output"
	grep -q '"stuck":"C1,C2 spin while count == 0, 2 items still in the ring"' <<<"$output"
	start_shmviz --random 10 --sync none -P 2 -C 2 -n 2 --items 4 --step-delay 0
	wait_for 'HANG: C1,C2 spin while count == 0, 2 items still in the ring, and' 10
	wait_for 'nobody left can change it' 10
	wait_for '^ none .* HANG$' 10
}

@test "--random on screen plays at --step-delay, pauses, and steps back" {
	start_shmviz --random 3 -n 4 --step-delay 200
	wait_for 'random seed 3: step [1-9]' 10
	keys Space
	wait_for 'random seed 3: step [0-9]+ paused' 10
	local at=$(screen | grep -oE 'seed 3: step [0-9]+' | grep -oE '[0-9]+$')
	holds_for 1 screen_has "seed 3: step $at paused"
	keys u
	wait_for "u: back to step $((at - 1))" 10
	wait_for "random seed 3: step $((at - 1)) paused" 10
}

@test "t shows the trace at 80x24 where the ring was, with the steps as a schedule" {
	start_shmviz -n 4 --schedule "$LOST_UPDATE" --step-delay 0
	wait_for 'schedule 23/23 done' 10
	keys t
	wait_for 'steps so far: P1:14 C1:8 P1' 10
	wait_for '^ +n +P1 +C1 +count +head tail' 10
	wait_for '^ +23 ✗ +store count=2' 10
	# the ring's rows are the trace's now; the rest of the screen is there
	! screen_has '^ +0 +1 +2 +3 *$'
	screen_has 'count == produced - consumed'
	# PgUp goes back ten rows, PgDn to the newest again
	keys PPage
	wait_for 'the trace is 10 rows back: PgDn' 10
	wait_for '^ +13 +load r=1' 10
	! screen_has '^ +23 '
	keys NPage
	wait_for '^ +23 ✗ +store count=2' 10
	! screen_has 'rows back'
	keys t
	wait_for '^ +0 +1 +2 +3' 10
}

@test "--record writes an asciicast v2 file, 0644, a marker at each step and violation" {
	local f=$BATS_TEST_TMPDIR/lesson.cast
	start_shmviz -n 4 --schedule "$LOST_UPDATE" --step-delay 0 --record "$f"
	wait_for 'schedule 23/23 done' 10
	keys u
	wait_for 'u: back to step 22' 10
	wait_for '✓ count == produced - consumed' 10
	keys U
	wait_for '✗ count == produced - consumed' 10
	tm resize-window -x 90 -y 26
	# drawn at 90 columns: the title's state at the right edge, a margin
	# of one after it
	TIMEOUT_S=10 eventually title_ends_at 89
	keys q
	wait_for 'shmviz-exit=0 tty=same' 10
	[ "$(stat -c %a "$f")" = 644 ]
	python3 - "$f" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
h = json.loads(lines[0])
assert h["version"] == 2 and h["width"] == 80 and h["height"] == 24, h
assert isinstance(h["timestamp"], int) and h["title"].startswith("shmviz")
ev = [json.loads(l) for l in lines[1:]]
assert all(len(e) == 3 and isinstance(e[0], (int, float)) and e[1] in "orm"
           and isinstance(e[2], str) for e in ev)
assert [e[0] for e in ev] == sorted(e[0] for e in ev)
marks = [e[2] for e in ev if e[1] == "m"]
steps = [m for m in marks if m.startswith("step ")]
# a marker a step; u says where it went back to, and U's step is marked again
assert [m.split(":")[0] for m in steps] == ["step %d" % n for n in range(1, 24)] + ["step 23"], steps
assert steps[-1] == "step 23: P1 count = r; count=2", steps[-1]
u = marks.index("u: back to step 22")
assert len([m for m in marks[:u] if m.startswith("step ")]) == 23, marks
assert marks[u + 1] == steps[-1], marks
assert sum(m.startswith("violated: count == produced - consumed") for m in marks) == 2, marks
assert ["r", "90x26"] in [e[1:] for e in ev]
assert any(e[1] == "o" and "schedule 23/23 done" in e[2] for e in ev)
PY
}

# A bad file: status 2, one line, nothing created (reap says so).
refused_file() {
	run "$TOP/build/reap" "$SHMVIZ" "$@"
	echo "shmviz $*: $status: $output"
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ $output == shmviz:* ]]
}

@test "bad files: missing, a directory, a garbage line, an existing --record target: one line, status 2" {
	refused_file --headless --schedule-file "$BATS_TEST_TMPDIR/none.schedule"
	[[ $output == *"No such file"* ]]
	refused_file --headless --schedule-file "$BATS_TEST_TMPDIR"
	[[ $output == *"is not a file"* ]]
	printf 'P1:8\nthis is not a step\n' >"$BATS_TEST_TMPDIR/bad.schedule"
	refused_file --headless --schedule-file "$BATS_TEST_TMPDIR/bad.schedule"
	[[ $output == *"'this': a process is"* ]]
	printf '# nothing but a comment\n' >"$BATS_TEST_TMPDIR/empty.schedule"
	refused_file --headless --schedule-file "$BATS_TEST_TMPDIR/empty.schedule"
	touch "$BATS_TEST_TMPDIR/there.cast"
	refused_file --record "$BATS_TEST_TMPDIR/there.cast"
	[[ $output == *"exists"* ]]
	[ ! -s "$BATS_TEST_TMPDIR/there.cast" ]
	refused_file --headless --record "$BATS_TEST_TMPDIR/new.cast"
	[ ! -e "$BATS_TEST_TMPDIR/new.cast" ]
	refused_file --headless --schedule P1 --random 3
	refused_file --headless --steps 5
	refused_file --trace
}

@test "an unreadable schedule file is refused for another user, who may not read it" {
	[ "$(id -u)" = 0 ] || skip "becoming another user needs root"
	local d
	d=$(mktemp -d)
	chmod 755 "$d"
	printf 'P1:8\n' >"$d/secret.schedule"
	chmod 600 "$d/secret.schedule"
	# the programs, somewhere the other user can run them from
	cp "$SHMVIZ" "$TOP/build/reap" "$d/"
	chmod 755 "$d/shmviz" "$d/reap"
	run setpriv --reuid=nobody --regid=nogroup --clear-groups "$d/reap" \
		"$d/shmviz" --headless --schedule-file "$d/secret.schedule"
	rm -rf "$d"
	echo "$output"
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ $output == *"Permission denied"* ]]
}
