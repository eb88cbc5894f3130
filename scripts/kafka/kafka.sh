#!/usr/bin/env bash
# kafka.sh runs one real Apache Kafka broker (KRaft, combined broker and
# controller) on loopback for the tests that must see a real broker.
#
#   kafka.sh fetch    resolve the broker's jars from Maven Central into the cache
#   kafka.sh start    format fresh storage, start, wait until ready, print KAFKA_BROKERS=…
#   kafka.sh stop     stop the broker, delete its storage, leave nothing running
#   kafka.sh status   say whether it runs and where
#
# Environment:
#   KAFKA_STATE_DIR      where pid, bootstrap address, config and log go
#                        (default ${TMPDIR:-/tmp}/okta-connector-kafka)
#   KAFKA_PORT           fixed broker port (default: a free one)
#   KAFKA_START_TIMEOUT  seconds to wait for readiness (default 60)
#   KAFKA_HEAP           JVM heap flags (default "-Xms256m -Xmx768m")
#
# Known limits: one broker per state dir; PLAINTEXT only; the free-port probe
# races with other programs picking ports at the same instant (the broker log
# then says "Address already in use", which start reports).
set -euo pipefail

# Keep in step with scripts/kafka/pom.xml and the image tag in compose.yaml.
KAFKA_VERSION=4.4.0

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/okta-connector
lib=$cache_root/kafka-$KAFKA_VERSION/lib
state=${KAFKA_STATE_DIR:-${TMPDIR:-/tmp}/okta-connector-kafka}
timeout=${KAFKA_START_TIMEOUT:-60}
heap=${KAFKA_HEAP:--Xms256m -Xmx768m}

die() {
	echo "kafka.sh: $*" >&2
	exit 1
}

now() { date +%s.%N; }

elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

need_java() {
	command -v java >/dev/null ||
		die "no java on PATH: Kafka $KAFKA_VERSION needs Java 17 or newer"
	local v
	v=$(java -XshowSettings:properties -version 2>&1 |
		awk -F'= ' '/java.specification.version/ { print $2 }')
	[[ ${v%%.*} -ge 17 ]] ||
		die "java $v found: Kafka $KAFKA_VERSION needs Java 17 or newer"
}

cmd_fetch() {
	if [[ -f $lib/.complete ]]; then
		echo "kafka $KAFKA_VERSION jars cached in $lib"
		return
	fi
	command -v mvn >/dev/null ||
		die "no mvn on PATH: Maven fetches the broker's jars (apt-get install maven)"
	local start work
	start=$(now)
	work=$(mktemp -d)
	cp "$here/pom.xml" "$work/pom.xml"
	echo "fetching kafka_2.13 $KAFKA_VERSION and its runtime jars from Maven Central"
	if ! mvn -B -q -f "$work/pom.xml" dependency:copy-dependencies \
		-DincludeScope=runtime -DoutputDirectory="$work/lib" >"$work/mvn.log" 2>&1; then
		tail -n 30 "$work/mvn.log" >&2
		rm -rf "$work"
		die "maven could not resolve the broker's jars (log tail above)"
	fi
	rm -rf "$lib"
	mkdir -p "$(dirname "$lib")"
	mv "$work/lib" "$lib"
	touch "$lib/.complete"
	rm -rf "$work"
	echo "fetched $(ls "$lib" | wc -l) jars in $(elapsed "$start") s into $lib"
}

# port_free reports whether nothing accepts connections on 127.0.0.1:$1.
port_free() {
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
	local p i
	for i in $(seq 1 50); do
		p=$((20000 + RANDOM % 40000))
		if port_free "$p"; then
			echo "$p"
			return
		fi
	done
	die "no free loopback port found after 50 tries"
}

running() {
	[[ -f $state/pid ]] && kill -0 "$(cat "$state/pid")" 2>/dev/null
}

write_config() {
	local port=$1 cport=$2 data=$3
	cat >"$state/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data
num.partitions=3
auto.create.topics.enable=false
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.cleaner.backoff.ms=1000
EOF
}

fail_start() {
	echo "--- tail of $state/broker.log ---" >&2
	tail -n 40 "$state/broker.log" >&2 || true
	cmd_stop >/dev/null 2>&1 || true
	die "$1"
}

cmd_start() {
	running && die "a broker already runs (pid $(cat "$state/pid"), $(cat "$state/bootstrap"))"
	need_java
	cmd_fetch >/dev/null
	mkdir -p "$state"
	local port cport data start id
	port=${KAFKA_PORT:-$(free_port)}
	port_free "$port" || die "port 127.0.0.1:$port is taken"
	cport=$(free_port)
	[[ $cport != "$port" ]] || cport=$(free_port)
	data=$(mktemp -d "${TMPDIR:-/tmp}/okta-connector-kafka-data.XXXXXX")
	echo "$data" >"$state/data"
	write_config "$port" "$cport" "$data"
	start=$(now)
	# A cluster id is 16 random bytes in unpadded base64url; making it here
	# saves a JVM start over `StorageTool random-uuid`.
	id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
	# The one-shot format tool needs no optimising JIT.
	if ! java -XX:TieredStopAtLevel=1 -cp "$lib/*" kafka.tools.StorageTool format -t "$id" \
		-c "$state/server.properties" >"$state/broker.log" 2>&1; then
		fail_start "formatting KRaft storage in $data failed"
	fi
	# shellcheck disable=SC2086 # heap holds several JVM flags
	java $heap -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
		-Dorg.slf4j.simpleLogger.defaultLogLevel=info \
		-Dorg.slf4j.simpleLogger.showDateTime=true \
		-cp "$lib/*" kafka.Kafka "$state/server.properties" \
		>>"$state/broker.log" 2>&1 </dev/null &
	echo $! >"$state/pid"
	echo "127.0.0.1:$port" >"$state/bootstrap"
	wait_ready "$port" "$start"
}

# wait_ready polls until the broker logs that it started and accepts
# connections: the TCP listener opens before the broker has registered with
# its controller, so a connect alone is not readiness.
wait_ready() {
	local port=$1 start=$2 deadline
	deadline=$(awk -v s="$(now)" -v t="$timeout" 'BEGIN { printf "%.3f", s + t }')
	while :; do
		running || fail_start "the broker exited during start-up"
		if grep -q 'Kafka Server started' "$state/broker.log" && ! port_free "$port"; then
			break
		fi
		if grep -q 'Address already in use' "$state/broker.log"; then
			fail_start "a port of the broker is taken (127.0.0.1:$port or its controller's)"
		fi
		if awk -v d="$deadline" -v n="$(now)" 'BEGIN { exit !(n > d) }'; then
			fail_start "the broker was not ready within $timeout s"
		fi
		sleep 0.2
	done
	echo "kafka $KAFKA_VERSION ready on 127.0.0.1:$port in $(elapsed "$start") s" \
		"(pid $(cat "$state/pid"), log $state/broker.log)" >&2
	echo "KAFKA_BROKERS=127.0.0.1:$port"
}

cmd_stop() {
	if running; then
		local pid i
		pid=$(cat "$state/pid")
		kill -TERM "$pid"
		for i in $(seq 1 150); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		if kill -0 "$pid" 2>/dev/null; then
			echo "kafka.sh: broker $pid ignored SIGTERM for 30 s; killing it" >&2
			kill -KILL "$pid"
		fi
		echo "stopped broker $pid"
	else
		echo "no broker running"
	fi
	if [[ -f $state/data ]]; then
		rm -rf "$(cat "$state/data")"
	fi
	rm -f "$state/pid" "$state/bootstrap" "$state/data"
}

cmd_status() {
	if running; then
		echo "running: pid $(cat "$state/pid"), KAFKA_BROKERS=$(cat "$state/bootstrap")"
	else
		echo "not running"
		return 1
	fi
}

case ${1:-} in
fetch) cmd_fetch ;;
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
*) die "usage: kafka.sh fetch|start|stop|status" ;;
esac
