package printer_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"luot/printer"
	"luot/printer/virtual"
)

// TestUnplugReplugRepeatedlyWhilePrinting pulls the printer's cable in the
// middle of a ticket again and again (the fault suite's "printer unplugged
// and replugged repeatedly during printing"): every interrupted job fails
// with ErrNotConnected within a bounded time instead of hanging, and after
// each replug the next ticket prints whole, with nothing of the cut job
// mixed into it.
func TestUnplugReplugRepeatedlyWhilePrinting(t *testing.T) {
	link := filepath.Join(t.TempDir(), "ttyPRINTER")
	v, p := start(t, "epson-tm-t20iii", virtual.Options{Link: link}, printer.Config{})
	prof := p.Profile()
	e := printer.NewEncoder(prof)
	e.Init()
	for range 30 {
		e.Image(printer.NewPaper(prof.WidthDots, 200))
	}
	e.Cut(true)
	job := e.Bytes()
	const rounds = 8
	for round := range rounds {
		held := v.HoldAfter(5000 + 1000*round) // stall part way, at a different point each time
		done := make(chan error, 1)
		go func() {
			_, err := p.PrintRaw(context.Background(), job)
			done <- err
		}()
		select {
		case <-held:
		case err := <-done:
			t.Fatalf("round %d: the job finished before the printer stalled: %v", round, err)
		case <-time.After(10 * time.Second):
			t.Fatalf("round %d: the printer never stalled", round)
		}
		if err := v.Unplug(); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-done:
			if !errors.Is(err, printer.ErrNotConnected) {
				t.Fatalf("round %d: unplugged mid-ticket gave %v, want ErrNotConnected", round, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("round %d: printing hung after the printer was unplugged", round)
		}
		if err := v.Replug(); err != nil {
			t.Fatal(err)
		}
		if _, err := p.PrintTicket(ctx(t), ticket()); err != nil {
			t.Fatalf("round %d: after replug: %v", round, err)
		}
		got, err := v.Next(ctx(t))
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if !strings.Contains(got.Text, "A012") || !strings.Contains(got.Text, "Cấp giấy phép xây dựng") {
			t.Fatalf("round %d: ticket after replug:\n%s", round, got.Text)
		}
	}
}
