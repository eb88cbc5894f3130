package config

import (
	"reflect"
	"strings"
	"time"
)

// scheduleField is one Schedules duration and the variable that sets it.
type scheduleField struct {
	variable string
	value    *time.Duration
}

// fields lists s's durations in declaration order, read from the env tags
// so that a new schedule needs no other change here.
func (s *Schedules) fields() []scheduleField {
	v := reflect.ValueOf(s).Elem()
	out := make([]scheduleField, 0, v.NumField())
	for i := range v.NumField() {
		key, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("env"), ",")
		d := v.Field(i).Addr().Interface().(*time.Duration)
		out = append(out, scheduleField{variable: key, value: d})
	}
	return out
}

// field returns the duration a tenants file names by key, the variable's
// name in lower case, or nil when no schedule has that name.
func (s *Schedules) field(key string) *time.Duration {
	for _, f := range s.fields() {
		if strings.ToLower(f.variable) == key {
			return f.value
		}
	}
	return nil
}

// scheduleKeys lists the keys a tenants file's schedules may hold.
func scheduleKeys() []string {
	var s Schedules
	var keys []string
	for _, f := range s.fields() {
		keys = append(keys, strings.ToLower(f.variable))
	}
	return keys
}

// AllStreams returns the seven stream names of DESIGN.md §3, the default
// set of streams a tenant runs.
func AllStreams() []string {
	return []string{
		"employees", "groups", "group_members", "apps", "app_assignments",
		"organizations", "activity",
	}
}
