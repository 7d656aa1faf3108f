package modem

import (
	"errors"
	"fmt"
)

// CMSError is the modem's "+CMS ERROR: n" answer (3GPP TS 27.005 §3.2.5;
// below 256 the network's cause, TS 24.011 and TS 23.040 TP-FCS).
type CMSError struct{ Code int }

func (e *CMSError) Error() string {
	what := "lỗi tạm thời, sẽ gửi lại / temporary, will be retried"
	if e.Permanent() {
		what = "số hoặc tin nhắn bị từ chối, không gửi lại / number or message refused, not retried"
	}
	return fmt.Sprintf("modem: +CMS ERROR: %d (%s)", e.Code, what)
}

// permanentCMS are the causes that concern the number or the message
// itself: sending the same message again cannot succeed. The others (the
// network out of order or congested, the SIM busy, no service, a timeout)
// are worth a retry.
var permanentCMS = map[int]bool{
	1:    true, // unassigned (unallocated) number
	8:    true, // operator determined barring
	10:   true, // call barred
	21:   true, // short message transfer rejected
	28:   true, // unidentified subscriber
	29:   true, // facility rejected
	30:   true, // unknown subscriber
	50:   true, // requested facility not subscribed
	69:   true, // requested facility not implemented
	95:   true, // invalid message, unspecified
	96:   true, // invalid mandatory information
	97:   true, // message type non-existent
	98:   true, // message not compatible with the protocol state
	99:   true, // information element non-existent
	111:  true, // protocol error, unspecified
	0xC3: true, // TP-FCS invalid SME address
	0xC4: true, // TP-FCS SME barred
	0xC5: true, // TP-FCS duplicate rejected
	304:  true, // invalid PDU mode parameter
}

// Permanent reports whether sending the same message again cannot succeed
// (a bad or barred number, a malformed message); the sender then gives the
// message up instead of retrying it.
func (e *CMSError) Permanent() bool {
	return permanentCMS[e.Code] || (e.Code >= 0x80 && e.Code <= 0xB0) // TP-PID, TP-DCS, TP-Command errors
}

// deviceCMS are the causes that concern the modem or its SIM rather than a
// message: the modem's status turns to fault.
func deviceCMS(code int) bool {
	return code == 300 || (code >= 310 && code <= 318) || code == 320 || code == 322 || code == 330 || code == 331
}

// Errors of the connection, for errors.Is.
var (
	// ErrNoAnswer: the modem did not answer in time, even after a reset.
	ErrNoAnswer = errors.New("modem: no answer: the modem was reset and still did not answer; check its power, SIM and cable")
	// ErrClosed: Close was called.
	ErrClosed = errors.New("modem: closed")
)

// Permanent reports whether err means that the message itself cannot be
// sent (ErrInvalid, a permanent *CMSError), as opposed to a failure worth a
// retry later.
func Permanent(err error) bool {
	var c *CMSError
	if errors.As(err, &c) {
		return c.Permanent()
	}
	return errors.Is(err, ErrInvalid)
}
