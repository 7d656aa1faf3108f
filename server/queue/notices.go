package queue

import (
	"iter"
	"strconv"
	"time"

	"luot/server/notify"
)

// The queue's notices (docs/notify.md, "Triggers"): a followed ticket is
// told when its turn is near, when it is called (every call and recall),
// and when it was marked a no-show. Only followed ("watched") tickets
// get notices: the engine keeps the set, so that a change costs
// O(watched), never a walk over every ticket of the day.

// EventNotices returns the TicketCalled and TicketMissed notices of a
// change's events for the tickets that watched reports as followed.
// A call's key carries the seq of its event, so every call and recall is
// told once, and the same event made into notices again is the same key.
func EventNotices(c *Change, watched func(ticketID string) bool) []notify.Notice {
	var out []notify.Notice
	for i := range c.Events {
		ev := &c.Events[i]
		if ev.Type != EventTicketCalled && ev.Type != EventTicketRecalled && ev.Type != EventTicketNoShow {
			continue
		}
		d, ok := ev.Data.(TicketData)
		if !ok || !watched(d.Ticket.ID) {
			continue
		}
		item := notify.Item{Type: notify.ItemTicket, ID: d.Ticket.ID, Office: c.Office}
		if ev.Type == EventTicketNoShow {
			out = append(out, notify.Notice{
				Key: notify.TicketKey(d.Ticket.ID, "missed"), Kind: notify.TicketMissed, Item: item, At: ev.At,
				Params: map[string]string{"number": d.Ticket.Number},
			})
			continue
		}
		out = append(out, notify.Notice{
			Key: notify.TicketCalledKey(d.Ticket.ID, int(ev.Seq)), Kind: notify.TicketCalled, Item: item, At: ev.At,
			Params: map[string]string{"number": d.Ticket.Number, "counter": strconv.Itoa(d.Ticket.CounterNumber)},
		})
	}
	return out
}

// NearNotices returns a TicketNear notice for each ticket of ids that
// waits in s with at most near citizens ahead of it by f, the forecast of
// s at "at", and that an open counter will call (a known estimate, not a
// provisional one): before the clerks come, or when no open counter
// serves the ticket, its place in line is not yet a turn coming. Each id costs a map look-up and a Forecast.Of (by issue
// order): the cost is that of ids, whatever the number of waiting
// tickets. The caller passes only the followed tickets not yet told.
func NearNotices(s *State, f *Forecast, ids iter.Seq[string], near int, at time.Time) []notify.Notice {
	var out []notify.Notice
	for id := range ids {
		t, ok := s.Tickets[id]
		if !ok || t.Status != StatusWaiting {
			continue
		}
		e, ok := f.Of(t)
		if !ok || e.Ahead > near || !e.Known || e.Provisional {
			continue
		}
		out = append(out, notify.Notice{
			Key: notify.TicketKey(id, "near"), Kind: notify.TicketNear,
			Item: notify.Item{Type: notify.ItemTicket, ID: id, Office: s.Office.ID}, At: at,
			Params: map[string]string{"number": t.Display, "ahead": strconv.Itoa(e.Ahead)},
		})
	}
	return out
}
