package photo

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func processed(t *testing.T, seed uint64) Result {
	t.Helper()
	res, err := Process(bytes.NewReader(encodeJPEG(t, detailed(120, 80, seed), 85)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestDirSaveOpen(t *testing.T) {
	root := filepath.Join(t.TempDir(), "photos")
	d, err := NewDir(root)
	if err != nil {
		t.Fatal(err)
	}
	res := processed(t, 1)
	if err := d.Save(res); err != nil {
		t.Fatal(err)
	}
	for _, thumb := range []bool{false, true} {
		f, err := d.Open(res.Hash, thumb)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(f)
		f.Close()
		want := res.JPEG
		if thumb {
			want = res.Thumb
		}
		if !bytes.Equal(b, want) {
			t.Errorf("thumb=%v: read other bytes", thumb)
		}
	}
	name := filepath.Join(root, res.Hash[:2], res.Hash+".jpg")
	if _, err := os.Stat(name); err != nil {
		t.Errorf("not at {root}/ab/<hash>.jpg: %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, res.Hash[:2], res.Hash+".t.jpg")); err != nil {
		t.Errorf("no thumbnail at {root}/ab/<hash>.t.jpg: %v", err)
	}
	// Saving again is nothing: the file is not rewritten.
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	os.Chtimes(name, old, old)
	if err := d.Save(res); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(name); !st.ModTime().Equal(old) {
		t.Error("saving the same photo again rewrote it")
	}
	// No temporary file is left behind.
	files, _ := os.ReadDir(filepath.Dir(name))
	if len(files) != 2 {
		t.Errorf("the folder holds %d files, want the photo and its thumbnail", len(files))
	}
	// A Result whose bytes are not its hash is refused, and writes nothing.
	bad := res
	bad.JPEG = append(bytes.Clone(res.JPEG), 0)
	other := processed(t, 2)
	bad.Hash = other.Hash
	if err := d.Save(bad); err == nil || d.Has(other.Hash) {
		t.Errorf("a photo whose bytes are not its hash was saved (%v)", err)
	}
	if _, err := d.Open(other.Hash, false); codeOf(err) != "photo_not_found" {
		t.Errorf("a photo not there: %v", err)
	}
}

func TestDirRefusesPathsThatAreNoHash(t *testing.T) {
	root := t.TempDir()
	d, _ := NewDir(filepath.Join(root, "photos"))
	secret := filepath.Join(root, "secret.jpg")
	os.WriteFile(secret, []byte("not for you"), 0o600)
	res := processed(t, 3)
	if err := d.Save(res); err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{
		"", "..", "../secret", "../../secret", "/etc/passwd", res.Hash[:63], res.Hash + "0",
		res.Hash[:62] + "/.", "ab/../../secret", "%2e%2e%2fsecret", string(bytes.ToUpper([]byte(res.Hash))),
		res.Hash[:60] + "\x00abc", "../" + res.Hash[3:],
	} {
		if f, err := d.Open(h, false); err == nil || codeOf(err) != "invalid_photo" {
			if f != nil {
				f.Close()
			}
			t.Errorf("Open(%q): %v, want invalid_photo", h, err)
		}
		if d.Has(h) || d.Remove(h) == nil {
			t.Errorf("%q was taken as a photo's name", h)
		}
	}
}

func TestDirSweep(t *testing.T) {
	d, _ := NewDir(t.TempDir())
	keep, orphan, fresh := processed(t, 4), processed(t, 5), processed(t, 6)
	for _, r := range []Result{keep, orphan, fresh} {
		if err := d.Save(r); err != nil {
			t.Fatal(err)
		}
	}
	// An interrupted Save: a temporary file and a thumbnail without photo.
	lone := processed(t, 7)
	os.MkdirAll(filepath.Join(d.Root(), lone.Hash[:2]), 0o750)
	os.WriteFile(filepath.Join(d.Root(), lone.Hash[:2], lone.Hash+".t.jpg"), lone.Thumb, 0o640)
	tmp := filepath.Join(d.Root(), keep.Hash[:2], ".tmp-123")
	os.WriteFile(tmp, []byte("half"), 0o640)

	now := time.Now()
	old := now.Add(-48 * time.Hour)
	for _, r := range []Result{keep, orphan, lone} {
		for _, n := range []string{r.Hash + ".jpg", r.Hash + ".t.jpg"} {
			os.Chtimes(filepath.Join(d.Root(), r.Hash[:2], n), old, old)
		}
	}
	os.Chtimes(tmp, old, old)
	var asked []string
	n, err := d.Sweep(func(h string) bool { asked = append(asked, h); return h == keep.Hash }, now.Add(-24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("swept %d, want the orphan and the lone thumbnail", n)
	}
	if !d.Has(keep.Hash) || !d.Has(fresh.Hash) || d.Has(orphan.Hash) {
		t.Errorf("after the sweep: keep %v fresh %v orphan %v", d.Has(keep.Hash), d.Has(fresh.Hash), d.Has(orphan.Hash))
	}
	for _, p := range []string{tmp, filepath.Join(d.Root(), orphan.Hash[:2], orphan.Hash+".t.jpg"), filepath.Join(d.Root(), lone.Hash[:2], lone.Hash+".t.jpg")} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s is still there", filepath.Base(p))
		}
	}
	if f, err := d.Open(keep.Hash, true); err != nil {
		t.Errorf("the kept photo lost its thumbnail: %v", err)
	} else {
		f.Close()
	}
	if slices.Contains(asked, fresh.Hash) {
		t.Error("a fresh photo was asked about: uploads not yet attached are not orphans")
	}
}
