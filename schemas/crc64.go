package schemas

// crcEmpty is the CRC-64-AVRO of no bytes, the polynomial the Avro spec
// fixes for schema fingerprints ("Schema Fingerprints").
const crcEmpty uint64 = 0xc15d213aa4d7a795

var crcTable = func() (t [256]uint64) {
	for i := range t {
		fp := uint64(i)
		for range 8 {
			fp = (fp >> 1) ^ (crcEmpty & -(fp & 1))
		}
		t[i] = fp
	}
	return t
}()

// CRC64Avro returns the CRC-64-AVRO (Rabin) fingerprint of data, as the
// Avro spec defines it. Single-object encoding writes it little-endian.
func CRC64Avro(data []byte) uint64 {
	fp := crcEmpty
	for _, b := range data {
		fp = (fp >> 8) ^ crcTable[byte(fp)^b]
	}
	return fp
}
