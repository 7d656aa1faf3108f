package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"luot/modem"
	"luot/server/engine"
	"luot/server/notify"
	"luot/server/queue"
)

// TestNotifyFlags: the notification flags give the outbox's
// configuration, and contradictory or malformed ones are refused with
// what to write instead.
func TestNotifyFlags(t *testing.T) {
	o, err := parseFlags(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := notify.Config{Near: 3, QuietFrom: "21:00", QuietTo: "07:00"}
	if got := o.notify.config(); got != want || o.notify.push || o.notify.sms() {
		t.Errorf("defaults: %+v (push %v, sms %v); want %+v, no push, no SMS", got, o.notify.push, o.notify.sms(), want)
	}
	o, err = parseFlags([]string{"-push", "-public-url", "https://mot-cua.example.gov.vn", "-sms-modem", "/dev/ttyUSB0", "-notify-near", "5", "-quiet-hours", "22:30-06:15", "-sms-unaccented"})
	if err != nil {
		t.Fatal(err)
	}
	want = notify.Config{Near: 5, QuietFrom: "22:30", QuietTo: "06:15", SMSUnaccented: true}
	if got := o.notify.config(); got != want || !o.notify.push || !o.notify.sms() {
		t.Errorf("given: %+v; want %+v with push and SMS", got, want)
	}
	if o, err = parseFlags([]string{"-quiet-hours", "off"}); err != nil || o.notify.config().QuietFrom != o.notify.config().QuietTo {
		t.Errorf("-quiet-hours off: %+v, %v; want equal bounds (none)", o, err)
	}
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"-sms-modem", "/dev/ttyUSB0", "-sms-webhook", "https://sms.example/x", "-sms-webhook-secret-file", "s"}, "choose the modem or the gateway"},
		{[]string{"-sms-webhook", "https://sms.example/x"}, "needs -sms-webhook-secret-file"},
		{[]string{"-sms-webhook-secret-file", "s"}, "only with -sms-webhook"},
		{[]string{"-sms-webhook", "ftp://sms.example/x", "-sms-webhook-secret-file", "s"}, "the gateway's address"},
		{[]string{"-sms-modem", "/dev/ttyUSB0", "-sms-modem-baud", "0"}, "the modem's speed"},
		{[]string{"-notify-near", "0"}, "at least 1"},
		{[]string{"-sms-unaccented"}, "needs an SMS route"},
		{[]string{"-phone-codes"}, "needs an SMS route"},
		{[]string{"-push-subject", "it@example.gov.vn"}, "mailto:"},
		{[]string{"-push"}, "-push-subject mailto:"},
		{[]string{"-push", "-public-url", "http://10.0.0.2:8080"}, "-push-subject mailto:"},
		{[]string{"-quiet-hours", "21-07"}, "like 21:00-07:00"},
		{[]string{"-quiet-hours", "25:00-07:00"}, "like 21:00-07:00"},
		{[]string{"-quiet-hours", "21:00"}, "like 21:00-07:00"},
		{[]string{"-quiet-hours", "07:00-07:00"}, "write off for none"},
	} {
		if _, err := parseFlags(c.args); err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%q: %v; want an error saying %q", c.args, err, c.says)
		}
	}
}

// officesTold stands for the engine in TestModemTellsEachOffice: it runs
// each command on a state of its own, fails each office in fail as many
// times as it says, and records the device.status events each office got.
type officesTold struct {
	ids  []string
	fail map[string]int
	got  map[string][]queue.DeviceData
}

func (o *officesTold) OfficeIDs() []string { return o.ids }

func (o *officesTold) Do(ctx context.Context, office string, cmd engine.Command) (*queue.Change, error) {
	if o.fail[office] > 0 {
		o.fail[office]--
		return nil, errors.New("office moving")
	}
	c, err := cmd(queue.NewState(queue.Office{ID: office}, "2026-12-03"), time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC))
	if err != nil {
		return nil, err
	}
	for _, e := range c.Events {
		d, ok := e.Data.(queue.DeviceData)
		if e.Type != queue.EventDeviceStatus || !ok {
			return nil, fmt.Errorf("event %s %+v", e.Type, e.Data)
		}
		o.got[office] = append(o.got[office], d)
	}
	return c, nil
}

// TestModemTellsEachOffice: the modem's status is told once to each
// office; an office that could not be told, or that came later, is told
// at the next reading, and the others are not told again.
func TestModemTellsEachOffice(t *testing.T) {
	var logged strings.Builder
	l := &modemLine{log: slog.New(slog.NewTextHandler(&logged, nil))}
	o := &officesTold{ids: []string{"a", "b"}, fail: map[string]int{"b": 2}, got: map[string][]queue.DeviceData{}}
	ok, fault := modem.Status{State: "ok"}, modem.Status{State: "fault", Message: "no SIM"}
	counts := func() string { return fmt.Sprintf("a%d b%d c%d", len(o.got["a"]), len(o.got["b"]), len(o.got["c"])) }
	for i, step := range []struct {
		st   modem.Status
		ids  []string
		want string
	}{
		{ok, []string{"a", "b"}, "a1 b0 c0"},      // b cannot be told
		{ok, []string{"a", "b"}, "a1 b0 c0"},      // nor now (logged once)
		{ok, []string{"a", "b"}, "a1 b1 c0"},      // b is told at the next reading, a not again
		{ok, []string{"a", "b"}, "a1 b1 c0"},      // nothing new
		{ok, []string{"a", "b", "c"}, "a1 b1 c1"}, // a new office is told
		{fault, []string{"a", "b", "c"}, "a2 b2 c2"},
		{fault, []string{"a", "b", "c"}, "a2 b2 c2"},
	} {
		o.ids = step.ids
		l.tell(context.Background(), o, step.st)
		if got := counts(); got != step.want {
			t.Fatalf("reading %d (%s): told %s, want %s", i+1, step.st.State, got, step.want)
		}
		if l.up() != step.st.OK() {
			t.Errorf("reading %d: up() = %v for %q", i+1, l.up(), step.st.State)
		}
	}
	if n := strings.Count(logged.String(), "telling an office the GSM modem's status failed"); n != 1 {
		t.Errorf("the failure was logged %d times, want once:\n%s", n, logged.String())
	}
	if d := o.got["c"][1]; d.Device != "modem" || d.Status != "fault" || d.Message != "no SIM" {
		t.Errorf("the fault told: %+v", d)
	}
}
