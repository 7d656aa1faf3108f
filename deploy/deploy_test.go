// Package deploy holds the appliance files (systemd units, udev rules, the
// kiosk X session); its tests check that they parse.
package deploy

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"luot/display/device"
)

// TestUnitsVerify runs systemd-analyze verify on every unit, with the
// programs they start replaced by stand-ins (the real binaries are not
// installed on a build machine) and the users replaced by root.
func TestUnitsVerify(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed")
	}
	units, _ := filepath.Glob("systemd/*")
	if len(units) < 6 {
		t.Fatalf("found %d unit files", len(units))
	}
	dir := t.TempDir()
	stand := filepath.Join(dir, "bin")
	os.Mkdir(stand, 0o755)
	for _, name := range []string{"luot-server", "luot-kiosk", "luot-display"} {
		os.WriteFile(filepath.Join(stand, name), []byte("#!/bin/sh\nexit 0\n"), 0o755)
	}
	user := regexp.MustCompile(`(?m)^(User|Group)=.*$`)
	var paths []string
	for _, u := range units {
		b, err := os.ReadFile(u)
		if err != nil {
			t.Fatal(err)
		}
		s := strings.ReplaceAll(string(b), "/usr/local/bin/", stand+"/")
		s = user.ReplaceAllString(s, "$1=root")
		p := filepath.Join(dir, filepath.Base(u))
		os.WriteFile(p, []byte(s), 0o644)
		paths = append(paths, p)
	}
	cmd := exec.Command(analyze, append([]string{"verify", "--man=no"}, paths...)...)
	cmd.Env = append(os.Environ(), "SYSTEMD_LOG_LEVEL=warning")
	out, err := cmd.CombinedOutput()
	// Warnings about the build machine itself (no running systemd, missing
	// targets of a container) are not about our files.
	var problems []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, dir) {
			problems = append(problems, line)
		}
	}
	if len(problems) > 0 {
		t.Fatalf("systemd-analyze verify (%v):\n%s", err, strings.Join(problems, "\n"))
	}
}

// TestUdevRulesAreWellFormed checks each rule line: comma-separated
// KEY=="value" matches and KEY="value" / KEY+="value" assignments, and that
// every rule hides the port from ModemManager.
func TestUdevRulesAreWellFormed(t *testing.T) {
	b, err := os.ReadFile("udev/99-luot-serial.rules")
	if err != nil {
		t.Fatal(err)
	}
	pair := regexp.MustCompile(`^[A-Z_]+(\{[A-Za-z_]+\})?(==|!=|=|\+=|:=)"[^"]*"$`)
	rules := 0
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rules++
		for _, p := range strings.Split(line, ", ") {
			if !pair.MatchString(p) {
				t.Errorf("line %d: %q is not a udev key/value", i+1, p)
			}
		}
		if !strings.Contains(line, `ENV{ID_MM_DEVICE_IGNORE}="1"`) || !strings.Contains(line, `GROUP="dialout"`) {
			t.Errorf("line %d: a serial rule must set GROUP=\"dialout\" and ID_MM_DEVICE_IGNORE", i+1)
		}
	}
	if rules == 0 {
		t.Fatal("no rules")
	}
}

// TestSessionsAreValidShell checks the X sessions (kiosk and display,
// counter station) with sh -n.
func TestSessionsAreValidShell(t *testing.T) {
	sessions, _ := filepath.Glob("x11/*-session")
	if len(sessions) < 2 {
		t.Fatalf("found %d X sessions", len(sessions))
	}
	for _, s := range sessions {
		out, err := exec.Command("sh", "-n", s).CombinedOutput()
		if err != nil {
			t.Errorf("sh -n %s: %v\n%s", s, err, out)
		}
	}
}

// TestStationConfigIsValid reads the example station configuration as the
// display program does (-config FILE) and checks that it is a counter
// station's, with its journal in the unit's state folder.
func TestStationConfigIsValid(t *testing.T) {
	c, err := device.ParseConfig([]string{"-config", "config/station.json"}, io.Discard)
	if err != nil {
		t.Fatalf("config/station.json: %v", err)
	}
	if c.Counter == "" || !c.Fullscreen || len(c.Keys) == 0 {
		t.Errorf("config/station.json is not a full-screen counter station with a key map: %+v", c)
	}
	unit, err := os.ReadFile("systemd/luot-station.service")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(unit), "StateDirectory=luot-station") || !strings.HasPrefix(c.Journal, "/var/lib/luot-station/") {
		t.Errorf("the print journal %q is not in the unit's StateDirectory /var/lib/luot-station", c.Journal)
	}
	if !strings.Contains(string(unit), "-config /etc/luot/station.json") {
		t.Error("luot-station.service does not read /etc/luot/station.json")
	}
}

// TestHAProxyConfigIsValid checks the load balancer example with HAProxy
// itself, and that its backend keeps what the deployment relies on: three
// processes, health checks on /healthz, long websocket tunnels.
func TestHAProxyConfigIsValid(t *testing.T) {
	b, err := os.ReadFile("haproxy/haproxy.cfg")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{"uri /healthz", "timeout tunnel", "option forwardfor"} {
		if !strings.Contains(s, want) {
			t.Errorf("haproxy.cfg lacks %q", want)
		}
	}
	if n := len(regexp.MustCompile(`(?m)^\s*server luot\d+ 127\.0\.0\.1:808\d check$`).FindAllString(s, -1)); n != 3 {
		t.Errorf("haproxy.cfg has %d checked servers, want 3", n)
	}
	haproxy, err := exec.LookPath("haproxy")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("haproxy is not installed: scripts/setup.sh installs it for this check")
		}
		t.Skip("haproxy is not installed (apt-get install haproxy): its own check did not run")
	}
	if out, err := exec.Command(haproxy, "-c", "-f", "haproxy/haproxy.cfg").CombinedOutput(); err != nil {
		t.Fatalf("haproxy -c: %v\n%s", err, out)
	}
}
