package printer

import (
	"fmt"
	"strings"
)

// Fault is one reason a printer cannot print (or soon will not).
type Fault int

// Faults, in the order a person should deal with them.
const (
	FaultNoAnswer      Fault = iota + 1 // no reply to DLE EOT: off, unplugged, wrong port or baud rate
	FaultCoverOpen                      // the paper cover is open
	FaultPaperEnd                       // no paper left
	FaultCutter                         // the auto-cutter is jammed or failed
	FaultUnrecoverable                  // head overheat, voltage or other unrecoverable error
	FaultRecoverable                    // an automatically recoverable error (e.g. head too hot), wait
	FaultOffline                        // offline for another reason (e.g. paper being fed by the button)
	FaultPaperNearEnd                   // paper is running low; printing still works
)

var faultText = map[Fault][2]string{
	FaultNoAnswer: {"Máy in không trả lời: kiểm tra nguồn điện và cáp nối máy in.",
		"The printer does not answer: check that it is switched on and its cable is plugged in."},
	FaultCoverOpen: {"Nắp máy in đang mở: hãy đóng nắp lại.",
		"The printer cover is open: close it."},
	FaultPaperEnd: {"Máy in hết giấy: hãy thay cuộn giấy mới.",
		"The printer is out of paper: load a new paper roll."},
	FaultCutter: {"Dao cắt giấy bị kẹt: tắt máy in, gỡ giấy kẹt rồi bật lại.",
		"The paper cutter is jammed: switch the printer off, clear the jam and switch it on again."},
	FaultUnrecoverable: {"Máy in bị lỗi không tự khắc phục được: tắt rồi bật lại máy in; nếu vẫn lỗi, gọi kỹ thuật viên.",
		"The printer has an unrecoverable error: switch it off and on again; if it persists, call a technician."},
	FaultRecoverable: {"Máy in đang tạm dừng (ví dụ đầu in quá nóng): vui lòng chờ một chút.",
		"The printer has paused (for example the print head is too hot): please wait a moment."},
	FaultOffline: {"Máy in đang ngoại tuyến: kiểm tra nắp, giấy và nút FEED.",
		"The printer is offline: check its cover, paper and FEED button."},
	FaultPaperNearEnd: {"Giấy in sắp hết: hãy chuẩn bị thay cuộn giấy.",
		"The paper roll is nearly empty: get a new roll ready."},
}

var faultNames = map[Fault]string{
	FaultNoAnswer: "no-answer", FaultCoverOpen: "cover-open", FaultPaperEnd: "paper-end",
	FaultCutter: "cutter-error", FaultUnrecoverable: "unrecoverable-error", FaultRecoverable: "recoverable-error",
	FaultOffline: "offline", FaultPaperNearEnd: "paper-near-end",
}

// String returns the fault's short English name (e.g. "paper-end"), as
// reported to the server in device.status events.
func (f Fault) String() string {
	if n, ok := faultNames[f]; ok {
		return n
	}
	return fmt.Sprintf("fault(%d)", int(f))
}

// ParseFault is the inverse of Fault.String.
func ParseFault(s string) (Fault, bool) {
	for f, n := range faultNames {
		if n == strings.TrimSpace(s) {
			return f, true
		}
	}
	return 0, false
}

// Vietnamese is the fault in words for a citizen or technician, in Vietnamese.
func (f Fault) Vietnamese() string { return faultText[f][0] }

// English is the fault in words, in English.
func (f Fault) English() string { return faultText[f][1] }

// Sentinel errors, one per fault, for errors.Is. A *FaultError matches every
// sentinel whose fault it carries.
var (
	ErrNoAnswer        = &FaultError{Faults: []Fault{FaultNoAnswer}}
	ErrCoverOpen       = &FaultError{Faults: []Fault{FaultCoverOpen}}
	ErrPaperEnd        = &FaultError{Faults: []Fault{FaultPaperEnd}}
	ErrCutter          = &FaultError{Faults: []Fault{FaultCutter}}
	ErrUnrecoverable   = &FaultError{Faults: []Fault{FaultUnrecoverable}}
	ErrRecoverable     = &FaultError{Faults: []Fault{FaultRecoverable}}
	ErrOffline         = &FaultError{Faults: []Fault{FaultOffline}}
	ErrPaperNearEnd    = &FaultError{Faults: []Fault{FaultPaperNearEnd}}
	errSentinelByFault = map[Fault]*FaultError{}
)

func init() {
	for _, e := range []*FaultError{ErrNoAnswer, ErrCoverOpen, ErrPaperEnd, ErrCutter, ErrUnrecoverable, ErrRecoverable, ErrOffline, ErrPaperNearEnd} {
		errSentinelByFault[e.Faults[0]] = e
	}
}

// FaultError is a printer fault: the printer cannot print until a person
// acts (or, for FaultPaperNearEnd alone, a warning). Faults lists every
// fault found, most important first. Error() says it in Vietnamese and
// English.
type FaultError struct {
	Faults []Fault
	Status Status // the status bytes it was read from
}

// Fault returns the most important fault.
func (e *FaultError) Fault() Fault {
	if len(e.Faults) == 0 {
		return 0
	}
	return e.Faults[0]
}

// Vietnamese returns the message in Vietnamese.
func (e *FaultError) Vietnamese() string { return e.Fault().Vietnamese() }

// English returns the message in English.
func (e *FaultError) English() string { return e.Fault().English() }

func (e *FaultError) Error() string {
	return "printer: " + e.Vietnamese() + " / " + e.English()
}

// Is matches a sentinel (ErrPaperEnd…) whose fault e carries.
func (e *FaultError) Is(target error) bool {
	t, ok := target.(*FaultError)
	if !ok || len(t.Faults) != 1 {
		return false
	}
	if _, sentinel := errSentinelByFault[t.Faults[0]]; !sentinel || errSentinelByFault[t.Faults[0]] != t {
		return false
	}
	for _, f := range e.Faults {
		if f == t.Faults[0] {
			return true
		}
	}
	return false
}

// Status is a printer's real-time status, decoded from the replies to
// DLE EOT 1, 2, 3 and 4.
type Status struct {
	Offline      bool // DLE EOT 1 bit 3
	CoverOpen    bool // DLE EOT 2 bit 2
	PaperFeeding bool // DLE EOT 2 bit 3: paper being fed by the FEED button
	PaperStop    bool // DLE EOT 2 bit 5: printing stopped by paper end
	Error        bool // DLE EOT 2 bit 6
	Cutter       bool // DLE EOT 3 bit 3
	Unrecover    bool // DLE EOT 3 bit 5
	AutoRecover  bool // DLE EOT 3 bit 6
	NearEnd      bool // DLE EOT 4 bits 2–3
	PaperEnd     bool // DLE EOT 4 bits 5–6
	Raw          [5]byte
}

// Status reply bits (Epson ESC/POS reference, DLE EOT).
const (
	st1Offline     = 0x08
	st2CoverOpen   = 0x04
	st2Feeding     = 0x08
	st2PaperStop   = 0x20
	st2Error       = 0x40
	st3Cutter      = 0x08
	st3Unrecover   = 0x20
	st3AutoRecover = 0x40
	st4NearEnd     = 0x0C
	st4PaperEnd    = 0x60
)

// IsStatusReply reports whether b has the fixed bits of a DLE EOT reply
// (bit 0 = 0, bit 1 = 1, bit 4 = 1, bit 7 = 0). XON (0x11), XOFF (0x13) and
// ASB bytes do not.
func IsStatusReply(b byte) bool { return b&0x93 == 0x12 }

// isASBHeader reports whether b is the first byte of a 4-byte automatic
// status back block (bits 0, 1 = 0, bit 4 = 1, bit 7 = 0).
func isASBHeader(b byte) bool { return b&0x93 == 0x10 }

// Set records the reply to DLE EOT n.
func (s *Status) Set(n, b byte) {
	if n >= 1 && n <= 4 {
		s.Raw[n] = b
	}
	switch n {
	case 1:
		s.Offline = b&st1Offline != 0
	case 2:
		s.CoverOpen = b&st2CoverOpen != 0
		s.PaperFeeding = b&st2Feeding != 0
		s.PaperStop = b&st2PaperStop != 0
		s.Error = b&st2Error != 0
	case 3:
		s.Cutter = b&st3Cutter != 0
		s.Unrecover = b&st3Unrecover != 0
		s.AutoRecover = b&st3AutoRecover != 0
	case 4:
		s.NearEnd = b&st4NearEnd != 0
		s.PaperEnd = b&st4PaperEnd != 0
	}
}

// Faults lists the faults in s, most important first, the near-end warning
// last.
func (s Status) Faults() []Fault {
	var out []Fault
	add := func(c bool, f Fault) {
		if c {
			out = append(out, f)
		}
	}
	add(s.CoverOpen, FaultCoverOpen)
	add(s.PaperEnd || s.PaperStop, FaultPaperEnd)
	add(s.Cutter, FaultCutter)
	add(s.Unrecover, FaultUnrecoverable)
	add(s.AutoRecover || (s.Error && !s.Cutter && !s.Unrecover), FaultRecoverable)
	add(s.Offline && len(out) == 0, FaultOffline)
	add(s.NearEnd && !s.PaperEnd, FaultPaperNearEnd)
	return out
}

// Err returns a *FaultError when the printer cannot print, or nil. Paper
// near end alone is not an error (see Warning).
func (s Status) Err() error {
	fs := s.Faults()
	if len(fs) == 0 || fs[0] == FaultPaperNearEnd {
		return nil
	}
	return &FaultError{Faults: fs, Status: s}
}

// Warning returns ErrPaperNearEnd-matching *FaultError when paper is low but
// printing still works, or nil.
func (s Status) Warning() error {
	fs := s.Faults()
	if len(fs) == 1 && fs[0] == FaultPaperNearEnd {
		return &FaultError{Faults: fs, Status: s}
	}
	return nil
}

// String describes the status in English for logs and the escpos command.
func (s Status) String() string {
	fs := s.Faults()
	if len(fs) == 0 {
		return "ready"
	}
	var names []string
	for _, f := range fs {
		names = append(names, f.String())
	}
	return strings.Join(names, ", ")
}
