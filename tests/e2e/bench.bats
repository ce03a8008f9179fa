#!/usr/bin/env bats
# shmviz bench: that it measures every case and verifies every item; how
# fast they are is make perf's business, not a test's.

load ../lib/common

teardown() { cleanup; }

@test "bench runs every case, verifies every item, and leaves nothing" {
	# under reap: status 99 if a process or a segment were left behind
	"$TOP/build/reap" "$SHMVIZ" bench --items 20000 --reps 2 --trips 500 \
		--json >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
	local pid=$! status=0
	MY_PIDS+=("$pid")
	wait "$pid" || status=$?
	local out=$(cat "$BATS_TEST_TMPDIR/out")
	echo "$out"
	[ "$status" -eq 0 ]
	grep -q '"verified":true' <<<"$out"
	for c in pipe pipe-batched sem sem-bare sem-mutex lockfree sem-observed sem-busy-observer sem-8-viewers; do
		grep -qE "\\{\"name\":\"$c\",\"items_per_s\":[0-9.]+,\"ns_per_item\":[0-9.]+,\"ratio_to_pipe\":[0-9.]+,\"min_items_per_s\":[0-9.]+,\"max_items_per_s\":[0-9.]+" <<<"$out"
	done
	for c in pipe sem lockfree; do
		grep -qE "\\{\"name\":\"$c\",\"ns_per_round_trip\":[0-9.]+" <<<"$out"
	done
	grep -q '"cores":' <<<"$out"
	python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert len(d["cases"]) == 9 and len(d["latency"]) == 3' "$out"
}

@test "bench prints a table with the machine, and shows its progress" {
	run "$SHMVIZ" bench --items 5000 --reps 1 --trips 100
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"shmviz bench: 5000 items a case"* ]]
	[[ $output == *"machine: "*" cores, Linux "* ]]
	[[ $output == *"sem-busy-observer"* ]]
	[[ $output == *"sem-8-viewers"* ]]
	[[ $output == *"bench: repetition 1/1"* ]]
	[[ $output == *"arrived exactly once and in order: yes"* ]]
}

@test "bench refuses bad values with status 2 and one line" {
	for args in "--items 0" "--reps 0" "--reps 21" "--trips x" "-n 5000" \
	    "--items" "--bogus" "--items 5 --items 6" "--json --json" "extra"; do
		run "$TOP/build/reap" "$SHMVIZ" bench $args
		echo "$args: $status $output"
		[ "$status" -eq 2 ]
		[ "${#lines[@]}" -eq 1 ]
		[[ $output == "shmviz bench: "* ]]
	done
	run "$SHMVIZ" bench --items $'1\nshmviz bench: all good'
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 1 ]
}
