// Package notifyjobs makes the notices that no queue command makes: the
// booking reminders (a job each minute) and the one-time codes sent to
// remote numbers' phones (api.PhoneVerifier). Both go into the outbox
// through notify.Store.Enqueue; the sender delivers them.
package notifyjobs

import (
	"context"
	"errors"
	"time"

	"luot/server/engine"
	"luot/server/notify"
)

// Offices is where the reminders find the bookings: the engine's live
// offices (*engine.Engine).
type Offices interface {
	OfficeIDs() []string
	View(id string) (*engine.View, error)
}

// Reminders enqueues, at now, the reminder of every booked appointment of
// the offices: BookingDayBefore for those that start within 24 hours,
// BookingHourBefore within one hour (docs/notify.md). Run it each minute:
// the keys make a second run harmless.
func Reminders(ctx context.Context, offices Offices, st notify.Store, now time.Time) error {
	return errors.New("notifyjobs: Reminders not implemented yet")
}

// PhoneCodes sends the one-time codes of remote numbers by SMS through
// the outbox: it implements api.PhoneVerifier.
type PhoneCodes struct {
	Store notify.Store
	// Now is the clock (time.Now in production).
	Now func() time.Time
	// Lang is the language of the message, "vi" when empty.
	Lang string
}

// SendCode enqueues a PhoneCode notice for phone.
func (p *PhoneCodes) SendCode(ctx context.Context, office, phone, code string) error {
	return errors.New("notifyjobs: PhoneCodes not implemented yet")
}
