package config

import (
	"fmt"
	"strings"

	"github.com/okta-connector/okta-connector/connector/okta"
	"go.yaml.in/yaml/v3"
)

// credentialRef is a tenant's credentials by reference: checked for shape
// (a fault there is the file's), not yet read (a fault there is the
// tenant's alone).
type credentialRef struct {
	path  string     // the tenants file
	field string     // token_file, token_env or private_key_file
	name  string     // the file or variable that field names
	node  *yaml.Node // where field is, for the error's line
	// clientID, keyID and scopes complete a service app's reference.
	clientID, keyID string
	scopes          []string
}

// credentialRef checks that the entry gives exactly one of token_file,
// token_env or a service app (client_id with private_key_file), each
// well formed, and returns the reference without reading it.
func (e tenantEntry) credentialRef(c Config) (credentialRef, error) {
	ref := map[string]string{}
	for _, name := range []string{
		"token_file", "token_env", "client_id", "private_key_file", "key_id",
	} {
		v, err := e.str(name)
		if err != nil {
			return credentialRef{}, err
		}
		ref[name] = v
	}
	kinds := 0
	for _, name := range []string{"token_file", "token_env", "client_id"} {
		if ref[name] != "" {
			kinds++
		}
	}
	if kinds != 1 {
		return credentialRef{}, fileError(e.path, e.item, "give exactly one of "+
			"token_file, token_env or client_id (with private_key_file)")
	}
	switch {
	case ref["token_file"] != "":
		return e.tokenFileRef(ref["token_file"])
	case ref["token_env"] != "":
		return e.tokenEnvRef(ref["token_env"])
	}
	return e.serviceAppRef(c, ref)
}

// tokenFileRef checks that token_file is a path.
// NOTE: a value that is no path may be a token pasted in by mistake, so it
// is never echoed back.
func (e tenantEntry) tokenFileRef(path string) (credentialRef, error) {
	if err := e.tokenOnly(); err != nil {
		return credentialRef{}, err
	}
	if !strings.ContainsAny(path, `/\`) {
		return credentialRef{}, e.errorf("token_file",
			"not a file path (want one such as /run/secrets/okta-token; never the token)")
	}
	return e.ref("token_file", path), nil
}

// tokenEnvRef checks that token_env is a variable name.
func (e tenantEntry) tokenEnvRef(name string) (credentialRef, error) {
	if err := e.tokenOnly(); err != nil {
		return credentialRef{}, err
	}
	if !envNamePattern.MatchString(name) {
		// NOTE: not echoed: it may be the token itself, pasted by mistake.
		return credentialRef{}, e.errorf("token_env",
			"not a variable name (want one such as ACME_OKTA_TOKEN; never the token)")
	}
	return e.ref("token_env", name), nil
}

// tokenOnly refuses the service app's fields beside an API token.
func (e tenantEntry) tokenOnly() error {
	for _, name := range []string{"private_key_file", "key_id", "scopes"} {
		if e.fields[name] != nil {
			return e.errorf(name, "only for a service app (client_id)")
		}
	}
	return nil
}

// serviceAppRef checks a service app's key file and scopes.
func (e tenantEntry) serviceAppRef(c Config, ref map[string]string) (credentialRef, error) {
	if ref["private_key_file"] == "" {
		return credentialRef{}, e.errorf("private_key_file", "missing; client_id needs it")
	}
	scopes, err := e.list("scopes")
	if err != nil {
		return credentialRef{}, err
	}
	if scopes == nil {
		scopes = c.Okta.Scopes
	}
	r := e.ref("private_key_file", ref["private_key_file"])
	r.clientID, r.keyID, r.scopes = ref["client_id"], ref["key_id"], scopes
	return r, nil
}

// ref is a reference through field to name.
func (e tenantEntry) ref(field, name string) credentialRef {
	return credentialRef{path: e.path, field: field, name: name, node: e.fields[field]}
}

// load reads the credentials. Its error names the tenant, the file and
// line, the field, the file or variable it names, and the fix; never the
// secret.
func (r credentialRef) load(c Config, tenant string) (okta.Credentials, error) {
	switch r.field {
	case "token_file":
		token, err := readSecret(r.name)
		if err != nil {
			return okta.Credentials{}, r.errorf(tenant, err,
				"put the token in that file or correct token_file")
		}
		return okta.Credentials{Token: okta.NewToken(token)}, nil
	case "token_env":
		token, _ := c.getenv(r.name)
		if token = strings.TrimSpace(token); token == "" {
			// NOTE: the environment is read once, at start-up: only a
			// restart sees a variable set later.
			return okta.Credentials{}, r.errorf(tenant,
				fmt.Errorf("variable %s is not set", r.name),
				"set it and restart the connector, or use token_file")
		}
		return okta.Credentials{Token: okta.NewToken(token)}, nil
	}
	key, err := readPrivateKey(r.name)
	if err != nil {
		return okta.Credentials{}, r.errorf(tenant, err,
			"put an unencrypted PEM key in that file or correct private_key_file")
	}
	return okta.Credentials{
		ClientID: r.clientID, PrivateKey: key, KeyID: r.keyID, Scopes: r.scopes,
	}, nil
}

// errorf is a failed load of r's credentials for tenant, with the fix.
func (r credentialRef) errorf(tenant string, err error, fix string) error {
	return fmt.Errorf("tenants file %q line %d: tenant %s: %s: %w; %s",
		r.path, r.node.Line, tenant, r.field, err, fix)
}
