package main

import (
	"runtime/debug"
	"strings"
)

// version describes the build from bi (nil when the binary carries no
// build information): the module version, then the commit it was built
// from, when, and whether the tree had changes not committed, and the Go
// release. `go build` in a checkout records the commit (vcs.*); `go run`
// and `go test` record none, leaving "(devel)" and the Go release.
func version(bi *debug.BuildInfo) string {
	if bi == nil {
		return "(unknown)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var vcs []string
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		vcs = append(vcs, "commit "+rev[:min(len(rev), 12)])
	}
	if t := settings["vcs.time"]; t != "" {
		vcs = append(vcs, t)
	}
	if settings["vcs.modified"] == "true" {
		vcs = append(vcs, "modified")
	}
	if len(vcs) > 0 {
		v += " (" + strings.Join(vcs, ", ") + ")"
	}
	if bi.GoVersion != "" {
		v += " " + bi.GoVersion
	}
	return v
}
