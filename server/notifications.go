package main

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"strings"
	"time"

	"luot/server/notify"
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
}

func (n *notifyFlags) define(fs *flag.FlagSet) {
	fs.BoolVar(&n.push, "push", false, "send web push notifications to citizens who ask for them (VAPID keys are made once and kept in the data folder)")
	fs.StringVar(&n.pushSubject, "push-subject", "", "contact the push services are given with each push (mailto:… or https://…; default: -public-url)")
	fs.StringVar(&n.smsModem, "sms-modem", "", "send SMS through the GSM modem on this serial port (e.g. /dev/ttyUSB0)")
	fs.IntVar(&n.smsBaud, "sms-modem-baud", 115200, "speed of the GSM modem's serial port")
	fs.StringVar(&n.smsWebhook, "sms-webhook", "", "send SMS through the province's SMS or Zalo gateway at this URL (JSON signed with HMAC-SHA256; needs -sms-webhook-secret-file)")
	fs.StringVar(&n.smsWebhookSecretFile, "sms-webhook-secret-file", "", "file holding the shared secret that signs the requests of -sms-webhook (at least 16 characters)")
	fs.IntVar(&n.near, "notify-near", 3, "tell a citizen who follows a ticket when this many people are ahead")
	fs.StringVar(&n.quietHours, "quiet-hours", "21:00-07:00", "hold every notification but \"you are called\" and phone codes between these times of the office's day (HH:MM-HH:MM, or off)")
	fs.BoolVar(&n.smsUnaccented, "sms-unaccented", false, "send SMS as unaccented Vietnamese (GSM-7, 160 characters a part) instead of with accents (UCS-2, 70 a part)")
}

// sms reports whether an SMS route is configured.
func (n *notifyFlags) sms() bool { return n.smsModem != "" || n.smsWebhook != "" }

// check refuses contradictory or malformed notification flags.
func (n *notifyFlags) check() error {
	switch {
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
