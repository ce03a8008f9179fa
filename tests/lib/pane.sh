#!/usr/bin/env bash
# Runs inside a test's tmux pane: the command given (shmviz, perhaps behind
# env), then its exit status and whether the terminal's settings came back.
before=$(stty -g)
# ^C reaches this shell too; a trap (reset to the default in the child)
# keeps it alive to report how the command ended.
trap 'true' INT
"$@"
rc=$?
after=$(stty -g)
[ "$before" = "$after" ] && tty=same || tty=changed
printf '\nshmviz-exit=%s tty=%s\n' "$rc" "$tty"
exec sleep 600
