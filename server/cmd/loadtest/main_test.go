package main

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"luot/server/officefile"
)

// TestFreeSlotsTakesStartsNeverEnds: the last slot of an around-the-clock
// day ends at "24:00", which is not a slot one can book.
func TestFreeSlotsTakesStartsNeverEnds(t *testing.T) {
	var v any
	ans := `{"service":"xay-dung","date":"2026-11-28","slots":[
		{"slot":"23:00","end":"23:30","capacity":2,"free":0},
		{"slot":"23:30","end":"24:00","capacity":2,"free":1},
		{"end":"10:00","slot":"09:30","capacity":2,"free":2}]}`
	if err := json.Unmarshal([]byte(ans), &v); err != nil {
		t.Fatal(err)
	}
	for range 20 { // map order varies
		var got []string
		freeSlots(v, &got)
		slices.Sort(got)
		if !slices.Equal(got, []string{"09:30", "23:30"}) {
			t.Fatalf("free slots %v, want [09:30 23:30]", got)
		}
	}
}

func TestBiggerDemo(t *testing.T) {
	path, err := biggerDemo(t.TempDir(), 12, "1234")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := officefile.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.Office.Counters); n != 12 || f.Office.Counters[11].ID != "q12" || f.Office.Counters[11].Number != 12 {
		t.Fatalf("%d counters, last %+v", n, f.Office.Counters[n-1])
	}
	clerks := 0
	for _, st := range f.Staff {
		if st.Role == "clerk" && st.PIN != "" {
			clerks++
		}
	}
	if clerks != 12 {
		t.Fatalf("%d clerks with a PIN, want 12", clerks)
	}
}
