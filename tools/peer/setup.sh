#!/usr/bin/env bash
# setup.sh creates (once) the virtual environment the benchmark's peer, Airbyte's Okta
# source, runs in, and prints the path of its source-okta entry point on stdout, alone, as
# the last line. pip's chatter goes to stderr.
#
# The environment lives under ${XDG_CACHE_HOME:-$HOME/.cache}/okta-connector/peerenv and is
# rebuilt only when requirements.txt changes (a stamp holds its checksum). The peer's code
# is installed as published and never patched: only its configuration and environment are
# ours (issue 7).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
reqs="$here/requirements.txt"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/okta-connector"
venv="$cache/peerenv"
python="${PYTHON:-python3.11}"

die() { echo "peer setup: $*" >&2; exit 1; }

command -v "$python" >/dev/null || die "no $python on PATH: the peer needs Python 3.11"
command -v flock >/dev/null || die "no flock on PATH (util-linux)"
mkdir -p "$cache" || die "cannot create cache directory $cache"

want=$(sha256sum "$reqs" | cut -d' ' -f1)
exec 9>"$cache/peerenv.lock"
flock -w 900 9 || die "waited 900 s for another setup holding $cache/peerenv.lock"

if [ -x "$venv/bin/source-okta" ] && [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" = "$want" ]
then
	echo "$venv/bin/source-okta"
	exit 0
fi

rm -rf "$venv"
"$python" -m venv "$venv" >&2 || die "creating virtual environment $venv with $python"
"$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q \
	-r "$reqs" >&2 || die "installing $reqs into $venv"
[ -x "$venv/bin/source-okta" ] || die "no source-okta entry point in $venv/bin after install"
echo "$want" >"$venv/.requirements.sha256"
echo "$venv/bin/source-okta"
