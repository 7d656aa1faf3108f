package web

import (
	"testing"

	"luot/internal/pgtest"
)

// TestMain stops the private PostgreSQL cluster of the tests that run on
// it (stack.databaseURL), when one was started.
func TestMain(m *testing.M) { pgtest.Main(m) }
