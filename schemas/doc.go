// Package schemas holds the connector's published record contract: one Avro
// schema per stream (the embedded *.avsc files, which are the published
// schemas), the Go record types that match them, and the wire codecs that
// turn a record into a Kafka value.
//
// Two wire formats exist. With a schema registry, NewRegistryCodec registers
// every schema under <topic>-value (TopicNameStrategy) at start and writes the
// Confluent wire format: 0x00, the 4-byte big-endian schema id, the Avro body.
// Without one, NewSingleObjectCodec writes Avro single-object encoding: C3 01,
// the 8-byte little-endian CRC-64-AVRO fingerprint of the schema's Parsing
// Canonical Form, the Avro body. The canonical form is computed here, by the
// spec's rules, because hamba/avro's own canonical form keeps logicalType and
// so gives fingerprints Java and Python readers do not know.
//
// Schemas evolve under one rule: the current schema of a stream must read
// data written with every released version (schemas/released/<stream>/vN.avsc),
// checked by CheckBackward, which adds a field-by-field logical type check to
// hamba's compatibility checker (hamba ignores logical types).
//
// Choices a consumer should know:
//   - The namespace is io.oktaconnector, without a version: Avro resolves
//     records by full name, so a versioned namespace could never change.
//   - Statuses and other Okta enumerations are strings, not Avro enums: an
//     enum makes the encoder fail on a value Okta adds later, stalling the
//     stream until a release. SyncPhase, whose values the connector alone
//     writes, is an enum with a default.
//   - Custom profile attributes are a map of nullable strings: a string value
//     as it is, any other JSON value as its JSON text, and a value cleared in
//     Okta (sent as null) as a present key with a null value, which a plain
//     map<string> could only spell as the text "null", the same as a string
//     whose value is "null".
//   - Loosely typed System Log subtrees are *_json string fields holding the
//     subtree's JSON text exactly, so one schema fits every event.
//
// Known limits: timestamps are milliseconds (Okta's own precision); a
// single-object fingerprint, by the spec, cannot tell schemas apart that
// differ only in logical types, which is one more reason CheckBackward
// refuses logical type changes; the
// encoders do not validate that a *_json field holds valid JSON, which is the
// caller's promise; a registry codec registers at start only, so a schema a
// registry rejects stops start-up rather than a later record. A Decoder
// resolves older writer schemas only for released versions it embeds or ids
// its registry knows.
package schemas
