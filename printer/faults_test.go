package printer_test

import (
	"context"
	"errors"
	"fmt"
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
	job := rasterJob(p, 30)
	const rounds = 8
	for round := range rounds {
		// Stall part way, at a different point each time.
		unplugMidJob(t, v, p, job, 5000+1000*round, fmt.Sprintf("round %d", round))
		if err := v.Replug(); err != nil {
			t.Fatal(err)
		}
		ticketPrintsWhole(t, v, p, fmt.Sprintf("round %d: after replug", round))
	}
}

// rasterJob is a job of images raster bands of 200 dots, far larger than a
// pseudo-terminal's buffer.
func rasterJob(p *printer.Printer, images int) []byte {
	prof := p.Profile()
	e := printer.NewEncoder(prof)
	e.Init()
	for range images {
		e.Image(printer.NewPaper(prof.WidthDots, 200))
	}
	e.Cut(true)
	return e.Bytes()
}

// unplugMidJob prints job until the virtual printer has read after bytes
// and stops reading, pulls the cable, and checks that the job fails with
// ErrNotConnected within a bounded time instead of hanging.
func unplugMidJob(t *testing.T, v *virtual.Printer, p *printer.Printer, job []byte, after int, what string) {
	t.Helper()
	held := v.HoldAfter(after)
	done := make(chan error, 1)
	go func() {
		_, err := p.PrintRaw(context.Background(), job)
		done <- err
	}()
	select {
	case <-held:
	case err := <-done:
		t.Fatalf("%s: the job finished before the printer stalled: %v", what, err)
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: the printer never received %d bytes", what, after)
	}
	if err := v.Unplug(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, printer.ErrNotConnected) {
			t.Fatalf("%s: unplugged mid-ticket gave %v, want ErrNotConnected", what, err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: printing hung after the printer was unplugged", what)
	}
}

// ticketPrintsWhole prints the test ticket and checks that the printer
// rendered it, with nothing of an earlier cut job mixed into it.
func ticketPrintsWhole(t *testing.T, v *virtual.Printer, p *printer.Printer, what string) {
	t.Helper()
	if _, err := p.PrintTicket(ctx(t), ticket()); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	got, err := v.Next(ctx(t))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if !strings.Contains(got.Text, "A012") || !strings.Contains(got.Text, "Cấp giấy phép xây dựng") {
		t.Fatalf("%s: ticket:\n%s", what, got.Text)
	}
}
