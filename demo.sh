#!/bin/sh
# Build shmviz if needed and start it: a real producer and a real consumer
# sharing a ring in System V shared memory.  Arguments go to shmviz.
cd "$(dirname "$0")" || exit 1

tests/deps.sh build || exit 1
make -s shmviz || exit 1
exec ./shmviz "$@"
