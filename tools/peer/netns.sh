#!/usr/bin/env bash
# netns.sh up NAME HOST | down NAME
#
# up creates the network namespace the benchmark's peer runs in: loopback up, nothing else
# (no link leaves it), and /etc/netns/NAME/hosts mapping HOST (the <domain>.okta.com the
# peer builds its base URL from) to the namespace's own 127.0.0.1, which `ip netns exec`
# mounts over /etc/hosts for whatever runs inside. down removes both. Needs root.
set -euo pipefail

die() { echo "peer netns: $*" >&2; exit 1; }

case "${1:-}" in
up)
	[ $# -eq 3 ] || die "usage: netns.sh up NAME HOST"
	name=$2 host=$3
	ip netns add "$name" || die "creating namespace $name (root needed)"
	mkdir -p "/etc/netns/$name"
	printf '127.0.0.1 localhost %s\n::1 localhost\n' "$host" >"/etc/netns/$name/hosts"
	ip netns exec "$name" ip link set lo up || die "bringing loopback up in $name"
	;;
down)
	[ $# -eq 2 ] || die "usage: netns.sh down NAME"
	name=$2
	ip netns del "$name" 2>/dev/null || true
	rm -rf "/etc/netns/${name:?}"
	;;
*)
	die "usage: netns.sh up NAME HOST | down NAME"
	;;
esac
