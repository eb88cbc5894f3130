// Command okta-connector keeps Okta orgs' people, groups, apps and activity
// on Kafka topics as Avro records. Run "okta-connector help" for the
// commands; configuration comes from the environment (see the README).
package main

import "os"

func main() {
	tuneGC()
	os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr))
}
