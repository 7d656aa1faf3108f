package dossier

import (
	"time"

	"luot/server/notify"
)

// Notices are the notices of event e, which turned before into after,
// for those who follow the dossier (docs/notify.md): received (created
// received at the counter, or an online dossier received), supplement
// requested, ready (completed), late with a new date (the apology). Other
// events tell nothing. e must carry its store-given Seq and after its
// code: the key is "dossier/{code}/event/{seq}", so an event told twice
// is sent once. Instants are RFC 3339 parameters ("due", "by",
// "new_due"), said in the office's zone by the sender (Notice.InZone).
func Notices(before, after Dossier, e Event) []notify.Notice {
	var kind notify.Kind
	p := map[string]string{"code": after.Code}
	switch {
	case after.Code == "":
		return nil
	case e.Type == TypeCreated && after.Status == StatusReceived, e.Type == EventType(ActReceive):
		kind = notify.DossierReceived
		p["due"] = instant(after.DueAt)
	case e.Type == EventType(ActSupplement):
		kind = notify.DossierSupplement
		if s := after.Supplement; s != nil {
			p["papers"], p["by"] = s.What, instant(s.By)
		}
	case e.Type == EventType(ActComplete):
		kind = notify.DossierReady
	case e.Type == EventType(ActApologize):
		kind = notify.DossierLate
		p["due"] = instant(before.DueAt)
		if a := after.Apology; a != nil {
			p["new_due"] = instant(a.NewDue)
		} else {
			p["new_due"] = instant(after.DueAt)
		}
	default:
		return nil
	}
	for k, v := range p {
		if v == "" {
			delete(p, k)
		}
	}
	return []notify.Notice{{
		Key:    notify.DossierKey(after.Code, e.Seq),
		Kind:   kind,
		Item:   notify.Item{Type: notify.ItemDossier, ID: after.Code, Office: after.Office},
		At:     e.At,
		Params: p,
	}}
}

// instant is t as a notice's parameter ("" when zero).
func instant(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}
