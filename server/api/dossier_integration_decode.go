package api

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"luot/server/dossier"
)

// DossierPut is a PUT /dossiers/{code}'s body, checked: what the
// province's system knows of the dossier. Creation reads the procedure,
// the applicant, the channel, the times and the papers; an update reads
// the status (and what its transition needs: department, note, result,
// what and by) and the time it changed, status_at (now when absent). A
// note without a change of status is recorded once.
type DossierPut struct {
	Procedure   string
	Applicant   dossier.Applicant
	IDNumber    string
	Channel     dossier.Channel
	External    string
	SubmittedAt time.Time
	ReceivedAt  time.Time
	Papers      []string
	Status      dossier.Status
	StatusAt    time.Time
	Department  string
	Note        string
	Result      string
	What        string
	By          time.Time
	NewDue      time.Time
}

// dossierPutBody is the JSON of a PUT; times are RFC 3339.
type dossierPutBody struct {
	Procedure string `json:"procedure"`
	Applicant *struct {
		Name    string `json:"name"`
		Phone   string `json:"phone"`
		Address string `json:"address"`
	} `json:"applicant"`
	IDNumber    string   `json:"id_number"`
	Channel     string   `json:"channel"`
	External    string   `json:"external"`
	SubmittedAt string   `json:"submitted_at"`
	ReceivedAt  string   `json:"received_at"`
	Papers      []string `json:"papers"`
	Status      string   `json:"status"`
	StatusAt    string   `json:"status_at"`
	Department  string   `json:"department"`
	Note        string   `json:"note"`
	Result      string   `json:"result"`
	What        string   `json:"what"`
	By          string   `json:"by"`
	NewDue      string   `json:"new_due"`
}

// maxExternal bounds the province's own id of a dossier.
const maxExternal = 64

// decodeDossierPut decodes and checks a PUT's body: unknown fields,
// malformed times, statuses, channels, ids and oversized texts are 400s.
// Whether the procedure and department exist, and whether the transition
// is allowed, is the domain's to say.
func decodeDossierPut(data []byte) (DossierPut, error) {
	var b dossierPutBody
	var out DossierPut
	if err := decodeStrict(data, &b); err != nil {
		return out, err
	}
	var err error
	if out.Procedure, err = codeField("procedure", b.Procedure); err != nil {
		return out, err
	}
	if b.Applicant != nil {
		if out.Applicant.Name, err = longText("applicant name", b.Applicant.Name, dossier.MaxName); err != nil {
			return out, err
		}
		if p := strings.TrimSpace(b.Applicant.Phone); p != "" {
			if out.Applicant.Phone, err = phoneOf(p); err != nil {
				return out, err
			}
		}
		if out.Applicant.Address, err = longText("applicant address", b.Applicant.Address, 200); err != nil {
			return out, err
		}
	}
	if out.IDNumber, err = idNumber(b.IDNumber); err != nil {
		return out, err
	}
	if out.Channel, err = channelOf(b.Channel); err != nil {
		return out, err
	}
	if out.External, err = codeField("external", b.External); err != nil {
		return out, err
	}
	if len(b.Papers) > dossier.MaxPapers {
		return out, badRequest("invalid_papers", "a dossier has at most {max} papers", "max", dossier.MaxPapers)
	}
	for _, p := range b.Papers {
		if err := checkID("paper", p, true); err != nil {
			return out, err
		}
	}
	out.Papers = b.Papers
	if out.Status, err = statusOf(b.Status); err != nil {
		return out, err
	}
	if err := checkID("department", b.Department, false); err != nil {
		return out, err
	}
	out.Department = b.Department
	for _, f := range []struct {
		name string
		in   string
		out  *string
	}{{"note", b.Note, &out.Note}, {"result", b.Result, &out.Result}, {"what", b.What, &out.What}} {
		if *f.out, err = longText(f.name, f.in, dossier.MaxNote); err != nil {
			return out, err
		}
	}
	for _, f := range []struct {
		name string
		in   string
		out  *time.Time
	}{{"submitted_at", b.SubmittedAt, &out.SubmittedAt}, {"received_at", b.ReceivedAt, &out.ReceivedAt},
		{"status_at", b.StatusAt, &out.StatusAt}, {"by", b.By, &out.By}, {"new_due", b.NewDue, &out.NewDue}} {
		if *f.out, err = timeField(f.name, f.in); err != nil {
			return out, err
		}
	}
	if !out.NewDue.IsZero() {
		// An apology's new date is the office's word to the applicant:
		// its handlers and managers give it (docs/dossier.md), not the
		// province's system.
		return out, badRequest("invalid_new_due", "new_due goes with an apology, which the office's staff record: leave it out")
	}
	return out, nil
}

// codeField checks a code-like field (a procedure's code, the province's
// id): at most 64 printable ASCII characters without spaces; "" allowed.
func codeField(field, s string) (string, error) {
	if len(s) > maxExternal {
		return "", badRequest("invalid_"+field, "{field} has more than {max} characters", "field", field, "max", maxExternal)
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return "", badRequest("invalid_"+field, "{field} {value} must be printable ASCII characters without spaces", "field", field, "value", fmt.Sprintf("%q", truncate(s, 40)))
		}
	}
	return s, nil
}

// longText checks a free text of at most max characters (names, notes):
// NFC, trimmed, no control characters but line breaks.
func longText(field, s string, max int) (string, error) {
	if !utf8.ValidString(s) {
		return "", badRequest("invalid_"+strings.ReplaceAll(field, " ", "_"), "{what} is not UTF-8: send it as UTF-8 text", "what", field)
	}
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if n := utf8.RuneCountInString(s); n > max {
		return "", badRequest("invalid_"+strings.ReplaceAll(field, " ", "_"), "{what} has {n} characters; at most {max} are kept", "what", field, "n", n, "max", max)
	}
	for _, r := range s {
		if (r < ' ' && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' {
			return "", badRequest("invalid_"+strings.ReplaceAll(field, " ", "_"), "{what} has a control character: send plain text", "what", field)
		}
	}
	return norm.NFC.String(s), nil
}

// idNumber bounds an ID card number's length; whether it is one is the
// domain's to say (only its masked form is kept).
func idNumber(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) > 32 {
		return "", badRequest("invalid_id_number", "the ID number has more than {max} characters: send the digits of the card", "max", 32)
	}
	return s, nil
}

// channelOf checks a channel ("" allowed).
func channelOf(s string) (dossier.Channel, error) {
	switch c := dossier.Channel(s); c {
	case "", dossier.ChannelCounter, dossier.ChannelOnline, dossier.ChannelPost:
		return c, nil
	}
	return "", badRequest("invalid_channel", "channel {value} is unknown: use counter, online or post", "value", fmt.Sprintf("%q", truncate(s, 20)))
}

// statusOf checks a status ("" allowed).
func statusOf(s string) (dossier.Status, error) {
	for _, st := range dossier.Statuses {
		if string(st) == s {
			return st, nil
		}
	}
	if s == "" {
		return "", nil
	}
	return "", badRequest("invalid_status", "status {value} is unknown: use one of submitted, received, refused, processing, needs_supplement, awaiting_payment, withdrawn, suspended, completed, returned", "value", fmt.Sprintf("%q", truncate(s, 30)))
}

// timeField parses an RFC 3339 time ("" is the zero time).
func timeField(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil || t.Year() < 2000 || t.Year() > 2999 {
		return time.Time{}, badRequest("invalid_time", "{field} {value} is not a time: write it in RFC 3339 with its offset, e.g. 2026-03-02T09:30:00+07:00", "field", field, "value", fmt.Sprintf("%q", truncate(s, 40)))
	}
	return t, nil
}
