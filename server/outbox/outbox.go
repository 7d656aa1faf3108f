// Package outbox is the notifications' sender: it claims the due
// messages of the outbox (notify.Store), holds them through quiet hours,
// renders them, delivers each through its channel (web push, SMS by the
// modem or the province's gateway), and records the outcome — sent,
// retried after a backoff, or dead (docs/notify.md).
package outbox

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"luot/server/notify"
)

// Channel delivers one rendered message. An error is a failed try: the
// message is retried after a backoff unless the error is permanent
// (IsPermanent) or the subscription is gone (ErrGone).
type Channel interface {
	Send(ctx context.Context, m notify.Message, title, body string) error
}

// ErrGone says the subscription no longer exists at the channel (a push
// endpoint answering 404 or 410): the message is dead and the
// subscription dropped.
var ErrGone = errors.New("outbox: the subscription is gone")

// Permanent marks err as a refusal that no retry will change (a 4xx).
func Permanent(err error) error {
	panic("not implemented")
}

// IsPermanent reports whether err is a permanent refusal.
func IsPermanent(err error) bool {
	panic("not implemented")
}

// Sender delivers the outbox's messages.
type Sender struct {
	Store    notify.Store
	Config   notify.Config
	Channels map[notify.Channel]Channel
	Now      func() time.Time
	Zone     func(office string) *time.Location
	BaseURL  string
	Log      *slog.Logger
	Jitter   func() float64
}

// RunOnce claims the due messages and delivers them.
func (s *Sender) RunOnce(ctx context.Context) (delivered int, err error) {
	panic("not implemented")
}

// Run calls RunOnce every interval until ctx ends.
func (s *Sender) Run(ctx context.Context, every time.Duration) {
	panic("not implemented")
}
