package e2e

import (
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/BurntSushi/toml"

	"luot/internal/e2etest"
)

// fyneApp mirrors the fields of FyneApp.toml that `fyne package` reads
// (fyne.io/fyne/v2/internal/metadata); a key it does not know fails the
// test, as a typo would be silently ignored by the packager.
type fyneApp struct {
	Website string
	Details struct {
		Icon, Name, ID, Version string
		Build                   int
	}
	LinuxAndBSD struct {
		GenericName, Comment, ExecParams string
		Categories, Keywords             []string
	}
}

// TestFyneAppFiles checks the packaging metadata of the kiosk and the
// display: each FyneApp.toml parses with known keys only, names a square
// PNG icon of at least 256 pixels, a version, and the application ID that
// its main.go gives app.NewWithID. It needs no cgo and does not skip.
func TestFyneAppFiles(t *testing.T) {
	for _, app := range []string{"kiosk", "display"} {
		dir := filepath.Join(e2etest.Root(t), app)
		var f fyneApp
		md, err := toml.DecodeFile(filepath.Join(dir, "FyneApp.toml"), &f)
		if err != nil {
			t.Fatalf("%s/FyneApp.toml: %v", app, err)
		}
		if u := md.Undecoded(); len(u) > 0 {
			t.Errorf("%s/FyneApp.toml: unknown keys %v", app, u)
		}
		d := f.Details
		if d.Name == "" || d.Icon == "" || d.Build < 1 || !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(d.Version) {
			t.Errorf("%s/FyneApp.toml: details %+v (want a name, an icon, a version x.y.z and a build ≥ 1)", app, d)
		}
		main, err := os.ReadFile(filepath.Join(dir, "main.go"))
		if err != nil {
			t.Fatal(err)
		}
		if m := regexp.MustCompile(`app\.NewWithID\("([^"]+)"\)`).FindSubmatch(main); m == nil || string(m[1]) != d.ID {
			t.Errorf("%s: FyneApp.toml ID %q, main.go's app.NewWithID %q", app, d.ID, m)
		}
		icon, err := os.Open(filepath.Join(dir, d.Icon))
		if err != nil {
			t.Fatalf("%s: icon: %v", app, err)
		}
		cfg, err := png.DecodeConfig(icon)
		icon.Close()
		if err != nil || cfg.Width != cfg.Height || cfg.Width < 256 {
			t.Errorf("%s: icon %s: %v, %d×%d (want a square PNG of at least 256 px)", app, d.Icon, err, cfg.Width, cfg.Height)
		}
	}
}
