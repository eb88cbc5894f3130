#!/usr/bin/env python3
"""verify.py: an independent consumer of the connector's topics.

README section text ("An independent consumer"):

    tools/verify-consumer reads every topic the connector wrote with a client that is not
    ours (librdkafka through confluent-kafka, Avro through fastavro), read_committed, up to
    the high-water marks it sees at start. It decodes every value, Confluent framing through
    the schema registry or single-object framing through the published .avsc files, and
    counts tombstones. With --expect it compares counts, keys and chosen field values with
    the simulator's truth. It prints a table per topic and exits 0 only when every record
    decoded and nothing differed; 1 on any failure, naming topic, partition and offset;
    2 when it cannot start (bad arguments, Kafka unreachable).

        tools/verify-consumer/setup.sh      # prints the venv's python, creating it once
        $PY tools/verify-consumer/verify.py --brokers 127.0.0.1:9092 --prefix okta. \\
            --registry http://127.0.0.1:8081 --expect truth.json
        $PY tools/verify-consumer/verify.py --brokers 127.0.0.1:9092 --prefix okta. \\
            --avsc-dir schemas

Known limits: no TLS or SASL options yet (the brokers it reads are test brokers), and the
registry is read without credentials.
"""

import argparse
import json
import sys
import time

import reader
import truth
import wire

MAX_PRINTED_FAILURES = 20


def parse_args(argv):
    """Returns the parsed command line; argparse exits 2 on a bad one."""
    p = argparse.ArgumentParser(description="Decode and check every record the "
                                "connector wrote.")
    p.add_argument("--brokers", required=True, help="bootstrap list, host:port[,…]")
    p.add_argument("--prefix", default="okta.", help="topic prefix (default okta.)")
    p.add_argument("--registry", help="schema registry URL for Confluent framing")
    p.add_argument("--avsc-dir", help="directory of .avsc files for single-object framing")
    p.add_argument("--expect", help="truth JSON file to compare with")
    p.add_argument("--deadline", type=float, default=120.0,
                   help="seconds allowed to reach the marks (default 120)")
    args = p.parse_args(argv)
    if not args.registry and not args.avsc_dir:
        p.error("give --registry, --avsc-dir or both")
    return args


class Run:
    """Run holds one verification: the decoder, the checker and the failures seen."""

    def __init__(self, args):
        self.args = args
        registry = wire.Registry(args.registry) if args.registry else None
        self.avsc = wire.AvscStore(args.avsc_dir) if args.avsc_dir else None
        self.decoder = wire.Decoder(registry, self.avsc)
        expected = {}
        if args.expect:
            with open(args.expect, encoding="utf-8") as f:
                expected = json.load(f)
        self.checker = truth.Checker(expected, args.prefix)
        self.failures = {}

    def fail(self, rec, why):
        """Counts a record that failed; failures are grouped by topic and reason."""
        self.checker.tally(rec.topic).failures += 1
        first, n = self.failures.get((rec.topic, why), (None, 0))
        where = first or f"{rec.topic}[{rec.partition}]@{rec.offset}"
        self.failures[(rec.topic, why)] = (where, n + 1)

    def failure_lines(self):
        """Returns one line per topic and reason: the first record, the reason, the count."""
        out = []
        for (_, why), (where, n) in self.failures.items():
            more = f" (and {n - 1} more like it)" if n > 1 else ""
            out.append(f"{where}: {why}{more}")
        return out

    def consume(self, rec):
        """Decodes one record and hands it to the checker, or counts it as failed."""
        try:
            key = rec.key.decode("utf-8") if rec.key is not None else None
        except UnicodeDecodeError:
            self.fail(rec, "key is not UTF-8")
            return
        if key is None:
            self.fail(rec, "record has no key")
            return
        value = None
        if rec.value is not None:
            try:
                name, value = self.decoder.decode(rec.value)
            except wire.DecodeError as err:
                self.fail(rec, str(err))
                return
            want = self._schema_name(rec.topic)
            if want and name != want:
                self.fail(rec, f"schema {name} on a topic of {want}")
                return
        self.checker.saw(rec.topic, key, value)

    def _schema_name(self, topic):
        if self.avsc is None:
            return None
        return self.avsc.name_of_stream.get(topic[len(self.args.prefix):])


def print_table(run, partitions, out):
    """Prints one row per topic found or read: partitions, records and failures."""
    rows = [("topic", "parts", "decoded", "upserts", "tombstones", "keys", "failed")]
    for topic in sorted(set(partitions) | set(run.checker.tallies)):
        t = run.checker.tally(topic)
        rows.append((topic, str(len(partitions.get(topic, ()))),
                     str(t.upserts + t.tombstones), str(t.upserts), str(t.tombstones),
                     str(len(t.keys)), str(t.failures)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]
        print("  ".join(cells), file=out)


def main(argv):
    """Runs one verification and returns the exit status (0 ok, 1 failed, 2 unusable)."""
    args = parse_args(argv)
    start = time.monotonic()
    try:
        run = Run(args)
        timeout = min(10.0, args.deadline)
        with reader.TopicReader(args.brokers, args.prefix, args.deadline, timeout) as r:
            partitions = r.partitions
            for rec in r.records():
                run.consume(rec)
    except (reader.ReadError, OSError, ValueError) as err:
        print(f"verify-consumer: {err}", file=sys.stderr)
        return 2
    differences = run.checker.differences() if args.expect else []
    if not partitions:
        # A wrong prefix or broker list must not pass as "nothing to check".
        differences.append(f"no topics under prefix {args.prefix!r} at {args.brokers}")
    print_table(run, partitions, sys.stdout)
    failures = run.failure_lines()
    for line in failures[:MAX_PRINTED_FAILURES]:
        print(f"FAILED {line}")
    if len(failures) > MAX_PRINTED_FAILURES:
        print(f"FAILED … and {len(failures) - MAX_PRINTED_FAILURES} more kinds of failure")
    for line in differences:
        print(f"DIFFERS {line}")
    decoded = sum(t.upserts + t.tombstones for t in run.checker.tallies.values())
    undecodable = sum(n for _, n in run.failures.values())
    verdict = "ok" if not undecodable and not differences else "FAILED"
    print(f"verify-consumer: {verdict}: {decoded} records decoded, "
          f"{undecodable} undecodable, {len(differences)} differences from truth, "
          f"{time.monotonic() - start:.1f} s")
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
