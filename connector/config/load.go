package config

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"

	"github.com/caarlos0/env/v11"
	"github.com/okta-connector/okta-connector/connector/okta"
)

// LoadEnv is Load over an explicit environment of "KEY=value" entries, for
// tests and for commands that build their environment.
func LoadEnv(environ []string) (Config, error) {
	return loadEnv(environ, false)
}

// LoadEnvWithoutCredentials is LoadEnv for the commands that call no Okta
// (checkpoints): it neither reads nor requires the tenants' credentials,
// so a token file that is missing or being rotated, an unset token_env
// variable or an absent private key does not stop them. Everything else,
// the tenants file's shape included, is read and checked as LoadEnv does;
// the tenants that Tenants returns carry no credentials.
func LoadEnvWithoutCredentials(environ []string) (Config, error) {
	return loadEnv(environ, true)
}

// loadEnv parses, reads secret files and validates; withoutCredentials
// leaves the Okta credentials alone.
func loadEnv(environ []string, withoutCredentials bool) (Config, error) {
	vars := env.ToMap(environ)
	var c Config
	err := env.ParseWithOptions(&c, env.Options{Environment: vars})
	if err != nil {
		return Config{}, fmt.Errorf("reading configuration: %w", nameParseErrors(err))
	}
	c.lookupEnv = func(k string) (string, bool) {
		v, ok := vars[k]
		return v, ok
	}
	c.withoutCredentials = withoutCredentials
	c.normalize()
	if err := c.readSecretFiles(); err != nil {
		return Config{}, fmt.Errorf("reading configuration: %w", err)
	}
	if err := c.Validate(); err != nil {
		return Config{}, fmt.Errorf("invalid configuration: %w", err)
	}
	return c, nil
}

// nameParseErrors rewrites caarlos0/env's parse errors, which name the Go
// field, into errors that name the variable the user set.
func nameParseErrors(err error) error {
	var agg env.AggregateError
	if !errors.As(err, &agg) {
		return err
	}
	keys := fieldKeys(reflect.TypeFor[Config]())
	var out []error
	for _, e := range agg.Errors {
		var pe env.ParseError
		if errors.As(e, &pe) && keys[pe.Name] != "" {
			out = append(out, fmt.Errorf("%s: %w", keys[pe.Name], plainParseError(pe.Err)))
			continue
		}
		out = append(out, e)
	}
	return errors.Join(out...)
}

// plainParseError says what a number or a boolean should have looked like,
// in place of strconv's wording ("strconv.ParseInt: parsing ...: invalid
// syntax"), which names Go functions an operator never called. The
// original error stays wrapped.
func plainParseError(err error) error {
	var ne *strconv.NumError
	if !errors.As(err, &ne) {
		return err
	}
	switch {
	case ne.Func == "ParseBool":
		return fmt.Errorf("%q is not true or false: %w", ne.Num, ne.Err)
	case errors.Is(ne.Err, strconv.ErrRange):
		return fmt.Errorf("%q is out of range: %w", ne.Num, ne.Err)
	case ne.Func == "ParseFloat":
		return fmt.Errorf("%q is not a number: %w", ne.Num, ne.Err)
	}
	return fmt.Errorf("%q is not a whole number: %w", ne.Num, ne.Err)
}

// fieldKeys maps the Go field names of t and its nested structs to their
// variable names. Field names are unique across Config (a test checks).
func fieldKeys(t reflect.Type) map[string]string {
	keys := map[string]string{}
	for f := range t.Fields() {
		if key, _, _ := strings.Cut(f.Tag.Get("env"), ","); key != "" {
			keys[f.Name] = key
		} else if f.Type.Kind() == reflect.Struct && f.IsExported() {
			for name, key := range fieldKeys(f.Type) {
				keys[name] = key
			}
		}
	}
	return keys
}

// normalize trims list entries and applies defaults env tags cannot hold.
func (c *Config) normalize() {
	c.Kafka.Brokers = trimList(c.Kafka.Brokers)
	c.Okta.Scopes = trimList(c.Okta.Scopes)
	if len(c.Okta.Scopes) == 0 {
		c.Okta.Scopes = okta.DefaultScopes()
	}
	c.Kafka.SASLMechanism = strings.ToUpper(strings.TrimSpace(c.Kafka.SASLMechanism))
	c.Log.Level = strings.ToLower(strings.TrimSpace(c.Log.Level))
	c.Log.Format = strings.ToLower(strings.TrimSpace(c.Log.Format))
}

// trimList drops blanks around entries and empty entries ("a, b,").
func trimList(in []string) []string {
	var out []string
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// readSecretFiles fills each secret from its _FILE variable, refusing a
// secret given both ways. The Okta token file is left unread without
// credentials.
func (c *Config) readSecretFiles() error {
	errs := []error{
		readSecretFile(&c.Kafka.SASLPassword, "KAFKA_SASL_PASSWORD", c.Kafka.SASLPasswordFile),
		readSecretFile(&c.Registry.Password, "SCHEMA_REGISTRY_PASSWORD", c.Registry.PasswordFile),
	}
	if !c.withoutCredentials {
		errs = append(errs,
			readSecretFile(&c.Okta.APIToken, "OKTA_API_TOKEN", c.Okta.APITokenFile))
	}
	return errors.Join(errs...)
}

// readSecretFile reads the secret named name from path when path is set.
func readSecretFile(s *Secret, name, path string) error {
	if path == "" {
		return nil
	}
	if s.IsSet() {
		return fmt.Errorf("%s and %s_FILE are both set; set one", name, name)
	}
	v, err := readSecret(path)
	if err != nil {
		return fmt.Errorf("%s_FILE: %w", name, err)
	}
	*s = NewSecret(v)
	return nil
}

// readSecret reads a one-line secret from a file, dropping the surrounding
// white space an editor or `echo` adds.
func readSecret(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("reading secret: %w", err)
	}
	v := strings.TrimSpace(string(data))
	if v == "" {
		return "", fmt.Errorf("reading secret: file %q is empty", path)
	}
	return v, nil
}
