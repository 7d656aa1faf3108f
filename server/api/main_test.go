package api

import (
	"testing"

	"luot/internal/pgtest"
)

// TestMain stops the private PostgreSQL cluster of the tests that run on
// it (withDatabase), when one was started.
func TestMain(m *testing.M) { pgtest.Main(m) }
