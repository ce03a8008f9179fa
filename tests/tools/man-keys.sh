#!/bin/sh
# The KEYS section of the man page, between its two marker lines, as the
# key table prints it.
#   man-keys.sh MANPAGE KEYSDOC          rewrite it in place (make man)
#   man-keys.sh --check MANPAGE KEYSDOC  status 1, and the difference, if
#                                        the page no longer matches
check=0
[ "$1" = --check ] && { check=1; shift; }
page=$1 keysdoc=$2
tmp=$(mktemp) || exit 1
trap 'rm -f "$tmp" "$tmp.keys"' EXIT
"$keysdoc" >"$tmp.keys" || exit 1
awk -v keys="$tmp.keys" '
	/^\.\\" The keys below come from the key table/ {
		print; while ((getline line < keys) > 0) print line; skip = 1; next
	}
	/^\.\\" End of the keys/ { skip = 0 }
	!skip { print }' "$page" >"$tmp"
grep -q '^\.\\" End of the keys' "$tmp" || { echo "$page: no key markers" >&2; exit 1; }
if [ "$check" = 1 ]; then
	diff -u "$page" "$tmp" && exit 0
	echo "$page lists keys the table does not have, or misses some: run make man" >&2
	exit 1
fi
cat "$tmp" >"$page"
