package checkpoint

import (
	"fmt"
	"regexp"
)

// allOwner is the file name of the set stored with owner "" (every user id
// known). Owners never begin with "_", so it cannot collide with one.
const allOwner = "_all"

var (
	// tenantPattern is the tenant id alphabet of DESIGN.md §3.
	tenantPattern = regexp.MustCompile(`^[a-z0-9._:-]{1,200}$`)
	// streamPattern admits the stream names of DESIGN.md §3 and any
	// later ones spelt the same way.
	streamPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
	// ownerPattern admits Okta ids (alphanumeric, such as 00g1a2b3c4) with
	// room for simulator ids; the first character excludes "." and ".."
	// and the reserved "_all".
	ownerPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)
)

// checkTenant refuses tenant ids that are not in the product's alphabet or
// that would name "." or ".." as a directory.
func checkTenant(tenant string) error {
	if !tenantPattern.MatchString(tenant) || tenant[0] == '.' {
		return fmt.Errorf("invalid tenant id %q (want [a-z0-9._:-]+, not starting with '.')",
			tenant)
	}
	return nil
}

// checkStream refuses stream names that could leave their directory.
func checkStream(stream string) error {
	if !streamPattern.MatchString(stream) {
		return fmt.Errorf("invalid stream name %q (want [a-z][a-z0-9_]*)", stream)
	}
	return nil
}

// checkOwner refuses set owners that are not Okta-style ids; "" is allowed
// and means every id of the stream.
func checkOwner(owner string) error {
	if owner != "" && !ownerPattern.MatchString(owner) {
		return fmt.Errorf("invalid set owner %q (want an Okta id)", owner)
	}
	return nil
}

// checkKey validates both parts of a checkpoint key.
func checkKey(k Key) error {
	if err := checkTenant(k.Tenant); err != nil {
		return err
	}
	return checkStream(k.Stream)
}

// checkSetKey validates the three parts of a set key.
func checkSetKey(k SetKey) error {
	if err := checkKey(Key{Tenant: k.Tenant, Stream: k.Stream}); err != nil {
		return err
	}
	return checkOwner(k.Owner)
}

// ownerFile maps an owner to its file base name and back.
func ownerFile(owner string) string {
	if owner == "" {
		return allOwner
	}
	return owner
}
