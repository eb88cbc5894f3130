"""Decoding of record values as the connector frames them on Kafka.

Two framings exist (DESIGN.md section 3):

- Confluent wire format: byte 0x00, a 4-byte big-endian schema id, then the Avro body.
  The writer schema comes from the registry (GET <registry>/schemas/ids/<id>).
- Avro single-object encoding: bytes C3 01, the 8-byte little-endian CRC-64-AVRO
  fingerprint of the schema's Parsing Canonical Form, then the Avro body. The writer
  schema is the .avsc file with that fingerprint; nothing else is consulted.

Known limits: only Avro schemas are accepted (a registry schemaType other than AVRO is a
decode failure), and the registry is read without credentials.
"""

import io
import json
import pathlib
import urllib.error
import urllib.request

import fastavro
import fastavro.schema

CONFLUENT_MAGIC = 0x00
SOE_MAGIC = b"\xc3\x01"


class DecodeError(Exception):
    """A value that cannot be decoded; the message says why, without the bytes."""


def full_name(schema):
    """Returns the full name of a parsed record schema, as the Avro spec defines it."""
    name = schema.get("name", "")
    if "." in name or not schema.get("namespace"):
        return name
    return schema["namespace"] + "." + name


def read_body(body, schema):
    """Decodes one Avro body with its writer schema and insists every byte is used.

    Trailing bytes mean the framing and the schema disagree (a wrong schema id, a
    corrupted header), which a lenient reader would silently accept.
    """
    stream = io.BytesIO(body)
    try:
        value = fastavro.schemaless_reader(stream, schema, None)
    except Exception as err:  # fastavro raises many types on bad input
        raise DecodeError(f"decoding avro body with {full_name(schema)}: "
                          f"{type(err).__name__}: {err}") from None
    if stream.tell() != len(body):
        raise DecodeError(f"decoding avro body with {full_name(schema)}: "
                          f"{len(body) - stream.tell()} trailing bytes")
    return value


class Registry:
    """Registry resolves Confluent schema ids over HTTP and caches what it learns."""

    def __init__(self, url, timeout=10.0):
        self.url = url.rstrip("/")
        self.timeout = timeout
        self._cache = {}

    def schema(self, schema_id):
        """Returns the parsed schema for schema_id, or raises DecodeError naming it."""
        if schema_id not in self._cache:
            self._cache[schema_id] = self._fetch(schema_id)
        found = self._cache[schema_id]
        if isinstance(found, DecodeError):
            raise found
        return found

    def _fetch(self, schema_id):
        url = f"{self.url}/schemas/ids/{schema_id}"
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as resp:
                doc = json.load(resp)
        except urllib.error.HTTPError as err:
            if err.code == 404:
                return DecodeError(f"unknown schema id {schema_id} (registry {self.url})")
            return DecodeError(f"fetching schema id {schema_id} from {url}: "
                               f"http status {err.code}")
        except (OSError, ValueError) as err:
            return DecodeError(f"fetching schema id {schema_id} from {url}: {err}")
        kind = doc.get("schemaType", "AVRO")
        if kind != "AVRO":
            return DecodeError(f"schema id {schema_id} is {kind}, not AVRO")
        try:
            return fastavro.parse_schema(json.loads(doc["schema"]))
        except Exception as err:
            return DecodeError(f"parsing schema id {schema_id}: {err}")


class AvscStore:
    """AvscStore maps CRC-64-AVRO fingerprints to the .avsc files of a directory tree.

    Every *.avsc below the directory counts, so released versions (schemas/released/...)
    resolve as well as the current ones. Top-level files also name the stream whose topic
    they describe (employees.avsc describes <prefix>employees).
    """

    def __init__(self, directory):
        root = pathlib.Path(directory)
        self.by_fingerprint = {}
        self.name_of_stream = {}
        for path in sorted(root.rglob("*.avsc")):
            with open(path, encoding="utf-8") as f:
                raw = json.load(f)
            parsed = fastavro.parse_schema(raw)
            canonical = fastavro.schema.to_parsing_canonical_form(raw)
            # fastavro gives the fingerprint as the hex of its little-endian bytes, the
            # order single-object encoding writes it in (checked in test_wire.py).
            fp = bytes.fromhex(fastavro.schema.fingerprint(canonical, "CRC-64-AVRO"))
            self.by_fingerprint.setdefault(fp, (path, parsed))
            if path.parent == root:
                self.name_of_stream[path.stem] = full_name(parsed)
        if not self.by_fingerprint:
            raise ValueError(f"no .avsc files under {directory}")

    def schema(self, fingerprint):
        """Returns the parsed schema with this fingerprint, or raises DecodeError."""
        found = self.by_fingerprint.get(fingerprint)
        if found is None:
            raise DecodeError(f"unknown fingerprint {fingerprint.hex()} "
                              f"(no .avsc file has it)")
        return found[1]


class Decoder:
    """Decoder turns a framed value into a Python dict, whichever framing it carries."""

    def __init__(self, registry=None, avsc=None):
        self.registry = registry
        self.avsc = avsc

    def decode(self, value):
        """Returns (schema full name, decoded record); raises DecodeError on any doubt."""
        if len(value) >= 5 and value[0] == CONFLUENT_MAGIC:
            if self.registry is None:
                raise DecodeError("confluent framing but no --registry given")
            schema = self.registry.schema(int.from_bytes(value[1:5], "big"))
            return full_name(schema), read_body(value[5:], schema)
        if len(value) >= 10 and value[:2] == SOE_MAGIC:
            if self.avsc is None:
                raise DecodeError("single-object framing but no --avsc-dir given")
            schema = self.avsc.schema(bytes(value[2:10]))
            return full_name(schema), read_body(value[10:], schema)
        head = bytes(value[:2]).hex() or "empty"
        raise DecodeError(f"unknown framing (first bytes {head}, {len(value)} bytes)")
