package store

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestClosedConnectionIsUnavailable: a pooled connection that died with
// the server, used again (pgx's "conn closed", seen when PostgreSQL stops
// mid-load), is the database being unavailable — a 503
// database_unavailable, not an unexplained failure.
func TestClosedConnectionIsUnavailable(t *testing.T) {
	err := fmt.Errorf("load office demo: %w", pgconn.ErrConnClosed)
	if f := Fault(err); !errors.Is(f, ErrUnavailable) {
		t.Fatalf("Fault(%v) = %v, want ErrUnavailable", err, f)
	}
}
