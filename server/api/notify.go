package api

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"luot/server/auth"
	"luot/server/notify"
	"luot/server/queue"
)

// Notifications (docs/notify.md, "HTTP"):
//
//	GET  /api/v1/push/key                   anyone: {public_key} (404 when web push is off)
//	POST /api/v1/subscriptions              the item's holder (its page's secret), rate-limited: → 201 {id, unsubscribe}
//	POST /api/v1/offices/{office}/link-again public, rate-limited, when SMS is on: {phone, lang} → 202
//	GET  /api/v1/outbox/metrics             admin: {queued, sent, dead, delivered, undelivered, oldest_seconds}
//
// A subscription is an opt-in for one item — a ticket, a booking, a
// dossier or a report — proved by the secret its page holds (the ticket's
// or booking's token, the dossier's or report's k): a wrong secret is
// answered like an unknown item. The unsubscribe page /u/{token} is the
// web package's.
func (s *Server) notifyRoutes() {
	const p = "/api/v1"
	m := s.mux
	m.HandleFunc("GET "+p+"/push/key", s.pushKey)
	m.HandleFunc("POST "+p+"/subscriptions", s.subscribe)
	m.HandleFunc("POST "+p+"/offices/{office}/link-again", s.linkAgain)
	m.HandleFunc("GET "+p+"/outbox/metrics", s.outboxMetrics)
}

var (
	errNotifyOff = newError(http.StatusNotFound, "notifications_off", "this server sends no notifications")
	errPushOff   = newError(http.StatusNotFound, "push_off", "this server sends no web push notifications: choose SMS, or keep the page open")
	errSMSOff    = newError(http.StatusNotFound, "sms_off", "this server sends no SMS: choose the browser's notifications, or keep the page open")
	errNoItem    = newError(http.StatusNotFound, "unknown_item", "nothing to follow matches this item and secret: open the page from its link or QR code and subscribe there")
	errItemEnded = newError(http.StatusConflict, "item_ended", "this item is over: there is nothing more to be told about it")
)

// pushKey answers the VAPID application server key that browsers
// subscribe with.
func (s *Server) pushKey(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Notify == nil || s.cfg.PushKey == "" {
		s.fail(w, r, errPushOff)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"public_key": s.cfg.PushKey})
}

// SubscribeBody is the body of POST /subscriptions.
type SubscribeBody struct {
	Item notify.Item `json:"item"`
	// Secret is what the item's page holds: a ticket's or booking's
	// token, a dossier's or report's k.
	Secret  string         `json:"secret"`
	Channel notify.Channel `json:"channel"`
	// Lang is the messages' language, "vi" (the default) or "en".
	Lang string `json:"lang"`
	// Push is the browser's PushSubscription.toJSON(), for channel push.
	Push *PushSubscriptionBody `json:"push,omitempty"`
	// Phone is the phone for channel sms.
	Phone string `json:"phone,omitempty"`
}

// PushSubscriptionBody is a browser's PushSubscription.toJSON().
type PushSubscriptionBody struct {
	Endpoint       string `json:"endpoint"`
	ExpirationTime *int64 `json:"expirationTime"`
	Keys           struct {
		P256DH string `json:"p256dh"`
		Auth   string `json:"auth"`
	} `json:"keys"`
}

// MaxEndpoint is the longest push endpoint accepted (push services use
// a few hundred characters).
const MaxEndpoint = 1024

func decodeSubscribe(data []byte) (SubscribeBody, error) {
	var b SubscribeBody
	if err := decodeStrict(data, &b); err != nil {
		return SubscribeBody{}, err
	}
	switch b.Item.Type {
	case notify.ItemTicket, notify.ItemBooking, notify.ItemDossier, notify.ItemReport:
	default:
		return SubscribeBody{}, badRequest("invalid_item", "item.type must be ticket, booking, dossier or report")
	}
	if b.Item.ID == "" || len(b.Item.ID) > 64 || !printableASCII(b.Item.ID) {
		return SubscribeBody{}, badRequest("invalid_item", "item.id must be the item's id or code: 1 to 64 printable ASCII characters")
	}
	if len(b.Item.Office) > 64 || !printableASCII(b.Item.Office) {
		return SubscribeBody{}, badRequest("invalid_item", "item.office must be an office id")
	}
	if b.Secret == "" || len(b.Secret) > 128 || !printableASCII(b.Secret) {
		return SubscribeBody{}, newError(http.StatusUnauthorized, "secret_required", "secret is required: the token or k of the item's link, as its page holds it")
	}
	switch b.Lang {
	case "":
		b.Lang = "vi"
	case "vi", "en":
	default:
		return SubscribeBody{}, badRequest("invalid_lang", "lang must be vi or en")
	}
	switch b.Channel {
	case notify.Push:
		if b.Phone != "" || b.Push == nil {
			return SubscribeBody{}, badRequest("invalid_push", "a push subscription sends push (the browser's PushSubscription) and no phone")
		}
		if err := checkEndpoint(b.Push.Endpoint); err != nil {
			return SubscribeBody{}, err
		}
		if k, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(b.Push.Keys.P256DH, "=")); err != nil || len(k) != 65 || k[0] != 4 {
			return SubscribeBody{}, badRequest("invalid_push", "push.keys.p256dh must be the browser's P-256 public key (65 bytes, base64url)")
		}
		if k, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(b.Push.Keys.Auth, "=")); err != nil || len(k) != 16 {
			return SubscribeBody{}, badRequest("invalid_push", "push.keys.auth must be the browser's 16-byte auth secret (base64url)")
		}
	case notify.SMS:
		if b.Push != nil {
			return SubscribeBody{}, badRequest("invalid_phone", "an SMS subscription sends a phone and no push")
		}
		var err error
		if b.Phone, err = phoneOf(b.Phone); err != nil {
			return SubscribeBody{}, err
		}
	default:
		return SubscribeBody{}, badRequest("invalid_channel", "channel must be push or sms")
	}
	return b, nil
}

// checkEndpoint accepts https push endpoints, and http ones only on a
// loopback host (a local push service in tests and demos): a plain-http
// endpoint elsewhere would carry the VAPID token in clear.
func checkEndpoint(e string) error {
	bad := badRequest("invalid_push", "push.endpoint must be the https URL of the browser's push service")
	if e == "" || len(e) > MaxEndpoint {
		return bad
	}
	u, err := url.Parse(e)
	if err != nil || u.Host == "" || u.User != nil {
		return bad
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if host == "localhost" {
			return nil
		}
		if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
			return nil
		}
	}
	return bad
}

// subscribe stores an opt-in for an item whose secret the caller holds.
func (s *Server) subscribe(w http.ResponseWriter, r *http.Request) {
	st := s.cfg.Notify
	if st == nil {
		s.fail(w, r, errNotifyOff)
		return
	}
	if s.citizen.limited(w, r) {
		return
	}
	b, ok := decodeBody(w, r, s, decodeSubscribe)
	if !ok {
		return
	}
	if b.Channel == notify.Push && s.cfg.PushKey == "" {
		s.fail(w, r, errPushOff)
		return
	}
	if b.Channel == notify.SMS {
		if !s.cfg.SMS {
			s.fail(w, r, errSMSOff)
			return
		}
		if s.citizen.phoneLimited(w, r, b.Phone) {
			return
		}
	}
	item, link, err := s.followed(r, b.Item, b.Secret)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if full, err := s.itemFull(r.Context(), item, b); err != nil || full {
		if err == nil {
			err = newError(http.StatusConflict, "too_many_subscriptions",
				"this item has {max} subscriptions already: stop one with its link (/u/…) before adding another", "max", MaxSubscriptionsPerItem)
		}
		s.fail(w, r, err)
		return
	}
	sub := notify.Subscription{Item: item, Channel: b.Channel, Lang: b.Lang, Phone: b.Phone, Link: link, Created: s.now()}
	if b.Push != nil {
		sub.Endpoint, sub.P256DH, sub.Auth = b.Push.Endpoint, b.Push.Keys.P256DH, b.Push.Keys.Auth
	}
	sub, err = st.Subscribe(r.Context(), sub)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if item.Type == notify.ItemTicket {
		// The engine's watched set: its "near" notices look at it.
		s.eng.Watch(item.Office, item.ID)
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": sub.ID, "unsubscribe": s.public + "/u/" + url.PathEscape(sub.Token)})
}

// MaxSubscriptionsPerItem caps the browsers and phones told of one
// item: whoever holds its link may subscribe, and each subscription is a
// message sent (an SMS someone pays for).
const MaxSubscriptionsPerItem = 10

// itemFull reports whether item has MaxSubscriptionsPerItem
// subscriptions and b is none of them (the same browser or phone again
// only updates its own).
func (s *Server) itemFull(ctx context.Context, item notify.Item, b SubscribeBody) (bool, error) {
	subs, err := s.cfg.Notify.Subscriptions(ctx, item)
	if err != nil || len(subs) < MaxSubscriptionsPerItem {
		return false, err
	}
	for _, x := range subs {
		if x.Channel == b.Channel && (b.Push != nil && x.Endpoint == b.Push.Endpoint || b.Push == nil && x.Phone == b.Phone) {
			return false, nil
		}
	}
	return true, nil
}

// followed checks that secret opens the item, and returns the item with
// its office and the item's page link (with the secret) that messages
// carry. A wrong secret is answered like an unknown item.
func (s *Server) followed(r *http.Request, it notify.Item, secret string) (notify.Item, string, error) {
	ctx := r.Context()
	same := func(office string) bool { return it.Office == "" || it.Office == office }
	switch it.Type {
	case notify.ItemTicket:
		t, _, err := s.eng.FindTicket(ctx, it.ID)
		if err != nil && !errors.Is(err, queue.ErrNotFound) {
			return it, "", err
		}
		if t == nil || !same(t.Office) || subtle.ConstantTimeCompare([]byte(t.Token), []byte(secret)) != 1 {
			return it, "", errNoItem
		}
		if t.Status.Final() {
			return it, "", errItemEnded
		}
		it.Office = t.Office
		return it, s.public + "/t/" + url.PathEscape(t.ID) + "?token=" + url.QueryEscape(secret), nil
	case notify.ItemBooking:
		code, err := bookingCode(it.ID)
		if err != nil {
			return it, "", errNoItem
		}
		bk, _, err := s.citizen.findBooking(r, code)
		if err != nil {
			return it, "", err
		}
		if bk == nil || !same(bk.Office) || len(bk.TokenHash) == 0 || subtle.ConstantTimeCompare(bk.TokenHash, auth.Hash(secret)) != 1 {
			return it, "", errNoItem
		}
		if bk.Status != queue.BookingBooked {
			return it, "", errItemEnded
		}
		it.ID, it.Office = bk.Code, bk.Office
		return it, s.public + "/b/" + url.PathEscape(bk.Code) + "?token=" + url.QueryEscape(secret), nil
	case notify.ItemDossier:
		if s.dossiers == nil {
			return it, "", errNoItem
		}
		d, err := s.dossiers.load(ctx, it.ID)
		if errors.Is(err, errNoDossier) {
			return it, "", errNoItem
		}
		if err != nil {
			return it, "", err
		}
		if !same(d.Office) || !isApplicant(d, secret) {
			return it, "", errNoItem
		}
		it.ID, it.Office = d.Code, d.Office
		return it, s.dossiers.link(d.Code, secret), nil
	case notify.ItemReport:
		if s.feedback == nil {
			return it, "", errNoItem
		}
		rep, err := s.feedback.reportByCode(ctx, it.ID)
		if errors.Is(err, errNoReport) {
			return it, "", errNoItem
		}
		if err != nil {
			return it, "", err
		}
		if !same(rep.Office) || !isReporter(rep, secret) {
			return it, "", errNoItem
		}
		it.ID, it.Office = rep.Code, rep.Office
		return it, s.feedback.reportURL(rep.Code, secret), nil
	}
	return it, "", errNoItem
}

// LinkAgainBody is the body of POST /offices/{office}/link-again.
type LinkAgainBody struct {
	Phone string `json:"phone"`
	Lang  string `json:"lang"`
}

func (b LinkAgainBody) phone() string { return b.Phone }

func decodeLinkAgain(data []byte) (LinkAgainBody, error) {
	var b LinkAgainBody
	if err := decodeStrict(data, &b); err != nil {
		return LinkAgainBody{}, err
	}
	var err error
	if b.Phone, err = phoneOf(b.Phone); err != nil {
		return LinkAgainBody{}, err
	}
	switch b.Lang {
	case "":
		b.Lang = "vi"
	case "vi", "en":
	default:
		return LinkAgainBody{}, badRequest("invalid_lang", "lang must be vi or en")
	}
	return b, nil
}

// linkAgain sends, by SMS to the phone, the links of the office's live
// tickets and the codes of its live bookings that were taken with that
// phone. It answers 202 whatever the phone has, so that it tells no one
// whether a phone took a number. A ticket's link carries its token (the
// ticket keeps it); a booking keeps only its token's hash, so its SMS
// carries the code, which the kiosk checks in.
func (s *Server) linkAgain(w http.ResponseWriter, r *http.Request) {
	st := s.cfg.Notify
	if st == nil || !s.cfg.SMS {
		s.fail(w, r, errSMSOff)
		return
	}
	c := s.citizen
	v, ok := c.officeView(w, r)
	if !ok || c.limited(w, r) {
		return
	}
	b, ok := phoneLimitedBody(c, w, r, decodeLinkAgain)
	if !ok {
		return
	}
	now := s.now()
	o := v.Office.ID
	var notices []notify.Notice
	add := func(it notify.Item, params map[string]string) {
		notices = append(notices, notify.Notice{Key: "link-again/" + rand.Text(), Kind: notify.LinkAgain, Item: it, At: now,
			Params: params, Phone: b.Phone, Lang: b.Lang})
	}
	fr := v.Frozen()
	for _, t := range fr.Tickets {
		if t.Phone != b.Phone || t.Status.Final() || t.Token == "" {
			continue
		}
		add(notify.Item{Type: notify.ItemTicket, ID: t.ID, Office: o}, map[string]string{
			"number": t.Display, "link": s.public + "/t/" + url.PathEscape(t.ID) + "?token=" + url.QueryEscape(t.Token)})
	}
	for _, bk := range fr.Bookings {
		if bk.Phone != b.Phone || bk.Status != queue.BookingBooked {
			continue
		}
		add(notify.Item{Type: notify.ItemBooking, ID: bk.Code, Office: o}, map[string]string{
			"code": bk.Code, "link": s.public + "/o/" + url.PathEscape(o)})
	}
	if len(notices) > maxLinkAgain {
		notices = notices[:maxLinkAgain]
	}
	if len(notices) > 0 {
		if err := st.Enqueue(r.Context(), notices, now); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"phone": queue.MaskPhone(b.Phone)})
}

// maxLinkAgain caps the SMS one request sends: a phone rarely holds more
// than a number and a booking at once.
const maxLinkAgain = 5

// outboxMetrics answers the outbox's figures to an administrator.
func (s *Server) outboxMetrics(w http.ResponseWriter, r *http.Request) {
	if _, err := s.require(r, auth.ManageOffice); err != nil {
		s.fail(w, r, err)
		return
	}
	if s.cfg.Notify == nil {
		s.fail(w, r, errNotifyOff)
		return
	}
	m, err := s.cfg.Notify.OutboxMetrics(r.Context(), s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, OutboxMetricsJSON{Queued: m.Queued, Sent: m.Sent, Dead: m.Dead,
		Delivered: m.Delivered, Undelivered: m.Undelivered, OldestSeconds: int64(m.Oldest / time.Second)})
}

// OutboxMetricsJSON is the answer of GET /outbox/metrics.
type OutboxMetricsJSON struct {
	Queued int `json:"queued"`
	Sent   int `json:"sent"`
	Dead   int `json:"dead"`
	// Delivered and Undelivered count the sent SMS whose delivery
	// reports (the GSM modem's) said they reached the phone, or that the
	// network gave up on them; the others' outcome is not known.
	Delivered   int `json:"delivered"`
	Undelivered int `json:"undelivered"`
	// OldestSeconds is the age of the oldest queued message (0: none).
	OldestSeconds int64 `json:"oldest_seconds"`
}
