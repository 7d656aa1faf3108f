package engine

import (
	"context"

	"luot/server/queue"
)

// Store is what the engine needs from durable storage. server/store
// implements it on SQLite and on PostgreSQL.
type Store interface {
	// OfficeIDs lists the offices the store holds.
	OfficeIDs(ctx context.Context) ([]string, error)
	// LoadState rebuilds the live state of an office from what was
	// committed: its configuration, counters, the tickets of its current
	// day (and the still-active tickets of earlier days), next-number rows
	// of that day, service-time averages, the last event seq and the last
	// issue order. The returned office has been validated.
	LoadState(ctx context.Context, office string) (*queue.State, error)
	// Commit writes a change durably in one transaction: tickets (upsert),
	// counter statuses, next-number rows, averages, the configuration, the
	// idempotency key, the keyed reply and the events — events[i] is the
	// encoding of c.Events[i] for both audiences, stored as given so that
	// replays send the same bytes as the live stream.
	// Commit fails, writing nothing, if any event seq is already taken, a
	// (office, day, service, number) is already used, or a key is already
	// stored.
	Commit(ctx context.Context, c *queue.Change, events []queue.EncodedEvent) error
	// EventsSince returns the encoded events of an office with seq > since,
	// in order, at most limit of them. complete is false when the event
	// since+1 is no longer kept (pruned), so the client must take a snapshot.
	EventsSince(ctx context.Context, office string, since int64, limit int) (events []queue.EncodedEvent, complete bool, err error)
	// TicketByIdempotencyKey returns the id of the ticket made by the
	// request with this key, or "" if there was none.
	TicketByIdempotencyKey(ctx context.Context, office, key string) (string, error)
	// Reply returns the stored answer to the keyed request with this key
	// (queue.Change.Reply), or nil if there is none.
	Reply(ctx context.Context, office, key string) (*queue.Reply, error)
	// Ticket loads any ticket of an office, of any day; an error wrapping
	// queue.ErrNotFound if none (the convention of queue.ErrNotFound).
	Ticket(ctx context.Context, office, id string) (*queue.Ticket, error)
}
