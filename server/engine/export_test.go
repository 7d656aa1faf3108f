package engine

import (
	"maps"
	"time"
)

// QueueLen returns how many commands of an office wait for its leader (for
// tests that need a batch to form before it commits).
func QueueLen(e *Engine, office string) int {
	o, err := e.get(office)
	if err != nil {
		return 0
	}
	o.qmu.Lock()
	defer o.qmu.Unlock()
	return len(o.queue)
}

// SetKeyWindow sets how long an issue's own lookup of its idempotency key
// is trusted (see keys.go); 0 makes the leader always ask the store.
func SetKeyWindow(e *Engine, d time.Duration) { e.keyWindow = d }

// Watched returns the office's followed tickets, each with whether its
// "near" notice was committed.
func Watched(e *Engine, office string) map[string]bool {
	o, err := e.get(office)
	if err != nil {
		return nil
	}
	o.watch.mu.Lock()
	defer o.watch.mu.Unlock()
	return maps.Clone(o.watch.ids)
}
