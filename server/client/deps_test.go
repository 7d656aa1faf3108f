package client

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportsNoServerInternals keeps the kiosk and display light: the client
// depends on the wire contract only, never on SQLite or the server's code.
func TestImportsNoServerInternals(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "luot/") && dep != "luot/server/client" || strings.Contains(dep, "sqlite") {
			t.Errorf("server/client depends on %s", dep)
		}
	}
}
