package browsertest

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// VietnameseAllowed are the Vietnamese words an English page may show:
// the app's name and the switch to Vietnamese, which names itself in its
// own language.
var VietnameseAllowed = []string{"Lượt", "Tiếng", "Việt"}

// EnglishAllowed are the English-looking words a Vietnamese page may
// show: the switch to English, abbreviations Vietnamese uses as they are,
// and "Kiosk", the one-stop shops' own word for the ticket machine (a
// lower-case "kiosk" is still flagged: that is a code left raw).
var EnglishAllowed = []string{"English", "PIN", "QR", "CSV", "SMS", "OK", "Email", "email", "Zalo", "online", "Kiosk"}

// englishWords are common English words that are not Vietnamese words
// too: on a Vietnamese page, any of them as a whole word is English
// left over. (Words such as "an", "to", "do", "can" or "me" are also
// Vietnamese and are not listed.)
var englishWords = strings.Fields(`
	the and or of for with from your you are is was were be been it its this that these those
	will would should could not no yes please what when where which who why how
	number numbers ticket tickets counter counters service services office offices
	queue waiting wait called call serving served done cancel cancelled booking booked
	appointment appointments date time today tomorrow minutes minute hours hour seconds
	name phone code take took taken track open opened closed close pause paused resume
	login log logout password staff admin administrator save saved delete remove add
	error errors failed refused wrong invalid required unknown again try retry back
	next recall start finish transfer priority elderly disabled pregnant merit
	status report reports board display kiosk device devices settings language
	choose select submit send sent show hide help about here there now later first last
	page home connected disconnected offline loading expected estimate ahead people
	rating rate thank thanks welcome hello sorry`)

// OtherLanguage returns the words of text that belong to the other
// language than lang ("vi" or "en"), each once, in the order met:
//
//   - on an English page, words with letters only Vietnamese writes
//     (ă â đ ê ô ơ ư and the tone marks), except VietnameseAllowed;
//   - on a Vietnamese page, common English words, as whole words and in
//     any case, except EnglishAllowed.
func OtherLanguage(text, lang string) []string {
	text = norm.NFC.String(text)
	var out []string
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) }) {
		var other bool
		if lang == "en" {
			other = vietnamese(w) && !slices.Contains(VietnameseAllowed, w)
		} else {
			other = slices.Contains(englishWords, strings.ToLower(w)) && !slices.Contains(EnglishAllowed, w)
		}
		if other && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// vietnamese reports whether w has a letter that English does not write:
// a Latin letter with a diacritic (Vietnamese's vowels and đ).
func vietnamese(w string) bool {
	for _, r := range w {
		if r > unicode.MaxASCII && unicode.Is(unicode.Latin, r) {
			return true
		}
	}
	return false
}
