package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"luot/modem"
	"luot/server/api"
	"luot/server/engine"
	"luot/server/notify"
	"luot/server/notifyjobs"
	"luot/server/outbox"
	"luot/server/queue"
	"luot/server/store"
	"luot/server/webhook"
	"luot/server/webpush"
)

// notifyFlags are the notifications' flags (docs/notify.md): web push,
// the SMS route (a GSM modem or the province's gateway), and the rules
// of the outbox.
type notifyFlags struct {
	push                 bool
	pushSubject          string
	smsModem             string
	smsBaud              int
	smsWebhook           string
	smsWebhookSecretFile string
	near                 int
	quietHours           string
	smsUnaccented        bool
	phoneCodes           bool
}

func (n *notifyFlags) define(fs *flag.FlagSet) {
	fs.BoolVar(&n.push, "push", false, "send web push notifications to citizens who ask for them (VAPID keys are made once and kept in the data folder)")
	fs.StringVar(&n.pushSubject, "push-subject", "", "contact the push services are given with each push (mailto:… or https://…; default: -public-url when it is https)")
	fs.StringVar(&n.smsModem, "sms-modem", "", "send SMS through the GSM modem on this serial port (e.g. /dev/ttyUSB0)")
	fs.IntVar(&n.smsBaud, "sms-modem-baud", 115200, "speed of the GSM modem's serial port")
	fs.StringVar(&n.smsWebhook, "sms-webhook", "", "send SMS through the province's SMS or Zalo gateway at this URL (JSON signed with HMAC-SHA256; needs -sms-webhook-secret-file)")
	fs.StringVar(&n.smsWebhookSecretFile, "sms-webhook-secret-file", "", "file holding the shared secret that signs the requests of -sms-webhook (at least 16 characters)")
	fs.IntVar(&n.near, "notify-near", 3, "tell a citizen who follows a ticket when this many people are ahead")
	fs.StringVar(&n.quietHours, "quiet-hours", "21:00-07:00", "hold every notification but \"you are called\", phone codes and \"send my link again\" between these times of the office's day (HH:MM-HH:MM, or off)")
	fs.BoolVar(&n.phoneCodes, "phone-codes", false, "online numbers need a code texted to their phone: the take-a-number page asks for it (needs an SMS route; each number then costs an SMS)")
	fs.BoolVar(&n.smsUnaccented, "sms-unaccented", false, "send SMS as unaccented Vietnamese (GSM-7, 160 characters a part) instead of with accents (UCS-2, 70 a part)")
}

// sms reports whether an SMS route is configured.
func (n *notifyFlags) sms() bool { return n.smsModem != "" || n.smsWebhook != "" }

// check refuses contradictory or malformed notification flags;
// publicURL is -public-url, the push services' default contact.
func (n *notifyFlags) check(publicURL string) error {
	switch {
	case n.push && n.pushSubject == "" && !strings.HasPrefix(publicURL, "https://"):
		return errors.New("-push needs a contact for the push services, which refuse others than mailto: and https: — give -push-subject mailto:it@… (or an https -public-url)")
	case n.smsModem != "" && n.smsWebhook != "":
		return errors.New("-sms-modem and -sms-webhook both given: SMS goes one way, choose the modem or the gateway")
	case n.smsWebhook != "" && n.smsWebhookSecretFile == "":
		return errors.New("-sms-webhook needs -sms-webhook-secret-file, the file that holds the secret the gateway checks signatures with")
	case n.smsWebhook == "" && n.smsWebhookSecretFile != "":
		return errors.New("-sms-webhook-secret-file is used only with -sms-webhook")
	case n.smsBaud <= 0:
		return fmt.Errorf("-sms-modem-baud %d: use the modem's speed, such as 115200", n.smsBaud)
	case n.near < 1:
		return fmt.Errorf("-notify-near %d: use a number of people ahead of at least 1", n.near)
	case n.smsUnaccented && !n.sms():
		return errors.New("-sms-unaccented needs an SMS route: -sms-modem or -sms-webhook")
	case n.phoneCodes && !n.sms():
		return errors.New("-phone-codes needs an SMS route to send the codes: -sms-modem or -sms-webhook")
	}
	if n.smsWebhook != "" {
		u, err := url.Parse(n.smsWebhook)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("-sms-webhook %q: write the gateway's address, like https://sms.example.gov.vn/luot", n.smsWebhook)
		}
	}
	if n.pushSubject != "" {
		u, err := url.Parse(n.pushSubject)
		if err != nil || (u.Scheme != "mailto" && u.Scheme != "https") || (u.Scheme == "https" && u.Host == "") || (u.Scheme == "mailto" && u.Opaque == "") {
			return fmt.Errorf("-push-subject %q: write a contact, like mailto:it@example.gov.vn or https://mot-cua.example.gov.vn", n.pushSubject)
		}
	}
	if _, _, err := parseQuietHours(n.quietHours); err != nil {
		return err
	}
	return nil
}

// config is the outbox's configuration the flags give (the rest of
// notify.Config keeps its defaults).
func (n *notifyFlags) config() notify.Config {
	from, to, _ := parseQuietHours(n.quietHours)
	return notify.Config{Near: n.near, QuietFrom: from, QuietTo: to, SMSUnaccented: n.smsUnaccented}
}

// parseQuietHours reads -quiet-hours: "21:00-07:00", or "off" (from and
// to equal: no quiet hours).
func parseQuietHours(s string) (from, to string, err error) {
	if strings.EqualFold(strings.TrimSpace(s), "off") {
		return "00:00", "00:00", nil
	}
	from, to, ok := strings.Cut(strings.TrimSpace(s), "-")
	_, errFrom := time.Parse("15:04", from)
	_, errTo := time.Parse("15:04", to)
	if !ok || errFrom != nil || errTo != nil || len(from) != 5 || len(to) != 5 {
		return "", "", fmt.Errorf("-quiet-hours %q: write two times of day, like 21:00-07:00, or off", s)
	}
	if from == to {
		return "", "", fmt.Errorf("-quiet-hours %q: the quiet hours start and end at the same time; write off for none", s)
	}
	return from, to, nil
}

// notifier is the notifications' running parts, made from the flags.
type notifier struct {
	cfg  notify.Config
	push *webpush.Client // nil without -push
	// modem is the GSM modem of -sms-modem (nil otherwise); webhook the
	// province's gateway of -sms-webhook (nil otherwise).
	modem      *modemLine
	webhook    *webhook.Client
	sender     *outbox.Sender
	phoneCodes bool
	log        *slog.Logger
	running    sync.WaitGroup // the goroutines of run
}

// setupNotifications reads the notification flags' files (VAPID keys,
// the gateway's secret) and makes the outbox's sender with cfg, the
// validated configuration the engine was given. Without a channel (no
// -push, no SMS route) the sender is nil: no subscription can be made, no
// code sent, and the outbox stays empty.
func setupNotifications(o *options, cfg notify.Config, db *store.DB, eng *engine.Engine, public string, log *slog.Logger) (*notifier, error) {
	n := &notifier{cfg: cfg, phoneCodes: o.notify.phoneCodes, log: log}
	channels := map[notify.Channel]outbox.Channel{}
	if o.notify.push {
		keys, err := webpush.LoadOrCreateKeys(o.data)
		if err != nil {
			return nil, fmt.Errorf("web push keys: %w", err)
		}
		subject := o.notify.pushSubject
		if subject == "" {
			subject = public // https: parseFlags checked
		}
		if !strings.HasPrefix(public, "https://") {
			log.Warn("web push: browsers on phones subscribe only on an https page: set -public-url https://… (http works on this machine only)", "links", public)
		}
		n.push = &webpush.Client{Keys: keys, Subject: subject}
		channels[notify.Push] = outbox.PushChannel{Client: n.push}
	}
	switch {
	case o.notify.smsWebhook != "":
		b, err := os.ReadFile(o.notify.smsWebhookSecretFile)
		if err != nil {
			return nil, fmt.Errorf("read the SMS gateway's secret: %w", err)
		}
		secret := strings.TrimSpace(string(b))
		if len(secret) < minWebhookSecret {
			return nil, fmt.Errorf("the SMS gateway's secret in %s must have at least %d characters", o.notify.smsWebhookSecretFile, minWebhookSecret)
		}
		n.webhook = &webhook.Client{URL: o.notify.smsWebhook, Secret: []byte(secret)}
		channels[notify.SMS] = outbox.WebhookChannel{Client: n.webhook}
	case o.notify.smsModem != "":
		n.modem = &modemLine{cfg: modem.Config{Port: o.notify.smsModem, Baud: o.notify.smsBaud}, gsm7: n.cfg.SMSUnaccented, log: log,
			reports: &outbox.Reports{Store: db, Now: time.Now, Log: log}}
		channels[notify.SMS] = outbox.SMSChannel{SenderRefs: n.modem.send}
	}
	if len(channels) == 0 {
		return n, nil
	}
	n.sender = &outbox.Sender{
		Store: db, Config: n.cfg, Channels: channels, Now: time.Now, BaseURL: public, Log: log,
		Zone:   func(office string) *time.Location { return officeZone(eng, office) },
		Jitter: rand.Float64,
	}
	return n, nil
}

// sms reports whether an SMS route delivers the outbox's SMS.
func (n *notifier) sms() bool { return n.modem != nil || n.webhook != nil }

// phoneVerifier is the remote numbers' code sender with -phone-codes
// (which needs SMS); nil (no codes asked) otherwise. It is not on with
// every SMS route: each online number then costs an SMS and a step for
// the citizen, which an office chooses when invented phones are a
// problem.
func (n *notifier) phoneVerifier(db *store.DB) api.PhoneVerifier {
	if !n.phoneCodes || !n.sms() {
		return nil
	}
	return &notifyjobs.PhoneCodes{Store: db, Now: time.Now}
}

// pushKey is the VAPID application server key ("" without web push).
func (n *notifier) pushKey() string {
	if n.push == nil {
		return ""
	}
	return n.push.Keys.PublicKey()
}

// senderEvery is how often the sender looks for due messages when the
// outbox is idle.
const senderEvery = time.Second

// run runs the notifications' background work until ctx ends: the
// sender, the booking reminders each minute, and the modem (opened, its
// health told to the offices as device.status, its delivery reports
// logged).
func (n *notifier) run(ctx context.Context, db *store.DB, eng *engine.Engine) {
	if n.sender == nil {
		return
	}
	if n.modem != nil {
		n.running.Go(func() { n.modem.run(ctx, eng) })
	}
	n.running.Go(func() { n.sender.Run(ctx, senderEvery) })
	n.running.Go(func() {
		t := time.NewTicker(time.Minute)
		defer t.Stop()
		for {
			if err := notifyjobs.Reminders(ctx, eng, db, time.Now()); err != nil && ctx.Err() == nil {
				n.log.Error("the booking reminders failed; will retry in a minute", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	})
}

// wait waits, until ctx ends, for run's goroutines to end after run's
// context ended: a delivery in progress finishes (or gives up) before the
// store is closed under it.
func (n *notifier) wait(ctx context.Context) {
	done := make(chan struct{})
	go func() { n.running.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		n.log.Warn("stopping without waiting for the notifications' sender any longer; a message it was delivering is sent again after restart")
	}
}

// minWebhookSecret is the shortest secret accepted for the gateway's
// signatures: a guessable one would let anyone forge them.
const minWebhookSecret = 16

// officeZone is an office's time zone (quiet hours); the default zone
// for an office the engine does not know.
func officeZone(eng *engine.Engine, office string) *time.Location {
	if v, err := eng.View(office); err == nil {
		return v.Office.Location()
	}
	loc, err := time.LoadLocation(queue.DefaultTimezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// modemLine is the GSM modem of -sms-modem: opened at start and opened
// again whenever it cannot be (unplugged, not yet powered), so that a
// modem fault never stops the server; its health goes to every office as
// a device.status of the device "modem".
type modemLine struct {
	cfg  modem.Config
	gsm7 bool
	log  *slog.Logger
	// reports records the modem's delivery reports on the outbox.
	reports *outbox.Reports

	mu     sync.Mutex
	m      *modem.Modem // nil while it cannot be opened
	err    error        // why it cannot be opened
	status modem.Status // the last status read

	// told is the last status each office was told (run's goroutine
	// only): an office that could not be told, or that came later, is
	// told at the next reading.
	told map[string]modem.Status
	// failing is the error last logged for each office that could not be
	// told.
	failing map[string]string
}

// up reports whether the modem's last status read was ok.
func (l *modemLine) up() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.status.OK()
}

// modemRetry is how long an unopenable modem waits before the next try,
// and modemPoll how often its health is read.
const (
	modemRetry = 30 * time.Second
	modemPoll  = 5 * time.Second
)

// errModemAbsent is a temporary failure: the message is tried again after
// its backoff.
var errModemAbsent = errors.New("the GSM modem is not connected: check its cable and power (the server opens it again by itself)")

// send sends one SMS and returns its parts' references, which their
// delivery reports name.
func (l *modemLine) send(ctx context.Context, phone, text string) ([]int, error) {
	l.mu.Lock()
	m := l.m
	l.mu.Unlock()
	if m == nil {
		return nil, errModemAbsent
	}
	return m.Send(ctx, phone, text, l.gsm7)
}

// offices is what the modem's health is told to: the engine.
type offices interface {
	OfficeIDs() []string
	Do(ctx context.Context, office string, cmd engine.Command) (*queue.Change, error)
}

// tell records the modem's status read now and tells it, as a
// device.status of the device "modem", to each office that was not told
// it yet: the change, or an office that could not be told before or came
// since.
func (l *modemLine) tell(ctx context.Context, to offices, st modem.Status) {
	l.mu.Lock()
	changed := st.State != l.status.State || st.Message != l.status.Message
	l.status = st
	l.mu.Unlock()
	if changed {
		l.log.Info("GSM modem status", "status", st.State, "message", st.Message, "resets", st.Resets)
	}
	if l.told == nil {
		l.told, l.failing = map[string]modem.Status{}, map[string]string{}
	}
	data := queue.DeviceData{Device: "modem", Kind: "modem", Status: st.State, Message: st.Message}
	for _, office := range to.OfficeIDs() {
		if t, ok := l.told[office]; ok && t.State == st.State && t.Message == st.Message {
			continue
		}
		if _, err := to.Do(ctx, office, func(s *queue.State, now time.Time) (*queue.Change, error) {
			return s.Note(now, queue.EventDeviceStatus, data), nil
		}); err != nil {
			// Logged once for each office and error, not at every reading
			// (in a cluster the offices another process owns refuse it
			// with engine.ErrNotOwner until this process owns them).
			if ctx.Err() == nil && l.failing[office] != err.Error() {
				l.log.Error("telling an office the GSM modem's status failed; told again at the next reading", "office", office, "err", err)
				l.failing[office] = err.Error()
			}
			continue
		}
		delete(l.failing, office)
		l.told[office] = st
	}
}

// run opens the modem (again after modemRetry while it cannot), then
// follows its health and delivery reports until ctx ends, when it closes
// it.
func (l *modemLine) run(ctx context.Context, eng *engine.Engine) {
	tell := func(st modem.Status) { l.tell(ctx, eng, st) }
	defer func() {
		l.mu.Lock()
		if l.m != nil {
			l.m.Close()
			l.m = nil
		}
		l.mu.Unlock()
	}()
	for ctx.Err() == nil {
		m, err := modem.Open(l.cfg)
		if err != nil {
			if l.err == nil || l.err.Error() != err.Error() {
				l.log.Error("the GSM modem cannot be opened; SMS wait in the outbox and the server tries again", "port", l.cfg.Port, "err", err, "every", modemRetry.String())
			}
			l.err = err
			tell(modem.Status{State: "fault", Message: "Không mở được modem GSM / The GSM modem cannot be opened: " + err.Error()})
			select {
			case <-ctx.Done():
				return
			case <-time.After(modemRetry):
			}
			continue
		}
		l.err = nil
		l.mu.Lock()
		l.m = m
		l.mu.Unlock()
		l.log.Info("GSM modem opened", "port", l.cfg.Port)
		l.follow(ctx, m, tell)
		return
	}
}

// follow reads the open modem's health every modemPoll, and records its
// delivery reports on the outbox, until ctx ends.
func (l *modemLine) follow(ctx context.Context, m *modem.Modem, tell func(modem.Status)) {
	var wg sync.WaitGroup
	defer wg.Wait()
	if l.reports != nil {
		wg.Go(func() { l.reports.Follow(ctx, m.Reports()) })
	}
	t := time.NewTicker(modemPoll)
	defer t.Stop()
	tell(m.Status())
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			tell(m.Status())
		}
	}
}

// registry is the metrics' registry of /metrics: the process's, the
// API's (registered by api.New, the outbox's figures among them) and,
// with a modem, its health (modemCollector).
func (n *notifier) registry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if n.modem != nil {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "luot_sms_modem_up",
			Help: "1 when the GSM modem of -sms-modem works, 0 when it is at fault or cannot be opened.",
		}, func() float64 {
			if n.modem.up() {
				return 1
			}
			return 0
		}))
	}
	return reg
}
