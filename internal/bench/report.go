package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Targets of issue 7, shown beside the measurements.
const (
	targetFloorRatio = 1.05
	targetCPURatio   = 1.5
	targetRSSMiB     = 150
	targetSpeedup    = 20
)

// WriteJSON writes r as indented JSON.
func WriteJSON(w io.Writer, r *Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("encoding result: %w", err)
	}
	return nil
}

// WriteMarkdown writes r as one table, one line per measure, followed by
// the rows skipped and why.
func WriteMarkdown(w io.Writer, r *Result) {
	fmt.Fprintf(w, "Org: %s; broker: %s; %d CPUs, %d MiB, %s; %s; took %.0f s.\n\n",
		r.Org, r.Broker, r.Machine.CPUs, r.Machine.MemoryMiB, r.Machine.CPUModel,
		r.Machine.Go, float64(r.Took))
	fmt.Fprintln(w, "| row | measure | value | target |")
	fmt.Fprintln(w, "| --- | --- | --- | --- |")
	row := func(name, measure, value, target string) {
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", name, measure, value, target)
	}
	if u := r.Unthrottled; u != nil {
		row("unthrottled", "records (all topics)", fmt.Sprint(u.Records), "")
		row("unthrottled", "wall time", fmt.Sprintf("%.2f s", float64(u.Wall)), "")
		row("unthrottled", "records/s", fmt.Sprintf("%.0f", u.RecordsPerSec), "")
		row("unthrottled", "Okta API calls", fmt.Sprint(u.APICalls), "")
		row("unthrottled", "CPU per record (connector)",
			fmt.Sprintf("%.1f µs", u.CPUPerRecord), "")
		row("unthrottled", "CPU per record (connector's JSON decoder + Avro encode alone)",
			fmt.Sprintf("%.1f µs", u.BaselinePerRecord), "")
		row("unthrottled", "CPU per record (encoding/json decode + Avro encode alone)",
			fmt.Sprintf("%.1f µs", u.BaselineStdPerRecord), "")
		row("unthrottled", "CPU ratio", fmt.Sprintf("%.2f×", u.CPURatio),
			fmt.Sprintf("≤ %.1f×", targetCPURatio))
		if u.BaselineStdPerRecord > 0 {
			row("unthrottled", "CPU ratio against encoding/json's baseline",
				fmt.Sprintf("%.2f×", u.CPUPerRecord/u.BaselineStdPerRecord), "")
		}
		row("unthrottled", "simulator, broker CPU during the sync",
			fmt.Sprintf("%.2f s, %.2f s (connector %.2f s)", float64(u.SimCPU),
				float64(u.BrokerCPU), float64(u.CPU)), "")
		if u.CeilingPerSec > 0 {
			row("unthrottled", "records/s the cores allow (all three processes' CPU)",
				fmt.Sprintf("%.0f", u.CeilingPerSec), "")
		}
		row("unthrottled", "connector peak RSS", fmt.Sprintf("%.1f MiB", u.PeakRSSMiB),
			fmt.Sprintf("< %d MiB at 100k users", targetRSSMiB))
	}
	if i := r.Idle; i != nil {
		row("idle cycle", "Okta API calls", fmt.Sprintf("%d (%s)", i.APICalls,
			byEndpoint(i.ByPath)), fmt.Sprintf("%d", i.Target))
		row("idle cycle", "records", fmt.Sprint(i.Records), "")
		row("idle cycle", "wall time", fmt.Sprintf("%.2f s", float64(i.Wall)), "")
	}
	if l := r.Latency; l != nil {
		row("change latency", "user deactivated → record on Kafka",
			fmt.Sprintf("%.1f s", float64(l.Latency)),
			fmt.Sprintf("≤ %.0f s (2 × %.0f s poll)", 2*float64(l.PollInterval),
				float64(l.PollInterval)))
	}
	if rl := r.RateLimited; rl != nil {
		name := "rate-limited"
		row(name, "org", rl.Org.String(), "")
		row(name, "wall time vs floor", fmt.Sprintf("%.1f s vs %.1f s = %.2f×",
			float64(rl.Wall), float64(rl.Floor), rl.Ratio),
			fmt.Sprintf("≤ %.2f×", targetFloorRatio))
		row(name, "calls per bucket (floor)", bucketList(rl.Buckets),
			fmt.Sprintf("share %g", rl.Share))
		row(name, "429 responses", fmt.Sprint(rl.Refused), "")
	}
	if p := r.Peer; p != nil {
		name := "peer"
		row(name, "airbyte-source-okta "+p.Version+" records (users, groups, "+
			"group_members, logs)", fmt.Sprintf("%d (%s)", p.Records, byStream(p.ByStream)), "")
		row(name, "peer wall time", fmt.Sprintf("%.1f s", float64(p.Wall)), "")
		row(name, "peer records/s", fmt.Sprintf("%.0f", p.RecordsPerSec), "")
		row(name, "peer Okta API calls", fmt.Sprint(p.APICalls), "")
		if u := r.Unthrottled; u != nil {
			row(name, "connector records/s, API calls (all streams)",
				fmt.Sprintf("%.0f, %d", u.RecordsPerSec, u.APICalls), "")
		}
		row(name, "connector ÷ peer records/s", fmt.Sprintf("%.1f×", p.Speedup),
			fmt.Sprintf("≥ %d×", targetSpeedup))
		if u := r.Unthrottled; u != nil && u.CeilingPerSec > 0 && p.RecordsPerSec > 0 {
			row(name, "cores' ceiling ÷ peer records/s",
				fmt.Sprintf("%.1f×", u.CeilingPerSec/p.RecordsPerSec), "")
		}
	}
	if len(r.Skipped) > 0 {
		fmt.Fprintln(w)
		for _, k := range sortedKeys(r.Skipped) {
			fmt.Fprintf(w, "- not measured: %s: %s\n", k, r.Skipped[k])
		}
	}
}

func byEndpoint(m map[string]int) string {
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func byStream(m map[string]int64) string {
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func bucketList(bs []BucketFloor) string {
	var parts []string
	for _, b := range bs {
		parts = append(parts, fmt.Sprintf("%s %d/%d per min (%.1f s)", b.Bucket, b.Calls,
			b.Limit, float64(b.Floor)))
	}
	return strings.Join(parts, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
