package connector

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/connector/okta"
)

func baseUser() okta.User {
	at := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	return okta.User{ID: "00u1", Status: "ACTIVE", Created: at, LastUpdated: at,
		Profile: okta.Profile{"login": json.RawMessage(`"a@example.com"`),
			"title": json.RawMessage(`"Engineer"`)}}
}

// TestUserHashCoversEveryField changes each field of okta.User in turn and
// wants the hash to move, so a field added to the type without being added
// to userHash fails here instead of hiding changes from the version skip.
func TestUserHashCoversEveryField(t *testing.T) {
	base := baseUser()
	want := userHash(base)
	typ := reflect.TypeFor[okta.User]()
	later := time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC)
	for i := range typ.NumField() {
		f := typ.Field(i)
		t.Run(f.Name, func(t *testing.T) {
			u := baseUser()
			v := reflect.ValueOf(&u).Elem().Field(i)
			switch v.Interface().(type) {
			case string:
				v.SetString("changed")
			case time.Time:
				v.Set(reflect.ValueOf(later))
			case *time.Time:
				v.Set(reflect.ValueOf(&later))
			case *okta.TypeRef:
				v.Set(reflect.ValueOf(&okta.TypeRef{ID: "oty1"}))
			case okta.Profile:
				v.Set(reflect.ValueOf(okta.Profile{"login": json.RawMessage(`"b@x"`)}))
			default:
				t.Fatalf("field %s of type %v: userHash's test cannot change it; "+
					"teach userHash and this test the new field", f.Name, f.Type)
			}
			if got := userHash(u); got == want {
				t.Errorf("changing %s: got the unchanged hash %x", f.Name, got)
			}
		})
	}
}

func TestUserHashEquality(t *testing.T) {
	at := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	zone := time.FixedZone("UTC+2", 2*3600)
	tests := []struct {
		name string
		edit func(*okta.User)
		same bool
	}{
		{"same content in a new map", func(u *okta.User) {
			u.Profile = okta.Profile{"title": json.RawMessage(`"Engineer"`),
				"login": json.RawMessage(`"a@example.com"`)}
		}, true},
		{"same instant in another zone", func(u *okta.User) {
			u.Created = at.In(zone)
		}, true},
		{"values swapped between attributes", func(u *okta.User) {
			u.Profile = okta.Profile{"login": json.RawMessage(`"Engineer"`),
				"title": json.RawMessage(`"a@example.com"`)}
		}, false},
		{"attribute set to null", func(u *okta.User) {
			u.Profile["title"] = json.RawMessage(`null`)
		}, false},
		{"attribute removed", func(u *okta.User) { delete(u.Profile, "title") }, false},
		{"attribute added", func(u *okta.User) {
			u.Profile["manager"] = json.RawMessage(`"m"`)
		}, false},
		{"nil time set to zero time", func(u *okta.User) { u.LastLogin = &time.Time{} }, false},
		{"id and status run together", func(u *okta.User) {
			u.ID, u.Status = "00u1A", "CTIVE"
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := baseUser()
			tc.edit(&u)
			got, base := userHash(u), userHash(baseUser())
			if (got == base) != tc.same {
				t.Errorf("got hash %x against %x, want equal: %v", got, base, tc.same)
			}
		})
	}
}

// TestVersionsListForgets checks that list keeps the newest max entries at
// or after floor, and that it forgets the others, which is what keeps a
// full listing's versions small.
func TestVersionsListForgets(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	v := newVersions(nil)
	for i, id := range []string{"a", "b", "c", "d", "e"} {
		at := t0.Add(time.Duration(i) * time.Minute)
		v.add(versionKey(id, at, "h"), at)
	}
	got := v.list(t0.Add(time.Minute), 3)
	want := []string{versionKey("e", t0.Add(4*time.Minute), "h"),
		versionKey("d", t0.Add(3*time.Minute), "h"), versionKey("c", t0.Add(2*time.Minute), "h")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("list (-want +got):\n%s", diff)
	}
	if got := len(v.byKey); got != 3 {
		t.Errorf("got %d entries held after list, want 3", got)
	}
	if v.seen(versionKey("a", t0, "h")) {
		t.Error("an entry below the floor is still seen after list")
	}
}
