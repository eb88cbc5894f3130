package schemas

import (
	"reflect"
	"testing"
)

// TestNewRecordMatchesEncoder: every published stream gets a pointer to the
// very type its codec accepts, and an unknown stream gets nil.
func TestNewRecordMatchesEncoder(t *testing.T) {
	for _, stream := range Published() {
		got := reflect.TypeOf(NewRecord(stream))
		if got == nil || got.Kind() != reflect.Pointer || got.Elem() != recordTypes[stream] {
			t.Errorf("NewRecord(%q) is %v, want *%v", stream, got, recordTypes[stream])
		}
	}
	if v := NewRecord("users"); v != nil {
		t.Errorf("NewRecord(%q) = %v, want nil", "users", v)
	}
}
