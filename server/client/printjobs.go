package client

import (
	"encoding/json"
	"fmt"
)

// EventPrintQueued is the event that tells an office's stream a print job
// waits for a counter's station. Only that counter's station acts on it
// (it fetches its jobs with PrintJobs); boards and consoles ignore it.
const EventPrintQueued = "print.queued"

// PrintQueuedData is the payload of print.queued: which counter and job,
// nothing of the document.
type PrintQueuedData struct {
	Counter string `json:"counter"`
	Job     int64  `json:"job"`
}

// DecodePrintQueued returns the payload of a print.queued event.
func (e Event) DecodePrintQueued() (*PrintQueuedData, error) {
	if e.Type != EventPrintQueued {
		return nil, fmt.Errorf("event %d is %s, not %s", e.Seq, e.Type, EventPrintQueued)
	}
	var d PrintQueuedData
	if err := json.Unmarshal(e.Data, &d); err != nil {
		return nil, fmt.Errorf("event %d (%s): %w", e.Seq, e.Type, err)
	}
	return &d, nil
}
