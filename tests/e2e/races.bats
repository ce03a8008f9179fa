#!/usr/bin/env bats
# The race lab: deterministic schedules make each race happen on demand,
# and the fixes hold under load.

load ../lib/common

teardown() { cleanup; }

json() { grep -oE "\"$1\":(\"[^\"]*\"|\[[^]]*\]|[^,}]+)" <<<"$OUT" | head -n 1 | cut -d: -f2-; }

# One whole producer item, then the next up to r = r + 1, a whole consumer
# item, and the producer's count = r: the consumer's decrement is lost.
LOST_UPDATE='P1:8 P1:6 C1:8 P1:1'

@test "seed: a consumer item inside the producer's count++ loses the update" {
	run_json -n 4 --schedule "$LOST_UPDATE"
	[ "$RUN_STATUS" -eq 0 ]
	[ "$(json ended)" = '"schedule"' ]
	[ "$(json drift)" -eq 1 ]
	[ "$(json count)" -eq 2 ]
	grep -q '"violations":\["count == produced - consumed"' <<<"$OUT"
}

@test "the same schedule ends in the same state every time" {
	run_json -n 4 --schedule "$LOST_UPDATE"
	local first=$(sed 's/"elapsed_s":[^,]*//; s/"[a-z_]*rate":[^,]*//g; s/"pid":[0-9]*//g' <<<"$OUT")
	for _ in 1 2 3; do
		run_json -n 4 --schedule "$LOST_UPDATE"
		[ "$first" = "$(sed 's/"elapsed_s":[^,]*//; s/"[a-z_]*rate":[^,]*//g; s/"pid":[0-9]*//g' <<<"$OUT")" ]
	done
}

@test "mutex: the same schedule keeps count right; the consumer blocks on the mutex" {
	run_json --sync mutex -n 4 --schedule "$LOST_UPDATE"
	[ "$RUN_STATUS" -eq 0 ]
	[ "$(json drift)" -eq 0 ]
	[ "$(json violations)" = '[]' ]
	[ "$(json steps_skipped)" -eq 5 ]
	grep -q 'entry 3 (C1): blocked in sem_wait(&mutex) (5 steps)' <<<"$OUT"
}

@test "atomic: the same schedule keeps count right" {
	run_json --sync atomic -n 4 --schedule "$LOST_UPDATE"
	[ "$RUN_STATUS" -eq 0 ]
	[ "$(json drift)" -eq 0 ]
	[ "$(json violations)" = '[]' ]
	[ "$(json steps_skipped)" -eq 0 ]
}

@test "atomic: a whole consumer item between the producer's claim and its count change" {
	run_json --sync atomic -n 4 --schedule 'P1:6 P1:4 C1:6 P1:2'
	[ "$RUN_STATUS" -eq 0 ]
	[ "$(json count)" -eq 1 ]
	[ "$(json drift)" -eq 0 ]
	[ "$(json violations)" = '[]' ]
}

@test "none: with --items a run ends, drained or with the consumers spinning beside items" {
	run_json --sync none --items 2000 -r max -R max
	# which, the race decides: count may say 0 with items still there
	case $(json ended) in
	'"drained"')
		[ "$RUN_STATUS" -eq 0 ]
		[ "$(json in_ring)" -eq 0 ] ;;
	'"spin"')
		[ "$RUN_STATUS" -eq 3 ]
		[ "$(json in_ring)" -gt 0 ]
		[[ $(json stuck) == '"C1 spins while count == 0, '*' still in the ring"' ]] ;;
	*)
		false ;;
	esac
	[ "$(json produced)" -eq 2000 ]
	[ "$(( $(json consumed) - $(json duplicated) - $(json empty_reads) + $(json in_ring) + $(json lost) ))" -eq 2000 ]
}

@test "seed with two producers: both write one slot before head moves, one item is lost" {
	run_json -P 2 -n 4 --schedule 'P1:3 P2:3 P1:5 P2:5 C1:16'
	[ "$RUN_STATUS" -eq 0 ]
	[ "$(json lost)" -eq 1 ]
	[ "$(json lost_items)" = '["P1#1"]' ]
	[ "$(json duplicated)" -eq 0 ]
	[ "$(json empty_reads)" -eq 1 ]
}

@test "none: with no semaphores a drifting count lets a producer overwrite an item" {
	run_json --sync none -n 2 --schedule 'P1:7 C1:5 P1:7 C1:2 P1:7 P1:7 C1:14'
	[ "$(json lost)" -eq 1 ]
	[ "$(json lost_items)" = '["P1#2"]' ]
	grep -q '"fill == count"' <<<"$OUT"
}

@test "wrong-order: free-running, it deadlocks; named, status 3" {
	run_json --sync wrong-order -n 2 -r max -R 1
	[ "$RUN_STATUS" -eq 3 ]
	[ "$(json deadlock)" = true ]
	[ "$(json ended)" = '"deadlock"' ]
	# whoever takes the mutex first waits, holding it, on a semaphore at 0
	[[ $(json stuck) =~ ^\"P1\ waits\ on\ (empty,\ holds\ mutex\;\ C1\ waits\ on\ mutex|mutex\;\ C1\ waits\ on\ full,\ holds\ mutex)\"$ ]]
}

@test "wrong-order: filling the ring, then the consumer, deadlocks as the book says" {
	# two whole items fill it; the third takes the mutex and waits on empty
	run_json --sync wrong-order -n 2 --schedule 'P1:23 C1:2'
	[ "$RUN_STATUS" -eq 3 ]
	[ "$(json deadlock)" = true ]
	[ "$(json stuck)" = '"P1 waits on empty, holds mutex; C1 waits on mutex"' ]
}

@test "wrong-order: the consumer taking the mutex on an empty ring deadlocks too" {
	run_json --sync wrong-order -n 2 --schedule 'C1:3 P1:3'
	[ "$RUN_STATUS" -eq 3 ]
	[ "$(json stuck)" = '"P1 waits on mutex; C1 waits on full, holds mutex"' ]
	[ "$(json steps_skipped)" -eq 1 ]
}

@test "mutex, 4 producers and 4 consumers at max rates, 1,000,000 items: none lost" {
	run_json --sync mutex -P 4 -C 4 -r max -R max --items 250000
	[ "$RUN_STATUS" -eq 0 ]
	[ "$(json produced)" -eq 1000000 ]
	[ "$(json consumed)" -eq 1000000 ]
	[ "$(json lost)" -eq 0 ]
	[ "$(json duplicated)" -eq 0 ]
	[ "$(json drift)" -eq 0 ]
}

@test "atomic, 4 producers and 4 consumers at max rates, 1,000,000 items: none lost" {
	run_json --sync atomic -P 4 -C 4 -r max -R max --items 250000
	[ "$RUN_STATUS" -eq 0 ]
	[ "$(json produced)" -eq 1000000 ]
	[ "$(json consumed)" -eq 1000000 ]
	[ "$(json lost)" -eq 0 ]
	[ "$(json duplicated)" -eq 0 ]
	[ "$(json drift)" -eq 0 ]
}

@test "seed, one producer and one consumer at max rates, 1,000,000 items: none lost, drift reported" {
	run_json -r max -R max --items 1000000
	[ "$RUN_STATUS" -eq 0 ]
	[ "$(json consumed)" -eq 1000000 ]
	[ "$(json lost)" -eq 0 ]
	[ "$(json duplicated)" -eq 0 ]
	[ "$(json out_of_order)" -eq 0 ]
	[[ $(json drift) =~ ^-?[0-9]+$ ]]
	echo "drift after 1,000,000 items: $(json drift)" >&3
}

@test "--freeze-on-violation ends a headless run at the first proven violation" {
	run_json -r max -R max --freeze-on-violation
	[ "$RUN_STATUS" -eq 0 ]
	[ "$(json ended)" = '"frozen"' ]
	grep -q '"violations":\["count == produced - consumed"' <<<"$OUT"
}

@test "a schedule step of a process that does not exist is refused" {
	"$SHMVIZ" --headless -P 2 --schedule 'P3:1' 2>"$BATS_TEST_TMPDIR/err" && false
	grep -q "no P3 with 2 producer" "$BATS_TEST_TMPDIR/err"
}

# --- on screen ---------------------------------------------------------------

step_is() { [ "$(current_step "$1")" = "$2" ]; }

@test "TUI: pause, select, step: the highlighted line moves exactly one step" {
	start_shmviz -n 4 -r 5 -R 5
	keys Space
	wait_for 'PAUSED' 10
	TIMEOUT_S=10 eventually bash -c "! tmux -S '$SOCK' capture-pane -p | grep -qE 'running|pausing'"
	local p=$(current_step P1) c=$(current_step C1)
	keys 2 s
	wait_for 'PAUSED' 10
	TIMEOUT_S=10 eventually step_is C1 $(( (c + 1) % 8 ))
	step_is P1 "$p"
	keys Tab s
	TIMEOUT_S=10 eventually step_is P1 $(( (p + 1) % 8 ))
	step_is C1 $(( (c + 1) % 8 ))
}

@test "TUI: a schedule replay shows the lost update; the mark turns to violated" {
	start_shmviz -n 4 --schedule "$LOST_UPDATE" --step-delay 20
	wait_for '✓ count == produced - consumed'
	wait_for '✗ count == produced - consumed' 10
	wait_for 'VIOLATED count == produced - consumed'
	wait_for 'PAUSED'
}

@test "TUI: m switches the mode and the panes' code changes" {
	start_shmviz -r 5 -R 5
	wait_for '^ seed '
	screen_has 'r = count;'
	keys m
	wait_for '^ mutex ' 10
	wait_for 'sem_wait\(&mutex\);'
	keys m
	wait_for '^ atomic ' 10
	wait_for 'atomic_fetch_add\(&count, 1\);'
	# the first workers are gone, their segment with them
	TIMEOUT_S=10 eventually first_ones_gone
}

first_ones_gone() {
	local p
	for p in "${WORKERS[@]}"; do ! alive "$p" || return 1; done
	! segment_exists "${MY_SHMIDS[0]}"
}

@test "TUI: wrong-order deadlock is named on screen" {
	start_shmviz --sync wrong-order -n 2 --schedule 'P1:23 C1:2' --step-delay 0
	wait_for 'DEADLOCK: P1 waits on empty, holds mutex; C1 waits on mutex' 10
	wait_worker P1 'blocked on empty, holds mutex'
	wait_worker C1 'blocked on mutex'
}

@test "TUI: --freeze-on-violation pauses everything at the first violation and names it" {
	start_shmviz -r max -R max --freeze-on-violation
	wait_for 'FROZEN: count == produced - consumed violated' 10
	local c=$(field count)
	keys Space
	wait_for 'RUNNING' 10
	TIMEOUT_S=10 eventually bash -c "[ \"\$(tmux -S '$SOCK' capture-pane -p | grep -oE 'count [0-9]+' | head -n 1)\" != 'count $c' ]"
}

@test "TUI: f turns freezing on; the step that breaks count is named" {
	start_shmviz -n 4 --schedule "$LOST_UPDATE" --step-delay 300
	keys f
	wait_for 'freeze on violation on' 10
	wait_for 'FROZEN: count == produced - consumed violated' 10
	screen | tr -d '\n' | grep -q 'broken by P1 at count = r;'
}

@test "TUI: s pressed five times quickly takes five steps" {
	start_shmviz -n 4 -r 5 -R 5
	keys Space
	wait_for 'PAUSED' 10
	TIMEOUT_S=10 eventually bash -c "! tmux -S '$SOCK' capture-pane -p | grep -qE 'running|pausing'"
	local p=$(current_step P1)
	keys 1 s s s s s
	TIMEOUT_S=10 eventually step_is P1 $(( (p + 5) % 8 ))
}

@test "TUI: a spinning worker says so, and S stops there" {
	start_shmviz --sync none --schedule 'C1:3' --step-delay 0
	wait_worker C1 'paused, spinning: count == 0' 10
	wait_for 'not taken: entry 1 \(C1\): spinning: count == 0 \(x2\)' 10
	wait_for 'schedule 3/3 done' 10
	keys 2 S
	# S tries once more and stops there: a third step not taken
	wait_for 'not taken: entry 1 \(C1\): spinning: count == 0 \(x3\)' 10
	wait_for ' PAUSED *$' 10
	holds_for 1 screen_has 'spinning: count == 0 \(x3\)'
}

@test "TUI: a freeze drops the rest of a schedule" {
	start_shmviz -n 4 --freeze-on-violation --step-delay 50 \
		--schedule "$LOST_UPDATE C1:3"
	wait_for 'FROZEN' 10
	wait_for 'frozen: the rest of the plan of steps is dropped'
	local c=$(current_step C1)
	[ "$c" -eq 0 ]
	# C1's three steps (50 ms apart if they came) never come
	holds_for 1 step_is C1 0
}
