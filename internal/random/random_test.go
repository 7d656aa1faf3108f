package random

import (
	"regexp"
	"testing"
)

// TestShapes: ids and tokens have the documented length and alphabet
// (ids are valid queue ids: lower-case letters and digits), and two are
// never the same.
func TestShapes(t *testing.T) {
	id, token := regexp.MustCompile(`^[a-z2-7]{16}$`), regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)
	seen := map[string]bool{}
	for range 100 {
		i, k := ID(), Token()
		if !id.MatchString(i) || !token.MatchString(k) {
			t.Fatalf("id %q, token %q", i, k)
		}
		if seen[i] || seen[k] {
			t.Fatalf("a repeat: %q %q", i, k)
		}
		seen[i], seen[k] = true, true
	}
}
