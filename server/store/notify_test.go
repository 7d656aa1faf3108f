package store

import (
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"luot/server/dossier"
	"luot/server/feedback"
	"luot/server/notify"
	"luot/server/queue"
)

// pushSub is a push subscription of item with a real P-256 key, as a
// browser's PushSubscription.toJSON gives it.
func pushSub(t testing.TB, item notify.Item, endpoint, lang string) notify.Subscription {
	t.Helper()
	k, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	auth := make([]byte, 16)
	rand.Read(auth)
	return notify.Subscription{Item: item, Channel: notify.Push, Lang: lang, Endpoint: endpoint,
		P256DH: base64.RawURLEncoding.EncodeToString(k.PublicKey().Bytes()), Auth: base64.RawURLEncoding.EncodeToString(auth),
		Link: "https://luot.example/t/" + item.ID + "?k=secret", Created: t0}
}

func smsSub(item notify.Item, phone, lang string) notify.Subscription {
	return notify.Subscription{Item: item, Channel: notify.SMS, Lang: lang, Phone: phone, Link: "https://luot.example/t/" + item.ID, Created: t0}
}

func ticketItem(id string) notify.Item {
	return notify.Item{Type: notify.ItemTicket, ID: id, Office: "hoankiem"}
}

func subscribe(t testing.TB, db *DB, s notify.Subscription) notify.Subscription {
	t.Helper()
	got, err := db.Subscribe(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// calledNotice is a ticket's "called" notice.
func calledNotice(id string, n int, at time.Time) notify.Notice {
	return notify.Notice{Key: notify.TicketCalledKey(id, n), Kind: notify.TicketCalled, Item: ticketItem(id), At: at,
		Params: map[string]string{"number": "A001", "counter": "1"}}
}

// phoneNotice is a phone code sent to phone without a subscription.
func phoneNotice(key, phone string, at time.Time) notify.Notice {
	return notify.Notice{Key: notify.PhoneCodeKey(key), Kind: notify.PhoneCode, Item: notify.Item{Office: "hoankiem"}, At: at,
		Params: map[string]string{"code": "123456"}, Phone: phone, Lang: "en"}
}

func claim(t testing.TB, db *DB, now time.Time, lease time.Duration, limit int) []notify.Message {
	t.Helper()
	ms, err := db.Claim(ctx, now, lease, limit)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func ids(ms []notify.Message) []int64 {
	out := make([]int64, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

// A subscription is stored once per item and endpoint (or phone): the
// same browser subscribing again gets the same id and token, its
// language and keys updated; a phone is another subscription; the
// unsubscribe token deletes exactly its own.
func TestSubscribeOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		item := ticketItem("t1")
		a := subscribe(t, db, pushSub(t, item, "https://push.example/a", "vi"))
		if a.ID == 0 || len(a.Token) < 40 || !a.Created.Equal(t0) || a.Channel != notify.Push || a.Item != item {
			t.Fatalf("subscription %+v", a)
		}
		again := pushSub(t, item, "https://push.example/a", "en")
		b := subscribe(t, db, again)
		if b.ID != a.ID || b.Token != a.Token || b.Lang != "en" || b.P256DH != again.P256DH || b.Auth != again.Auth {
			t.Fatalf("the same endpoint again: %+v, first %+v", b, a)
		}
		c := subscribe(t, db, smsSub(item, "+84912345678", "vi"))
		other := subscribe(t, db, pushSub(t, ticketItem("t2"), "https://push.example/a", "vi"))
		if c.ID == a.ID || other.ID == a.ID || c.Token == a.Token {
			t.Fatalf("distinct subscriptions share an id or token: %+v %+v %+v", a, c, other)
		}
		list, err := db.Subscriptions(ctx, item)
		if err != nil || len(list) != 2 || list[0].ID != a.ID || list[0].Lang != "en" || list[1].Phone != "+84912345678" {
			t.Fatalf("subscriptions of t1: %+v, %v", list, err)
		}
		if err := db.Unsubscribe(ctx, a.Token); err != nil {
			t.Fatal(err)
		}
		mustErrIs(t, db.Unsubscribe(ctx, a.Token), ErrNotFound)
		mustErrIs(t, db.Unsubscribe(ctx, ""), ErrNotFound)
		if list, _ := db.Subscriptions(ctx, item); len(list) != 1 || list[0].ID != c.ID {
			t.Fatalf("after unsubscribing: %+v", list)
		}
		if list, _ := db.Subscriptions(ctx, ticketItem("t2")); len(list) != 1 {
			t.Fatalf("unsubscribing t1 touched t2: %+v", list)
		}
		mustErrIs(t, db.DropSubscription(ctx, 9999), ErrNotFound)
		if err := db.DropSubscription(ctx, other.ID); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, `SELECT count(*) FROM subscriptions`); n != 1 {
			t.Fatalf("%d subscriptions left, want 1", n)
		}
	})
}

// Bad opt-ins are refused with a clear error and write nothing.
func TestSubscribeBadInput(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		item := ticketItem("t1")
		good := pushSub(t, item, "https://push.example/a", "vi")
		cases := []struct {
			name string
			edit func(*notify.Subscription)
			want string
		}{
			{"no item type", func(s *notify.Subscription) { s.Item.Type = "" }, "item type"},
			{"unknown item type", func(s *notify.Subscription) { s.Item.Type = "office" }, "item type"},
			{"no item id", func(s *notify.Subscription) { s.Item.ID = "" }, "item id"},
			{"long item id", func(s *notify.Subscription) { s.Item.ID = strings.Repeat("x", MaxItemID+1) }, "item id"},
			{"control in id", func(s *notify.Subscription) { s.Item.ID = "t1\n" }, "item id"},
			{"no office", func(s *notify.Subscription) { s.Item.Office = "" }, "office"},
			{"language", func(s *notify.Subscription) { s.Lang = "fr" }, "language"},
			{"no channel", func(s *notify.Subscription) { s.Channel = "" }, "channel"},
			{"zalo", func(s *notify.Subscription) { s.Channel = "zalo" }, "channel"},
			{"no endpoint", func(s *notify.Subscription) { s.Endpoint = "" }, "endpoint"},
			{"endpoint not a URL", func(s *notify.Subscription) { s.Endpoint = "push.example/a" }, "endpoint"},
			{"javascript endpoint", func(s *notify.Subscription) { s.Endpoint = "javascript:alert(1)" }, "endpoint"},
			{"long endpoint", func(s *notify.Subscription) { s.Endpoint = "https://push.example/" + strings.Repeat("a", MaxEndpoint) }, "endpoint"},
			{"short p256dh", func(s *notify.Subscription) { s.P256DH = s.P256DH[:40] }, "p256dh"},
			{"p256dh not base64", func(s *notify.Subscription) { s.P256DH = "!!" + s.P256DH[2:] }, "p256dh"},
			{"auth of 8 bytes", func(s *notify.Subscription) { s.Auth = "AAAAAAAAAAA" }, "auth"},
			{"push with phone", func(s *notify.Subscription) { s.Phone = "+84912345678" }, "phone"},
			{"long link", func(s *notify.Subscription) { s.Link = strings.Repeat("a", MaxEndpoint+1) }, "link"},
			{"sms without phone", func(s *notify.Subscription) { *s = smsSub(item, "", "vi") }, "phone"},
			{"sms national phone", func(s *notify.Subscription) { *s = smsSub(item, "0912345678", "vi") }, "normalised"},
			{"sms landline", func(s *notify.Subscription) { *s = smsSub(item, "+84212345678", "vi") }, "phone"},
			{"sms with endpoint", func(s *notify.Subscription) {
				*s = smsSub(item, "+84912345678", "vi")
				s.Endpoint = "https://push.example/a"
			}, "push endpoint"},
		}
		for _, c := range cases {
			s := good
			c.edit(&s)
			_, err := db.Subscribe(ctx, s)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: error %v, want one about %q", c.name, err, c.want)
			}
		}
		bad := good
		bad.Item.Office = "nowhere"
		_, err := db.Subscribe(ctx, bad)
		mustErrIs(t, err, ErrNotFound)
		if n := count(t, db, `SELECT count(*) FROM subscriptions`); n != 0 {
			t.Fatalf("bad input wrote %d subscriptions", n)
		}
		if _, err := db.Subscribe(ctx, good); err != nil {
			t.Fatalf("the good one: %v", err)
		}
	})
}

// A notice makes one message per subscription of its item, and one for a
// phone; the same notice again (a retried request, a replayed event)
// makes none; a later subscriber does get the same key once.
func TestEnqueueIdempotent(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		a := subscribe(t, db, pushSub(t, ticketItem("t1"), "https://push.example/a", "vi"))
		b := subscribe(t, db, smsSub(ticketItem("t1"), "+84912345678", "en"))
		subscribe(t, db, smsSub(ticketItem("t2"), "+84912345678", "vi"))
		ns := []notify.Notice{calledNotice("t1", 1, t0), phoneNotice("r1", "+84987654321", t0), calledNotice("t9", 1, t0)}
		for range 3 {
			if err := db.Enqueue(ctx, ns, t0); err != nil {
				t.Fatal(err)
			}
		}
		if n := count(t, db, `SELECT count(*) FROM outbox`); n != 3 {
			t.Fatalf("%d messages, want 3 (two subscriptions of t1, one phone)", n)
		}
		c := subscribe(t, db, pushSub(t, ticketItem("t1"), "https://push.example/c", "vi"))
		if err := db.Enqueue(ctx, ns, t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		ms := claim(t, db, t0.Add(time.Minute), time.Minute, 10)
		got := map[int64]notify.Message{}
		var phone *notify.Message
		for _, m := range ms {
			if m.Sub.ID == 0 {
				phone = &m
				continue
			}
			got[m.Sub.ID] = m
		}
		if len(ms) != 4 || phone == nil || len(got) != 3 || got[a.ID].ID == 0 || got[b.ID].ID == 0 || got[c.ID].ID == 0 {
			t.Fatalf("claimed %+v", ms)
		}
		// What the sender needs comes back whole.
		m := got[b.ID]
		want := calledNotice("t1", 1, t0)
		if m.Notice.Key != want.Key || m.Notice.Kind != want.Kind || m.Notice.Item != want.Item || !m.Notice.At.Equal(t0) ||
			!maps.Equal(m.Notice.Params, want.Params) || m.Notice.Lang != "en" || m.State != notify.Queued || m.Tries != 0 ||
			!m.Created.Equal(t0) || !m.NotBefore.Equal(t0) {
			t.Fatalf("message %+v", m)
		}
		if m.Sub.Channel != notify.SMS || m.Sub.Phone != "+84912345678" || m.Sub.Token != b.Token || m.Sub.Link != b.Link || m.Sub.Lang != "en" {
			t.Fatalf("message's subscription %+v, want %+v", m.Sub, b)
		}
		if p := got[a.ID].Sub; p.Endpoint != a.Endpoint || p.P256DH != a.P256DH || p.Auth != a.Auth || p.Channel != notify.Push {
			t.Fatalf("push subscription %+v", p)
		}
		if phone.Sub.Channel != notify.SMS || phone.Sub.Phone != "+84987654321" || phone.Notice.Phone != "+84987654321" ||
			phone.Notice.Lang != "en" || phone.Sub.Lang != "en" || phone.Notice.Params["code"] != "123456" || phone.Sub.Token != "" {
			t.Fatalf("phone message %+v", *phone)
		}
		// A phone notice without a language is Vietnamese.
		n := phoneNotice("r2", "+84987654321", t0)
		n.Lang = ""
		if err := db.Enqueue(ctx, []notify.Notice{n}, t0); err != nil {
			t.Fatal(err)
		}
		if l := claim(t, db, t0.Add(time.Minute), time.Minute, 10); len(l) != 1 || l[0].Notice.Lang != "vi" {
			t.Fatalf("phone message without a language: %+v", l)
		}
	})
}

// Bad notices are refused with a clear error, and a batch holding one
// writes nothing at all.
func TestEnqueueBadInput(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		subscribe(t, db, smsSub(ticketItem("t1"), "+84912345678", "vi"))
		cases := []struct {
			name string
			edit func(*notify.Notice)
			want string
		}{
			{"no key", func(n *notify.Notice) { n.Key = "" }, "key"},
			{"long key", func(n *notify.Notice) { n.Key = strings.Repeat("k", MaxNoticeKey+1) }, "key"},
			{"control in key", func(n *notify.Notice) { n.Key = "ticket/t1\x00" }, "key"},
			{"unknown kind", func(n *notify.Notice) { n.Kind = "ticket.lost" }, "kind"},
			{"no time", func(n *notify.Notice) { n.At = time.Time{} }, "time"},
			{"no office", func(n *notify.Notice) { n.Item.Office = "" }, "office"},
			{"no item type", func(n *notify.Notice) { n.Item.Type = "" }, "item type"},
			{"no item id", func(n *notify.Notice) { n.Item.ID = "" }, "item id"},
			{"phone not normalised", func(n *notify.Notice) { n.Phone = "0912345678" }, "phone"},
			{"phone garbage", func(n *notify.Notice) { n.Phone = "+84 912 345 678" }, "phone"},
			{"phone language", func(n *notify.Notice) { n.Phone, n.Lang = "+84912345678", "de" }, "language"},
			{"phone bad item", func(n *notify.Notice) { n.Phone, n.Item.Type = "+84912345678", "office" }, "item"},
		}
		for _, c := range cases {
			n := calledNotice("t1", 1, t0)
			c.edit(&n)
			err := db.Enqueue(ctx, []notify.Notice{calledNotice("t1", 2, t0), n}, t0)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: error %v, want one about %q", c.name, err, c.want)
			}
		}
		unknown := phoneNotice("x", "+84912345678", t0)
		unknown.Item.Office = "nowhere"
		mustErrIs(t, db.Enqueue(ctx, []notify.Notice{unknown}, t0), ErrNotFound)
		if err := db.Enqueue(ctx, []notify.Notice{calledNotice("t1", 1, t0)}, time.Time{}); err == nil {
			t.Error("a notice enqueued without a time")
		}
		if n := count(t, db, `SELECT count(*) FROM outbox`); n != 0 {
			t.Fatalf("bad notices wrote %d messages", n)
		}
		if err := db.Enqueue(ctx, nil, t0); err != nil {
			t.Fatalf("no notices: %v", err)
		}
	})
}

// The messages of a change's notices are written by its commit, in the
// same transaction: a commit refused writes none, and a notice about
// another office refuses the change.
func TestCommitWritesNotices(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := newOffice(t, db, t0)
		commit := do(t, db, st)
		commit(st.Open(t0, "q1", "nv1"))
		c := commit(st.Issue(t0, issue("t1", "xay-dung")))
		tk := c.Ticket
		s := subscribe(t, db, smsSub(ticketItem(tk.ID), "+84912345678", "vi"))

		call, err := st.Next(t0.Add(time.Minute), "q1", "nv1")
		if err != nil {
			t.Fatal(err)
		}
		call.Notices = []notify.Notice{calledNotice(tk.ID, 1, call.At)}
		// A stale change (its seq taken) is refused with its notices.
		stale := *call
		stale.Events = slices.Clone(call.Events)
		stale.Events[0].Seq--
		mustErrIs(t, db.Commit(ctx, &stale, encode(t, &stale)), ErrConflict)
		if n := count(t, db, `SELECT count(*) FROM outbox`); n != 0 {
			t.Fatalf("a refused commit wrote %d messages", n)
		}
		// A notice about another office's item refuses the change.
		wrong := *call
		wrong.Notices = []notify.Notice{calledNotice(tk.ID, 1, call.At)}
		wrong.Notices[0].Item.Office = "other"
		mustErrIs(t, db.Commit(ctx, &wrong, encode(t, &wrong)), ErrConflict)
		// A notice the outbox cannot store refuses it too.
		bad := *call
		bad.Notices = []notify.Notice{{Key: "", Kind: notify.TicketCalled, Item: ticketItem(tk.ID), At: call.At}}
		if err := db.Commit(ctx, &bad, encode(t, &bad)); err == nil || !strings.Contains(err.Error(), "key") {
			t.Fatalf("a change with a notice without a key: %v", err)
		}
		if n := count(t, db, `SELECT count(*) FROM outbox`); n != 0 {
			t.Fatalf("refused commits wrote %d messages", n)
		}
		commit(call, nil)
		storedSame(t, db, st)
		ms := claim(t, db, call.At, time.Minute, 10)
		if len(ms) != 1 || ms[0].Sub.ID != s.ID || ms[0].Notice.Key != notify.TicketCalledKey(tk.ID, 1) || !ms[0].Created.Equal(call.At) {
			t.Fatalf("messages of the call: %+v", ms)
		}
		// The batch commit writes the notices of each change.
		recall, err := st.Recall(t0.Add(2*time.Minute), "q1", "nv1")
		if err != nil {
			t.Fatal(err)
		}
		recall.Notices = []notify.Notice{calledNotice(tk.ID, 2, recall.At), calledNotice(tk.ID, 1, recall.At)}
		if err := db.CommitBatch(ctx, []*queue.Change{recall}, [][]queue.EncodedEvent{encode(t, recall)}); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, `SELECT count(*) FROM outbox`); n != 2 {
			t.Fatalf("%d messages after the recall, want 2 (the first call's key is not sent again)", n)
		}
	})
}

// Claim leases: a claimed message is not claimed again while its lease
// runs, is claimed again after it (a sender that died), and is never
// claimed again once sent or dead. Messages come earliest due first, and
// not before they are due.
func TestClaimLease(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		subscribe(t, db, smsSub(ticketItem("t1"), "+84912345678", "vi"))
		for i := range 5 {
			if err := db.Enqueue(ctx, []notify.Notice{calledNotice("t1", i+1, t0)}, t0.Add(time.Duration(i)*time.Second)); err != nil {
				t.Fatal(err)
			}
		}
		if ms := claim(t, db, t0.Add(-time.Second), time.Minute, 10); len(ms) != 0 {
			t.Fatalf("claimed %d messages before they were due", len(ms))
		}
		now := t0.Add(10 * time.Second)
		first := claim(t, db, now, 30*time.Second, 3)
		second := claim(t, db, now, 30*time.Second, 3)
		if len(first) != 3 || len(second) != 2 || len(claim(t, db, now.Add(29*time.Second), 30*time.Second, 3)) != 0 {
			t.Fatalf("claims %v then %v", ids(first), ids(second))
		}
		for i, m := range append(first, second...) {
			if m.Notice.Key != notify.TicketCalledKey("t1", i+1) {
				t.Fatalf("claim %d is %s: not the earliest due first", i, m.Notice.Key)
			}
		}
		if err := db.MarkSent(ctx, first[0].ID, now.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		if err := db.MarkFailed(ctx, first[1].ID, now.Add(time.Second), "push service 410", time.Time{}, true); err != nil {
			t.Fatal(err)
		}
		// The lease ran out: the three left are claimed again, once.
		again := claim(t, db, now.Add(30*time.Second), 30*time.Second, 10)
		if !slices.Equal(ids(again), []int64{first[2].ID, second[0].ID, second[1].ID}) {
			t.Fatalf("after the lease: %v, want %v", ids(again), []int64{first[2].ID, second[0].ID, second[1].ID})
		}
		if ms := claim(t, db, now.Add(31*time.Second), 30*time.Second, 10); len(ms) != 0 {
			t.Fatalf("claimed %v during the second lease", ids(ms))
		}
		for _, c := range []struct {
			lease time.Duration
			limit int
			at    time.Time
		}{{0, 1, now}, {-time.Second, 1, now}, {time.Second, 0, now}, {time.Second, -1, now}, {time.Second, 1, time.Time{}}} {
			if _, err := db.Claim(ctx, c.at, c.lease, c.limit); err == nil {
				t.Errorf("Claim(lease %s, limit %d, at %s) accepted", c.lease, c.limit, c.at)
			}
		}
	})
}

// Senders claiming at the same time — on two connections to the same
// file, as two processes would — never get the same message, and
// together get every one.
func TestClaimConcurrent(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		other := reopen(t, db)
		const subs, notices = 10, 30
		for i := range subs {
			subscribe(t, db, smsSub(ticketItem("t1"), fmt.Sprintf("+8491234%04d", i), "vi"))
		}
		var ns []notify.Notice
		for i := range notices {
			ns = append(ns, calledNotice("t1", i+1, t0))
		}
		if err := db.Enqueue(ctx, ns, t0); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		seen := map[int64]int{}
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for w := range 8 {
			d := db
			if w%2 == 1 {
				d = other
			}
			wg.Go(func() {
				for {
					ms, err := d.Claim(ctx, t0, time.Hour, 7)
					if err != nil {
						errs <- err
						return
					}
					if len(ms) == 0 {
						return
					}
					for _, m := range ms {
						mu.Lock()
						seen[m.ID]++
						mu.Unlock()
						if err := d.MarkSent(ctx, m.ID, t0); err != nil {
							errs <- err
							return
						}
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if len(seen) != subs*notices {
			t.Fatalf("%d messages claimed, want %d", len(seen), subs*notices)
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("message %d claimed %d times", id, n)
			}
		}
		if m, err := db.OutboxMetrics(ctx, t0); err != nil || m.Sent != subs*notices || m.Queued != 0 {
			t.Fatalf("metrics %+v, %v", m, err)
		}
	})
}

// A failed try counts, waits for its retry and keeps its reason; a dead
// letter is never claimed; a hold moves the due time without counting a
// try; a late report of a stale sender changes nothing.
func TestMarkFailedAndHold(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		subscribe(t, db, smsSub(ticketItem("t1"), "+84912345678", "vi"))
		if err := db.Enqueue(ctx, []notify.Notice{calledNotice("t1", 1, t0), calledNotice("t1", 2, t0)}, t0); err != nil {
			t.Fatal(err)
		}
		ms := claim(t, db, t0, time.Minute, 2)
		a, b := ms[0].ID, ms[1].ID
		retry := t0.Add(20 * time.Second)
		reason := "gateway answered 503\n" + strings.Repeat("é", 400)
		if err := db.MarkFailed(ctx, a, t0.Add(time.Second), reason, retry, false); err != nil {
			t.Fatal(err)
		}
		if l := claim(t, db, retry.Add(-time.Nanosecond), time.Minute, 10); len(l) != 0 {
			t.Fatalf("claimed %v before the retry", ids(l))
		}
		l := claim(t, db, retry, time.Minute, 10)
		if len(l) != 1 || l[0].ID != a || l[0].Tries != 1 || !l[0].NotBefore.Equal(retry) ||
			!strings.HasPrefix(l[0].LastError, "gateway answered 503 é") || len([]rune(l[0].LastError)) != maxReason {
			t.Fatalf("after a failed try: %+v", l)
		}
		if err := db.MarkFailed(ctx, a, retry, "bad number", time.Time{}, true); err != nil {
			t.Fatal(err)
		}
		// Hold b (quiet hours): due later, no try counted.
		until := t0.Add(10 * time.Hour)
		if err := db.Hold(ctx, b, until); err != nil {
			t.Fatal(err)
		}
		if l := claim(t, db, until.Add(-time.Second), time.Minute, 10); len(l) != 0 {
			t.Fatalf("claimed %v during the hold (or the dead letter)", ids(l))
		}
		l = claim(t, db, until, time.Minute, 10)
		if len(l) != 1 || l[0].ID != b || l[0].Tries != 0 || !l[0].NotBefore.Equal(until) {
			t.Fatalf("after the hold: %+v", l)
		}
		if err := db.MarkSent(ctx, b, until); err != nil {
			t.Fatal(err)
		}
		// A stale sender's failure or hold of a finished message changes nothing.
		if err := db.MarkFailed(ctx, b, until, "late", until.Add(time.Minute), false); err != nil {
			t.Fatal(err)
		}
		if err := db.Hold(ctx, a, until.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, `SELECT count(*) FROM outbox WHERE id = ? AND state = 'sent' AND tries = 0 AND last_error = ''`, b); n != 1 {
			t.Fatal("a late failure changed a sent message")
		}
		if n := count(t, db, `SELECT count(*) FROM outbox WHERE id = ? AND state = 'dead' AND tries = 2 AND last_error = 'bad number'`, a); n != 1 {
			t.Fatal("a hold changed a dead message, or the dead letter was not recorded")
		}
		// Bad input.
		mustErrIs(t, db.MarkSent(ctx, 999, t0), ErrNotFound)
		mustErrIs(t, db.MarkFailed(ctx, 999, t0, "x", retry, false), ErrNotFound)
		mustErrIs(t, db.Hold(ctx, 999, until), ErrNotFound)
		for name, err := range map[string]error{
			"failed without a retry":  db.MarkFailed(ctx, a, t0, "x", time.Time{}, false),
			"failed without the time": db.MarkFailed(ctx, a, time.Time{}, "x", retry, false),
			"sent without the time":   db.MarkSent(ctx, a, time.Time{}),
			"held without a time":     db.Hold(ctx, a, time.Time{}),
		} {
			if err == nil || errors.Is(err, ErrNotFound) {
				t.Errorf("%s: %v", name, err)
			}
		}
	})
}

// The metrics count the outbox by state and give the age of the oldest
// message not delivered.
func TestOutboxMetrics(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		if m, err := db.OutboxMetrics(ctx, t0); err != nil || m != (notify.Metrics{}) {
			t.Fatalf("empty outbox: %+v, %v", m, err)
		}
		subscribe(t, db, smsSub(ticketItem("t1"), "+84912345678", "vi"))
		for i := range 4 {
			if err := db.Enqueue(ctx, []notify.Notice{calledNotice("t1", i+1, t0)}, t0.Add(time.Duration(i)*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		ms := claim(t, db, t0.Add(time.Hour), time.Minute, 2)
		db.MarkSent(ctx, ms[0].ID, t0.Add(time.Hour))
		db.MarkFailed(ctx, ms[1].ID, t0.Add(time.Hour), "gone", time.Time{}, true)
		m, err := db.OutboxMetrics(ctx, t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		// The oldest queued one was made at t0+2min.
		if want := (notify.Metrics{Queued: 2, Sent: 1, Dead: 1, Oldest: 58 * time.Minute}); m != want {
			t.Fatalf("metrics %+v, want %+v", m, want)
		}
		if m, _ := db.OutboxMetrics(ctx, t0); m.Oldest != 0 {
			t.Fatalf("oldest age before the message was made: %s", m.Oldest)
		}
	})
}

// WatchedTickets lists the office's tickets with a subscription that are
// not finished, and nothing of another office.
func TestWatchedTickets(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := newOffice(t, db, t0)
		o2 := testOffice(t)
		o2.ID = "other"
		if err := db.CreateOffice(ctx, o2, t0); err != nil {
			t.Fatal(err)
		}
		commit := do(t, db, st)
		commit(st.Open(t0, "q1", "nv1"))
		for i := 1; i <= 4; i++ {
			commit(st.Issue(t0, issue(id(i), "xay-dung")))
		}
		for _, i := range []int{1, 3, 4} {
			subscribe(t, db, smsSub(ticketItem(id(i)), "+84912345678", "vi"))
		}
		subscribe(t, db, pushSub(t, ticketItem(id(3)), "https://push.example/a", "vi"))
		subscribe(t, db, smsSub(ticketItem("no-such-ticket"), "+84912345678", "vi"))
		subscribe(t, db, smsSub(notify.Item{Type: notify.ItemBooking, ID: id(2), Office: "hoankiem"}, "+84912345678", "vi"))
		subscribe(t, db, smsSub(notify.Item{Type: notify.ItemTicket, ID: id(2), Office: "other"}, "+84912345678", "vi"))
		commit(st.Next(t0, "q1", "nv1"))                  // t0001 called
		commit(st.Done(t0.Add(time.Minute), "q1", "nv1")) // t0001 done
		got, err := db.WatchedTickets(ctx, "hoankiem")
		if err != nil || !slices.Equal(got, []string{id(3), id(4)}) {
			t.Fatalf("watched %v, %v; want [%s %s]", got, err, id(3), id(4))
		}
		if got, err := db.WatchedTickets(ctx, "other"); err != nil || len(got) != 0 {
			t.Fatalf("watched in the other office: %v, %v", got, err)
		}
	})
}

// Unsubscribing or dropping a subscription deletes its messages, so that
// nothing is sent after the citizen said stop.
func TestUnsubscribeDeletesMessages(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		a := subscribe(t, db, smsSub(ticketItem("t1"), "+84912345678", "vi"))
		b := subscribe(t, db, pushSub(t, ticketItem("t1"), "https://push.example/b", "vi"))
		keep := subscribe(t, db, pushSub(t, ticketItem("t1"), "https://push.example/c", "vi"))
		if err := db.Enqueue(ctx, []notify.Notice{calledNotice("t1", 1, t0)}, t0); err != nil {
			t.Fatal(err)
		}
		if err := db.Unsubscribe(ctx, a.Token); err != nil {
			t.Fatal(err)
		}
		if err := db.DropSubscription(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		ms := claim(t, db, t0, time.Minute, 10)
		if len(ms) != 1 || ms[0].Sub.ID != keep.ID {
			t.Fatalf("messages left: %+v", ms)
		}
	})
}

// The notifications' data goes with the item's retention: the
// subscriptions (and so the messages) of the tickets and bookings whose
// personal data is erased, of the dossiers closed before the cutoff, of
// tickets that were never stored, and the messages sent to phones
// before it; what is recent or still open stays.
func TestRetentionErasesNotifyData(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := bookableOffice(t, db, t0)
		commit := do(t, db, st)
		commit(st.IssueRemote(t0, queue.IssueRequest{ID: "old", Token: "x", Service: "xay-dung", Name: "Nguyễn Văn A", Phone: "+84912345678"}))
		commit(st.Book(t0, queue.BookRequest{Code: "ACEFGH", Service: "xay-dung", Date: st.Day, Slot: "15:00", Name: "A", Phone: "+84912345678"}))
		closed := sampleDossier("hoankiem", t0)
		closed.Status, closed.CompletedAt = dossier.StatusReturned, t0.Add(time.Hour)
		closedD, _ := createDossier(t, db, closed, "")
		openD, _ := createDossier(t, db, sampleDossier("hoankiem", t0), "")
		report, _ := createReport(t, db, sampleReport("hoankiem", t0), "")
		later := t0.AddDate(0, 0, 10)
		commit(st.Rollover(later), nil)
		commit(st.IssueRemote(later, queue.IssueRequest{ID: "new", Token: "y", Service: "xay-dung", Name: "Trần B", Phone: "+84912345679"}))

		item := func(typ notify.ItemType, id string) notify.Item {
			return notify.Item{Type: typ, ID: id, Office: "hoankiem"}
		}
		subscribe(t, db, smsSub(ticketItem("old"), "+84912345678", "vi"))
		subscribe(t, db, pushSub(t, ticketItem("old"), "https://push.example/old", "vi"))
		subscribe(t, db, smsSub(ticketItem("never-stored"), "+84912345678", "vi"))
		subscribe(t, db, smsSub(item(notify.ItemBooking, "ACEFGH"), "+84912345678", "vi"))
		subscribe(t, db, smsSub(item(notify.ItemDossier, closedD.Code), "+84912345678", "vi"))
		kept := []notify.Subscription{
			subscribe(t, db, smsSub(ticketItem("new"), "+84912345679", "vi")),
			subscribe(t, db, smsSub(item(notify.ItemDossier, openD.Code), "+84912345678", "vi")),
			subscribe(t, db, smsSub(item(notify.ItemReport, report.Code), "+84912345678", "vi")),
		}
		oldPhone := phoneNotice("a", "+84912345678", t0)
		oldPhone.Item = ticketItem("old")
		if err := db.Enqueue(ctx, []notify.Notice{calledNotice("old", 1, t0), oldPhone, phoneNotice("b", "+84912345678", t0)}, t0); err != nil {
			t.Fatal(err)
		}
		if err := db.Enqueue(ctx, []notify.Notice{calledNotice("new", 1, later), phoneNotice("c", "+84912345679", later)}, later); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, `SELECT count(*) FROM outbox`); n != 6 {
			t.Fatalf("%d messages before the erasure, want 6", n)
		}

		if n, err := db.ErasePersonalData(ctx, later); err != nil || n != 0 {
			t.Fatalf("within the retention: erased %d, %v", n, err)
		}
		n, err := db.ErasePersonalData(ctx, t0.AddDate(0, 0, 91))
		// The old ticket's and booking's names (2), five subscriptions, two
		// phone messages (the old ticket's subscriptions' messages go with
		// them, uncounted).
		if err != nil || n != 9 {
			t.Fatalf("erased %d rows, %v; want 9", n, err)
		}
		var left []int64
		rows, err := db.r.QueryContext(ctx, `SELECT id FROM subscriptions ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			left = append(left, id)
		}
		rows.Close()
		want := []int64{kept[0].ID, kept[1].ID, kept[2].ID}
		if !slices.Equal(left, want) {
			t.Fatalf("subscriptions left %v, want %v", left, want)
		}
		ms := claim(t, db, later, time.Minute, 10)
		keys := []string{}
		for _, m := range ms {
			keys = append(keys, m.Notice.Key)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, []string{notify.PhoneCodeKey("c"), notify.TicketCalledKey("new", 1)}) {
			t.Fatalf("messages left %v", keys)
		}
		if n := count(t, db, `SELECT count(*) FROM outbox WHERE `+holds(db, "phone")+` OR item_id IN ('old', 'never-stored')`, "+84912345678"); n != 0 {
			t.Fatalf("%d messages of erased items or phones left", n)
		}
	})
}

// Erasing a report's reporter erases the opt-ins of that report (the
// reporter's phone, browsers) and their messages, and no other's.
func TestReportEraseDropsSubscriptions(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		in := sampleReport("hoankiem", t0)
		in.Status, in.Resolved = feedback.StatusResolved, t0.Add(time.Hour)
		r, _ := createReport(t, db, in, "")
		other, _ := createReport(t, db, sampleReport("hoankiem", t0), "")
		item := notify.Item{Type: notify.ItemReport, ID: r.Code, Office: "hoankiem"}
		otherItem := notify.Item{Type: notify.ItemReport, ID: other.Code, Office: "hoankiem"}
		subscribe(t, db, smsSub(item, "+84912345678", "vi"))
		subscribe(t, db, pushSub(t, item, "https://push.example/r", "vi"))
		keep := subscribe(t, db, smsSub(otherItem, "+84912345678", "vi"))
		status := func(it notify.Item) notify.Notice {
			return notify.Notice{Key: notify.ReportKey(it.ID, 99), Kind: notify.ReportStatus, Item: it, At: t0, Params: map[string]string{"code": it.ID, "status": "resolved"}}
		}
		if err := db.Enqueue(ctx, []notify.Notice{status(item), status(otherItem)}, t0); err != nil {
			t.Fatal(err)
		}
		system := feedback.Actor{Role: feedback.RoleSystem}
		if _, _, err := db.UpdateReport(ctx, r.Code, event("report.erase", t0.Add(400*24*time.Hour), system)); err != nil {
			t.Fatal(err)
		}
		if subs, err := db.Subscriptions(ctx, item); err != nil || len(subs) != 0 {
			t.Fatalf("subscriptions of the erased report: %+v, %v", subs, err)
		}
		ms := claim(t, db, t0, time.Minute, 10)
		if len(ms) != 1 || ms[0].Sub.ID != keep.ID {
			t.Fatalf("messages left: %+v", ms)
		}
		// Another event of a report keeps its subscriptions.
		if _, _, err := db.UpdateReport(ctx, other.Code, event("report.note", t0.Add(time.Hour), moderator)); err != nil {
			t.Fatal(err)
		}
		if subs, _ := db.Subscriptions(ctx, otherItem); len(subs) != 1 {
			t.Fatalf("a note dropped the subscriptions: %+v", subs)
		}
	})
}

// BenchmarkOutboxDeliver measures the store's part of a delivery: one
// Claim of 50 messages, then MarkSent of each (a durable write apiece),
// per 50 messages; the figure is per message. The sender's throughput
// (≥ 200 messages/s) cannot exceed it; BenchmarkRawDurableCommit is the
// disk's floor beside it. Put TMPDIR on the disk you want to measure.
func BenchmarkOutboxDeliver(b *testing.B) {
	db, _ := openDB(b)
	newOffice(b, db, t0)
	for i := range 50 {
		subscribe(b, db, smsSub(ticketItem("t1"), fmt.Sprintf("+8491234%04d", i), "vi"))
	}
	var batch []notify.Message
	n := 0
	for b.Loop() {
		if len(batch) == 0 {
			b.StopTimer()
			n++
			if err := db.Enqueue(ctx, []notify.Notice{calledNotice("t1", n, t0)}, t0); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			batch = claim(b, db, t0, time.Minute, 50)
			if len(batch) == 0 {
				b.Fatal("nothing to claim")
			}
		}
		if err := db.MarkSent(ctx, batch[0].ID, t0); err != nil {
			b.Fatal(err)
		}
		batch = batch[1:]
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "messages/s")
}

// A sender that dies between Claim and MarkSent loses nothing: the
// database reopened (a restarted server) hands the messages out again
// once the lease is over, and not before.
func TestClaimAfterRestart(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		subscribe(t, db, smsSub(ticketItem("t1"), "+84912345678", "vi"))
		if err := db.Enqueue(ctx, []notify.Notice{calledNotice("t1", 1, t0), calledNotice("t1", 2, t0)}, t0); err != nil {
			t.Fatal(err)
		}
		first := claim(t, db, t0, time.Minute, 10)
		if len(first) != 2 {
			t.Fatalf("claimed %d", len(first))
		}
		if err := db.MarkSent(ctx, first[0].ID, t0); err != nil {
			t.Fatal(err)
		}
		db.Close()
		db = reopen(t, db)
		if l := claim(t, db, t0.Add(59*time.Second), time.Minute, 10); len(l) != 0 {
			t.Fatalf("claimed %v before the lease ended", ids(l))
		}
		l := claim(t, db, t0.Add(time.Minute), time.Minute, 10)
		if len(l) != 1 || l[0].ID != first[1].ID || l[0].Tries != 0 {
			t.Fatalf("after the restart: %+v", l)
		}
	})
}

// The same opt-in and the same notices arriving at once (a double tap,
// a retried request racing the first) make one subscription and one
// message per subscription.
func TestEnqueueConcurrent(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		push := pushSub(t, ticketItem("t1"), "https://push.example/a", "vi")
		var ns []notify.Notice
		for i := range 10 {
			ns = append(ns, calledNotice("t1", i+1, t0))
		}
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		tokens := make(chan string, 8)
		for range 8 {
			wg.Go(func() {
				s, err := db.Subscribe(ctx, push)
				if err != nil {
					errs <- err
					return
				}
				tokens <- s.Token
				if err := db.Enqueue(ctx, ns, t0); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		close(tokens)
		for err := range errs {
			t.Fatal(err)
		}
		first := <-tokens
		for tok := range tokens {
			if tok != first {
				t.Fatal("one endpoint got two unsubscribe tokens")
			}
		}
		if n := count(t, db, `SELECT count(*) FROM subscriptions`); n != 1 {
			t.Fatalf("%d subscriptions, want 1", n)
		}
		if n := count(t, db, `SELECT count(*) FROM outbox`); n != 10 {
			t.Fatalf("%d messages, want 10", n)
		}
		// A limit above MaxClaim takes MaxClaim at most (here all ten).
		if ms := claim(t, db, t0, time.Minute, 1<<30); len(ms) != 10 {
			t.Fatalf("claimed %d with a huge limit", len(ms))
		}
	})
}
