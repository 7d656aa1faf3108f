package main

import (
	"strings"
	"testing"

	"luot/server/notify"
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
