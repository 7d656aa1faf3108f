// Package modem sends SMS through a GSM modem on a serial port: AT
// commands in PDU mode, SMS-SUBMIT in UCS-2 or the GSM 7-bit default
// alphabet, long messages split into concatenated parts, delivery reports
// (+CDS), and a reset of a modem that stops answering.
package modem

import (
	"context"
	"errors"
	"time"
)

// Config says how to reach a modem.
type Config struct {
	// Port is the device path, best a stable /dev/serial/by-id/… link.
	Port string
	// Baud is the line speed; 0 means 115200.
	Baud int
	// Timeout bounds the answer to each AT command; 0 means 5 s.
	Timeout time.Duration
}

// Modem is one GSM modem on a serial port.
type Modem struct{}

// Report is a delivery report (SMS-STATUS-REPORT) received as +CDS.
type Report struct {
	Ref   int    // the TP-MR of the part, as returned by Send
	Phone string // the recipient
	// Status is TP-ST: 0x00–0x1F delivered, 0x20–0x3F still trying,
	// 0x40 and up failed.
	Status    byte
	Delivered bool
	Final     bool // no other report will follow for this part
	At        time.Time
}

// Status is the modem's health as the server reports it (device.status).
type Status struct {
	State   string // "ok" or "fault"
	Message string // Vietnamese / English, for staff
	Resets  int
	Since   time.Time
}

// Submit is a decoded SMS-SUBMIT.
type Submit struct {
	Ref          int
	Phone        string
	Text         string
	GSM7         bool
	StatusReport bool
	ConcatRef    int // 0 without concatenation
	Parts, Part  int // 1, 1 without concatenation
}

// CMSError is the modem's +CMS ERROR answer.
type CMSError struct{ Code int }

func (e *CMSError) Error() string { return "modem: +CMS ERROR" }

// Permanent reports whether sending the same message again cannot succeed.
func (e *CMSError) Permanent() bool { return false }

// ErrNoAnswer: the modem did not answer in time.
var ErrNoAnswer = errors.New("modem: no answer")

// Open opens the port and initialises the modem.
func Open(c Config) (*Modem, error) { return nil, errors.New("modem: not implemented") }

// Send sends text to phone and returns the TP-MR of each part.
func (m *Modem) Send(ctx context.Context, phone, text string, gsm7 bool) (refs []int, err error) {
	return nil, errors.New("modem: not implemented")
}

// Reports returns the channel of delivery reports.
func (m *Modem) Reports() <-chan Report { return nil }

// Status returns the modem's health.
func (m *Modem) Status() Status { return Status{} }

// Close closes the port.
func (m *Modem) Close() error { return nil }

// EncodeSubmit encodes text for phone as SMS-SUBMIT TPDUs.
func EncodeSubmit(phone, text string, gsm7 bool, ref byte) ([][]byte, error) {
	return nil, errors.New("modem: not implemented")
}

// DecodeSubmit decodes an SMS-SUBMIT TPDU.
func DecodeSubmit(pdu []byte) (Submit, error) { return Submit{}, errors.New("modem: not implemented") }
