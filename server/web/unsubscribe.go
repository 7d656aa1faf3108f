package web

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"io/fs"
	"net/http"

	"luot/assets"
	"luot/server/notify"
	"luot/server/queue"
)

func isNotFound(err error) bool { return errors.Is(err, queue.ErrNotFound) }

// The unsubscribe page, the link every message carries (docs/notify.md):
//
//	GET  /u/{token}   what the subscription sends, and a button to stop it
//	POST /u/{token}   stops it (a plain form: the token is the secret, so
//	                  no CSRF token is needed; an unknown token is answered
//	                  like a known one, so that the page confirms nothing)
func (s *Server) unsubscribeRoutes() error {
	files, err := fs.Sub(assets.Web, "web/citizen")
	if err != nil {
		return err
	}
	t, err := template.ParseFS(files, "unsubscribe.html")
	if err != nil {
		return err
	}
	s.uTpl = t
	s.mux.HandleFunc("GET /u/{token}", s.unsubscribePage)
	s.mux.HandleFunc("POST /u/{token}", s.unsubscribe)
	return nil
}

// SubscriptionFinder is what a notify.Store may also do: find a
// subscription by its unsubscribe token, so that the page says what it
// stops. Without it the page says "the messages of this link".
type SubscriptionFinder interface {
	SubscriptionByToken(ctx context.Context, token string) (notify.Subscription, error)
}

// bilingual is a text in both languages.
type bilingual struct{ VI, EN, ID string }

// uData is what the unsubscribe page's template is given.
type uData struct {
	Token   string
	Done    bool
	What    *bilingual
	Channel *bilingual
}

// validToken is what an unsubscribe token may look like (what the store
// makes is shorter): anything else is not looked up.
func validToken(t string) bool {
	if t == "" || len(t) > 128 {
		return false
	}
	for i := 0; i < len(t); i++ {
		if c := t[i]; c <= ' ' || c > '~' {
			return false
		}
	}
	return true
}

func (s *Server) unsubscribePage(w http.ResponseWriter, r *http.Request) {
	tok := r.PathValue("token")
	d := uData{Token: tok}
	if f, ok := s.cfg.Notify.(SubscriptionFinder); ok && validToken(tok) {
		if sub, err := f.SubscriptionByToken(r.Context(), tok); err == nil {
			d.What, d.Channel = subscriptionTexts(sub)
		}
	}
	s.renderU(w, d)
}

// subscriptionTexts say what a subscription is about and how it is sent.
func subscriptionTexts(sub notify.Subscription) (what, channel *bilingual) {
	switch sub.Item.Type {
	case notify.ItemTicket:
		// A ticket's id is not its number: the number is in the messages.
		what = &bilingual{VI: "Thông báo về số thứ tự của bạn.", EN: "The notifications about your queue number."}
	case notify.ItemBooking:
		what = &bilingual{VI: "Thông báo về lịch hẹn", EN: "The notifications about the appointment", ID: sub.Item.ID}
	case notify.ItemDossier:
		what = &bilingual{VI: "Thông báo về hồ sơ", EN: "The notifications about the dossier", ID: sub.Item.ID}
	case notify.ItemReport:
		what = &bilingual{VI: "Thông báo về phản ánh", EN: "The notifications about the report", ID: sub.Item.ID}
	}
	switch sub.Channel {
	case notify.SMS:
		channel = &bilingual{VI: "Gửi bằng SMS.", EN: "Sent by SMS."}
	case notify.Push:
		channel = &bilingual{VI: "Hiện trên trình duyệt đã đăng ký.", EN: "Shown by the browser that subscribed."}
	}
	return what, channel
}

func (s *Server) unsubscribe(w http.ResponseWriter, r *http.Request) {
	tok := r.PathValue("token")
	if s.cfg.Notify != nil && validToken(tok) {
		// An unknown token (already stopped, or never made) is answered
		// as done: the outcome the citizen wants is the same.
		if err := s.cfg.Notify.Unsubscribe(r.Context(), tok); err != nil && !isNotFound(err) {
			s.log.Error("unsubscribe", "err", err)
			http.Error(w, "Chưa hủy được, vui lòng thử lại / could not stop them, please try again", http.StatusServiceUnavailable)
			return
		}
	}
	s.renderU(w, uData{Token: tok, Done: true})
}

func (s *Server) renderU(w http.ResponseWriter, d uData) {
	var b bytes.Buffer
	if err := s.uTpl.Execute(&b, d); err != nil {
		s.log.Error("render the unsubscribe page", "err", err)
		http.Error(w, "the page could not be made", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	// The token is in the address: no page it leads to is told.
	h.Set("Referrer-Policy", "no-referrer")
	w.Write(b.Bytes())
}
