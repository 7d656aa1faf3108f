// Package random makes the server's random ids and secrets from
// crypto/rand. It sits below every server package (the engine numbers
// tickets with it, auth keys devices with it, the API opens sessions with
// it), so that none of them imports another for it.
package random

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
)

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// ID returns a random 16-character id (80 bits, lower-case letters and
// digits 2–7) for tickets and devices.
func ID() string {
	b := make([]byte, 10)
	rand.Read(b) // never fails (crypto/rand)
	return idEncoding.EncodeToString(b)
}

// Token returns an unguessable 256-bit secret, URL-safe (43 characters).
func Token() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
