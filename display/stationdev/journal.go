package stationdev

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// Journal is the station's file of the print jobs its printer accepted:
// one line "printed ID" appended and synced before the server is told, so
// that a station restarted between the two acknowledges the job without
// printing it again. Lines it cannot read (a torn last line after a power
// cut) are skipped: that job at worst prints once more, never silently
// not at all.
type Journal struct {
	mu      sync.Mutex
	f       *os.File
	path    string
	printed map[int64]bool
}

// OpenJournal opens (or creates) the journal at path and reads it.
func OpenJournal(path string) (*Journal, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("print journal %s: make its folder: %w (set -journal to a writable file)", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("print journal: %w (set -journal to a writable file)", err)
	}
	j := &Journal{f: f, path: path, printed: map[int64]bool{}}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		word, id, ok := strings.Cut(strings.TrimSpace(sc.Text()), " ")
		if n, err := strconv.ParseInt(id, 10, 64); ok && word == "printed" && err == nil {
			j.printed[n] = true
		}
	}
	if err := sc.Err(); err != nil {
		f.Close()
		return nil, fmt.Errorf("print journal %s: %w", path, err)
	}
	return j, nil
}

// Printed reports whether the job id is in the journal.
func (j *Journal) Printed(id int64) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.printed[id]
}

// Record appends "printed id" and syncs the file; the job counts as
// printed only once that is on disk.
func (j *Journal) Record(id int64) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return errors.New("print journal is closed")
	}
	if j.printed[id] {
		return nil
	}
	if _, err := fmt.Fprintf(j.f, "printed %d\n", id); err != nil {
		return fmt.Errorf("print journal %s: %w", j.path, err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("print journal %s: sync: %w", j.path, err)
	}
	j.printed[id] = true
	return nil
}

// Close closes the file.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return nil
	}
	err := j.f.Close()
	j.f = nil
	return err
}
