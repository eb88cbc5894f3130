"""Comparison of what was read with the simulator's truth.

The truth file is JSON written by the end-to-end test from the simulator's Go API:

    {
      "topics": {
        "<stream>": {"upserts": 12, "tombstones": 0, "keys": ["<tenant>/<id>", ...]},
        ...
      },
      "values": [
        {"topic": "<stream>", "key": "<tenant>/<id>", "match": {"uuid": "..."},
         "field": "actor.id", "want": "00u...", "why": "an event's actor"},
        ...
      ]
    }

Topics are named by stream (the part after the prefix). Each of upserts, tombstones and
keys is optional; a stream listed must exist. A value check picks the last record whose
key equals "key" (when given) and whose fields equal "match" (when given), then compares
"field" with "want". A field path is dot-separated; "name[*]" maps over a list and
"name[2]" indexes it. Timestamps compare as ISO 8601 text with milliseconds and a Z
("2024-05-01T10:00:00.000Z").

Known limits: counts are of records read, not of keys left after compaction; a value
check sees the last matching record only.
"""

import datetime
import re

_SEGMENT = re.compile(r"^([^\[\]]+)(?:\[(\*|\d+)\])?$")
_MISSING = object()


def normalize(value):
    """Returns value with timestamps as ISO text and bytes as hex, as truth files hold them."""
    if isinstance(value, datetime.datetime):
        utc = value.astimezone(datetime.timezone.utc)
        return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalize(v) for v in value]
    return value


def extract(record, path):
    """Returns the value at path in record, or raises KeyError naming the missing part."""
    value = record
    for i, segment in enumerate(path.split(".")):
        m = _SEGMENT.match(segment)
        if m is None:
            raise KeyError(f"bad path segment {segment!r}")
        name, index = m.groups()
        if not isinstance(value, dict) or name not in value:
            raise KeyError(f"no field {name!r}")
        value = value[name]
        if index is None:
            continue
        if not isinstance(value, list):
            raise KeyError(f"field {name!r} is not a list")
        if index == "*":
            rest = ".".join(path.split(".")[i + 1:])
            return [extract(v, rest) if rest else v for v in value]
        if int(index) >= len(value):
            raise KeyError(f"field {name!r} has no element {index}")
        value = value[int(index)]
    return value


class Tally:
    """Tally counts one topic's records and keeps the keys it saw."""

    def __init__(self):
        self.upserts = 0
        self.tombstones = 0
        self.failures = 0
        self.keys = set()


class Checker:
    """Checker follows every record read and, at the end, lists differences from truth."""

    def __init__(self, truth, prefix):
        self.prefix = prefix
        self.topics = truth.get("topics") or {}
        self.checks = truth.get("values") or []
        self.tallies = {}
        self._found = [_MISSING] * len(self.checks)
        self._by_topic = {}
        for i, check in enumerate(self.checks):
            self._by_topic.setdefault(prefix + check["topic"], []).append(i)

    def tally(self, topic):
        """Returns the Tally of topic, creating it when first seen."""
        return self.tallies.setdefault(topic, Tally())

    def saw(self, topic, key, value):
        """Records one decoded record (value None for a tombstone)."""
        t = self.tally(topic)
        t.keys.add(key)
        if value is None:
            t.tombstones += 1
        else:
            t.upserts += 1
        for i in self._by_topic.get(topic, ()):
            if self._selects(self.checks[i], key, value):
                self._found[i] = value

    @staticmethod
    def _selects(check, key, value):
        if "key" in check and check["key"] != key:
            return False
        for name, want in check.get("match", {}).items():
            if value is None or normalize(value.get(name, _MISSING)) != want:
                return False
        return True

    def differences(self):
        """Returns one line per difference between what was read and the truth."""
        out = []
        for stream, want in sorted(self.topics.items()):
            out.extend(self._topic_differences(stream, want))
        for i, check in enumerate(self.checks):
            line = self._value_difference(check, self._found[i])
            if line:
                out.append(line)
        return out

    def _topic_differences(self, stream, want):
        topic = self.prefix + stream
        got = self.tallies.get(topic)
        if got is None:
            return [f"{topic}: topic missing or empty, want {want.get('upserts', '?')} "
                    f"upserts"]
        out = []
        for field in ("upserts", "tombstones"):
            if field in want and getattr(got, field) != want[field]:
                out.append(f"{topic}: got {getattr(got, field)} {field}, "
                           f"want {want[field]}")
        if "keys" in want:
            wanted = set(want["keys"])
            out.extend(_key_differences(topic, got.keys, wanted))
        return out

    def _value_difference(self, check, value):
        where = f"{self.prefix}{check['topic']} key {check.get('key', '*')}"
        if check.get("match"):
            where += f" match {check['match']}"
        why = f" ({check['why']})" if check.get("why") else ""
        if value is _MISSING:
            return f"{where}: no record selected{why}"
        if value is None:
            return f"{where}: last record is a tombstone{why}"
        try:
            got = normalize(extract(value, check["field"]))
        except KeyError as err:
            return f"{where}: field {check['field']}: {err}{why}"
        if got != check["want"]:
            return (f"{where}: field {check['field']}: got {got!r}, "
                    f"want {check['want']!r}{why}")
        return None


def _key_differences(topic, got, wanted):
    out = []
    for label, keys in (("missing", wanted - got), ("unexpected", got - wanted)):
        if keys:
            sample = ", ".join(sorted(keys)[:5])
            out.append(f"{topic}: {len(keys)} keys {label}, e.g. {sample}")
    return out
