package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"math/big"
	"net/http"
	"sync"
	"time"

	"luot/server/queue"
)

// Phone verification.
//
// Online numbers name a phone, and invented phones let one person flood
// an office's line with them. When Config.PhoneVerifier is set, a remote
// ticket needs a phone confirmed by a one-time code sent to it:
//
//	POST /api/v1/offices/{office}/phone-codes     {phone} → 202 {phone (masked), expires_at}
//	POST /api/v1/offices/{office}/remote-tickets  {service, phone, name, code} → 201 {ticket}
//
// The API makes each code (codeDigits random digits), keeps only its
// hash, for codeTTL, and checks it; the verifier only delivers it (an SMS
// gateway, brought by the notifications work). A code serves one ticket;
// codeTries wrong codes for a phone throw its code away. Asking for codes
// is limited like every public write that names a phone (per address and
// per phone) and, like online numbers, per office (CitizenLimits'
// RemotePerOffice, counted apart), so a script cannot make the office pay
// for a flood of SMS.
// When no verifier is configured, phone-codes answers 404 and a code in a
// remote ticket is ignored.
const (
	codeDigits = 6
	codeTTL    = 10 * time.Minute
	codeTries  = 5
	maxCodes   = 100_000
)

// PhoneVerifier delivers one-time codes to phones.
type PhoneVerifier interface {
	// SendCode sends code to phone (normalised, "+84912345678") for a
	// number at office, in a message that says what it is for. An error
	// means it was not sent; the citizen is asked to try again.
	SendCode(ctx context.Context, office, phone, code string) error
}

// phoneCodes are the codes sent and not yet used, by office and phone.
type phoneCodes struct {
	mu    sync.Mutex
	codes map[string]*sentCode
}

type sentCode struct {
	hash    [sha256.Size]byte
	expires time.Time
	tries   int
}

func codeKey(office, phone string) string { return office + "|" + phone }

// issue makes a new code for the phone, replacing any earlier one; false
// when too many codes are pending.
func (p *phoneCodes) issue(office, phone string, now time.Time) (string, bool) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic("crypto/rand failed: " + err.Error()) // never on a supported OS
	}
	code := fmt.Sprintf("%0*d", codeDigits, n.Int64())
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.codes == nil {
		p.codes = map[string]*sentCode{}
	}
	if len(p.codes) >= maxCodes {
		for k, c := range p.codes {
			if !now.Before(c.expires) {
				delete(p.codes, k)
			}
		}
		if len(p.codes) >= maxCodes {
			return "", false
		}
	}
	p.codes[codeKey(office, phone)] = &sentCode{hash: sha256.Sum256([]byte(code)), expires: now.Add(codeTTL)}
	return code, true
}

// forget drops the phone's code (it could not be sent).
func (p *phoneCodes) forget(office, phone string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.codes, codeKey(office, phone))
}

// use checks a code for the phone and, when right, uses it up.
func (p *phoneCodes) use(office, phone, code string, now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	k := codeKey(office, phone)
	c := p.codes[k]
	if c == nil {
		return false
	}
	if !now.Before(c.expires) {
		delete(p.codes, k)
		return false
	}
	h := sha256.Sum256([]byte(code))
	if subtle.ConstantTimeCompare(h[:], c.hash[:]) == 1 {
		delete(p.codes, k)
		return true
	}
	if c.tries++; c.tries >= codeTries {
		delete(p.codes, k)
	}
	return false
}

var (
	errVerifyOff = newError(http.StatusNotFound, "phone_verification_off",
		"this server does not confirm phone numbers: take the number without a code")
	errPhoneUnverified = newError(http.StatusForbidden, "phone_unverified",
		"this office confirms phone numbers: ask for a code (POST /api/v1/offices/{office}/phone-codes with your phone), then send the number again with the code")
	errWrongCode = newError(http.StatusForbidden, "wrong_code",
		"the code is wrong, used or expired: check the message, or ask for a new code")
)

// sendPhoneCode answers POST /offices/{office}/phone-codes.
func (c *citizen) sendPhoneCode(w http.ResponseWriter, r *http.Request) {
	v, ok := c.officeView(w, r)
	if !ok {
		return
	}
	ver := c.s.cfg.PhoneVerifier
	if ver == nil {
		c.s.fail(w, r, errVerifyOff)
		return
	}
	if c.limited(w, r) {
		return
	}
	b, ok := phoneLimitedBody(c, w, r, decodePhone)
	if !ok || c.officeCodesLimited(w, r, v.Office.ID) {
		return
	}
	now := c.s.now()
	code, ok := c.codes.issue(v.Office.ID, b.Phone, now)
	if !ok {
		c.s.tooMany(w, r, time.Minute, "codes waiting to be used")
		return
	}
	if err := ver.SendCode(r.Context(), v.Office.ID, b.Phone, code); err != nil {
		c.codes.forget(v.Office.ID, b.Phone)
		c.s.log.Warn("phone code not sent", "office", v.Office.ID, "err", err)
		w.Header().Set("Retry-After", "60")
		c.s.fail(w, r, newError(http.StatusServiceUnavailable, "code_not_sent",
			"the code could not be sent to this phone just now: try again in a minute, or take a number at the kiosk"))
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{
		"phone": queue.MaskPhone(b.Phone), "expires_at": now.Add(codeTTL).In(v.Office.Location()),
	})
}

// phoneVerified checks a remote ticket's code when verification is on,
// and answers 403 when it fails.
func (c *citizen) phoneVerified(w http.ResponseWriter, r *http.Request, office string, b RemoteTicketBody) bool {
	if c.s.cfg.PhoneVerifier == nil {
		return true
	}
	if b.Code == "" {
		c.s.fail(w, r, errPhoneUnverified)
		return false
	}
	if !c.codes.use(office, b.Phone, b.Code, c.s.now()) {
		c.s.fail(w, r, errWrongCode)
		return false
	}
	return true
}
