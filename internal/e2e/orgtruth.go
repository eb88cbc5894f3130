package e2e

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/okta-connector/okta-connector/internal/oktasim"
	"github.com/okta-connector/okta-connector/schemas"
)

// OrgTruth is what a full sync of org under tenant must publish, taken from
// the simulator's Go API: per topic the upserts (no tombstones: nothing was
// deleted) and the keys of DESIGN.md §3, and field values that readers of
// other languages get wrong most easily — names in non-Latin scripts, a
// null department, custom attributes, an event's actor and targets,
// timestamps. Events count only when persisted by asOf, the time the sync
// starts.
func OrgTruth(org *oktasim.Org, tenant string, asOf time.Time) Truth {
	tr := Truth{Topics: map[string]TopicTruth{}}
	k := keyer{tenant}
	users := org.Users()
	groups := org.Groups()
	apps := org.Apps()

	tr.Topics[schemas.Employees] = entityTruth(len(users), func(add func(string)) {
		for _, u := range users {
			add(k.of(u.ID))
		}
	})
	tr.Topics[schemas.Groups] = entityTruth(len(groups), func(add func(string)) {
		for _, g := range groups {
			add(k.of(g.ID))
		}
	})
	tr.Topics[schemas.GroupMembers] = relationTruth(func(add func(string)) {
		for _, g := range groups {
			for _, u := range g.Members {
				add(k.of(g.ID, u))
			}
		}
	})
	tr.Topics[schemas.Apps] = entityTruth(len(apps), func(add func(string)) {
		for _, a := range apps {
			add(k.of(a.ID))
		}
	})
	tr.Topics[schemas.AppAssignments] = relationTruth(func(add func(string)) {
		for _, a := range apps {
			for _, u := range org.AppUserIDs(a.ID) {
				add(k.of(a.ID, u))
			}
		}
	})
	tr.Topics[schemas.Organizations] = entityTruth(1, func(add func(string)) {
		add(tenant)
	})
	events, event := activityTruth(org, asOf)
	tr.Topics[schemas.Activity] = TopicTruth{
		Upserts: Count(events), Tombstones: Count(0), Keys: []string{tenant},
	}

	tr.Values = append(tr.Values, employeeChecks(k, users)...)
	tr.Values = append(tr.Values, directoryChecks(k, org, groups, apps)...)
	tr.Values = append(tr.Values, markerChecks(k, len(users), groups)...)
	if event != nil {
		tr.Values = append(tr.Values, eventChecks(*event)...)
	}
	return tr
}

// keyer builds record keys: the tenant, then ids, joined by "/".
type keyer struct{ tenant string }

func (k keyer) of(ids ...string) string {
	return k.tenant + "/" + strings.Join(ids, "/")
}

func entityTruth(n int, keys func(add func(string))) TopicTruth {
	tt := relationTruth(keys)
	tt.Upserts = Count(n)
	return tt
}

func relationTruth(keys func(add func(string))) TopicTruth {
	var all []string
	keys(func(k string) { all = append(all, k) })
	return TopicTruth{Upserts: Count(len(all)), Tombstones: Count(0), Keys: all}
}

// activityTruth counts the events a full sync reads and picks one with an
// actor and at least two targets for value checks.
func activityTruth(org *oktasim.Org, asOf time.Time) (int, *oktasim.Event) {
	n := 0
	var pick *oktasim.Event
	for e := range org.Events() {
		if e.Persisted.After(asOf) {
			continue
		}
		n++
		if pick == nil && e.ActorID != "" && len(e.TargetIDs) >= 2 {
			pick = &e
		}
	}
	return n, pick
}

// nonLatin lists the scripts whose names are checked, one user each.
var nonLatin = []*unicode.RangeTable{
	unicode.Cyrillic, unicode.Greek, unicode.Arabic, unicode.Hebrew,
	unicode.Devanagari, unicode.Han, unicode.Thai, unicode.Hangul,
}

func employeeChecks(k keyer, users []oktasim.User) []ValueCheck {
	var out []ValueCheck
	check := func(u oktasim.User, field string, want any, why string) {
		out = append(out, ValueCheck{Topic: schemas.Employees, Key: k.of(u.ID),
			Field: field, Want: want, Why: why})
	}
	for _, script := range nonLatin {
		i := slices.IndexFunc(users, func(u oktasim.User) bool {
			return inScript(u.Profile["firstName"], script)
		})
		if i >= 0 {
			check(users[i], "first_name", users[i].Profile["firstName"], "a non-Latin name")
			check(users[i], "last_name", users[i].Profile["lastName"], "a non-Latin name")
		}
	}
	if i := slices.IndexFunc(users, func(u oktasim.User) bool {
		return u.Profile["department"] == nil
	}); i >= 0 {
		check(users[i], "department", nil, "a user without a department")
	}
	if i := slices.IndexFunc(users, func(u oktasim.User) bool {
		return u.Status == "DEPROVISIONED"
	}); i >= 0 {
		check(users[i], "status", "DEPROVISIONED", "a deprovisioned user is listed too")
	}
	out = append(out, customChecks(k, users)...)
	return out
}

func inScript(v any, script *unicode.RangeTable) bool {
	s, _ := v.(string)
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(script, r) }) >= 0
}

// customChecks picks one custom attribute of each JSON kind the simulator
// generates: a string as it is, others as their JSON text, null as null
// (DESIGN.md §3; schemas' package doc).
func customChecks(k keyer, users []oktasim.User) []ValueCheck {
	standard := map[string]bool{}
	for _, name := range schemas.StandardProfileAttributes() {
		standard[name] = true
	}
	seen := map[string]bool{}
	var out []ValueCheck
	for _, u := range users {
		for _, name := range slices.Sorted(maps.Keys(u.Profile)) {
			kind, want := customWant(u.Profile[name])
			if standard[name] || seen[kind] || strings.ContainsAny(name, ".[]") {
				continue
			}
			seen[kind] = true
			out = append(out, ValueCheck{Topic: schemas.Employees, Key: k.of(u.ID),
				Field: "custom_attributes." + name, Want: want,
				Why: "a custom attribute holding a JSON " + kind})
		}
	}
	return out
}

// customWant returns a value's JSON kind and how the map holds it.
func customWant(v any) (kind string, want any) {
	switch v := v.(type) {
	case nil:
		return "null", nil
	case string:
		return "string", v
	default:
		text, _ := json.Marshal(v)
		return jsonKind(v), string(text)
	}
}

func jsonKind(v any) string {
	switch v.(type) {
	case bool:
		return "boolean"
	case float64:
		return "number"
	default:
		return "array"
	}
}

func directoryChecks(
	k keyer, org *oktasim.Org, groups []oktasim.Group, apps []oktasim.App,
) []ValueCheck {
	info := org.Info()
	out := []ValueCheck{
		{Topic: schemas.Organizations, Key: k.tenant, Field: "id", Want: info.ID,
			Why: "the org's id"},
		{Topic: schemas.Organizations, Key: k.tenant, Field: "company_name",
			Want: info.CompanyName, Why: "the org's company name"},
	}
	for _, g := range groups[:min(len(groups), 3)] {
		out = append(out, ValueCheck{Topic: schemas.Groups, Key: k.of(g.ID),
			Field: "name", Want: g.Name, Why: "a " + g.Type + " group's name"})
	}
	for _, a := range apps[:min(len(apps), 2)] {
		out = append(out,
			ValueCheck{Topic: schemas.Apps, Key: k.of(a.ID), Field: "label", Want: a.Label,
				Why: "an app's label"},
			ValueCheck{Topic: schemas.Apps, Key: k.of(a.ID), Field: "status", Want: a.Status,
				Why: "an app's status"})
	}
	return out
}

// markerChecks say that the full snapshots of employees and group members
// completed and counted what they published.
func markerChecks(k keyer, users int, groups []oktasim.Group) []ValueCheck {
	members := 0
	for _, g := range groups {
		members += len(g.Members)
	}
	var out []ValueCheck
	for stream, n := range map[string]int{
		schemas.Employees: users, schemas.GroupMembers: members,
	} {
		key := k.of(stream)
		out = append(out,
			ValueCheck{Topic: schemas.SyncMarkers, Key: key, Field: "phase",
				Want: "COMPLETED", Why: "the last marker closes the snapshot"},
			ValueCheck{Topic: schemas.SyncMarkers, Key: key, Field: "record_count",
				Want: n, Why: "the snapshot's record count"})
	}
	slices.SortFunc(out, func(a, b ValueCheck) int { return strings.Compare(a.Key, b.Key) })
	return out
}

func eventChecks(e oktasim.Event) []ValueCheck {
	match := map[string]any{"uuid": e.UUID}
	check := func(field string, want any, why string) ValueCheck {
		return ValueCheck{Topic: schemas.Activity, Match: match, Field: field, Want: want,
			Why: why}
	}
	return []ValueCheck{
		check("event_type", e.EventType, "an event's type"),
		check("actor.id", e.ActorID, "an event's actor"),
		check("targets[*].id", e.TargetIDs, "an event's targets, in order"),
		check("published", e.Published.UTC().Truncate(time.Millisecond).
			Format("2006-01-02T15:04:05.000Z"), "an event's time, as timestamp-millis"),
	}
}
