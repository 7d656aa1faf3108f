package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestLayers keeps the transports apart from storage: the API and the web
// pages know the store only by the interfaces they declare (api.Store,
// web.Store) and get domain and auth types from it, so that they build
// and test without SQLite; only a program (a main package) — or the
// shared test stack, servertest — wires both to the store.
//
// And the store sits below everything but the domain: it depends on no
// package of this module but those of storeMay (the queue's types and
// sentinel errors, auth's sessions and errors, random ids), so that the
// engine, the reports and the transports are its users, never its
// dependencies.
func TestLayers(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}|{{.Name}}|{{join .Deps \" \"}}", "luot/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const store = "luot/server/store"
	// testStacks start a whole server for other packages' tests; they
	// wire the store like a program. The kiosk's kiosktest is a layer on
	// servertest (it imports the store only through it).
	testStacks := []string{"luot/server/servertest", "luot/kiosk/internal/kiosktest"}
	transports := []string{"luot/server/api", "luot/server/web"}
	storeMay := []string{"luot/server/queue", "luot/server/auth", "luot/internal/random", "luot/server/feedback", "luot/server/dossier", "luot/server/workday", "luot/server/geo", "luot/server/notify", "luot/server/planning"}
	for line := range strings.Lines(strings.TrimSpace(string(out))) {
		path, rest, _ := strings.Cut(strings.TrimSpace(line), "|")
		name, deps, _ := strings.Cut(rest, "|")
		d := strings.Fields(deps)
		if path == store {
			for _, dep := range d {
				if (dep == "luot" || strings.HasPrefix(dep, "luot/")) && !slices.Contains(storeMay, dep) {
					t.Errorf("%s depends on %s: the store may use only %v of this module", store, dep, storeMay)
				}
			}
		}
		usesStore := slices.Contains(d, store)
		if slices.Contains(transports, path) && usesStore {
			t.Errorf("%s depends on %s: declare the interface it needs and take domain or auth types", path, store)
		}
		if name == "main" || slices.Contains(testStacks, path) || !usesStore {
			continue
		}
		for _, tr := range transports {
			if slices.Contains(d, tr) {
				t.Errorf("%s depends on both %s and %s: only a program (or servertest) wires them together", path, tr, store)
			}
		}
	}
}

// TestDomainsArePure keeps the domains at the centre: they use the
// standard library, golang.org/x/text (Unicode normalisation, pure) and
// each other, nothing else of this module or outside it (no storage, no
// transport, no clock of their own).
func TestDomainsArePure(t *testing.T) {
	domains := []string{"luot/server/queue", "luot/server/feedback", "luot/server/dossier", "luot/server/workday", "luot/server/geo", "luot/server/notify", "luot/server/planning"}
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}|{{join .Imports \" \"}}", "luot/server/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for line := range strings.Lines(strings.TrimSpace(string(out))) {
		path, imports, _ := strings.Cut(strings.TrimSpace(line), "|")
		if !slices.Contains(domains, path) {
			continue
		}
		for _, imp := range strings.Fields(imports) {
			first, _, _ := strings.Cut(imp, "/")
			std := !strings.Contains(first, ".") && first != "luot"
			if !std && !slices.Contains(domains, imp) && !strings.HasPrefix(imp, "golang.org/x/text/") {
				t.Errorf("%s imports %s: a domain may import only the standard library and %v", path, imp, domains)
			}
		}
	}
}
