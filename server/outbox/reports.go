package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"luot/modem"
	"luot/server/queue"
)

// Early reports: the modem can hand over a part's delivery report before
// the sender has kept the part's reference (it answers +CMGS, then the
// network reports at once). Such a report is kept and tried again every
// ReportRetryEvery for up to ReportEarlyFor; at most maxEarly are kept.
const (
	ReportRetryEvery = time.Second
	ReportEarlyFor   = 2 * time.Minute
	maxEarly         = 256
)

// Reports records the GSM modem's delivery reports on the outbox's
// messages (docs/notify.md "Delivery reports"): a message is delivered
// once each of its parts is, undelivered when the network gives up on a
// part. Store and Now are required.
type Reports struct {
	Store PartsStore
	Now   func() time.Time
	// Log receives each final report (reference, outcome and message,
	// never the phone) and the failures (nil: slog.Default()).
	Log *slog.Logger

	mu    sync.Mutex
	early []earlyReport
}

type earlyReport struct {
	r  modem.Report
	at time.Time
}

func (p *Reports) log() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	return slog.Default()
}

// Handle records r, received now. A report that is not final (the centre
// still tries) records nothing; one that names no part yet is kept for
// Retry.
func (p *Reports) Handle(ctx context.Context, r modem.Report) {
	if !r.Final() {
		return
	}
	at := p.Now()
	if p.record(ctx, r, at) {
		return
	}
	p.mu.Lock()
	if len(p.early) >= maxEarly {
		p.early = p.early[1:]
	}
	p.early = append(p.early, earlyReport{r, at})
	p.mu.Unlock()
}

// record records r received at at and reports whether it is done with
// (recorded, or failed for good); false: no part has its reference yet.
func (p *Reports) record(ctx context.Context, r modem.Report, at time.Time) bool {
	id, err := p.Store.RecordSMSReport(ctx, r.Ref, int(r.Status), at)
	switch {
	case errors.Is(err, queue.ErrNotFound):
		return false
	case err != nil:
		p.log().Error("outbox: an SMS delivery report is not recorded", "ref", r.Ref, "err", err)
		return true
	}
	// The phone is personal data: the reference, the outcome and the
	// message's id are enough to follow a delivery.
	p.log().Info("SMS delivery report", "ref", r.Ref, "delivered", r.Delivered(), "status", fmt.Sprintf("0x%02x", r.Status), "id", id)
	return true
}

// Retry tries again the reports that named no part yet, and forgets those
// older than ReportEarlyFor (a message the sender never recorded, or
// another sender's).
func (p *Reports) Retry(ctx context.Context) {
	p.mu.Lock()
	early := p.early
	p.early = nil
	p.mu.Unlock()
	if len(early) == 0 {
		return
	}
	now := p.Now()
	var keep []earlyReport
	for _, e := range early {
		if p.record(ctx, e.r, e.at) {
			continue
		}
		if now.Sub(e.at) >= ReportEarlyFor {
			p.log().Info("outbox: an SMS delivery report names no message sent here; ignored", "ref", e.r.Ref, "status", fmt.Sprintf("0x%02x", e.r.Status))
			continue
		}
		keep = append(keep, e)
	}
	p.mu.Lock()
	p.early = append(keep, p.early...)
	p.mu.Unlock()
}

// Follow handles the reports of in until ctx ends or in is closed,
// trying the early ones again every ReportRetryEvery.
func (p *Reports) Follow(ctx context.Context, in <-chan modem.Report) {
	t := time.NewTicker(ReportRetryEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case r, ok := <-in:
			if !ok {
				return
			}
			p.Handle(ctx, r)
		case <-t.C:
			p.Retry(ctx)
		}
	}
}
