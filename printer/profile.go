package printer

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Method is the way a profile prints Vietnamese.
type Method string

// The Vietnamese printing methods, best first.
const (
	// MethodTCVN3 uses Epson's TCVN-3 pages 30 (lower case) and 31 (capitals).
	MethodTCVN3 Method = "tcvn3"
	// MethodCP1258 uses a Windows-1258 table with combining tone marks.
	MethodCP1258 Method = "cp1258"
	// MethodRaster draws each line that has a non-ASCII letter as an image.
	MethodRaster Method = "raster"
)

// Cutter says what kind of cut a printer can make.
type Cutter string

// Cutter kinds.
const (
	CutterNone    Cutter = "none"
	CutterPartial Cutter = "partial"
	CutterFull    Cutter = "full"
)

// Font describes one printer-resident font.
type Font struct {
	Name    string `json:"name"`
	Width   int    `json:"width"`   // cell width in dots
	Height  int    `json:"height"`  // cell height in dots
	Columns int    `json:"columns"` // characters per line at 1×
}

// CodePage maps a character table to the ESC t number that selects it.
type CodePage struct {
	Charset Charset `json:"charset"`
	EscT    int     `json:"escT"`
}

// Profile describes a printer model: what its paper, fonts, code pages and
// cutter are, and how it best prints Vietnamese. Profiles are data
// (profiles.json, embedded); get one with LookupProfile.
type Profile struct {
	Name        string     `json:"name"`
	Model       string     `json:"model"`
	Source      string     `json:"source"`
	DPI         int        `json:"dpi"`
	WidthDots   int        `json:"widthDots"`
	Fonts       []Font     `json:"fonts"`
	CodePages   []CodePage `json:"codePages"`
	NativeQR    bool       `json:"nativeQR"`
	Cutter      Cutter     `json:"cutter"`
	Vietnamese  Method     `json:"vietnamese"`
	CancelKanji bool       `json:"cancelKanji"` // send FS . after ESC @
}

//go:embed profiles.json
var profilesJSON []byte

var profiles = mustLoadProfiles(profilesJSON)

func mustLoadProfiles(data []byte) map[string]Profile {
	var f struct {
		Profiles []Profile `json:"profiles"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		panic("printer: profiles.json: " + err.Error())
	}
	m := map[string]Profile{}
	for _, p := range f.Profiles {
		if err := p.Validate(); err != nil {
			panic(err)
		}
		m[p.Name] = p
	}
	return m
}

// Validate checks that a profile is usable: a width, a font A, and a code
// page for each table its Vietnamese method needs.
func (p Profile) Validate() error {
	if p.Name == "" || p.WidthDots < 96 || p.WidthDots%8 != 0 {
		return fmt.Errorf("printer: profile %q: width %d dots must be a multiple of 8 and at least 96", p.Name, p.WidthDots)
	}
	if len(p.Fonts) == 0 || p.Fonts[0].Width <= 0 || p.Fonts[0].Height <= 0 {
		return fmt.Errorf("printer: profile %q has no font A", p.Name)
	}
	for _, cs := range p.Vietnamese.charsets() {
		if _, ok := p.EscT(cs); !ok {
			return fmt.Errorf("printer: profile %q prints Vietnamese with %s but lists no code page for %s", p.Name, p.Vietnamese, cs)
		}
	}
	switch p.Vietnamese {
	case MethodTCVN3, MethodCP1258, MethodRaster:
	default:
		return fmt.Errorf("printer: profile %q: unknown Vietnamese method %q (want tcvn3, cp1258 or raster)", p.Name, p.Vietnamese)
	}
	switch p.Cutter {
	case CutterNone, CutterPartial, CutterFull:
	default:
		return fmt.Errorf("printer: profile %q: unknown cutter %q", p.Name, p.Cutter)
	}
	return nil
}

func (m Method) charsets() []Charset {
	switch m {
	case MethodTCVN3:
		return []Charset{CharsetTCVN3Lower, CharsetTCVN3Upper}
	case MethodCP1258:
		return []Charset{CharsetCP1258}
	}
	return nil
}

// EscT returns the ESC t number of table cs on this printer.
func (p Profile) EscT(cs Charset) (int, bool) {
	for _, c := range p.CodePages {
		if c.Charset == cs {
			return c.EscT, true
		}
	}
	return 0, false
}

// CharsetOf returns the table that ESC t n selects on this printer, or
// CharsetPC437 for a number the profile does not list.
func (p Profile) CharsetOf(n int) Charset {
	for _, c := range p.CodePages {
		if c.EscT == n {
			return c.Charset
		}
	}
	return CharsetPC437
}

// Columns is the number of font A characters per line at 1×.
func (p Profile) Columns() int { return p.WidthDots / p.Fonts[0].Width }

// defaultCharset is the table the encoder selects right after ESC @: the
// first table of the Vietnamese method (lower case for TCVN-3), so that most
// text needs no further ESC t.
func (p Profile) defaultCharset() Charset {
	if cs := p.Vietnamese.charsets(); len(cs) > 0 {
		return cs[0]
	}
	return ""
}

// WithCodePage returns a copy of the profile where table cs is selected by
// ESC t n: for clones whose firmware numbers Windows-1258 differently.
func (p Profile) WithCodePage(cs Charset, n int) Profile {
	out := p
	out.CodePages = nil
	found := false
	for _, c := range p.CodePages {
		if c.Charset == cs {
			c.EscT = n
			found = true
		}
		out.CodePages = append(out.CodePages, c)
	}
	if !found {
		out.CodePages = append(out.CodePages, CodePage{Charset: cs, EscT: n})
	}
	return out
}

// LookupProfile returns the built-in profile with the given name.
func LookupProfile(name string) (Profile, error) {
	p, ok := profiles[name]
	if !ok {
		return Profile{}, fmt.Errorf("printer: unknown profile %q; known profiles: %s (run `escpos profiles`)", name, strings.Join(ProfileNames(), ", "))
	}
	return p, nil
}

// ProfileNames lists the built-in profiles, sorted.
func ProfileNames() []string {
	var names []string
	for n := range profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Profiles returns every built-in profile, sorted by name.
func Profiles() []Profile {
	var out []Profile
	for _, n := range ProfileNames() {
		out = append(out, profiles[n])
	}
	return out
}
