package okta

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// oldText is Profile.String before its fast path: every string through
// encoding/json. The fast path must never differ from it.
func oldText(raw json.RawMessage) *string {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err == nil {
			return &s
		}
	}
	s := string(raw)
	return &s
}

var textCases = []string{
	`"plain"`, `""`, `"é ✓"`, `"tab\tescaped"`, `"\u00e9"`, `"quote\"d"`,
	"\"bad \xff utf8\"", "\"raw\ttab\"", `"unterminated`, `"a"b"`, `"`,
	`3`, `true`, `["x"]`, `{"a":1}`, `null`, ``,
}

// TestProfileString compares Profile.String with the encoding/json
// reading on strings with and without escapes, broken ones and non-strings.
func TestProfileString(t *testing.T) {
	for _, raw := range textCases {
		t.Run(raw, func(t *testing.T) {
			got := Profile{"a": json.RawMessage(raw)}.String("a")
			if diff := cmp.Diff(oldText(json.RawMessage(raw)), got); diff != "" {
				t.Errorf("String of %q (-want +got):\n%s", raw, diff)
			}
		})
	}
}

// FuzzProfileString does the same for arbitrary raw values.
func FuzzProfileString(f *testing.F) {
	for _, raw := range textCases {
		f.Add([]byte(raw))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got := Profile{"a": raw}.String("a")
		if diff := cmp.Diff(oldText(raw), got); diff != "" {
			t.Errorf("String of %q (-want +got):\n%s", raw, diff)
		}
	})
}
