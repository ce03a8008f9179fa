#!/bin/sh
# What shmviz needs, installed with apt when running as root, otherwise
# named so that someone can install it.
#   deps.sh build   what building needs (./demo.sh)
#   deps.sh         that and what `make test` needs
need=""
command -v make >/dev/null 2>&1 || need="$need make"
command -v cc >/dev/null 2>&1 || need="$need gcc"
command -v pkg-config >/dev/null 2>&1 || need="$need pkg-config"
pkg-config --exists ncursesw 2>/dev/null || need="$need libncurses-dev"
pkg-config --exists jansson 2>/dev/null || need="$need libjansson-dev"
pkg-config --exists libdw 2>/dev/null || need="$need libdw-dev"
if [ "${1:-}" != build ]; then
	[ -f /usr/include/cmocka.h ] || need="$need libcmocka-dev"
	command -v tmux >/dev/null 2>&1 || need="$need tmux"
	command -v bats >/dev/null 2>&1 || need="$need bats"
	command -v python3 >/dev/null 2>&1 || need="$need python3"
	command -v valgrind >/dev/null 2>&1 || need="$need valgrind"
	command -v cppcheck >/dev/null 2>&1 || need="$need cppcheck"
	command -v clang-tidy >/dev/null 2>&1 || need="$need clang-tidy"
	command -v strace >/dev/null 2>&1 || need="$need strace"
	command -v setpriv >/dev/null 2>&1 || need="$need util-linux"
	# libFuzzer comes with clang's runtime, a separate package on Debian
	probe=$(mktemp -d) || exit 1
	printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)\n{ (void)d; (void)n; return 0; }\n' >"$probe/f.c"
	clang -fsanitize=fuzzer,address,undefined -o "$probe/f" "$probe/f.c" >/dev/null 2>&1 ||
		need="$need clang libclang-rt-14-dev"
	rm -rf "$probe"
fi
[ -z "$need" ] && exit 0

what="make test"
[ "${1:-}" = build ] && what="shmviz"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "$what: installing$need"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q $need >/dev/null 2>&1 ||
		{ apt-get update -q >/dev/null 2>&1 && apt-get install -y -q $need >/dev/null; } ||
		{ echo "$what: could not install$need"; exit 1; }
	exit 0
fi
echo "$what needs:$need"
echo "install them with: sudo apt-get install$need"
exit 1
