package api

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"luot/server/queue"
)

// RemoteTicketBody is the body of POST /offices/{office}/remote-tickets.
type RemoteTicketBody struct {
	Service string `json:"service"`
	Phone   string `json:"phone"`
	Name    string `json:"name"`
	// Code is the code sent to the phone, when the server confirms
	// phones (phoneverify.go): codeDigits digits.
	Code string `json:"code,omitempty"`
}

// phoneOf normalises a phone number, as a 400 error when it is not one.
func phoneOf(s string) (string, error) {
	p, err := queue.NormalizePhone(s)
	if err != nil {
		return "", domainError(http.StatusBadRequest, "invalid_phone", err)
	}
	return p, nil
}

// MaxCitizenName is the longest name a citizen may give, in characters.
const MaxCitizenName = 100

// citizenName cleans a citizen's name: NFC, trimmed, 1–MaxCitizenName
// characters without control characters or angle brackets. It is stored as given otherwise
// (escaping is the job of whoever shows it).
func citizenName(s string) (string, error) {
	n, err := cleanText("name", s, true)
	if err != nil {
		return "", err
	}
	if utf8.RuneCountInString(n) > MaxCitizenName {
		return "", badRequest("invalid_name", "name is longer than {max} characters", "max", MaxCitizenName)
	}
	if strings.ContainsAny(n, "<>") {
		// No name has them; markup in a name is an attack on some screen.
		return "", badRequest("invalid_name", "a name must not contain < or >")
	}
	return n, nil
}

func decodeRemoteTicket(data []byte) (RemoteTicketBody, error) {
	var b RemoteTicketBody
	if err := decodeStrict(data, &b); err != nil {
		return RemoteTicketBody{}, err
	}
	if err := checkID("service", b.Service, true); err != nil {
		return RemoteTicketBody{}, err
	}
	var err error
	if b.Name, err = citizenName(b.Name); err != nil {
		return RemoteTicketBody{}, err
	}
	if b.Phone, err = phoneOf(b.Phone); err != nil {
		return RemoteTicketBody{}, err
	}
	if b.Code != "" && !isDigits(b.Code, codeDigits) {
		return RemoteTicketBody{}, badRequest("invalid_code", "the phone code has {n} digits, as in the message", "n", codeDigits)
	}
	return b, nil
}

// isDigits reports whether s is n ASCII digits.
func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// BookingBody is the body of POST /offices/{office}/bookings.
type BookingBody struct {
	Service string `json:"service"`
	Date    string `json:"date"`
	Slot    string `json:"slot"`
	Name    string `json:"name"`
	Phone   string `json:"phone"`
}

func decodeBooking(data []byte) (BookingBody, error) {
	var b BookingBody
	if err := decodeStrict(data, &b); err != nil {
		return BookingBody{}, err
	}
	if err := checkID("service", b.Service, true); err != nil {
		return BookingBody{}, err
	}
	if len(b.Date) != 10 {
		return BookingBody{}, badRequest("invalid_date", "date is required as YYYY-MM-DD")
	}
	m, err := queue.ParseClock(b.Slot)
	if err != nil {
		return BookingBody{}, badRequest("invalid_slot", "slot is required as HH:MM (two digits, a colon, two digits), one of the slots offered")
	}
	b.Slot = queue.FormatClock(m)
	if b.Name, err = citizenName(b.Name); err != nil {
		return BookingBody{}, err
	}
	if b.Phone, err = phoneOf(b.Phone); err != nil {
		return BookingBody{}, err
	}
	return b, nil
}

// PhoneBody is the body of POST /offices/{office}/phone-codes.
type PhoneBody struct {
	Phone string `json:"phone"`
}

func decodePhone(data []byte) (PhoneBody, error) {
	var b PhoneBody
	if err := decodeStrict(data, &b); err != nil {
		return PhoneBody{}, err
	}
	var err error
	if b.Phone, err = phoneOf(b.Phone); err != nil {
		return PhoneBody{}, err
	}
	return b, nil
}

// BookingTokenBody is the body of DELETE /bookings/{code}: the booking's
// manage token, from the link in the answer that made it.
type BookingTokenBody struct {
	Token string `json:"token"`
}

func decodeBookingToken(data []byte) (BookingTokenBody, error) {
	var b BookingTokenBody
	if err := decodeStrict(data, &b); err != nil {
		return BookingTokenBody{}, err
	}
	if b.Token == "" || len(b.Token) > 128 {
		return BookingTokenBody{}, newError(401, "token_required", "the booking's token is required: open the link you received when you booked (the code and the phone number are not enough)")
	}
	return b, nil
}

// CheckinBody is the body of POST /offices/{office}/checkins.
type CheckinBody struct {
	Code string `json:"code"`
}

// bookingCode normalises and checks a booking code typed or scanned.
func bookingCode(s string) (string, error) {
	c := queue.NormalizeBookingCode(s)
	if !queue.ValidBookingCode(c) {
		return "", badRequest("invalid_code", "{code} is not a booking code: codes have {n} letters and digits, as on the confirmation", "code", fmt.Sprintf("%q", truncate(s, 20)), "n", queue.BookingCodeLen)
	}
	return c, nil
}

func decodeCheckin(data []byte) (CheckinBody, error) {
	var b CheckinBody
	if err := decodeStrict(data, &b); err != nil {
		return CheckinBody{}, err
	}
	var err error
	if b.Code, err = bookingCode(b.Code); err != nil {
		return CheckinBody{}, err
	}
	return b, nil
}

// TokenBody is the body of POST /tickets/{id}/cancel.
type TokenBody struct {
	Token string `json:"token"`
}

func checkToken(t string) error {
	if t == "" || len(t) > 128 {
		return newError(401, "token_required", "the ticket's token is required (from the link or QR code on the ticket)")
	}
	return nil
}

func decodeToken(data []byte) (TokenBody, error) {
	var b TokenBody
	if err := decodeStrict(data, &b); err != nil {
		return TokenBody{}, err
	}
	return b, checkToken(b.Token)
}

// RatingBody is the body of POST /tickets/{id}/rating. Score is 4 (very
// satisfied, Rất hài lòng), 3 (satisfied), 2 (neutral) or 1 (dissatisfied).
type RatingBody struct {
	Token   string `json:"token"`
	Score   int    `json:"score"`
	Comment string `json:"comment"`
}

// MaxComment is the longest rating comment, in characters.
const MaxComment = 1000

func decodeRating(data []byte) (RatingBody, error) {
	var b RatingBody
	if err := decodeStrict(data, &b); err != nil {
		return RatingBody{}, err
	}
	if err := checkToken(b.Token); err != nil {
		return RatingBody{}, err
	}
	if b.Score < 1 || b.Score > 4 {
		return RatingBody{}, badRequest("invalid_score", "score must be 4 (very satisfied), 3 (satisfied), 2 (neutral) or 1 (dissatisfied)")
	}
	c := strings.TrimSpace(norm.NFC.String(b.Comment))
	if err := queue.CheckComment("the comment", c, MaxComment); err != nil {
		return RatingBody{}, domainError(http.StatusBadRequest, "invalid_comment", err)
	}
	b.Comment = c
	return b, nil
}
