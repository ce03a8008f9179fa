#!/usr/bin/env bash
# The checks beside the test suites, each ending in status 0 (clean) or 1:
#
#   checks.sh asan DIR TESTS...   unit tests and headless sessions built with
#                                 AddressSanitizer and UBSan: no report
#   checks.sh valgrind BIN        headless sessions under valgrind: no error,
#                                 nothing definitely lost, in any process
#   checks.sh lint                cppcheck and clang-tidy: no finding
#   checks.sh fuzz SECONDS BINS   each libFuzzer target for SECONDS: no crash
#   checks.sh soak BIN SECONDS    mutex, 2 producers, 2 consumers, max rates:
#                                 nothing lost, drift 0, supervisor memory flat
set -u
cd "$(dirname "$0")/.." || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# Headless sessions that go through every mode and a schedule, and a
# bench; each must end as it should (the deadlock with status 3).
sessions() {
	local bin=$1 bad=0
	"$bin" --headless --items 20000 -r max -R max -P 2 -C 2 --sync mutex || bad=1
	"$bin" --headless --items 20000 -r max -R max --sync atomic -P 2 || bad=1
	"$bin" --headless --duration 0.5 -r max -R max --sync none || bad=1
	"$bin" --headless -n 4 --schedule 'P1:8 P1:6 C1:8 P1:1' || bad=1
	"$bin" --headless --sync wrong-order -n 2 -r max -R 1
	[ $? -eq 3 ] || bad=1
	"$bin" --headless --json -n 1024 --duration 0.5 -r 1000 -R 900 || bad=1
	"$bin" bench --items 20000 --reps 1 --trips 200 2>/dev/null || bad=1
	[ "$bad" = 0 ] || echo "a session ended other than it should"
	return "$bad"
}

check_asan() {
	local dir=$1 t found=0
	shift
	export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	for t in "$@"; do
		"$t" >"$tmp/out" 2>&1 || { cat "$tmp/out"; found=1; }
	done
	sessions "$dir/shmviz" >"$tmp/out" 2>&1 || found=1
	if grep -E 'ERROR: (Address|Leak)Sanitizer|runtime error:|ended other' "$tmp/out"; then
		found=1
	fi
	echo "asan: unit tests, $(grep -c '^shmviz: [0-9]\|^{' "$tmp/out") headless sessions and a bench, $([ $found = 0 ] && echo clean || echo FINDINGS)"
	return $found
}

check_valgrind() {
	local bin=$1 bad=""
	# 5 processes (the supervisor, 2 producers, 2 consumers), then 3
	valgrind --leak-check=full --errors-for-leak-kinds=definite \
		--error-exitcode=1 --log-file="$tmp/vg.%p" \
		"$bin" --headless --items 3000 -r max -R max -P 2 -C 2 --sync mutex \
		>/dev/null || bad="the first session ended with status $?"
	valgrind --leak-check=full --errors-for-leak-kinds=definite \
		--error-exitcode=1 --log-file="$tmp/vg.%p" \
		"$bin" --headless -n 4 --schedule 'P1:8 P1:6 C1:8 P1:1' >/dev/null ||
		bad+="the second session ended with status $?"
	if [ "$(ls "$tmp"/vg.* 2>/dev/null | wc -l)" -ne 8 ]; then
		echo "valgrind: $(ls "$tmp"/vg.* 2>/dev/null | wc -l) logs, not the 8 processes of the two sessions"
		return 1
	fi
	# one log per process: the supervisor and every worker it forked
	bad+=$(grep -h 'ERROR SUMMARY' "$tmp"/vg.* | grep -v ' 0 errors')
	bad+=$(grep -h 'definitely lost:' "$tmp"/vg.* | grep -v ' 0 bytes')
	# nothing definitely lost: every block freed, or a leak summary of 0
	local clean=0 f
	for f in "$tmp"/vg.*; do
		if grep -q 'no leaks are possible' "$f" ||
			grep -q 'definitely lost: 0 bytes' "$f"; then
			clean=$((clean + 1))
		fi
	done
	echo "valgrind: $(ls "$tmp"/vg.* | wc -l) processes, $(grep -h 'ERROR SUMMARY: 0 errors' "$tmp"/vg.* | wc -l) with 0 errors, $clean with 0 bytes definitely lost"
	[ "$clean" -eq "$(ls "$tmp"/vg.* | wc -l)" ] || bad+="a process lost memory"
	[ -z "$bad" ] || { echo "$bad"; return 1; }
}

check_lint() {
	local found=0 cflags
	cflags="-Iinclude -D_GNU_SOURCE $(pkg-config --cflags ncursesw)"
	cppcheck --quiet --error-exitcode=1 --inline-suppr --std=c11 \
		--enable=warning,style,performance,portability \
		--suppressions-list=.cppcheck-suppressions \
		-Iinclude -D_GNU_SOURCE src tests/tools || found=1
	clang-tidy --quiet src/*.c -- $cflags >"$tmp/tidy" 2>&1 || found=1
	if grep -E 'warning:|error:' "$tmp/tidy"; then
		found=1
	fi
	echo "lint: cppcheck and clang-tidy over $(ls src/*.c | wc -l) files, $([ $found = 0 ] && echo clean || echo FINDINGS)"
	return $found
}

check_fuzz() {
	local seconds=$1 bin found=0
	shift
	for bin in "$@"; do
		mkdir -p "$tmp/corpus-${bin##*/}"
		"$bin" -max_total_time="$seconds" -artifact_prefix="$tmp/" \
			-print_final_stats=1 "$tmp/corpus-${bin##*/}" >"$tmp/fuzz" 2>&1 || found=1
		echo "fuzz ${bin##*/}: $(grep -E '^stat::number_of_executed_units' "$tmp/fuzz" | awk '{ print $2 }') runs in ${seconds} s"
		if ls "$tmp"/crash-* "$tmp"/leak-* "$tmp"/timeout-* >/dev/null 2>&1; then
			tail -n 30 "$tmp/fuzz"
			found=1
		fi
	done
	return $found
}

rss_of() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null; }

check_soak() {
	local bin=$1 seconds=$2 pid rss_early rss_late json
	"$bin" --headless --json --sync mutex -P 2 -C 2 -r max -R max \
		--duration "$seconds" >"$tmp/soak" &
	pid=$!
	# the supervisor's memory, once it is warm and just before the end
	sleep $(( seconds / 6 + 1 ))
	rss_early=$(rss_of "$pid")
	sleep $(( seconds - seconds / 6 - 2 > 0 ? seconds - seconds / 6 - 2 : 0 ))
	rss_late=$(rss_of "$pid")
	wait "$pid" || { echo "soak: status $?"; return 1; }
	json=$(cat "$tmp/soak")
	echo "soak: ${seconds} s, $(grep -oE '"(consumed|lost|duplicated|drift)":-?[0-9]+' <<<"$json" | tr '\n' ' ')supervisor RSS ${rss_early} kB -> ${rss_late} kB"
	grep -q '"lost":0,' <<<"$json" && grep -q '"duplicated":0,' <<<"$json" &&
		grep -q '"drift":0,' <<<"$json" &&
		[ "$rss_late" -le $(( rss_early + 256 )) ]
}

what=$1
shift
# a program named without a directory is the one here, not one on PATH
case ${1:-} in
*/*) ;;
shmviz) set -- "./$1" "${@:2}" ;;
esac
case $what in
asan) check_asan "$@" ;;
valgrind) check_valgrind "$@" ;;
lint) check_lint ;;
fuzz) check_fuzz "$@" ;;
soak) check_soak "$@" ;;
*) echo "checks.sh: no check '$what'" >&2; exit 2 ;;
esac
