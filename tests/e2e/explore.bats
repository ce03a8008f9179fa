#!/usr/bin/env bats
# shmviz explore: the interleavings of real processes, counted by outcome;
# its shortest schedules replay what it found.

load ../lib/common

teardown() { cleanup; }

# Run shmviz explore; OUT, ERR and RUN_STATUS; nothing may be left behind.
explore() {
	"$SHMVIZ" explore "$@" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
	RUN_PID=$!
	MY_PIDS+=("$RUN_PID")
	RUN_STATUS=0
	wait "$RUN_PID" || RUN_STATUS=$?
	OUT=$(cat "$BATS_TEST_TMPDIR/out")
	ERR=$(cat "$BATS_TEST_TMPDIR/err")
	echo "shmviz explore $*: status $RUN_STATUS"
	echo "$OUT"
	echo "$ERR"
	[ -z "$(segments_of "$RUN_PID")" ]
}

# A field of the outcome named $1 in the JSON in OUT (count, forbidden,
# shortest); "" if there is no such outcome.
outcome() {
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
for o in d["outcomes"]:
    if o["outcome"] == sys.argv[2]:
        v = o[sys.argv[3]]
        print(str(v).lower() if isinstance(v, bool) else v)
' "$OUT" "$1" "$2"
}

# What a headless replay of a schedule ends in: "status drift".
replay() {
	local out status=0
	out=$("$SHMVIZ" --headless --json "$@") || status=$?
	echo "replayed: status $status: $out" >&2
	printf '%s %s\n' "$status" "$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["drift"])' "$out")"
}

@test "seed: the lost update is found, and its shortest schedule replays it" {
	explore --sync seed --items 2 --json
	[ "$RUN_STATUS" -eq 0 ]
	[ -n "$(outcome correct count)" ]
	[ "$(outcome correct forbidden)" = false ]
	[ "$(outcome 'lost update' forbidden)" = true ]
	[ "$(outcome 'lost update' count)" -gt 0 ]
	local sched=$(outcome 'lost update' shortest)
	[ -n "$sched" ]
	read -r status drift < <(replay -n 2 --items 2 --schedule "$sched")
	[ "$status" -eq 0 ]
	[ "$drift" -ne 0 ]
	# and the shortest correct one keeps count right
	read -r status drift < <(replay -n 2 --items 2 --schedule "$(outcome correct shortest)")
	[ "$drift" -eq 0 ]
}

@test "seed with two producers: an item written over is lost, and a slot is read empty" {
	explore --sync seed -P 2 --items 1 -n 2 --json
	[ "$RUN_STATUS" -eq 0 ]
	[ "$(outcome 'lost item, empty read' forbidden)" = true ]
	local sched=$(outcome 'lost item, empty read' shortest)
	local out=$("$SHMVIZ" --headless --json -P 2 -n 2 --items 1 --schedule "$sched")
	echo "$out"
	python3 -c 'import json, sys; d = json.loads(sys.argv[1]); assert d["lost"] == 1 and d["empty_reads"] == 1, d' "$out"
}

@test "mutex and atomic: every interleaving of two producers and two consumers is correct" {
	for mode in mutex atomic; do
		explore --sync "$mode" -P 2 -C 2 --items 1 -n 2 --preemptions all --json
		[ "$RUN_STATUS" -eq 0 ]
		[ "$(jfield complete)" = true ]
		[ "$(jfield bounded)" = false ]
		[ "$(jfield interleavings)" -gt 1000000 ]
		python3 -c 'import json, sys; d = json.loads(sys.argv[1]); assert [o["outcome"] for o in d["outcomes"]] == ["correct"] and not any(o["forbidden"] for o in d["outcomes"])' "$OUT"
	done
}

@test "wrong-order: the deadlock is found, and its shortest schedule exits 3" {
	explore --sync wrong-order -n 1 --items 2 --preemptions all --json
	[ "$RUN_STATUS" -eq 0 ]
	[ "$(outcome deadlock forbidden)" = true ]
	local sched=$(outcome deadlock shortest)
	run "$SHMVIZ" --headless --sync wrong-order -n 1 --items 2 --schedule "$sched"
	echo "$output"
	[ "$status" -eq 3 ]
	grep -q 'deadlock: P1 waits on mutex; C1 waits on full, holds mutex' <<<"$output"
}

@test "none: two producers and two consumers lose items and read empty slots" {
	explore --sync none -P 2 -C 2 --items 1 -n 2 --preemptions 1 --json
	[ "$RUN_STATUS" -eq 0 ]
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
names = [o["outcome"] for o in d["outcomes"]]
assert any("lost item" in n for n in names), names
assert any("empty read" in n for n in names), names
assert d["bounded"] and not d["complete"]
' "$OUT"
	# each hang's shortest order, replayed, ends spinning for good: exit 3
	local hangs=$(python3 -c 'import json, sys; print("\n".join(o["shortest"] for o in json.loads(sys.argv[1])["outcomes"] if "hang" in o["outcome"]))' "$OUT")
	[ -n "$hangs" ]
	while read -r sched; do
		run "$SHMVIZ" --headless --json --sync none -P 2 -C 2 --items 1 -n 2 --schedule "$sched"
		echo "$sched: $status $output"
		[ "$status" -eq 3 ]
		grep -q '"ended":"spin"' <<<"$output"
	done <<<"$hangs"
}

@test "the same search twice gives the same table, and the counts add up" {
	explore --sync seed -P 2 --items 1 -n 2
	local first=$(grep -v ' states, .* steps ' <<<"$OUT")
	explore --sync seed -P 2 --items 1 -n 2
	[ "$first" = "$(grep -v ' states, .* steps ' <<<"$OUT")" ]
	grep -q '^  lost item, empty read  *[0-9]' <<<"$OUT"
	explore --sync seed -P 2 --items 1 -n 2 --json
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert sum(o["count"] for o in d["outcomes"]) == d["interleavings"], d
assert abs(sum(o["share"] for o in d["outcomes"]) - 1) < 1e-4, d
assert d["schedules_per_s"] > 0 and d["end_states"] > 0
' "$OUT"
}

# Every order of the steps of seed -n 1 --items 1, found one step at a time
# by asking --headless --schedule whether each worker can take its next step
# (a producer that made its items is done), and each end state judged from
# the replay's own JSON.
@test "a small case counted by brute force through --headless --schedule agrees" {
	explore --sync seed -n 1 --items 1 --preemptions all --json
	local explored=$OUT
	run python3 - "$SHMVIZ" "$explored" <<'PY'
import json, subprocess, sys
shmviz, explored = sys.argv[1], json.loads(sys.argv[2])

def run(sched):
    out = subprocess.run([shmviz, "--headless", "--json", "--trace", "-n", "1",
                          "--items", "1", "--schedule", sched],
                         capture_output=True, text=True).stdout
    return json.loads(out)

def outcome(d):
    names = []
    if d["drift"] != 0: names.append("lost update")
    if d["lost"]: names.append("lost item")
    if d["duplicated"]: names.append("duplicated")
    if d["empty_reads"]: names.append("empty read")
    return ", ".join(names) or "correct"

counts = {}
def walk(prefix):
    d = run(" ".join(prefix)) if prefix else None
    went = False
    for w in ("P1", "C1"):
        if d is not None and w == "P1" and d["workers"][0]["done"] == 1:
            continue
        e = run(" ".join(prefix + [w]))
        last = e["trace"][-1]
        if e["steps_skipped"] == 0 and not last["blocked"] and last["worker"] == w:
            went = True
            walk(prefix + [w])
    if not went:
        k = outcome(d)
        counts[k] = counts.get(k, 0) + 1

walk([])
mine = {o["outcome"]: o["count"] for o in explored["outcomes"]}
print("brute force:", counts, "explore:", mine)
assert counts == mine, (counts, mine)
assert sum(counts.values()) == explored["interleavings"] == 9
PY
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "a search cut short by --max-schedules says so and still reports" {
	explore --sync none -P 2 -C 2 --max-schedules 50
	[ "$RUN_STATUS" -eq 0 ]
	grep -q '^explored 50 schedules' <<<"$OUT"
	grep -q 'INCOMPLETE: stopped by --max-schedules' <<<"$OUT"
	grep -q 'FORBIDDEN' <<<"$OUT"
}

@test "^C during a long search prints the table so far and leaves nothing behind" {
	"$SHMVIZ" explore --sync none -P 2 -C 2 --items 2 --preemptions all \
		>"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
	local pid=$! status=0
	MY_PIDS+=("$pid")
	# the progress line says it is searching
	TIMEOUT_S=30 eventually grep -q 'schedules' "$BATS_TEST_TMPDIR/err"
	local workers=($(pgrep -P "$pid"))
	[ "${#workers[@]}" -eq 4 ]
	kill -INT "$pid"
	wait "$pid" || status=$?
	cat "$BATS_TEST_TMPDIR/out"
	[ "$status" -eq 130 ]
	grep -q 'INCOMPLETE: stopped by a signal' "$BATS_TEST_TMPDIR/out"
	grep -q 'lost update' "$BATS_TEST_TMPDIR/out"
	[ -z "$(segments_of "$pid")" ]
	for w in "${workers[@]}"; do ! alive "$w"; done
}

@test "hostile values are refused with one line and status 2, nothing created" {
	for args in "--preemptions -1" "--preemptions some" "--items 0" \
		"--max-schedules 0" "-P 9" "-n 0" "--sync fast" "--bogus" "-C" \
		"--json=1" "--items 99999999999999999999"; do
		explore $args
		[ "$RUN_STATUS" -eq 2 ]
		[ -z "$OUT" ]
		[ "$(wc -l <<<"$ERR")" -eq 1 ]
		grep -q '^shmviz explore: ' <<<"$ERR"
	done
}

@test "on screen, e shows the outcomes, and Enter plays the shortest of the one chosen" {
	start_shmviz -n 2 --items 2
	keys e
	wait_for 'lost update +54 +26.87% +FORBIDDEN' 30
	screen_has '^│ > correct +147 +73.13% +ok'
	screen_has '201 interleavings, those with at most 2 preemptions'
	screen_has 'P1:16 C1:17'
	keys Down
	wait_for '^│ > lost update'
	wait_for 'P1:14 C1:5 P1:2 C1:12'
	keys Enter
	wait_for 'e: the shortest order whose outcome is lost update, 33 steps' 10
	wait_for 'schedule 33/33 done' 30
	# the consumer's decrement erased the producer's increment
	wait_for 'count -1 +fill 0'
	# e again, then e closes the table: the ring is back
	keys e
	wait_for '> correct' 30
	keys e
	wait_for 'schedule 33/33 done'
	! screen_has 'schedules run on the real workers'
}
