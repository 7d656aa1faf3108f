package engine

import (
	"context"
	"fmt"
	"time"

	"luot/server/queue"
)

// Stations tells whether a counter has a station to print on: the
// devices are in the store, not in the office's state.
type Stations interface {
	// HasStation reports whether a counter has a registered station
	// that is not revoked.
	HasStation(ctx context.Context, office, counter string) (bool, error)
}

// ErrNoStation refuses a print job for a counter without a station: a
// document nobody would ever print is not queued.
var ErrNoStation = &queue.Error{Kind: queue.KindConflict, Code: "no_station"}

// QueuePrint queues doc for the printer of a counter's station and
// returns the job: one durable transaction writes the job and its
// print.queued event, and the counter's station (which follows the
// stream) fetches and prints it. kind is a queue.Print… kind, by who asks
// ("system" for the server itself). It is the one way to print at a
// counter: the reprint and the test receipt use it, and so do other
// domains (dossier receipts, apology notices).
//
// It refuses, queuing nothing, an unknown office or counter, an invalid
// document (queue.Document.Validate) and a counter with no registered,
// unrevoked station (409 no_station).
func (e *Engine) QueuePrint(ctx context.Context, st Stations, office, counter, kind, by string, doc queue.Document) (queue.PrintJob, error) {
	v, err := e.View(office)
	if err != nil {
		return queue.PrintJob{}, err
	}
	if v.Office.Counter(counter) == nil {
		return queue.PrintJob{}, queue.NewError(queue.KindNotFound, queue.ErrUnknownCounter.Code, "counter {counter} does not exist in office {office}", "counter", fmt.Sprintf("%q", counter), "office", office)
	}
	if _, err := queue.NewPrintJob(office, counter, kind, by, doc, e.now()); err != nil {
		return queue.PrintJob{}, err
	}
	ok, err := st.HasStation(ctx, office, counter)
	if err != nil {
		return queue.PrintJob{}, err
	}
	if !ok {
		return queue.PrintJob{}, queue.NewError(queue.KindConflict, ErrNoStation.Code,
			"counter {counter} has no station to print on: register a station for it (administration, devices) first", "counter", v.Office.Counter(counter).Number)
	}
	c, err := e.Do(ctx, office, func(s *queue.State, now time.Time) (*queue.Change, error) {
		job, err := queue.NewPrintJob(office, counter, kind, by, doc, now)
		if err != nil {
			return nil, err
		}
		return s.QueuePrint(now, job)
	})
	if err != nil {
		return queue.PrintJob{}, err
	}
	return c.PrintJobs[0], nil
}
