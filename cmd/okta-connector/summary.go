package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/okta-connector/okta-connector/connector"
	"github.com/okta-connector/okta-connector/schemas"
)

// printCounts writes a table of records per topic. With expected, it adds
// the column a reader compares against.
func printCounts(w io.Writer, topics connector.TopicsConfig,
	counts map[string]connector.Count, expected map[string]int64) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	if expected != nil {
		fmt.Fprintln(tw, "topic\texpected\tpublished\ttombstones\t")
	} else {
		fmt.Fprintln(tw, "topic\tpublished\ttombstones\t")
	}
	for _, stream := range schemas.Published() {
		topic := topics.Topic(stream)
		c := counts[topic]
		if expected != nil {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t\n", topic, expected[stream], c.Records,
				c.Tombstones)
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t\n", topic, c.Records, c.Tombstones)
	}
	tw.Flush()
}
