package config

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

var (
	// secretKeyPattern spots a field meant to hold a secret in the file.
	secretKeyPattern = regexp.MustCompile(
		`(?i)(token|secret|passw|private_?key|api_?key|credential|bearer)`)
	// secretValuePattern spots a pasted secret whatever its field: a PEM
	// block, an SSWS header or the shape of an Okta API token (42
	// characters starting with "00").
	secretValuePattern = regexp.MustCompile(`-----BEGIN|(?i)^ssws |^00[A-Za-z0-9_-]{40}$`)
	// envNamePattern is what token_env may name.
	envNamePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

// referenceKeys hold the names of secrets, not secrets.
var referenceKeys = []string{"token_file", "token_env", "private_key_file"}

// tenantKeys are the fields a tenant entry may have.
var tenantKeys = []string{
	"id", "domain", "token_file", "token_env", "client_id", "private_key_file",
	"key_id", "scopes", "streams", "schedules",
}

// fileError places a problem in the tenants file.
func fileError(path string, n *yaml.Node, format string, args ...any) error {
	return fmt.Errorf("tenants file %q line %d: %s", path, n.Line, fmt.Sprintf(format, args...))
}

// loadTenantsFile reads and checks a tenants file: a YAML list of tenants
// with credentials by reference. A literal secret, an unknown field or a
// duplicate id is refused with the file and line.
func (c Config) loadTenantsFile(path string) ([]Tenant, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("TENANTS_FILE: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("tenants file %q: %w", path, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, fmt.Errorf("tenants file %q: empty; want a list of tenants", path)
	}
	list := doc.Content[0]
	if list.Kind != yaml.SequenceNode || len(list.Content) == 0 {
		return nil, fileError(path, list, "want a non-empty list of tenants")
	}
	var tenants []Tenant
	seen := map[string]int{} // id -> line
	for _, item := range list.Content {
		t, err := c.fileTenant(path, item)
		if err != nil {
			return nil, err
		}
		if line, dup := seen[t.ID]; dup {
			return nil, fileError(path, item, "id %q already used on line %d", t.ID, line)
		}
		seen[t.ID] = item.Line
		tenants = append(tenants, t)
	}
	return tenants, nil
}

// fileTenant turns one list item into a Tenant.
func (c Config) fileTenant(path string, item *yaml.Node) (Tenant, error) {
	if item.Kind != yaml.MappingNode {
		return Tenant{}, fileError(path, item, "want a mapping of tenant fields")
	}
	fields := map[string]*yaml.Node{}
	for i := 0; i+1 < len(item.Content); i += 2 {
		k, v := item.Content[i], item.Content[i+1]
		if err := checkField(path, k, v); err != nil {
			return Tenant{}, err
		}
		if _, dup := fields[k.Value]; dup {
			return Tenant{}, fileError(path, k, "field %q given twice", k.Value)
		}
		fields[k.Value] = v
	}
	e := tenantEntry{path: path, item: item, fields: fields}
	return e.build(c)
}

// checkField refuses literal secrets and unknown fields. A secret-looking
// value is refused without echoing it.
func checkField(path string, k, v *yaml.Node) error {
	if secretKeyPattern.MatchString(k.Value) && !slices.Contains(referenceKeys, k.Value) {
		return fileError(path, k, "field %q would hold a literal secret; "+
			"reference it with token_file, token_env or private_key_file", k.Value)
	}
	if n := findSecretValue(v); n != nil {
		return fileError(path, n, "field %q holds what looks like a literal secret; "+
			"reference it with token_file, token_env or private_key_file", k.Value)
	}
	if !slices.Contains(tenantKeys, k.Value) {
		return fileError(path, k, "unknown field %q (want one of %s)",
			k.Value, strings.Join(tenantKeys, ", "))
	}
	return nil
}

// findSecretValue returns the first scalar under n that looks like a
// secret, or nil.
func findSecretValue(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.ScalarNode {
		if secretValuePattern.MatchString(strings.TrimSpace(n.Value)) {
			return n
		}
		return nil
	}
	for _, child := range n.Content {
		if found := findSecretValue(child); found != nil {
			return found
		}
	}
	return nil
}

// tenantEntry is one tenant's fields while they are checked.
type tenantEntry struct {
	path   string
	item   *yaml.Node
	fields map[string]*yaml.Node
}

// errorf places a problem at field name, or at the entry when it is absent.
func (e tenantEntry) errorf(name, format string, args ...any) error {
	n := e.item
	if v := e.fields[name]; v != nil {
		n = v
	}
	return fileError(e.path, n, "%s: %s", name, fmt.Sprintf(format, args...))
}

// str returns a scalar field's value, "" when absent.
func (e tenantEntry) str(name string) (string, error) {
	v := e.fields[name]
	if v == nil {
		return "", nil
	}
	if v.Kind != yaml.ScalarNode {
		return "", e.errorf(name, "want a single value")
	}
	return strings.TrimSpace(v.Value), nil
}

// list returns a list field's values; nil when absent.
func (e tenantEntry) list(name string) ([]string, error) {
	v := e.fields[name]
	if v == nil {
		return nil, nil
	}
	if v.Kind != yaml.SequenceNode {
		return nil, e.errorf(name, "want a list")
	}
	out := []string{}
	for _, n := range v.Content {
		if n.Kind != yaml.ScalarNode || strings.TrimSpace(n.Value) == "" {
			return nil, fileError(e.path, n, "%s: want a list of names", name)
		}
		out = append(out, strings.TrimSpace(n.Value))
	}
	return out, nil
}

// build checks the entry and loads its credentials, unless the Config
// is without them. An error is a fault of the file; credentials that
// cannot be read are the returned tenant's Err instead.
func (e tenantEntry) build(c Config) (Tenant, error) {
	domain, err := e.str("domain")
	if err != nil {
		return Tenant{}, err
	}
	if domain == "" {
		return Tenant{}, e.errorf("domain", "missing")
	}
	base, err := BaseURL(domain)
	if err != nil {
		return Tenant{}, e.errorf("domain", "%v", err)
	}
	t := Tenant{BaseURL: base}
	if t.ID, err = e.str("id"); err != nil {
		return Tenant{}, err
	}
	if t.ID == "" {
		t.ID = DefaultTenantID(base)
	}
	if err := checkTenantID(t.ID); err != nil {
		return Tenant{}, e.errorf("id", "%v", err)
	}
	if t.Streams, err = e.streams(); err != nil {
		return Tenant{}, err
	}
	if t.Schedules, err = e.schedules(c.Schedules); err != nil {
		return Tenant{}, err
	}
	ref, err := e.credentialRef(c)
	if err != nil || c.withoutCredentials {
		return t, err
	}
	// A reference that cannot be resolved fails this tenant alone: the
	// file is fine, and the other tenants run (see Tenant.Err).
	t.Credentials, t.Err = ref.load(c, t.ID)
	return t, nil
}

// streams returns the enabled streams in AllStreams order; all by default.
func (e tenantEntry) streams() ([]string, error) {
	names, err := e.list("streams")
	if err != nil || names == nil {
		return AllStreams(), err
	}
	if len(names) == 0 {
		return nil, e.errorf("streams", "empty; remove the tenant to stop syncing it")
	}
	for _, n := range names {
		if !slices.Contains(AllStreams(), n) {
			return nil, e.errorf("streams", "unknown stream %q (want some of %s)",
				n, strings.Join(AllStreams(), ", "))
		}
	}
	var out []string
	for _, s := range AllStreams() {
		if slices.Contains(names, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

// schedules applies the entry's overrides to the environment's schedules.
func (e tenantEntry) schedules(base Schedules) (Schedules, error) {
	m := e.fields["schedules"]
	if m == nil {
		return base, nil
	}
	if m.Kind != yaml.MappingNode {
		return Schedules{}, e.errorf("schedules", "want a mapping of name: duration")
	}
	s := base
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		d := s.field(k.Value)
		if d == nil {
			return Schedules{}, fileError(e.path, k, "schedules: unknown schedule %q (want %s)",
				k.Value, strings.Join(scheduleKeys(), ", "))
		}
		parsed, err := time.ParseDuration(strings.TrimSpace(v.Value))
		if err != nil || v.Kind != yaml.ScalarNode {
			return Schedules{}, fileError(e.path, v, "schedules: %s: %q is not a duration",
				k.Value, v.Value)
		}
		*d = parsed
	}
	var p problems
	s.validate(&p, func(v string) string { return "schedules: " + strings.ToLower(v) })
	if len(p) > 0 {
		return Schedules{}, fileError(e.path, m, "%v", p[0])
	}
	return s, nil
}
