package okta

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// assertionLife is the client assertion's lifetime; Okta accepts at most
// one hour (API.md §1.2), and a short one limits what a leaked one is worth.
const assertionLife = 5 * time.Minute

// assertion signs the private-key JWT that authenticates the client to
// the token endpoint at aud: iss and sub are the client id, jti a random
// nonce so that Okta can refuse a replay.
func (o *oauthSource) assertion(aud string) (string, error) {
	method, err := signingMethod(o.creds.PrivateKey)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, 16)
	_, _ = rand.Read(nonce) // crypto/rand.Read never fails (Go ≥ 1.24)
	now := o.c.clock.Now()
	claims := jwt.RegisteredClaims{
		Issuer:    o.creds.ClientID,
		Subject:   o.creds.ClientID,
		Audience:  jwt.ClaimStrings{aud},
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(assertionLife)),
		ID:        hex.EncodeToString(nonce),
	}
	tok := jwt.NewWithClaims(method, claims)
	if o.creds.KeyID != "" {
		tok.Header["kid"] = o.creds.KeyID
	}
	signed, err := tok.SignedString(o.creds.PrivateKey)
	if err != nil {
		return "", fmt.Errorf("signing the client assertion: %w", err)
	}
	return signed, nil
}

// signingMethod picks RS256 for RSA keys and the ES method matching an EC
// key's curve.
func signingMethod(key any) (jwt.SigningMethod, error) {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		return jwt.SigningMethodRS256, nil
	case *ecdsa.PrivateKey:
		return ecdsaMethod(k)
	}
	return nil, fmt.Errorf("private key type %T: want RSA or ECDSA", key)
}

// ecdsaMethod maps a curve to its JWS algorithm (RFC 7518 §3.4).
func ecdsaMethod(k *ecdsa.PrivateKey) (jwt.SigningMethod, error) {
	switch k.Curve {
	case elliptic.P256():
		return jwt.SigningMethodES256, nil
	case elliptic.P384():
		return jwt.SigningMethodES384, nil
	case elliptic.P521():
		return jwt.SigningMethodES512, nil
	}
	return nil, fmt.Errorf("EC curve %s: want P-256, P-384 or P-521", k.Curve.Params().Name)
}
