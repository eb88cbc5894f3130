#!/usr/bin/env bash
# setup.sh creates (once) the virtual environment the independent consumer runs in and
# prints the path of its python on stdout, alone, as the last line. Timings and pip's
# chatter go to stderr, so callers can capture stdout as the interpreter path.
#
# The environment lives under ${XDG_CACHE_HOME:-$HOME/.cache}/okta-connector/pyenv and is
# rebuilt only when requirements.txt changes (a stamp holds its checksum). A lock keeps two
# concurrent callers (go test runs packages in parallel) from building it at the same time.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
reqs="$here/requirements.txt"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/okta-connector"
venv="$cache/pyenv"
python="${PYTHON:-python3}"

die() { echo "verify-consumer setup: $*" >&2; exit 1; }

command -v "$python" >/dev/null || die "no $python on PATH: install Python 3.9 or newer"
command -v flock >/dev/null || die "no flock on PATH (util-linux)"
mkdir -p "$cache" || die "cannot create cache directory $cache"

want=$(sha256sum "$reqs" | cut -d' ' -f1)
exec 9>"$cache/pyenv.lock"
flock -w 600 9 || die "waited 600 s for another setup holding $cache/pyenv.lock"

if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" = "$want" ]
then
	echo "$venv/bin/python"
	exit 0
fi

start=$(date +%s%N)
rm -rf "$venv"
"$python" -m venv "$venv" >&2 || die "creating virtual environment $venv with $python"
"$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q \
	-r "$reqs" >&2 || die "installing $reqs from the package index into $venv"
"$venv/bin/python" -c 'import confluent_kafka, fastavro' >&2 ||
	die "importing confluent_kafka and fastavro in $venv after install"
echo "$want" >"$venv/.requirements.sha256"
ms=$((($(date +%s%N) - start) / 1000000))
printf 'verify-consumer setup: created %s in %d.%03d s\n' "$venv" $((ms / 1000)) $((ms % 1000)) >&2
echo "$venv/bin/python"
