#!/usr/bin/env bats
# The checks that need no terminal: sanitizers, valgrind, static analysis,
# fuzzing and a soak, each through its make target.

setup() { cd "$BATS_TEST_DIRNAME/../.." || return 1; }

@test "unit tests and headless sessions under AddressSanitizer and UBSan: no report" {
	run make --no-print-directory asan
	echo "$output" | tail -n 20
	[ "$status" -eq 0 ]
	echo "${lines[-1]}" >&3
}

@test "valgrind on headless sessions, every process: 0 errors, 0 bytes definitely lost" {
	run make --no-print-directory valgrind
	echo "$output"
	[ "$status" -eq 0 ]
	echo "${lines[-1]}" >&3
}

@test "cppcheck and clang-tidy, configured in the repository: no finding" {
	run make --no-print-directory lint
	echo "$output"
	[ "$status" -eq 0 ]
	echo "${lines[-1]}" >&3
}

@test "the option and schedule parsers and the JSON strings fuzzed for 20 s each: no crash, no leak" {
	run make --no-print-directory fuzz FUZZ_SECONDS=20
	echo "$output" | tail -n 40
	[ "$status" -eq 0 ]
	echo "${lines[-3]}; ${lines[-2]}; ${lines[-1]}" >&3
}

@test "a 60 s soak, mutex, 2 producers, 2 consumers, max rates: nothing lost, memory flat" {
	run make --no-print-directory soak DURATION=60
	echo "$output"
	[ "$status" -eq 0 ]
	echo "${lines[-1]}" >&3
}
