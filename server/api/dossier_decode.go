package api

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"luot/server/dossier"
)

// ApplicantBody is the applicant of a dossier received at the counter.
// The ID number is kept masked (dossier.MaskID).
type ApplicantBody struct {
	Name     string `json:"name"`
	Phone    string `json:"phone"`
	IDNumber string `json:"id_number"`
	Address  string `json:"address"`
}

// ReceiveBody is the body of POST /counters/{id}/dossiers: a dossier
// received, or refused with Refuse, the reason.
type ReceiveBody struct {
	Procedure string        `json:"procedure"`
	Applicant ApplicantBody `json:"applicant"`
	Papers    []string      `json:"papers"`
	Extra     []string      `json:"extra"`
	Refuse    string        `json:"refuse"`
	// SMSConsent is the applicant's consent, asked at the counter, to
	// SMS about this dossier at the applicant's phone: the subscription
	// is made with the dossier, so that its "received" SMS goes too. It
	// needs the phone, a dossier received (not a refusal) and an SMS
	// route on the server (404 sms_off otherwise: the console offers it
	// only then).
	SMSConsent bool `json:"sms_consent"`
	// Lang is the language of the SMS (vi or en; vi when empty).
	Lang string `json:"lang"`
}

// Limits of the texts of dossiers' requests.
const (
	maxAddress  = 200 // characters of an address
	maxExtra    = 20  // other papers, in words
	maxExtraLen = 200 // characters of each
	maxIDNumber = 20  // characters of an ID card number as typed
)

// procedureCode checks the shape of a procedure's code (the catalogue's
// codes are ids, or the national codes such as "1.001234": letters,
// digits, '.', '-' and '_').
func procedureCode(s string) error {
	if s == "" {
		return badRequest("invalid_procedure", "procedure is required: a procedure code of the office's catalogue")
	}
	ok := len(s) <= 40
	for i := 0; ok && i < len(s); i++ {
		c := s[i]
		ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_'
	}
	if !ok {
		return badRequest("invalid_procedure", "procedure {procedure} is not a procedure code: use a code of the office's catalogue", "procedure", fmt.Sprintf("%q", truncate(s, 40)))
	}
	return nil
}

func decodeReceive(data []byte) (ReceiveBody, error) {
	var b ReceiveBody
	if err := decodeStrict(data, &b); err != nil {
		return ReceiveBody{}, err
	}
	if err := procedureCode(b.Procedure); err != nil {
		return ReceiveBody{}, err
	}
	var err error
	if b.Applicant.Name, err = citizenName(b.Applicant.Name); err != nil {
		return ReceiveBody{}, err
	}
	if p := strings.TrimSpace(b.Applicant.Phone); p != "" {
		if b.Applicant.Phone, err = phoneOf(p); err != nil {
			return ReceiveBody{}, err
		}
	} else {
		b.Applicant.Phone = ""
	}
	id := strings.Join(strings.Fields(b.Applicant.IDNumber), "")
	if len(id) > maxIDNumber || strings.IndexFunc(id, func(r rune) bool { return (r < '0' || r > '9') && (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') }) >= 0 {
		return ReceiveBody{}, badRequest("invalid_id_number", "id_number must be the ID card's number: at most {max} letters and digits", "max", maxIDNumber)
	}
	b.Applicant.IDNumber = id
	if b.Applicant.Address, err = oneLine("address", "address", b.Applicant.Address, maxAddress); err != nil {
		return ReceiveBody{}, err
	}
	if len(b.Papers) > dossier.MaxPapers {
		return ReceiveBody{}, badRequest("invalid_papers", "papers lists at most {max} papers", "max", dossier.MaxPapers)
	}
	for _, p := range b.Papers {
		if err := checkID("paper", p, true); err != nil {
			return ReceiveBody{}, err
		}
	}
	if slices.Contains(b.Papers, "") || len(slices.Compact(slices.Sorted(slices.Values(b.Papers)))) != len(b.Papers) {
		return ReceiveBody{}, badRequest("invalid_papers", "papers lists a paper twice")
	}
	if len(b.Extra) > maxExtra {
		return ReceiveBody{}, badRequest("invalid_extra", "extra lists at most {max} other papers", "max", maxExtra)
	}
	extra := b.Extra[:0:0]
	for _, e := range b.Extra {
		s, err := oneLine("extra", "other paper", e, maxExtraLen)
		if err != nil {
			return ReceiveBody{}, err
		}
		if s != "" {
			extra = append(extra, s)
		}
	}
	b.Extra = extra
	if b.Refuse, err = freeText("refuse", "the reason", b.Refuse, dossier.MaxNote, false); err != nil {
		return ReceiveBody{}, err
	}
	if b.Lang != "" && b.Lang != "vi" && b.Lang != "en" {
		return ReceiveBody{}, badRequest("invalid_lang", "lang must be vi or en")
	}
	if b.SMSConsent && b.Applicant.Phone == "" {
		return ReceiveBody{}, badRequest("phone_required", "applicant.phone is required with sms_consent: type the phone the SMS go to, or untick the consent")
	}
	if b.SMSConsent && b.Refuse != "" {
		return ReceiveBody{}, badRequest("invalid_sms_consent", "a refused dossier is told nothing: send sms_consent only with a dossier received")
	}
	return b, nil
}

// DossierActionBody is the body of POST /dossiers/{code}/actions/{action}. By
// and NewDue are dates ("2026-12-04": until the end of that day in the
// office's time zone) or times (RFC 3339). Version, when not 0, is the
// dossier's version the request was made from: a dossier changed since
// is 409 stale_dossier.
type DossierActionBody struct {
	Note       string `json:"note"`
	Department string `json:"department"`
	What       string `json:"what"`
	By         string `json:"by"`
	NewDue     string `json:"new_due"`
	Result     string `json:"result"`
	Reason     string `json:"reason"`
	Version    int    `json:"version"`
}

// actionArgs is an action's body, checked, its dates read.
type actionArgs struct {
	DossierActionBody
	by, newDue time.Time
}

func decodeDossierAction(data []byte, loc *time.Location) (actionArgs, error) {
	var a actionArgs
	if len(strings.TrimSpace(string(data))) == 0 {
		return a, nil // an action without arguments
	}
	if err := decodeStrict(data, &a.DossierActionBody); err != nil {
		return actionArgs{}, err
	}
	b := &a.DossierActionBody
	var err error
	if b.Note, err = freeText("note", "the note", b.Note, dossier.MaxNote, false); err != nil {
		return actionArgs{}, err
	}
	if b.Reason, err = freeText("reason", "the reason", b.Reason, dossier.MaxNote, false); err != nil {
		return actionArgs{}, err
	}
	if b.What, err = freeText("what", "what is missing", b.What, dossier.MaxNote, false); err != nil {
		return actionArgs{}, err
	}
	if b.Result, err = freeText("result", "the result", b.Result, dossier.MaxNote, false); err != nil {
		return actionArgs{}, err
	}
	if err := checkID("department", b.Department, false); err != nil {
		return actionArgs{}, err
	}
	if b.Version < 0 {
		return actionArgs{}, badRequest("invalid_version", "version must be the dossier's version (a whole number from 1), or left out")
	}
	if a.by, err = parseDay("by", b.By, loc); err != nil {
		return actionArgs{}, err
	}
	if a.newDue, err = parseDay("new_due", b.NewDue, loc); err != nil {
		return actionArgs{}, err
	}
	return a, nil
}

// parseDay reads a date of a request: "YYYY-MM-DD" is that day (its
// start in loc; the domain counts a supplement's or an apology's date to
// the end of that day), an RFC 3339 time is that time; "" is zero.
func parseDay(field, s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if len(s) <= 40 {
		if d, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
			return d, nil
		}
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t.In(loc), nil
		}
	}
	return time.Time{}, badRequest("invalid_"+field, "{field} must be a date such as 2026-12-04 (or a time such as 2026-12-04T17:00:00+07:00)", "field", field)
}

// DossierPrintBody is the body of POST /dossiers/{code}/print.
type DossierPrintBody struct {
	Counter string `json:"counter"`
	Kind    string `json:"kind"`
}

func decodeDossierPrint(data []byte) (DossierPrintBody, error) {
	var b DossierPrintBody
	if err := decodeStrict(data, &b); err != nil {
		return DossierPrintBody{}, err
	}
	if b.Kind == "" {
		b.Kind = "receipt"
	}
	if b.Kind != "receipt" && b.Kind != "apology" {
		return DossierPrintBody{}, badRequest("invalid_kind", "kind must be \"receipt\" or \"apology\"")
	}
	if err := checkID("counter", b.Counter, false); err != nil {
		return DossierPrintBody{}, err
	}
	return b, nil
}

// ApplicantAuthBody is how the applicant proves the dossier is theirs:
// the token of the receipt's link (k), or the last 4 digits of their
// phone number.
type ApplicantAuthBody struct {
	K      string `json:"k"`
	Phone4 string `json:"phone4"`
}

func (b ApplicantAuthBody) check() error {
	switch {
	case b.K == "" && b.Phone4 == "":
		return badRequest("invalid_lookup", "send k (from the receipt's link) or phone4 (the last 4 digits of the phone number given at the counter)")
	case b.K != "" && b.Phone4 != "":
		return badRequest("invalid_lookup", "send k or phone4, not both")
	case len(b.K) > 128 || !printableASCII(b.K):
		return badRequest("invalid_k", "k is the token of the receipt's link: at most 128 printable ASCII characters")
	case b.Phone4 != "" && (len(b.Phone4) != 4 || strings.Trim(b.Phone4, "0123456789") != ""):
		return badRequest("invalid_phone4", "phone4 must be the last 4 digits of the phone number given at the counter")
	}
	return nil
}

func decodeLookup(data []byte) (ApplicantAuthBody, error) {
	var b ApplicantAuthBody
	if err := decodeStrict(data, &b); err != nil {
		return ApplicantAuthBody{}, err
	}
	b.Phone4 = strings.TrimSpace(b.Phone4)
	return b, b.check()
}

// DossierRatingBody is the body of POST /dossiers/{code}/rating.
type DossierRatingBody struct {
	ApplicantAuthBody
	Score   int    `json:"score"`
	Comment string `json:"comment"`
}

func decodeDossierRating(data []byte) (DossierRatingBody, error) {
	var b DossierRatingBody
	if err := decodeStrict(data, &b); err != nil {
		return DossierRatingBody{}, err
	}
	b.Phone4 = strings.TrimSpace(b.Phone4)
	if err := b.check(); err != nil {
		return DossierRatingBody{}, err
	}
	if b.Score < 1 || b.Score > 4 {
		return DossierRatingBody{}, badRequest("invalid_score", "score must be 4 (very satisfied), 3, 2 or 1 (dissatisfied)")
	}
	var err error
	if b.Comment, err = freeText("comment", "the comment", b.Comment, MaxComment, false); err != nil {
		return DossierRatingBody{}, err
	}
	return b, nil
}

// PickupBody is the body of POST /offices/{office}/dossier-pickups: the
// code scanned or typed, and the token when the receipt's QR was read.
type PickupBody struct {
	Code string `json:"code"`
	K    string `json:"k"`
}

func decodePickup(data []byte) (PickupBody, error) {
	var b PickupBody
	if err := decodeStrict(data, &b); err != nil {
		return PickupBody{}, err
	}
	b.Code = normCode(b.Code)
	if _, _, _, err := dossier.ParseCode(b.Code); err != nil || len(b.Code) > 32 {
		return PickupBody{}, badRequest("invalid_dossier", "code {code} is not a dossier code: it looks like TP-261127-0001, as printed on the receipt", "code", fmt.Sprintf("%q", truncate(b.Code, 40)))
	}
	if len(b.K) > 128 || !printableASCII(b.K) {
		return PickupBody{}, badRequest("invalid_k", "k is the token of the receipt's link: at most 128 printable ASCII characters")
	}
	return b, nil
}
