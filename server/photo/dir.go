package photo

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"luot/server/queue"
)

// Dir is the folder photos are kept in: {root}/ab/<hash>.jpg and
// {root}/ab/<hash>.t.jpg (the thumbnail), ab being the hash's first two
// digits. Files are written whole or not at all (a temporary file renamed
// into place), so a reader never sees half a photo.
type Dir struct {
	root string
}

// NewDir makes (if needed) and opens the photo folder root.
func NewDir(root string) (*Dir, error) {
	if err := os.MkdirAll(root, 0o750); err != nil {
		return nil, fmt.Errorf("making the photo folder: %w", err)
	}
	return &Dir{root: root}, nil
}

// Root is the folder's path.
func (d *Dir) Root() string { return d.root }

// ValidHash reports whether h is a photo's name: 64 lowercase hexadecimal
// digits. Nothing else is ever made into a path.
func ValidHash(h string) bool {
	if len(h) != 64 {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func errBadHash() error {
	return queue.NewError(queue.KindInvalid, "invalid_photo", "a photo's name is 64 lowercase hexadecimal digits (its SHA-256)")
}

func (d *Dir) path(hash string, thumb bool) string {
	name := hash + ".jpg"
	if thumb {
		name = hash + ".t.jpg"
	}
	return filepath.Join(d.root, hash[:2], name)
}

// Save writes the photo and its thumbnail, unless they are there already
// (the same name is the same photo). The thumbnail is written first, so
// that a photo on disk always has its thumbnail.
func (d *Dir) Save(r Result) error {
	if !ValidHash(r.Hash) || len(r.JPEG) == 0 || len(r.Thumb) == 0 {
		return fmt.Errorf("saving photo %.70q: not a processed photo (a hash and two JPEGs are needed)", r.Hash)
	}
	if sum := sha256.Sum256(r.JPEG); hex.EncodeToString(sum[:]) != r.Hash {
		return fmt.Errorf("saving photo %s: its bytes do not have this hash", r.Hash)
	}
	dir := filepath.Join(d.root, r.Hash[:2])
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("saving photo %s: %w", r.Hash, err)
	}
	if err := writeOnce(dir, d.path(r.Hash, true), r.Thumb); err != nil {
		return fmt.Errorf("saving the thumbnail of photo %s: %w", r.Hash, err)
	}
	if err := writeOnce(dir, d.path(r.Hash, false), r.JPEG); err != nil {
		return fmt.Errorf("saving photo %s: %w", r.Hash, err)
	}
	return nil
}

// writeOnce puts b at path through a synced temporary file in dir, unless
// a file of the same size is there.
func writeOnce(dir, path string, b []byte) error {
	if st, err := os.Stat(path); err == nil && st.Size() == int64(len(b)) {
		return nil
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after the rename, there is nothing there
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o640); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	// The rename itself is made durable by syncing the folder.
	df, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer df.Close()
	return df.Sync()
}

// Open opens the photo named hash, or its thumbnail. A name that is not 64
// lowercase hexadecimal digits is refused (invalid_photo) before any path
// is made; a photo not there is photo_not_found.
func (d *Dir) Open(hash string, thumb bool) (*os.File, error) {
	if !ValidHash(hash) {
		return nil, errBadHash()
	}
	f, err := os.Open(d.path(hash, thumb))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, queue.NewError(queue.KindNotFound, "photo_not_found", "there is no such photo: it may have been removed")
	}
	return f, err
}

// Has reports whether the photo named hash is kept.
func (d *Dir) Has(hash string) bool {
	if !ValidHash(hash) {
		return false
	}
	_, err := os.Stat(d.path(hash, false))
	return err == nil
}

// Remove deletes a photo and its thumbnail; a photo not there is no error.
func (d *Dir) Remove(hash string) error {
	if !ValidHash(hash) {
		return errBadHash()
	}
	for _, thumb := range []bool{false, true} {
		if err := os.Remove(d.path(hash, thumb)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// Sweep removes the photos (and thumbnails) written before olderThan that
// keep does not claim, and temporary files left before olderThan by an
// interrupted Save. It returns how many photos it removed. keep is asked
// once per photo.
func (d *Dir) Sweep(keep func(hash string) bool, olderThan time.Time) (int, error) {
	subs, err := os.ReadDir(d.root)
	if err != nil {
		return 0, fmt.Errorf("sweeping the photo folder: %w", err)
	}
	removed := 0
	for _, sub := range subs {
		if !sub.IsDir() || len(sub.Name()) != 2 {
			continue
		}
		dir := filepath.Join(d.root, sub.Name())
		files, err := os.ReadDir(dir)
		if err != nil {
			return removed, fmt.Errorf("sweeping the photo folder: %w", err)
		}
		for _, f := range files {
			name := f.Name()
			info, err := f.Info()
			if err != nil || !info.Mode().IsRegular() || !info.ModTime().Before(olderThan) {
				continue
			}
			if strings.HasPrefix(name, ".tmp-") {
				os.Remove(filepath.Join(dir, name))
				continue
			}
			hash, ok := strings.CutSuffix(name, ".jpg")
			if t, thumb := strings.CutSuffix(hash, ".t"); thumb {
				// A thumbnail goes with its photo, or alone when an
				// interrupted Save wrote no photo.
				hash = t
				if d.Has(hash) {
					continue
				}
			}
			if !ok || !ValidHash(hash) || hash[:2] != sub.Name() || keep(hash) {
				continue
			}
			if err := d.Remove(hash); err != nil {
				return removed, fmt.Errorf("sweeping photo %s: %w", hash, err)
			}
			removed++
		}
	}
	return removed, nil
}
