"""Tests of wire.py: both framings, the fingerprint, and every way a value can be bad."""

import http.server
import io
import json
import pathlib
import tempfile
import threading
import unittest

import fastavro

import wire

SCHEMA = {
    "type": "record", "name": "Thing", "namespace": "io.test", "doc": "a thing",
    "fields": [
        {"name": "name", "type": "string", "doc": "its name"},
        {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "dept", "type": ["null", "string"], "default": None},
    ],
}
RECORD = {"name": "Zoë 李 Дмитрий", "at": 1714557600123, "dept": None}


def crc64_avro(data):
    """The spec's reference Rabin fingerprint, written out so fastavro is checked."""
    empty = 0xC15D213AA4D7A795
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (empty & -(fp & 1))
        table.append(fp)
    fp = empty
    for b in data:
        fp = (fp >> 8) ^ table[(fp ^ b) & 0xFF]
    return fp


def body(record=RECORD, schema=SCHEMA):
    out = io.BytesIO()
    fastavro.schemaless_writer(out, fastavro.parse_schema(schema), record)
    return out.getvalue()


class FingerprintTest(unittest.TestCase):
    def test_spec_vector_for_null(self):
        # The Avro spec's test vector: fingerprint64("null") = 7195948357588979594.
        got = crc64_avro(b'"null"')
        self.assertEqual(got, 7195948357588979594, f"got {got}, want 7195948357588979594")

    def test_fastavro_fingerprint_is_little_endian_crc(self):
        canonical = fastavro.schema.to_parsing_canonical_form(SCHEMA)
        got = fastavro.schema.fingerprint(canonical, "CRC-64-AVRO")
        want = crc64_avro(canonical.encode()).to_bytes(8, "little").hex()
        self.assertEqual(got, want)

    def test_logical_type_does_not_change_canonical_form(self):
        plain = json.loads(json.dumps(SCHEMA))
        plain["fields"][1]["type"] = "long"
        got = fastavro.schema.to_parsing_canonical_form(SCHEMA)
        want = fastavro.schema.to_parsing_canonical_form(plain)
        self.assertEqual(got, want)


class SingleObjectTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        pathlib.Path(self.dir.name, "things.avsc").write_text(json.dumps(SCHEMA))
        self.store = wire.AvscStore(self.dir.name)
        self.decoder = wire.Decoder(avsc=self.store)
        canonical = fastavro.schema.to_parsing_canonical_form(SCHEMA)
        self.header = wire.SOE_MAGIC + crc64_avro(canonical.encode()).to_bytes(8, "little")

    def tearDown(self):
        self.dir.cleanup()

    def test_decodes_and_names_stream(self):
        name, got = self.decoder.decode(self.header + body())
        self.assertEqual(name, "io.test.Thing")
        self.assertEqual(got["name"], RECORD["name"])
        self.assertIsNone(got["dept"])
        self.assertEqual(self.store.name_of_stream, {"things": "io.test.Thing"})

    def test_rejects(self):
        cases = [
            ("unknown fingerprint", wire.SOE_MAGIC + bytes(8) + body(), "unknown fingerprint"),
            ("trailing bytes", self.header + body() + b"\x00", "trailing bytes"),
            ("truncated body", self.header + body()[:-3], "decoding avro body"),
            ("unknown framing", b"\x07" + body(), "unknown framing"),
            ("confluent without registry", b"\x00\x00\x00\x00\x01" + body(), "no --registry"),
        ]
        for name, value, want in cases:
            with self.subTest(name):
                with self.assertRaises(wire.DecodeError) as ctx:
                    self.decoder.decode(value)
                self.assertIn(want, str(ctx.exception))


class _Registry(http.server.BaseHTTPRequestHandler):
    schemas = {7: {"schema": json.dumps(SCHEMA)},
               8: {"schema": "syntax = \"proto3\";", "schemaType": "PROTOBUF"}}

    def do_GET(self):
        sid = int(self.path.rsplit("/", 1)[-1])
        if not self.path.startswith("/schemas/ids/") or sid not in self.schemas:
            self.send_response(404)
            self.end_headers()
            self.wfile.write(b'{"error_code":40403,"message":"Schema not found"}')
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(self.schemas[sid]).encode())

    def log_message(self, *args):
        pass


class ConfluentTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = http.server.HTTPServer(("127.0.0.1", 0), _Registry)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.url = f"http://127.0.0.1:{cls.server.server_port}"

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def test_decodes(self):
        decoder = wire.Decoder(registry=wire.Registry(self.url))
        name, got = decoder.decode(b"\x00" + (7).to_bytes(4, "big") + body())
        self.assertEqual(name, "io.test.Thing")
        self.assertEqual(got["name"], RECORD["name"])

    def test_rejects(self):
        decoder = wire.Decoder(registry=wire.Registry(self.url))
        cases = [
            ("unknown id", 9999, body(), "unknown schema id 9999"),
            ("not avro", 8, body(), "is PROTOBUF, not AVRO"),
            ("wrong schema for body", 7, b"\x02", "decoding avro body"),
        ]
        for name, sid, payload, want in cases:
            with self.subTest(name):
                with self.assertRaises(wire.DecodeError) as ctx:
                    decoder.decode(b"\x00" + sid.to_bytes(4, "big") + payload)
                self.assertIn(want, str(ctx.exception))


if __name__ == "__main__":
    unittest.main()
