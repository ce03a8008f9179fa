#!/usr/bin/env bash
# Runs inside a test's tmux pane: the command given (shmviz, perhaps behind
# env), then its exit status and whether the terminal's settings came back.
before=$(stty -g)
"$@"
rc=$?
after=$(stty -g)
[ "$before" = "$after" ] && tty=same || tty=changed
printf '\nshmviz-exit=%s tty=%s\n' "$rc" "$tty"
exec sleep 600
