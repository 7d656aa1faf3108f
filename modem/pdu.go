package modem

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"

	"golang.org/x/text/unicode/norm"
)

// ErrInvalid marks input that no modem can send (a bad phone number, a
// character outside the chosen alphabet, a text too long): sending it again
// cannot succeed. Its Permanent method says so to senders that look for
// one in the error's chain.
var ErrInvalid error = invalidError{}

type invalidError struct{}

func (invalidError) Error() string   { return "modem: invalid message" }
func (invalidError) Permanent() bool { return true }

// Lengths of one part's user data (3GPP TS 23.040 §9.2.3.24).
const (
	gsm7Single   = 160 // septets without a header
	gsm7Concat   = 153 // septets after an 8-bit concatenation header
	ucs2Single   = 70  // UTF-16 units
	ucs2Concat   = 67
	maxParts     = 255
	validity24h  = 167 // TP-VP relative: 12 h + (167−143)·30 min = 24 h
	firstSubmit  = 0x01
	vpfRelative  = 0x10
	srrBit       = 0x20
	udhiBit      = 0x40
	dcsGSM7      = 0x00
	dcsUCS2      = 0x08
	toaIntl      = 0x91
	toaUnknown   = 0x81
	maxPhoneLen  = 20
	concatIE8    = 0x00
	concatIE16   = 0x08
	statusReport = 0x02 // TP-MTI of SMS-STATUS-REPORT
)

// Submit is a decoded SMS-SUBMIT.
type Submit struct {
	Ref          int    // TP-MR
	Phone        string // "+" and digits for an international number
	Text         string // this part's text
	GSM7         bool   // GSM 7-bit default alphabet (else UCS-2)
	StatusReport bool   // a delivery report was asked for
	// ConcatRef, Parts and Part come from the concatenation header; Parts
	// and Part are 1 for a message in one part.
	ConcatRef   int
	Parts, Part int
}

// EncodeSubmit encodes text for phone as SMS-SUBMIT TPDUs (without the
// SMSC address, which Send adds as "00": the SIM's default): one when it
// fits, otherwise concatenated parts with an 8-bit reference header
// carrying ref. gsm7 selects the GSM 03.38 default alphabet (160 septets a
// part, 153 concatenated) and refuses any character outside it; otherwise
// the NFC form of text goes as UCS-2 (70 characters, 67 concatenated).
// Each part asks for a delivery report and is valid for 24 hours. Errors
// wrap ErrInvalid.
func EncodeSubmit(phone, text string, gsm7 bool, ref byte) ([][]byte, error) {
	addr, err := encodeAddress(phone)
	if err != nil {
		return nil, err
	}
	if text == "" {
		return nil, fmt.Errorf("modem: empty text for %s: nothing to send: %w", phone, ErrInvalid)
	}
	var chunks [][]byte // septets (GSM-7) or UTF-16BE octets (UCS-2) of each part
	if gsm7 {
		sep, err := GSM7Septets(text)
		if err != nil {
			return nil, err
		}
		chunks = splitGSM7(sep)
	} else {
		chunks = splitUCS2(utf16.Encode([]rune(norm.NFC.String(text))))
	}
	if len(chunks) > maxParts {
		return nil, fmt.Errorf("modem: the text needs %d parts, more than the %d an SMS can have: shorten it: %w", len(chunks), maxParts, ErrInvalid)
	}
	out := make([][]byte, len(chunks))
	for i, c := range chunks {
		first := byte(firstSubmit | vpfRelative | srrBit)
		var udh []byte
		if len(chunks) > 1 {
			first |= udhiBit
			udh = []byte{5, concatIE8, 3, ref, byte(len(chunks)), byte(i + 1)}
		}
		p := []byte{first, 0}
		p = append(p, addr...)
		dcs := byte(dcsUCS2)
		if gsm7 {
			dcs = dcsGSM7
		}
		p = append(p, 0, dcs, validity24h)
		if gsm7 {
			hdrSeptets := (len(udh)*8 + 6) / 7
			ud := packSeptets(c, hdrSeptets*7)
			copy(ud, udh)
			p = append(p, byte(hdrSeptets+len(c)))
			p = append(p, ud...)
		} else {
			p = append(p, byte(len(udh)+len(c)))
			p = append(p, udh...)
			p = append(p, c...)
		}
		out[i] = p
	}
	return out, nil
}

// splitGSM7 cuts septets into parts, never between an escape and its
// extension character.
func splitGSM7(sep []byte) [][]byte {
	if len(sep) <= gsm7Single {
		return [][]byte{sep}
	}
	var out [][]byte
	for len(sep) > 0 {
		n := min(len(sep), gsm7Concat)
		if n < len(sep) && escapeEndsAt(sep[:n]) {
			n--
		}
		out = append(out, sep[:n])
		sep = sep[n:]
	}
	return out
}

// escapeEndsAt reports whether the last septet of s is an escape that
// needs the next one (a run of escapes pairs up from the start).
func escapeEndsAt(s []byte) bool {
	open := false
	for _, c := range s {
		open = !open && c == 0x1B
	}
	return open
}

// splitUCS2 cuts UTF-16 units into parts of UTF-16BE octets, never between
// the two halves of a surrogate pair.
func splitUCS2(u []uint16) [][]byte {
	per := ucs2Single
	if len(u) > ucs2Single {
		per = ucs2Concat
	}
	var out [][]byte
	for len(u) > 0 {
		n := min(len(u), per)
		if n < len(u) && utf16.IsSurrogate(rune(u[n-1])) && u[n-1] < 0xDC00 {
			n--
		}
		b := make([]byte, 0, 2*n)
		for _, x := range u[:n] {
			b = append(b, byte(x>>8), byte(x))
		}
		out = append(out, b)
		u = u[n:]
	}
	return out
}

// encodeAddress encodes a phone number as TP-DA: "+" and digits is
// international, digits alone are sent as they are (a Vietnamese SIM takes
// 0912… as well as +84912…).
func encodeAddress(phone string) ([]byte, error) {
	digits, toa := phone, byte(toaUnknown)
	if strings.HasPrefix(phone, "+") {
		digits, toa = phone[1:], toaIntl
	}
	if digits == "" || len(digits) > maxPhoneLen {
		return nil, fmt.Errorf("modem: phone %q: want 1 to %d digits, optionally after +: %w", phone, maxPhoneLen, ErrInvalid)
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return nil, fmt.Errorf("modem: phone %q: only digits are allowed (after an optional +), without spaces or dashes: %w", phone, ErrInvalid)
		}
	}
	out := []byte{byte(len(digits)), toa}
	for i := 0; i < len(digits); i += 2 {
		lo := digits[i] - '0'
		hi := byte(0xF)
		if i+1 < len(digits) {
			hi = digits[i+1] - '0'
		}
		out = append(out, hi<<4|lo)
	}
	return out, nil
}

const semiOctetDigits = "0123456789*#abc"

// decodeAddress reads an address field (TP-DA, TP-RA) at p[0:], returning
// it and the octets it took.
func decodeAddress(p []byte) (string, int, error) {
	if len(p) < 2 {
		return "", 0, errors.New("modem: PDU ends inside an address")
	}
	n, toa := int(p[0]), p[1]
	if n > maxPhoneLen {
		return "", 0, fmt.Errorf("modem: address of %d digits, at most %d", n, maxPhoneLen)
	}
	octets := (n + 1) / 2
	if len(p) < 2+octets {
		return "", 0, errors.New("modem: PDU ends inside an address")
	}
	if toa&0x70 == 0x50 {
		return "", 0, errors.New("modem: alphanumeric address not supported")
	}
	var b strings.Builder
	if toa&0x70 == 0x10 {
		b.WriteByte('+')
	}
	for i := range n {
		d := p[2+i/2]
		if i%2 == 1 {
			d >>= 4
		}
		d &= 0xF
		if d == 0xF {
			return "", 0, errors.New("modem: filler inside an address")
		}
		b.WriteByte(semiOctetDigits[d])
	}
	return b.String(), 2 + octets, nil
}

// DecodeSubmit decodes an SMS-SUBMIT TPDU (without the SMSC address) in
// the GSM 7-bit default alphabet or UCS-2, with or without a concatenation
// header. It never panics; anything it cannot read is an error.
func DecodeSubmit(pdu []byte) (Submit, error) {
	var s Submit
	bad := func(what string) (Submit, error) {
		return Submit{}, fmt.Errorf("modem: not a valid SMS-SUBMIT: %s", what)
	}
	if len(pdu) < 2 {
		return bad("too short")
	}
	first := pdu[0]
	if first&0x03 != firstSubmit {
		return bad(fmt.Sprintf("message type %d, want 1", first&0x03))
	}
	s.StatusReport = first&srrBit != 0
	s.Ref = int(pdu[1])
	phone, n, err := decodeAddress(pdu[2:])
	if err != nil {
		return Submit{}, err
	}
	s.Phone = phone
	p := pdu[2+n:]
	if len(p) < 2 {
		return bad("ends before TP-DCS")
	}
	dcs := p[1]
	p = p[2:]
	switch (first >> 3) & 0x03 {
	case 0:
	case 2:
		if len(p) < 1 {
			return bad("ends inside TP-VP")
		}
		p = p[1:]
	default:
		if len(p) < 7 {
			return bad("ends inside TP-VP")
		}
		p = p[7:]
	}
	switch {
	case dcs&0x80 == 0 && dcs&0x20 == 0 && (dcs>>2)&3 == 0, dcs&0xF4 == 0xF0:
		s.GSM7 = true
	case dcs&0x80 == 0 && dcs&0x20 == 0 && (dcs>>2)&3 == 2:
	default:
		return bad(fmt.Sprintf("data coding 0x%02X: only the GSM 7-bit alphabet and UCS-2 are read", dcs))
	}
	if len(p) < 1 {
		return bad("ends before TP-UDL")
	}
	udl := int(p[0])
	ud := p[1:]
	need := udl
	if s.GSM7 {
		if udl > gsm7Single {
			return bad(fmt.Sprintf("%d septets, at most %d", udl, gsm7Single))
		}
		need = (udl*7 + 7) / 8
	} else if udl > 140 {
		return bad(fmt.Sprintf("%d octets, at most 140", udl))
	}
	if len(ud) != need {
		return bad(fmt.Sprintf("user data of %d octets, its length says %d", len(ud), need))
	}
	hdr := 0 // octets of the header, its length octet included
	s.Parts, s.Part = 1, 1
	if first&udhiBit != 0 {
		if len(ud) < 1 || int(ud[0])+1 > len(ud) {
			return bad("user data header longer than the user data")
		}
		hdr = int(ud[0]) + 1
		if err := s.readHeader(ud[1:hdr]); err != nil {
			return Submit{}, err
		}
	}
	if s.GSM7 {
		hs := (hdr*8 + 6) / 7
		if hs > udl {
			return bad("user data header longer than the user data")
		}
		s.Text = gsm7Text(unpackSeptets(ud, hs*7, udl-hs))
	} else {
		body := ud[hdr:]
		if len(body)%2 != 0 {
			return bad("UCS-2 text of an odd number of octets")
		}
		u := make([]uint16, len(body)/2)
		for i := range u {
			u[i] = uint16(body[2*i])<<8 | uint16(body[2*i+1])
		}
		s.Text = string(utf16.Decode(u))
	}
	return s, nil
}

// readHeader reads the information elements of a user data header and
// keeps the concatenation one.
func (s *Submit) readHeader(h []byte) error {
	for len(h) > 0 {
		if len(h) < 2 || int(h[1])+2 > len(h) {
			return errors.New("modem: not a valid SMS-SUBMIT: user data header element cut short")
		}
		id, data := h[0], h[2:2+int(h[1])]
		switch {
		case id == concatIE8 && len(data) == 3:
			s.ConcatRef, s.Parts, s.Part = int(data[0]), int(data[1]), int(data[2])
		case id == concatIE16 && len(data) == 4:
			s.ConcatRef, s.Parts, s.Part = int(data[0])<<8|int(data[1]), int(data[2]), int(data[3])
		case id == concatIE8 || id == concatIE16:
			return errors.New("modem: not a valid SMS-SUBMIT: concatenation header of a wrong length")
		}
		h = h[2+int(h[1]):]
	}
	if s.Parts < 1 || s.Part < 1 || s.Part > s.Parts {
		return fmt.Errorf("modem: not a valid SMS-SUBMIT: part %d of %d", s.Part, s.Parts)
	}
	return nil
}

// Report is a delivery report (SMS-STATUS-REPORT) received as +CDS.
type Report struct {
	Ref   int    // the TP-MR of the part, as Send returned it
	Phone string // the recipient
	// Status is TP-ST: below 0x20 delivered, 0x20–0x3F the centre still
	// tries, 0x40 and up it gave up.
	Status byte
	At     time.Time // TP-DT: when the centre delivered or gave up
}

// Delivered reports whether the part reached the phone.
func (r Report) Delivered() bool { return r.Status < 0x20 }

// Final reports whether no other report follows for the part.
func (r Report) Final() bool { return r.Status < 0x20 || r.Status >= 0x40 }

// EncodeStatusReport encodes r as an SMS-STATUS-REPORT TPDU, with
// the service-centre time equal to the delivery time (for the virtual
// modem and tests).
func EncodeStatusReport(r Report) ([]byte, error) {
	addr, err := encodeAddress(r.Phone)
	if err != nil {
		return nil, err
	}
	p := []byte{statusReport | 0x04, byte(r.Ref)} // MMS: no more messages waiting
	p = append(p, addr...)
	ts := encodeTime(r.At)
	p = append(p, ts...)
	p = append(p, ts...)
	return append(p, r.Status), nil
}

// DecodeStatusReport decodes an SMS-STATUS-REPORT TPDU.
func DecodeStatusReport(pdu []byte) (Report, error) {
	if len(pdu) < 2 || pdu[0]&0x03 != statusReport {
		return Report{}, errors.New("modem: not an SMS-STATUS-REPORT")
	}
	r := Report{Ref: int(pdu[1])}
	phone, n, err := decodeAddress(pdu[2:])
	if err != nil {
		return Report{}, err
	}
	r.Phone = phone
	p := pdu[2+n:]
	if len(p) < 15 {
		return Report{}, errors.New("modem: SMS-STATUS-REPORT cut short")
	}
	if r.At, err = decodeTime(p[7:14]); err != nil {
		return Report{}, err
	}
	r.Status = p[14]
	return r, nil
}

func bcd(v int) byte { return byte(v%10)<<4 | byte(v/10%10) }

// encodeTime encodes a TP-SCTS/TP-DT: swapped semi-octets and the zone in
// quarter hours.
func encodeTime(t time.Time) []byte {
	_, off := t.Zone()
	q := off / 900
	sign := byte(0)
	if q < 0 {
		q, sign = -q, 0x08
	}
	return []byte{bcd(t.Year() % 100), bcd(int(t.Month())), bcd(t.Day()), bcd(t.Hour()), bcd(t.Minute()), bcd(t.Second()), bcd(q) | sign}
}

func decodeTime(p []byte) (time.Time, error) {
	var v [7]int
	for i, b := range p[:7] {
		lo, hi := int(b&0x0F), int(b>>4)
		if i == 6 {
			lo &= 0x07
		}
		if lo > 9 || hi > 9 {
			return time.Time{}, errors.New("modem: timestamp not in decimal semi-octets")
		}
		v[i] = lo*10 + hi
	}
	off := v[6] * 900
	if p[6]&0x08 != 0 {
		off = -off
	}
	t := time.Date(2000+v[0], time.Month(v[1]), v[2], v[3], v[4], v[5], 0, time.FixedZone("", off))
	if int(t.Month()) != v[1] || t.Day() != v[2] || v[3] > 23 || v[4] > 59 || v[5] > 59 {
		return time.Time{}, errors.New("modem: timestamp is not a valid date")
	}
	return t, nil
}
