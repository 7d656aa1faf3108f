// Package outbox is the notifications' sender: it claims the due
// messages of the outbox (notify.Store), holds them through quiet hours,
// renders them, delivers each through its channel (web push, SMS by the
// modem or the province's gateway), and records the outcome — sent,
// retried after a backoff, or dead (docs/notify.md).
//
// Delivery is at least once: a message is marked sent only after its
// channel accepted it. A sender killed between the two leaves the
// message leased; once the lease ends it is claimed and sent again, and
// the receiver recognises it by its key.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"luot/server/notify"
	"luot/server/queue"
)

// Channel delivers one rendered message. An error is a failed try: the
// message is retried after a backoff unless the error is permanent
// (IsPermanent) or the subscription is gone (ErrGone).
type Channel interface {
	Send(ctx context.Context, m notify.Message, title, body string) error
}

// RefChannel is a Channel whose deliveries have references that later
// delivery reports name: SMSChannel through the GSM modem (the TP-MR of
// each part). The sender keeps them with the message when its Store is
// also a PartsStore.
type RefChannel interface {
	Channel
	// SendRefs delivers like Send and returns the references.
	SendRefs(ctx context.Context, m notify.Message, title, body string) (refs []int, err error)
}

// PartsStore is a notify.Store that keeps the references of a message's
// SMS parts and records their delivery reports (store.DB).
type PartsStore interface {
	// RecordSMSParts keeps the references (0–255, in part order) of
	// message id's parts, sent at at.
	RecordSMSParts(ctx context.Context, id int64, refs []int, at time.Time) error
	// RecordSMSReport records a part's delivery report (TP-ST status)
	// received at at and returns its message; a reference that names no
	// part is an error wrapping queue.ErrNotFound.
	RecordSMSReport(ctx context.Context, ref, status int, at time.Time) (id int64, err error)
}

// ErrGone says the subscription no longer exists at the channel (a push
// endpoint answering 404 or 410): the message is dead and the
// subscription dropped. A channel wraps it (errors.Is).
var ErrGone = errors.New("outbox: the subscription is gone")

// permanent wraps an error that no retry will change.
type permanent struct{ err error }

func (p permanent) Error() string   { return p.err.Error() }
func (p permanent) Unwrap() error   { return p.err }
func (p permanent) Permanent() bool { return true }

// Permanent marks err as a refusal that no retry will change (a 4xx, a
// bad number): the message is dead at once. Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanent{err}
}

// IsPermanent reports whether err is a permanent refusal: marked by
// Permanent, ErrGone, or any error in its chain with a Permanent() bool
// method answering true (webhook.StatusError, webpush.StatusError,
// modem.CMSError).
func IsPermanent(err error) bool {
	return errors.Is(err, ErrGone) || saysPermanent(err)
}

// saysPermanent walks err's chain (joined errors included) for one whose
// Permanent method answers true.
func saysPermanent(err error) bool {
	if err == nil {
		return false
	}
	if p, ok := err.(interface{ Permanent() bool }); ok && p.Permanent() {
		return true
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		return saysPermanent(u.Unwrap())
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			if saysPermanent(e) {
				return true
			}
		}
	}
	return false
}

// The sender's defaults.
const (
	DefaultBatch   = 64
	DefaultWorkers = 8
	DefaultTimeout = 30 * time.Second
	DefaultLease   = 2 * time.Minute
	// MetricsEvery is how often Run logs the outbox's figures.
	MetricsEvery = time.Minute
)

// Sender delivers the outbox's messages. Store, Config, Channels and Now
// are required; the rest have defaults.
type Sender struct {
	Store notify.Store
	// Config gives the quiet hours, tries and backoff (its defaults are
	// filled by Config.Validate).
	Config notify.Config
	// Channels deliver by the subscription's channel; a message whose
	// channel is missing fails a try (the server may be restarted with
	// the channel configured).
	Channels map[notify.Channel]Channel
	// Now is the clock; RunOnce reads it once per round and again to
	// record each outcome.
	Now func() time.Time
	// Zone is an office's time zone, for the quiet hours (nil, or nil
	// answered: the machine's zone).
	Zone func(office string) *time.Location
	// BaseURL is the public address prefixed to the links of an SMS
	// ("https://luot.example.gov.vn", no trailing slash).
	BaseURL string
	// Log receives the dead letters, the failures and the figures (nil:
	// slog.Default()).
	Log *slog.Logger
	// Jitter returns a number in [0,1) for the backoff's jitter (nil: no
	// jitter).
	Jitter func() float64

	// Batch is the most messages claimed a round (DefaultBatch).
	Batch int
	// Workers is how many messages are delivered at once
	// (DefaultWorkers).
	Workers int
	// Timeout bounds one delivery (DefaultTimeout).
	Timeout time.Duration
	// Lease is how long a claimed message is the sender's; it must
	// exceed Timeout, or a slow delivery is claimed again (DefaultLease).
	Lease time.Duration

	jmu sync.Mutex // Jitter is called from the workers
}

// settings returns the sender's settings with their defaults, or an
// error saying what is missing.
func (s *Sender) settings() (cfg notify.Config, batch, workers int, timeout, lease time.Duration, err error) {
	if s.Store == nil || s.Now == nil {
		return cfg, 0, 0, 0, 0, errors.New("outbox: the sender needs a Store and a Now")
	}
	cfg = s.Config
	if err := cfg.Validate(); err != nil {
		return cfg, 0, 0, 0, 0, fmt.Errorf("outbox: %w", err)
	}
	batch, workers, timeout, lease = s.Batch, s.Workers, s.Timeout, s.Lease
	if batch <= 0 {
		batch = DefaultBatch
	}
	if workers <= 0 {
		workers = DefaultWorkers
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if lease <= 0 {
		lease = DefaultLease
	}
	if lease <= timeout {
		return cfg, 0, 0, 0, 0, fmt.Errorf("outbox: the lease (%s) must exceed the delivery timeout (%s), or a slow delivery is sent twice", lease, timeout)
	}
	return cfg, batch, workers, timeout, lease, nil
}

func (s *Sender) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

func (s *Sender) jitter() float64 {
	if s.Jitter == nil {
		return 0
	}
	s.jmu.Lock()
	defer s.jmu.Unlock()
	j := s.Jitter()
	if j < 0 || j >= 1 {
		return 0
	}
	return j
}

func (s *Sender) zone(office string) *time.Location {
	if s.Zone != nil {
		if loc := s.Zone(office); loc != nil {
			return loc
		}
	}
	return time.Local
}

// RunOnce claims the messages due now (up to Batch) and delivers them,
// Workers at a time, starting none that could end after its lease (a
// slow channel leaves the rest to the next claim after the lease). It
// returns how many the channels accepted; err is the first failure to
// claim or to record an outcome (a message whose outcome is not recorded
// is claimed again after its lease). A failed delivery is not an error
// of RunOnce: it is recorded on the message.
func (s *Sender) RunOnce(ctx context.Context) (delivered int, err error) {
	cfg, batch, workers, timeout, lease, err := s.settings()
	if err != nil {
		return 0, err
	}
	now := s.Now()
	msgs, err := s.Store.Claim(ctx, now, lease, batch)
	if err != nil {
		return 0, fmt.Errorf("outbox: claiming messages: %w", err)
	}
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
		next  = make(chan notify.Message)
	)
	for range min(workers, len(msgs)) {
		wg.Go(func() {
			for m := range next {
				// A delivery started now could end after the lease, when
				// another sender may have claimed the message: it waits
				// for the lease to end and is claimed again.
				if s.Now().Sub(now) > lease-timeout {
					continue
				}
				ok, err := s.deliver(ctx, cfg, now, timeout, m)
				mu.Lock()
				if ok {
					delivered++
				}
				if err != nil && first == nil {
					first = err
				}
				mu.Unlock()
			}
		})
	}
	for _, m := range msgs {
		if ctx.Err() != nil {
			break // the rest stay leased and are claimed again
		}
		next <- m
	}
	close(next)
	wg.Wait()
	if first == nil && ctx.Err() != nil && len(msgs) > 0 {
		first = ctx.Err()
	}
	return delivered, first
}

// deliver holds, renders and sends one message and records the outcome.
// ok is a delivery; err a failure to record.
func (s *Sender) deliver(ctx context.Context, cfg notify.Config, now time.Time, timeout time.Duration, m notify.Message) (ok bool, err error) {
	loc := s.zone(m.Notice.Item.Office)
	if until, held := cfg.Quiet(m.Notice.Kind, now, loc); held {
		if err := s.Store.Hold(ctx, m.ID, until); err != nil && !vanished(err) {
			return false, fmt.Errorf("outbox: holding message %d for the quiet hours: %w", m.ID, err)
		}
		return false, nil
	}
	var sendErr error
	ch := s.Channels[m.Sub.Channel]
	if ch == nil {
		sendErr = fmt.Errorf("outbox: no %q channel is configured (start the server with it, or the message dies after its tries)", m.Sub.Channel)
	} else {
		title, body := s.render(cfg, m, loc)
		sctx, cancel := context.WithTimeout(ctx, timeout)
		var refs []int
		if rc, ok := ch.(RefChannel); ok {
			refs, sendErr = rc.SendRefs(sctx, m, title, body)
		} else {
			sendErr = ch.Send(sctx, m, title, body)
		}
		cancel()
		if sendErr == nil && len(refs) > 0 {
			s.recordParts(ctx, m, refs)
		}
	}
	if sendErr == nil {
		if err := s.Store.MarkSent(ctx, m.ID, s.Now()); err != nil && !vanished(err) {
			return true, fmt.Errorf("outbox: recording message %d as sent: %w", m.ID, err)
		}
		return true, nil
	}
	if ctx.Err() != nil {
		// The sender is stopping, not the channel failing: no try is
		// counted, the lease brings the message back.
		return false, nil
	}
	reason := reasonOf(sendErr, m.Sub.Phone)
	at := s.Now()
	tries := m.Tries + 1
	gone := errors.Is(sendErr, ErrGone)
	dead := gone || IsPermanent(sendErr) || tries >= cfg.MaxTries
	retry := at.Add(cfg.Backoff(tries, s.jitter()))
	if dead {
		retry = time.Time{}
	}
	if err := s.Store.MarkFailed(ctx, m.ID, at, reason, retry, dead); err != nil && !vanished(err) {
		return false, fmt.Errorf("outbox: recording the failure of message %d: %w", m.ID, err)
	}
	// Dropping the subscription deletes its messages, this dead letter
	// too: after the failure is recorded, so a failed drop leaves it dead.
	if gone && m.Sub.ID != 0 {
		if err := s.Store.DropSubscription(ctx, m.Sub.ID); err != nil && !vanished(err) {
			return false, fmt.Errorf("outbox: dropping the gone subscription %d: %w", m.Sub.ID, err)
		}
	}
	// No phone, endpoint or text in the log: the message's id, kind and
	// channel say enough to find it.
	if dead {
		s.log().Warn("outbox: dead letter", "id", m.ID, "kind", m.Notice.Kind, "channel", m.Sub.Channel, "tries", tries, "reason", reason)
	} else {
		s.log().Info("outbox: delivery failed, retrying", "id", m.ID, "kind", m.Notice.Kind, "channel", m.Sub.Channel, "tries", tries, "retry", retry, "reason", reason)
	}
	return false, nil
}

// recordParts keeps the references of a sent message's parts for their
// delivery reports. A failure is logged, not a failed try: the message
// went, only its delivery will not be known.
func (s *Sender) recordParts(ctx context.Context, m notify.Message, refs []int) {
	ps, ok := s.Store.(PartsStore)
	if !ok {
		return
	}
	if err := ps.RecordSMSParts(ctx, m.ID, refs, s.Now()); err != nil && !vanished(err) {
		s.log().Warn("outbox: the SMS parts' references are not kept; their delivery reports will be ignored", "id", m.ID, "err", err)
	}
}

// vanished reports whether err says the message or subscription no
// longer exists: unsubscribed or erased while it was being delivered.
// Nothing is left to record.
func vanished(err error) bool { return errors.Is(err, queue.ErrNotFound) }

// render gives a message's title and body in its language, its days and
// hours in loc (the office's zone): the push texts, or for SMS the whole
// text with the item's link and the unsubscribe link.
func (s *Sender) render(cfg notify.Config, m notify.Message, loc *time.Location) (title, body string) {
	n := m.Notice.InZone(loc)
	lang := m.Sub.Lang
	if lang == "" {
		lang = m.Notice.Lang
	}
	if lang == "" {
		lang = "vi"
	}
	title, body = notify.Render(n, lang)
	if m.Sub.Channel == notify.SMS {
		link := m.Sub.Link
		if link == "" {
			link = n.Params["link"]
		}
		unsubscribe := ""
		if m.Sub.Token != "" {
			unsubscribe = s.abs("/u/" + m.Sub.Token)
		}
		body = notify.SMSText(n, lang, s.abs(link), unsubscribe, cfg.SMSUnaccented)
	}
	return title, body
}

// abs prefixes a site path with BaseURL; a full URL or "" is kept.
func (s *Sender) abs(link string) string {
	if strings.HasPrefix(link, "/") {
		return strings.TrimSuffix(s.BaseURL, "/") + link
	}
	return link
}

// maxReason bounds the error kept on a message.
const maxReason = 300

// reasonOf is the error kept on a message and logged: without the
// request's URL (a push endpoint is a secret of the subscriber) or the
// phone (a channel's error may name it; the log is no place for it),
// bounded.
func reasonOf(err error, phone string) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	r := err.Error()
	if p := strings.TrimPrefix(phone, "+"); len(p) >= 4 {
		masked := "…" + p[len(p)-3:]
		r = strings.ReplaceAll(r, phone, masked)
		r = strings.ReplaceAll(r, p, masked)
	}
	if len(r) > maxReason {
		r = r[:maxReason]
		for !utf8.ValidString(r) {
			r = r[:len(r)-1]
		}
	}
	return r
}

// Run delivers the outbox until ctx ends: a round every interval, at
// once again while rounds come back full, and the outbox's figures in
// the log every MetricsEvery.
func (s *Sender) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = time.Second
	}
	var lastMetrics time.Time
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		delivered, err := s.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			s.log().Error("outbox: a round failed", "err", err)
		}
		if s.Now != nil && s.Store != nil && ctx.Err() == nil {
			if now := s.Now(); now.Sub(lastMetrics) >= MetricsEvery {
				lastMetrics = now
				s.logMetrics(ctx, now)
			}
		}
		wait := every
		batch := s.Batch
		if batch <= 0 {
			batch = DefaultBatch
		}
		if err == nil && delivered >= batch {
			wait = 0 // more are waiting
		}
		t.Reset(wait)
	}
}

// logMetrics logs the outbox's figures.
func (s *Sender) logMetrics(ctx context.Context, now time.Time) {
	m, err := s.Store.OutboxMetrics(ctx, now)
	if err != nil {
		s.log().Error("outbox: counting the outbox", "err", err)
		return
	}
	s.log().Info("outbox", "queued", m.Queued, "sent", m.Sent, "dead", m.Dead, "oldest", m.Oldest.Round(time.Second))
}
