// Package notifyjobs makes the notices that no queue command makes: the
// booking reminders (a job each minute) and the one-time codes sent to
// remote numbers' phones (api.PhoneVerifier). Both go into the outbox
// through notify.Store.Enqueue; the sender delivers them.
package notifyjobs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"luot/internal/random"
	"luot/server/engine"
	"luot/server/notify"
	"luot/server/queue"
)

// Offices is where the reminders find the bookings: the engine's live
// offices (*engine.Engine), whose states hold the bookings of the current
// business day and the days after it.
type Offices interface {
	OfficeIDs() []string
	View(id string) (*engine.View, error)
}

// Reminders enqueues, at now, the reminders of the booked appointments of
// every office (docs/notify.md): BookingDayBefore for an appointment that
// starts within 24 hours but not within the hour, BookingHourBefore for
// one that starts within the hour — so one booked within the hour gets
// only the hour reminder, and one booked within the day gets the day
// reminder at once. Run it each minute: the keys (booking/{code}/…) make
// a second run send nothing again, and a subscription made later still
// gets the reminder whose time has come. Only bookings with a
// subscription make messages (the store writes one per subscription);
// the notices of the others are dropped by the store.
//
// The item of a booking is its code (notify.Item{Type: booking, ID: code}).
func Reminders(ctx context.Context, offices Offices, st notify.Store, now time.Time) error {
	var notices []notify.Notice
	for _, id := range offices.OfficeIDs() {
		v, err := offices.View(id)
		if err != nil {
			continue // removed since OfficeIDs
		}
		o := &v.Office
		for _, b := range v.Frozen().Bookings {
			if b.Status != queue.BookingBooked {
				continue
			}
			start, ok := o.SlotTime(b.Date, b.Slot)
			if !ok {
				continue
			}
			kind, fact := notify.BookingDayBefore, "day-before"
			switch left := start.Sub(now); {
			case left <= 0 || left > 24*time.Hour:
				continue
			case left <= time.Hour:
				kind, fact = notify.BookingHourBefore, "hour-before"
			}
			// The start as RFC 3339 in the office's zone, in both "date"
			// and "time": the texts say each part of it (notify.Render).
			at := start.In(o.Location()).Format(time.RFC3339)
			p := map[string]string{"time": at, "date": at, "service": b.Service}
			if sv := o.Service(b.Service); sv != nil {
				p["service"] = sv.Name
				if sv.NameEN != "" {
					p["service_en"] = sv.NameEN
				}
			}
			notices = append(notices, notify.Notice{
				Key: notify.BookingKey(b.Code, fact), Kind: kind, At: now, Params: p,
				Item: notify.Item{Type: notify.ItemBooking, ID: b.Code, Office: o.ID},
			})
		}
	}
	if len(notices) == 0 {
		return nil
	}
	// The bookings are a map: their order is random, the outbox's must not be.
	slices.SortFunc(notices, func(a, b notify.Notice) int {
		return cmp.Or(cmp.Compare(a.Item.Office, b.Item.Office), cmp.Compare(a.Key, b.Key))
	})
	if err := st.Enqueue(ctx, notices, now); err != nil {
		return fmt.Errorf("enqueue %d booking reminders: %w; the next run tries again", len(notices), err)
	}
	return nil
}

// PhoneCodes sends the one-time codes of remote numbers by SMS through
// the outbox (a notify.PhoneCode notice with Notice.Phone, which quiet
// hours do not hold): it implements api.PhoneVerifier.
type PhoneCodes struct {
	Store notify.Store
	// Now is the clock (time.Now in production).
	Now func() time.Time
	// Lang is the language of the message, "vi" when empty (the API does
	// not know the citizen's).
	Lang string
}

// SendCode enqueues the code for phone (normalised, "+84…") at office.
// The message's item is the office alone (Item{Office: office}): a code
// is for no ticket yet. Each code is its own message (a random key), so
// a citizen who asks again gets the new code.
func (p *PhoneCodes) SendCode(ctx context.Context, office, phone, code string) error {
	if phone == "" || code == "" || office == "" {
		return errors.New("send a phone code: the office, the phone and the code are all needed")
	}
	if p, err := queue.NormalizePhone(phone); err != nil || p != phone {
		// The phone stays out of the error: errors are logged.
		return errors.New("send a phone code: give the phone normalised (+84 and 9 digits, queue.NormalizePhone)")
	}
	lang := cmp.Or(p.Lang, "vi")
	n := notify.Notice{
		Key: notify.PhoneCodeKey(random.ID()), Kind: notify.PhoneCode, At: p.Now(),
		Item:   notify.Item{Office: office},
		Params: map[string]string{"code": code},
		Phone:  phone, Lang: lang,
	}
	if err := p.Store.Enqueue(ctx, []notify.Notice{n}, n.At); err != nil {
		return fmt.Errorf("queue the code for %s: %w", queue.MaskPhone(phone), err)
	}
	return nil
}
