package stationdev

import (
	"os"
	"path/filepath"
	"testing"
)

// TestJournalSurvivesReopen: what was recorded is known after a restart,
// and a torn last line (power cut while writing) is skipped, not fatal.
func TestJournalSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "station.journal")
	j, err := OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	if j.Printed(7) {
		t.Fatal("a new journal has job 7")
	}
	for _, id := range []int64{7, 9, 7} {
		if err := j.Record(id); err != nil {
			t.Fatal(err)
		}
	}
	j.Close()
	if err := j.Record(10); err == nil {
		t.Error("Record on a closed journal: no error")
	}
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("printed 11\nprin") // the last line torn by a power cut
	f.Close()
	j, err = OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	for id, want := range map[int64]bool{7: true, 9: true, 11: true, 8: false, 10: false} {
		if j.Printed(id) != want {
			t.Errorf("job %d printed %v, want %v", id, !want, want)
		}
	}
	b, _ := os.ReadFile(path)
	if string(b) != "printed 7\nprinted 9\nprinted 11\nprin" {
		t.Errorf("journal file %q: a job recorded twice is written once", b)
	}
}

func TestJournalUnwritable(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "file"), nil, 0o644)
	if _, err := OpenJournal(filepath.Join(dir, "file", "station.journal")); err == nil {
		t.Fatal("a journal under a file: no error")
	}
}
