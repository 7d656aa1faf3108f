package stationstate

import (
	"errors"
	"strings"
	"time"

	"luot/server/client"
)

// note is what the corner says about the last key, kept as facts and put
// into words when the view is made (the clerk's name may come later).
type note struct {
	kind   noteKind
	key    string // key name
	action Action
	number string // ticket number of an action's answer
	code   string // the server's refusal code
	staff  string
	ok     bool
}

type noteKind int

const (
	noteNone        noteKind = iota
	noteUnknownKey           // a key that does nothing
	noteSignInFirst          // an action key before signing in
	noteBusy                 // a key pressed again while its action is in flight
	noteSending              // an action sent
	noteDone                 // an action's answer
	noteRefused              // an action refused
	noteSigningIn
	noteSignedIn
	noteSignInRefused
	noteSignedOut
	noteExpired  // the server said the session is gone
	noteTooLong  // typing beyond the limit
	noteEmpty    // Enter with nothing typed
	noteWaitSign // a key while signing in is in flight
)

// Key takes a key the clerk pressed: a Fyne key name ("KP_Enter", "+",
// "1" …) from the window or a serial keypad's code turned into one.
//
// Before a clerk has signed in, digits (and letters, from a full
// keyboard) type the staff id, Enter ("KP_Enter" or "Return") moves on to
// the PIN, shown as dots, and Enter again signs in (SignIn). BackSpace
// rubs out a character (on an empty PIN, goes back to the staff id),
// Escape starts again. Once signed in, the key map says what a key does:
// an action (Act, with an idempotency key made for this press), sign-out
// (SignOut), or nothing (the corner says the key is not mapped).
func (m *Model) Key(name string, now time.Time) []Effect {
	name = CanonicalKey(name)
	if _, mapped := m.opts.Keys[name]; !mapped && (name == "" || modifiers[name]) {
		return nil // Shift and the like, held for another key: not a press of its own
	}
	m.version++
	if m.staff == "" {
		return m.typeKey(name)
	}
	a, ok := m.opts.Keys[name]
	if !ok {
		m.note = note{kind: noteUnknownKey, key: name}
		return nil
	}
	if a == ActSignOut {
		m.signOut(noteSignedOut, name)
		return []Effect{SignOut{}}
	}
	for _, p := range m.inFlight {
		if p.action == a {
			m.note = note{kind: noteBusy, key: name, action: a}
			return nil
		}
	}
	k := m.opts.NewKey()
	m.inFlight[k] = &press{action: a, key: name}
	m.note = note{kind: noteSending, key: name, action: a, ok: true}
	return []Effect{Act{Action: a, Key: k, Press: name}}
}

func (m *Model) signOut(kind noteKind, key string) {
	m.note = note{kind: kind, key: key, staff: m.staff, ok: kind == noteSignedOut}
	m.staff, m.step, m.typedID, m.typedPIN = "", "staff", "", ""
	clear(m.inFlight)
}

// modifiers are keys Fyne reports on their own that a clerk presses
// with another key, or that Fyne could not name ("").
var modifiers = map[string]bool{
	"LeftShift": true, "RightShift": true, "LeftControl": true, "RightControl": true,
	"LeftAlt": true, "RightAlt": true, "LeftSuper": true, "RightSuper": true, "CapsLock": true,
}

func isEnter(name string) bool { return name == "KP_Enter" || name == "Return" }

// typed is the character a typing key types, 0 for none: digits, and at
// the staff step letters (Fyne names them in capitals; staff ids are in
// small letters).
func typed(name string, step string) byte {
	if len(name) != 1 {
		return 0
	}
	c := name[0]
	switch {
	case c >= '0' && c <= '9':
		return c
	case step == "staff" && c >= 'A' && c <= 'Z':
		return c + ('a' - 'A')
	case step == "staff" && (c >= 'a' && c <= 'z' || c == '-' || c == '_' || c == '.'):
		return c
	}
	return 0
}

func (m *Model) typeKey(name string) []Effect {
	if m.step == "wait" {
		m.note = note{kind: noteWaitSign, key: name}
		return nil
	}
	field, limit := &m.typedID, maxStaffLen
	if m.step == "pin" {
		field, limit = &m.typedPIN, maxPINLen
	}
	switch {
	case isEnter(name):
		if *field == "" {
			m.note = note{kind: noteEmpty}
			return nil
		}
		if m.step == "staff" {
			m.step = "pin"
			m.note = note{}
			return nil
		}
		if m.station == nil {
			// no office to sign in to yet: the PIN stays, Enter again tries
			m.note = note{kind: noteSignInRefused, code: codeNetwork}
			return nil
		}
		m.step = "wait"
		m.note = note{kind: noteSigningIn, ok: true}
		return []Effect{SignIn{Staff: m.staffID(), PIN: m.typedPIN}}
	case name == "BackSpace":
		m.note = note{}
		if *field != "" {
			*field = (*field)[:len(*field)-1]
		} else if m.step == "pin" {
			m.step = "staff"
		}
	case name == "Escape":
		m.note = note{}
		m.step, m.typedID, m.typedPIN = "staff", "", ""
	default:
		c := typed(name, m.step)
		if c == 0 {
			if a, mapped := m.opts.Keys[name]; mapped {
				m.note = note{kind: noteSignInFirst, key: name, action: a}
			} else {
				m.note = note{kind: noteUnknownKey, key: name}
			}
			return nil
		}
		if len(*field) >= limit {
			m.note = note{kind: noteTooLong}
			return nil
		}
		*field += string(c)
		m.note = note{}
	}
	return nil
}

// staffID is the id typed, with the station's prefix when it is digits
// only.
func (m *Model) staffID() string {
	if strings.Trim(m.typedID, "0123456789") == "" {
		return m.opts.StaffPrefix + m.typedID
	}
	return m.typedID
}

// SignedIn reports the answer to SignIn: nil, and the clerk is signed in
// at the station; an error, and the corner says why and the clerk types
// the staff id again.
func (m *Model) SignedIn(staff string, err error, now time.Time) {
	if m.step != "wait" {
		return // typed over (Escape) or signed out meanwhile: a stale answer
	}
	m.version++
	m.typedPIN = ""
	if err != nil {
		m.step, m.typedID = "staff", ""
		m.note = note{kind: noteSignInRefused, code: codeOf(err)}
		return
	}
	m.staff, m.step, m.typedID = staff, "", ""
	m.note = note{kind: noteSignedIn, staff: staff, ok: true}
}

// Acted reports the answer to an Act, by its Key: the ticket the server
// answered (nil when none, e.g. next with nobody waiting) or its refusal.
// A session the server no longer knows signs the station out (SignOut
// with Expired).
func (m *Model) Acted(key string, t *client.Ticket, err error, now time.Time) []Effect {
	p := m.inFlight[key]
	if p == nil {
		return nil // after a sign-out, or unknown
	}
	m.version++
	delete(m.inFlight, key)
	if err != nil {
		code := codeOf(err)
		if code == client.CodeInvalidSession || code == client.CodeUnauthenticated {
			m.signOut(noteExpired, p.key)
			return []Effect{SignOut{Expired: true}}
		}
		m.note = note{kind: noteRefused, key: p.key, action: p.action, code: code}
		return nil
	}
	n := note{kind: noteDone, key: p.key, action: p.action, ok: true}
	if t != nil {
		n.number = t.Number
	}
	m.note = n
	return nil
}

// network is the code given to a failure without the server's answer.
const codeNetwork = "network"

func codeOf(err error) string {
	var e *client.Error
	if errors.As(err, &e) {
		if e.Status >= 500 && e.Code == "" {
			return codeNetwork
		}
		return e.Code
	}
	return codeNetwork
}

func (m *Model) corner() Corner {
	c := Corner{OK: m.note.ok}
	switch m.step {
	case "staff":
		c.SignIn, c.Typed = "staff", m.typedID
	case "pin", "wait":
		c.SignIn, c.Typed = "pin", strings.Repeat("•", len(m.typedPIN))
	}
	c.Message, c.MessageEN = m.words(m.note)
	return c
}

// words puts a note into Vietnamese and English.
func (m *Model) words(n note) (string, string) {
	k := KeyLabel(n.key)
	a, aEN := n.action.Name(), n.action.NameEN()
	switch n.kind {
	case noteUnknownKey:
		return "Phím " + k + " chưa được gán việc", "Key " + k + " does nothing"
	case noteSignInFirst:
		return k + " → " + a + ": đăng nhập trước (mã cán bộ, Enter, mã PIN, Enter)",
			k + " → " + aEN + ": sign in first (staff id, Enter, PIN, Enter)"
	case noteBusy:
		return k + " → " + a + ": đang gửi, chờ kết quả", k + " → " + aEN + ": still sending, wait for the answer"
	case noteSending:
		return k + " → " + a + "…", k + " → " + aEN + "…"
	case noteDone:
		switch {
		case n.number != "":
			return k + " → " + a + ": " + n.number, k + " → " + aEN + ": " + n.number
		case n.action == ActNext:
			return k + " → " + a + ": không còn ai chờ", k + " → " + aEN + ": nobody waiting"
		}
		return k + " → " + a + ": xong", k + " → " + aEN + ": done"
	case noteRefused:
		r, rEN := refusal(n.code)
		return k + " → " + a + ": " + r, k + " → " + aEN + ": " + rEN
	case noteSigningIn:
		return "Đang đăng nhập…", "Signing in…"
	case noteWaitSign:
		return "Đang đăng nhập, chờ một chút", "Signing in, please wait"
	case noteSignedIn:
		who := n.staff
		if s := m.station; s != nil && s.Clerk != nil && s.Clerk.ID == n.staff && s.Clerk.Name != "" {
			who = s.Clerk.Name
		}
		return "Đã đăng nhập: " + who, "Signed in: " + who
	case noteSignInRefused:
		r, rEN := signInRefusal(n.code)
		return "Không đăng nhập được: " + r, "Cannot sign in: " + rEN
	case noteSignedOut:
		return k + " → Đã đăng xuất", k + " → Signed out"
	case noteExpired:
		return "Phiên đăng nhập đã hết: đăng nhập lại", "Your session has ended: sign in again"
	case noteTooLong:
		return "Quá dài: bấm ⌫ để xóa", "Too long: press ⌫ to rub out"
	case noteEmpty:
		return "Chưa nhập gì", "Nothing typed yet"
	}
	return "", ""
}

func refusal(code string) (string, string) {
	switch code {
	case client.CodeNobodyWaiting:
		return "không còn ai chờ", "nobody waiting"
	case client.CodeCounterNotOpen:
		return "quầy chưa mở", "the counter is not open"
	case client.CodeNoCurrentTicket:
		return "không có số nào ở quầy", "no ticket at the counter"
	case client.CodeBadTransition:
		return "không làm được lúc này", "not possible now"
	case client.CodeCounterBusy:
		return "quầy còn số chưa xong", "a ticket is still open at the counter"
	case client.CodeJustCalled:
		return "vừa gọi số, chờ vài giây", "just called, wait a few seconds"
	case client.CodeNotYourCounter, client.CodeForbidden, client.CodeWrongOffice:
		return "không được phép ở quầy này", "not allowed at this counter"
	case client.CodeRateLimited:
		return "bấm quá nhanh, chờ một chút", "too fast, wait a moment"
	case codeNetwork, client.CodeUnavailable, client.CodeStorageBusy, client.CodeStorageError, client.CodeStorageFull:
		return "mất kết nối máy chủ, bấm lại", "no answer from the server, press again"
	}
	return "bị từ chối (" + code + ")", "refused (" + code + ")"
}

func signInRefusal(code string) (string, string) {
	switch code {
	case "invalid_credentials":
		return "sai mã cán bộ hoặc mã PIN", "wrong staff id or PIN"
	case client.CodeLockedOut, client.CodeRateLimited:
		return "nhập sai nhiều lần, thử lại sau", "too many tries, try again later"
	case "staff_disabled":
		return "tài khoản bị khóa, hỏi quản trị viên", "account disabled, ask an administrator"
	case "station_other_counter", client.CodeNotYourCounter, client.CodeForbidden, client.CodeWrongOffice:
		return "không được làm việc ở quầy này", "not allowed at this counter"
	case codeNetwork, client.CodeUnavailable:
		return "mất kết nối máy chủ, thử lại", "no answer from the server, try again"
	}
	return "bị từ chối (" + code + ")", "refused (" + code + ")"
}
