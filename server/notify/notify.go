// Package notify is the domain of the messages Lượt sends to citizens:
// what is worth telling (a Notice, made by the domain whose fact it is:
// queue, dossier, feedback), who asked to be told and how (a
// Subscription: web push, SMS, or the province's gateway), and the
// outbox's rules — keys that de-duplicate, quiet hours, retries with
// backoff, the texts in Vietnamese and English. It is pure like the other
// domains: no storage, no transport, no clock of its own.
//
// The flow (docs/notify.md):
//
//	domain fact → []Notice → (same transaction) one outbox Message per
//	subscription of the notice's Item → sender: Render, Hold, deliver
//	through the subscription's channel → Sent, or retried after Backoff,
//	or dead after Config.MaxTries.
package notify

import (
	"context"
	"time"
)

// Kind is what a notice says.
type Kind string

// The kinds of notice. The texts of each are in the table (Render).
const (
	// TicketNear: a ticket's turn is near (Params "number", "ahead").
	TicketNear Kind = "ticket.near"
	// TicketCalled: a ticket is called (Params "number", "counter": the
	// counter's number). Quiet hours do not hold it (Urgent).
	TicketCalled Kind = "ticket.called"
	// TicketMissed: a ticket was marked a no-show (Params "number").
	TicketMissed Kind = "ticket.missed"
	// BookingDayBefore and BookingHourBefore remind an appointment
	// (Params "service", "time", "date": the start, as RFC 3339 or
	// already in words in the office's zone).
	BookingDayBefore  Kind = "booking.day-before"
	BookingHourBefore Kind = "booking.hour-before"
	// DossierReceived, DossierSupplement, DossierReady and DossierLate
	// follow a dossier (Params "code", "due"; "papers" and "by" for a
	// supplement; "new_due" for late). Instants are RFC 3339 (InZone).
	DossierReceived   Kind = "dossier.received"
	DossierSupplement Kind = "dossier.supplement"
	DossierReady      Kind = "dossier.ready"
	DossierLate       Kind = "dossier.late"
	// ReportStatus: a feedback report changed status (Params "code",
	// "status").
	ReportStatus Kind = "report.status"
	// PhoneCode is a one-time code for a remote number (Params "code").
	// It goes by SMS only, to a phone given with the notice, never to a
	// subscription; quiet hours do not hold it (the citizen is waiting).
	PhoneCode Kind = "phone.code"
	// LinkAgain sends a lost tracking link again by SMS (Params "link",
	// "number" or "code"); quiet hours do not hold it (the citizen has
	// just asked).
	LinkAgain Kind = "link.again"
)

// Kinds lists every kind, in the order of the table.
var Kinds = []Kind{TicketNear, TicketCalled, TicketMissed, BookingDayBefore, BookingHourBefore,
	DossierReceived, DossierSupplement, DossierReady, DossierLate, ReportStatus, PhoneCode, LinkAgain}

// ItemType is what a citizen subscribes to.
type ItemType string

// The items one can follow.
const (
	ItemTicket  ItemType = "ticket"
	ItemBooking ItemType = "booking"
	ItemDossier ItemType = "dossier"
	ItemReport  ItemType = "report"
)

// Item names one followed thing: a ticket's id, a booking's id, a
// dossier's or report's code, in an office.
type Item struct {
	Type   ItemType `json:"type"`
	ID     string   `json:"id"`
	Office string   `json:"office"`
}

// Notice is one thing worth telling the people who follow Item. Key
// de-duplicates: the outbox keeps one message per (Key, subscription),
// so a notice made twice (a retried request, a replayed event) is sent
// once. Keys are built by the domain that makes the notice, from the
// item and the fact ("ticket/T1/near", "dossier/TP-…/event/7").
type Notice struct {
	Key    string            `json:"key"`
	Kind   Kind              `json:"kind"`
	Item   Item              `json:"item"`
	At     time.Time         `json:"at"`
	Params map[string]string `json:"params,omitempty"`
	// Phone, when set, sends the notice by SMS to this phone
	// (normalised, "+84…") instead of to the item's subscriptions: the
	// phone codes and "send my link again".
	Phone string `json:"-"`
	// Lang is the language of a notice sent to Phone ("vi" or "en").
	Lang string `json:"lang,omitempty"`
}

// Channel is how a message travels.
type Channel string

// The channels.
const (
	// Push is Web Push (RFC 8030) with VAPID (RFC 8292), the payload
	// encrypted (RFC 8291).
	Push Channel = "push"
	// SMS goes through the office's SMS route: the GSM modem, or the
	// province's gateway (the webhook) when configured so.
	SMS Channel = "sms"
)

// Subscription is one opt-in: this item's notices, on this channel, in
// this language. Token is a random secret, the unsubscribe link's key;
// it is never shown on a public stream.
type Subscription struct {
	ID      int64   `json:"id"`
	Token   string  `json:"-"`
	Item    Item    `json:"item"`
	Channel Channel `json:"channel"`
	Lang    string  `json:"lang"`
	// Push: the browser's endpoint and keys (PushSubscription.toJSON).
	Endpoint string `json:"-"`
	P256DH   string `json:"-"`
	Auth     string `json:"-"`
	// SMS: the phone, normalised ("+84…").
	Phone string `json:"-"`
	// Link is the item's page as the subscriber opened it (with its
	// secret): the link a message carries.
	Link    string    `json:"-"`
	Created time.Time `json:"created"`
}

// State is where a message is in the outbox.
type State string

// The states of a message.
const (
	Queued State = "queued" // waiting for its time (NotBefore) or a sender
	Sent   State = "sent"   // delivered (the channel accepted it)
	Dead   State = "dead"   // given up: Config.MaxTries failures, or a permanent refusal
)

// Message is one notice for one subscription (or one phone), as the
// outbox keeps it.
type Message struct {
	ID     int64
	Notice Notice
	// Sub is the subscription it goes to; for a Notice.Phone message,
	// Sub.Channel is SMS, Sub.Phone the phone, Sub.ID 0.
	Sub       Subscription
	State     State
	Tries     int
	NotBefore time.Time // not sent before this time (retries, quiet hours)
	Created   time.Time
	LastError string // the last failure, without personal data
}

// Metrics are the outbox's figures at an instant.
type Metrics struct {
	Queued, Sent, Dead int
	// Delivered and Undelivered count the sent messages whose delivery
	// reports (SMS through the GSM modem) said they reached the phone,
	// or that the network gave up on them.
	Delivered, Undelivered int
	// Oldest is the age of the oldest queued message (0 when none).
	Oldest time.Duration
}

// Store is the outbox and the subscriptions. The SQLite store implements
// it (later the PostgreSQL one too). Messages are written by the domains'
// own transactions (queue commits, dossier and report updates) from their
// notices; Enqueue is for notices that are no other transaction's (the
// reminders, the phone codes).
type Store interface {
	// Subscribe stores s (ID, Token and Created are set) and returns it.
	// The same endpoint or phone for the same item is one subscription
	// (the existing one is returned, its language updated).
	Subscribe(ctx context.Context, s Subscription) (Subscription, error)
	// Unsubscribe deletes the subscription with this token; an unknown
	// token is an error wrapping queue.ErrNotFound.
	Unsubscribe(ctx context.Context, token string) error
	// Subscriptions lists an item's subscriptions.
	Subscriptions(ctx context.Context, item Item) ([]Subscription, error)
	// DropSubscription deletes a subscription the channel says is gone
	// (a push endpoint answering 404 or 410).
	DropSubscription(ctx context.Context, id int64) error
	// Enqueue writes the messages of these notices in one transaction;
	// a (key, subscription) already in the outbox is skipped.
	Enqueue(ctx context.Context, notices []Notice, now time.Time) error
	// Claim takes up to limit queued messages due at now (NotBefore ≤
	// now), oldest first, and leases them until now+lease: a sender that
	// dies leaves them to be claimed again after the lease.
	Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Message, error)
	// MarkSent records a delivery.
	MarkSent(ctx context.Context, id int64, now time.Time) error
	// MarkFailed records a failed try: Tries+1, the error, and either a
	// next try at retry or, when dead, the dead letter.
	MarkFailed(ctx context.Context, id int64, now time.Time, reason string, retry time.Time, dead bool) error
	// Hold moves a queued message's NotBefore to until without counting
	// a try (quiet hours).
	Hold(ctx context.Context, id int64, until time.Time) error
	// WatchedTickets lists the ids of an office's tickets that have a
	// subscription (the engine's "near" look-ups).
	WatchedTickets(ctx context.Context, office string) ([]string, error)
	// OutboxMetrics counts the outbox at now.
	OutboxMetrics(ctx context.Context, now time.Time) (Metrics, error)
}

// Config is the notifications' configuration (the server's flags and
// the office file).
type Config struct {
	// Near is the "N ahead" of TicketNear (default 3).
	Near int `json:"near"`
	// QuietFrom and QuietTo bound the quiet hours in the office's zone,
	// "21:00" to "07:00" by default; equal means none.
	QuietFrom string `json:"quiet_from"`
	QuietTo   string `json:"quiet_to"`
	// MaxTries is the tries before a message is dead (default 8).
	MaxTries int `json:"max_tries"`
	// BaseDelay is the first retry's delay (default 10 s), doubled each
	// try up to MaxDelay (default 1 h), with jitter.
	BaseDelay time.Duration `json:"-"`
	MaxDelay  time.Duration `json:"-"`
	// SMSUnaccented sends SMS as unaccented GSM-7 (160 characters a
	// part) instead of UCS-2 (70).
	SMSUnaccented bool `json:"sms_unaccented"`
}
