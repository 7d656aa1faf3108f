package announce

import (
	"fmt"
	"strings"
	"time"
)

// Clip names of the voice clip set (assets/voice/NAME.wav). The names are
// stable: a recorded human voice replaces a clip by a file of the same name.
const (
	ClipChime          = "chime"
	ClipViInvite       = "vi-moi-cong-dan" // "Mời công dân có số thứ tự"
	ClipViToCounter    = "vi-den-quay-so"  // "đến quầy số"
	ClipEnTicketNumber = "en-ticket-number"
	ClipEnToCounter    = "en-please-go-to-counter"
)

// viWordClips maps every word the Vietnamese reader says to its clip.
var viWordClips = map[string]string{
	"không": "vi-khong", "một": "vi-mot", "mốt": "vi-mot-sac", "hai": "vi-hai",
	"ba": "vi-ba", "bốn": "vi-bon", "tư": "vi-tu", "năm": "vi-nam", "lăm": "vi-lam",
	"sáu": "vi-sau", "bảy": "vi-bay", "tám": "vi-tam", "chín": "vi-chin",
	"mười": "vi-muoi-huyen", "mươi": "vi-muoi", "trăm": "vi-tram", "linh": "vi-linh",
	"lẻ": "vi-le", "nghìn": "vi-nghin", "triệu": "vi-trieu",
}

// enWordClips maps every number word the English reader says to its clip.
var enWordClips = map[string]string{"hundred": "en-hundred", "thousand": "en-thousand", "million": "en-million"}

func init() {
	for r, name := range viLetters {
		slug := strings.ToLower(string(r))
		if r == 'Đ' {
			slug = "dd"
		}
		viWordClips[name] = "vi-letter-" + slug
	}
	for r, name := range enLetters {
		if r != 'Đ' {
			enWordClips[name] = "en-letter-" + strings.ToLower(name)
		}
	}
	for _, w := range enOnes {
		enWordClips[w] = "en-" + w
	}
	for _, w := range enTens[2:] {
		enWordClips[w] = "en-" + w
	}
}

// Clips lists every clip name an announcement can use: the clip set that
// scripts/make-voice-clips.sh must produce.
func Clips() []string {
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, n := range []string{ClipChime, ClipViInvite, ClipViToCounter, ClipEnTicketNumber, ClipEnToCounter} {
		add(n)
	}
	for _, m := range []map[string]string{viWordClips, enWordClips} {
		for _, n := range m {
			add(n)
		}
	}
	return out
}

// Part is one step of an announcement: a clip, or a pause when Clip is "".
type Part struct {
	Clip  string        `json:"clip,omitempty"`
	Pause time.Duration `json:"pause,omitempty"`
}

// Pauses between the parts of an announcement.
const (
	PauseAfterChime = 250 * time.Millisecond
	PauseWord       = 40 * time.Millisecond
	PausePhrase     = 150 * time.Millisecond
	PauseLanguage   = 600 * time.Millisecond
)

// Options shape the sentence of an announcement.
type Options struct {
	// Reading says how ticket numbers are read (counter numbers are always
	// read as numbers).
	Reading Reading
	// Southern says "lẻ" instead of "linh" (một trăm lẻ năm).
	Southern bool
	// English adds the English sentence after the Vietnamese one.
	English bool
}

// Announcement is what is said for one call.
type Announcement struct {
	// Parts are the clips and pauses, in order, the chime first.
	Parts []Part `json:"parts"`
	// Text is the sentence as words, for logs and the state endpoint.
	Text string `json:"text"`
}

// ClipNames returns the clips of the announcement in order, without pauses.
func (a Announcement) ClipNames() []string {
	var out []string
	for _, p := range a.Parts {
		if p.Clip != "" {
			out = append(out, p.Clip)
		}
	}
	return out
}

// Sentence builds the announcement of a ticket number called to a counter:
// the chime, then "Mời công dân có số thứ tự <number> đến quầy số
// <counter>", then optionally "Ticket number <number>, please go to counter
// <counter>".
func Sentence(number string, counter int, o Options) (Announcement, error) {
	vn, err := VietnameseTicket(number, o.Reading, o.Southern)
	if err != nil {
		return Announcement{}, err
	}
	vc, err := VietnameseNumber(counter, o.Southern)
	if err != nil {
		return Announcement{}, fmt.Errorf("counter number: %w", err)
	}
	a := Announcement{}
	a.Parts = append(a.Parts, Part{Clip: ClipChime}, Part{Pause: PauseAfterChime}, Part{Clip: ClipViInvite}, Part{Pause: PausePhrase})
	if err := a.words(vn, viWordClips); err != nil {
		return Announcement{}, err
	}
	a.Parts = append(a.Parts, Part{Pause: PausePhrase}, Part{Clip: ClipViToCounter}, Part{Pause: PausePhrase})
	if err := a.words(vc, viWordClips); err != nil {
		return Announcement{}, err
	}
	text := []string{"Mời công dân có số thứ tự " + strings.Join(vn, " ") + " đến quầy số " + strings.Join(vc, " ") + "."}
	if o.English {
		en, err := EnglishTicket(number, o.Reading)
		if err != nil {
			return Announcement{}, err
		}
		ec, err := EnglishNumber(counter)
		if err != nil {
			return Announcement{}, err
		}
		a.Parts = append(a.Parts, Part{Pause: PauseLanguage}, Part{Clip: ClipEnTicketNumber}, Part{Pause: PausePhrase})
		if err := a.words(en, enWordClips); err != nil {
			return Announcement{}, err
		}
		a.Parts = append(a.Parts, Part{Pause: PausePhrase}, Part{Clip: ClipEnToCounter}, Part{Pause: PausePhrase})
		if err := a.words(ec, enWordClips); err != nil {
			return Announcement{}, err
		}
		text = append(text, "Ticket number "+strings.Join(en, " ")+", please go to counter "+strings.Join(ec, " ")+".")
	}
	a.Text = strings.Join(text, " ")
	return a, nil
}

// words appends the clips of words, with short pauses between them.
func (a *Announcement) words(words []string, clips map[string]string) error {
	for i, w := range words {
		c, ok := clips[w]
		if !ok {
			return fmt.Errorf("no voice clip for the word %q", w)
		}
		if i > 0 {
			a.Parts = append(a.Parts, Part{Pause: PauseWord})
		}
		a.Parts = append(a.Parts, Part{Clip: c})
	}
	return nil
}
