package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"luot/printer"
	"luot/printer/virtual"
)

func TestProfilesCommand(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"profiles"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != len(printer.Profiles()) {
		t.Fatalf("%q", lines)
	}
	want := map[string]string{"epson-tm-t20iii": "576 tcvn3", "epson-tm-t88vi": "512 cp1258", "generic-58": "384 raster"}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) != 3 {
			t.Fatalf("line %q: want name, width, method", l)
		}
		if w, ok := want[f[0]]; ok && w != f[1]+" "+f[2] {
			t.Errorf("%s: %q want %q", f[0], f[1]+" "+f[2], w)
		}
	}
}

func TestEncodeCommand(t *testing.T) {
	cases := []struct{ profile, text, hex string }{
		// Page 52 is selected at initialisation: only the text and LF.
		{"epson-tm-t88vi", "Cấp giấy phép xây dựng", "43E2EC70206769E2EC792070 68E97020 78E279 2064FDF26E67 0A"},
		// Page 30 is selected at initialisation; the capital needs 31, then 30.
		{"epson-tm-t20iii", "Đến", "1B741F AE 1B741E D5 6E 0A"},
		{"epson-tm-t20iii", "A012", "41303132 0A"},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		if code := run([]string{"encode", "-profile", c.profile, "-text", c.text}, &out, &errb); code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		want, _ := hex.DecodeString(strings.ReplaceAll(c.hex, " ", ""))
		if !bytes.Equal(out.Bytes(), want) {
			t.Errorf("%s %q:\n got % X\nwant % X", c.profile, c.text, out.Bytes(), want)
		}
	}
	var out, errb bytes.Buffer
	if code := run([]string{"encode", "-profile", "nope", "-text", "x"}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "unknown profile") {
		t.Errorf("unknown profile: exit %d %q", code, errb.String())
	}
}

func TestTestAndStatusCommandsOnVirtualPrinter(t *testing.T) {
	for _, profile := range []string{"epson-tm-t20iii", "generic-80", "generic-58"} {
		v, err := virtual.Start(virtual.Options{OutDir: t.TempDir(), Profile: profile})
		if err != nil {
			t.Fatal(err)
		}
		var out, errb bytes.Buffer
		if code := run([]string{"test", "-port", v.Path(), "-profile", profile, "-baud", "115200"}, &out, &errb); code != 0 {
			t.Fatalf("%s: exit %d: %s", profile, code, errb.String())
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		tk, err := v.Next(ctx)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if profile != "generic-58" {
			letters := strings.ReplaceAll(strings.ReplaceAll(tk.Text, "\n", ""), " ", "")
			if !strings.Contains(letters, string(printer.VietnameseLetters()[:67])) || !strings.Contains(letters, string(printer.VietnameseLetters()[67:])) {
				t.Errorf("%s: test ticket lacks the alphabet:\n%s", profile, tk.Text)
			}
		}
		v.SetState(virtual.State{CoverOpen: true})
		out.Reset()
		if code := run([]string{"status", "-port", v.Path(), "-profile", profile}, &out, &errb); code != 3 || !strings.Contains(out.String(), "cover-open") || !strings.Contains(out.String(), "Nắp máy in đang mở") {
			t.Errorf("status: exit %d %q", code, out.String())
		}
		v.Close()
	}
}

func TestUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if run(nil, &out, &errb) != 2 || run([]string{"frobnicate"}, &out, &errb) != 2 {
		t.Error("bad usage not reported")
	}
	if run([]string{"status"}, &out, &errb) != 1 || !strings.Contains(errb.String(), "-port is required") {
		t.Errorf("missing port: %q", errb.String())
	}
}
