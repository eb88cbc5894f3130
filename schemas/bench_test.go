package schemas

import (
	"testing"

	"github.com/hamba/avro/v2"
)

// BenchmarkEncode measures one record's encoding per codec, next to hamba's
// plain Marshal of the same record as the floor.
func BenchmarkEncode(b *testing.B) {
	soe := newSOE(b)
	_, cl := newRegistry(b)
	registry := newRegistryCodec(b, cl)
	records := []struct {
		name, stream string
		v            any
	}{
		{"employee", Employees, fullEmployee()},
		{"activity", Activity, fullEvent()},
	}
	for _, r := range records {
		for _, c := range []struct {
			name  string
			codec Codec
		}{{"soe", soe}, {"registry", registry}} {
			b.Run(r.name+"/"+c.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := c.codec.Encode(r.stream, r.v); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		b.Run(r.name+"/hamba-marshal", func(b *testing.B) {
			schema, err := Schema(r.stream)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := avro.Marshal(schema, r.v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
