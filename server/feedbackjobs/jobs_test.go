package feedbackjobs_test

import (
	"bytes"
	"context"
	"image/png"
	"slices"
	"strings"
	"testing"
	"time"

	"luot/server/feedback"
	"luot/server/feedbackjobs"
	"luot/server/photo"
	"luot/server/servertest/backend"
)

var ctx = context.Background()

func setup(t *testing.T) (*backend.Backend, feedbackjobs.Photos) {
	t.Helper()
	b := backend.New(t, backend.Config{Office: backend.DemoOffice()})
	return b, feedbackjobs.Photos{Pipeline: b.Pipeline, Dir: b.Photos}
}

// The demo's sample reports: DemoReports of them, labelled, in every
// status, in all three wards, with photos that are in the folder and
// re-encoded (JPEG); a second run adds none.
func TestSeedDemo(t *testing.T) {
	b, ph := setup(t)
	now := b.Clock.Now()
	n, err := feedbackjobs.SeedDemo(ctx, b.DB, b.Feedback, ph, now)
	if err != nil || n != feedbackjobs.DemoReports {
		t.Fatalf("SeedDemo = %d, %v", n, err)
	}
	rs, err := b.DB.Reports(ctx, feedback.Filter{Office: b.Feedback.Office})
	if err != nil || len(rs) != feedbackjobs.DemoReports {
		t.Fatalf("%d reports stored (%v)", len(rs), err)
	}
	statuses, wards := map[feedback.Status]int{}, map[string]bool{}
	satisfied, reopened, answered := 0, 0, 0
	for _, r := range rs {
		if !strings.HasPrefix(r.Description, feedbackjobs.SampleLabel) {
			t.Errorf("%s is not labelled as a sample: %q", r.Code, r.Description)
		}
		if r.Created.After(now) {
			t.Errorf("%s is made in the future", r.Code)
		}
		statuses[r.Status]++
		wards[r.Place.Ward] = true
		switch r.Verdict {
		case feedback.VerdictSatisfied:
			satisfied++
		case feedback.VerdictReopened:
			reopened++
		}
		for _, p := range r.Photos {
			if !b.Photos.Has(p.Hash) {
				t.Errorf("photo %s of %s is not in the folder", p.Hash, r.Code)
			}
			if p.Answer {
				answered++
			}
		}
		if len(r.Photos) == 0 {
			t.Errorf("%s has no photo", r.Code)
		}
	}
	for _, s := range feedback.Statuses {
		if statuses[s] == 0 {
			t.Errorf("no sample report is %s (%v)", s, statuses)
		}
	}
	for _, w := range []string{"phuong-dong", "phuong-tay", "phuong-nam"} {
		if !wards[w] {
			t.Errorf("no sample report in %s (%v)", w, wards)
		}
	}
	if satisfied == 0 || reopened == 0 || answered == 0 {
		t.Errorf("satisfied %d, reopened %d, answer photos %d", satisfied, reopened, answered)
	}
	f, err := b.Photos.Open(rs[0].Photos[0].Hash, false)
	if err != nil {
		t.Fatal(err)
	}
	var head [3]byte
	f.Read(head[:])
	f.Close()
	if !bytes.Equal(head[:], []byte{0xff, 0xd8, 0xff}) {
		t.Errorf("a stored sample photo is not a JPEG: % x", head)
	}
	if n, err := feedbackjobs.SeedDemo(ctx, b.DB, b.Feedback, ph, now.Add(time.Hour)); n != 0 || err != nil {
		t.Fatalf("second SeedDemo = %d, %v", n, err)
	}
}

// The generated photo is a PNG of 720×540 that the photo pipeline takes,
// different from one sample to the next.
func TestSamplePhoto(t *testing.T) {
	seen := map[string]bool{}
	for i := range 6 {
		data := feedbackjobs.SamplePhoto(i)
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width != 720 || cfg.Height != 540 {
			t.Fatalf("sample %d: %+v, %v", i, cfg, err)
		}
		res, err := photo.Process(bytes.NewReader(data), photo.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		if seen[res.Hash] {
			t.Fatalf("sample %d repeats an earlier one", i)
		}
		seen[res.Hash] = true
	}
}

// Erase erases the closed reports' reporters when due, not before, not
// the open ones', and not twice.
func TestErase(t *testing.T) {
	b, ph := setup(t)
	now := b.Clock.Now()
	if _, err := feedbackjobs.SeedDemo(ctx, b.DB, b.Feedback, ph, now); err != nil {
		t.Fatal(err)
	}
	named := func() (open, closed []string) {
		rs, _ := b.DB.Reports(ctx, feedback.Filter{})
		for _, r := range rs {
			if r.Reporter.Name == "" && r.Reporter.Phone == "" {
				continue
			}
			if r.Open() {
				open = append(open, r.Code)
			} else {
				closed = append(closed, r.Code)
			}
		}
		return open, closed
	}
	open0, closed0 := named()
	if len(open0) == 0 || len(closed0) == 0 {
		t.Fatalf("the samples have %d open and %d closed reports with a reporter", len(open0), len(closed0))
	}
	if n, err := feedbackjobs.Erase(ctx, b.DB, b.Feedback, now); n != 0 || err != nil {
		t.Fatalf("Erase now = %d, %v", n, err)
	}
	later := now.Add(b.Feedback.EraseDelay() + 8*24*time.Hour)
	n, err := feedbackjobs.Erase(ctx, b.DB, b.Feedback, later)
	if err != nil || n != len(closed0) {
		t.Fatalf("Erase a year later = %d, %v; want %d", n, err, len(closed0))
	}
	open1, closed1 := named()
	if len(closed1) != 0 || !slices.Equal(open1, open0) {
		t.Fatalf("after erasure: open %v (was %v), closed %v", open1, open0, closed1)
	}
	tl, err := b.DB.Timeline(ctx, closed0[0])
	if err != nil || tl[len(tl)-1].Type != "report.erase" || tl[len(tl)-1].Actor.Role != feedback.RoleSystem {
		t.Fatalf("timeline of an erased report ends with %+v (%v)", tl[len(tl)-1], err)
	}
	if n, err := feedbackjobs.Erase(ctx, b.DB, b.Feedback, later.Add(time.Hour)); n != 0 || err != nil {
		t.Fatalf("Erase again = %d, %v", n, err)
	}
}
