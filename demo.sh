#!/bin/sh
# Build shmviz if needed and start it: a real producer and a real consumer
# sharing a ring in System V shared memory.  Arguments go to shmviz.
cd "$(dirname "$0")" || exit 1

need=""
command -v make >/dev/null 2>&1 || need="$need make"
command -v cc >/dev/null 2>&1 || need="$need gcc"
command -v pkg-config >/dev/null 2>&1 || need="$need pkg-config"
pkg-config --exists ncursesw 2>/dev/null || need="$need libncurses-dev"
if [ -n "$need" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "demo: installing$need"
		export DEBIAN_FRONTEND=noninteractive
		apt-get install -y -q $need >/dev/null 2>&1 ||
			{ apt-get update -q >/dev/null 2>&1 && apt-get install -y -q $need >/dev/null; } ||
			{ echo "demo: could not install$need"; exit 1; }
	else
		echo "shmviz needs:$need"
		echo "install them with: sudo apt-get install$need"
		exit 1
	fi
fi
make -s shmviz || exit 1
exec ./shmviz "$@"
