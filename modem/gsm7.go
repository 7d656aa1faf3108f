package modem

import (
	"fmt"
	"unicode/utf8"
)

// gsm7Default is the GSM 03.38 (3GPP TS 23.038) default alphabet, indexed
// by septet. 0x1B is the escape to the extension table.
var gsm7Default = [128]rune{
	'@', '£', '$', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', '\n', 'Ø', 'ø', '\r', 'Å', 'å',
	'Δ', '_', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ', 0x1B, 'Æ', 'æ', 'ß', 'É',
	' ', '!', '"', '#', '¤', '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/',
	'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?',
	'¡', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O',
	'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'Ä', 'Ö', 'Ñ', 'Ü', '§',
	'¿', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
	'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ä', 'ö', 'ñ', 'ü', 'à',
}

// gsm7Extension is the default extension table: septets that follow 0x1B.
var gsm7Extension = map[byte]rune{
	0x0A: '\f', 0x14: '^', 0x28: '{', 0x29: '}', 0x2F: '\\',
	0x3C: '[', 0x3D: '~', 0x3E: ']', 0x40: '|', 0x65: '€',
}

var (
	gsm7Index = map[rune]byte{}
	gsm7Ext   = map[rune]byte{}
)

func init() {
	for i, r := range gsm7Default {
		if i != 0x1B {
			gsm7Index[r] = byte(i)
		}
	}
	for s, r := range gsm7Extension {
		gsm7Ext[r] = s
	}
}

// GSM7Septets returns the septets of s in the GSM 03.38 default alphabet
// (extension characters take two), or an error naming the first character
// that has none: accented Vietnamese must go through notify.Unaccent, or
// be sent as UCS-2.
func GSM7Septets(s string) ([]byte, error) {
	out := make([]byte, 0, len(s))
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return nil, fmt.Errorf("modem: byte %d of the text is not UTF-8: %w", i, ErrInvalid)
			}
		}
		if c, ok := gsm7Index[r]; ok {
			out = append(out, c)
			continue
		}
		if c, ok := gsm7Ext[r]; ok {
			out = append(out, 0x1B, c)
			continue
		}
		return nil, fmt.Errorf("modem: %q (U+%04X, at byte %d) is not in the GSM 03.38 default alphabet: unaccent the text (notify.Unaccent) or send it as UCS-2: %w", r, r, i, ErrInvalid)
	}
	return out, nil
}

// gsm7Text decodes septets. An escape followed by a septet with no
// extension shows the default character, as 3GPP TS 23.038 asks of a
// receiver; a trailing escape is dropped.
func gsm7Text(septets []byte) string {
	out := make([]rune, 0, len(septets))
	for i := 0; i < len(septets); i++ {
		c := septets[i] & 0x7F
		if c == 0x1B {
			if i+1 >= len(septets) {
				break
			}
			i++
			n := septets[i] & 0x7F
			if r, ok := gsm7Extension[n]; ok {
				out = append(out, r)
			} else if n == 0x1B {
				out = append(out, ' ')
			} else {
				out = append(out, gsm7Default[n])
			}
			continue
		}
		out = append(out, gsm7Default[c])
	}
	return string(out)
}

// packSeptets packs septets LSB first, the first one starting at bit
// offset (bits before it are left zero for a user data header).
func packSeptets(septets []byte, offset int) []byte {
	bits := offset + 7*len(septets)
	out := make([]byte, (bits+7)/8)
	for i, s := range septets {
		pos := offset + 7*i
		v := uint16(s&0x7F) << (pos % 8)
		out[pos/8] |= byte(v)
		if pos/8+1 < len(out) {
			out[pos/8+1] |= byte(v >> 8)
		}
	}
	return out
}

// unpackSeptets reads n septets starting at bit offset; the caller checks
// that data is long enough.
func unpackSeptets(data []byte, offset, n int) []byte {
	out := make([]byte, n)
	for i := range n {
		pos := offset + 7*i
		v := uint16(data[pos/8])
		if pos/8+1 < len(data) {
			v |= uint16(data[pos/8+1]) << 8
		}
		out[i] = byte(v>>(pos%8)) & 0x7F
	}
	return out
}
