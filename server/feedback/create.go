package feedback

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"luot/server/queue"
)

// Text people type in reports follows the queue's rule for names and
// comments (server/queue/text.go: no control, format or separator
// characters; a description, reason or answer may hold line breaks and
// tabs). It is trimmed and normalised to NFC first, so that the same
// Vietnamese typed with combining marks or precomposed letters is stored
// the same.

// cleanText trims s and normalises it to NFC.
func cleanText(s string) string { return strings.TrimSpace(norm.NFC.String(s)) }

// checkText applies the queue's text rule to s (already cleaned): present
// when required, at most max characters, lines allowed or not. The
// queue's error is sent with code instead of its invalid_name.
func checkText(what, s string, required bool, max int, lines bool, code string) error {
	var err error
	switch {
	case required && s == "":
		err = queue.NewError(queue.KindInvalid, code, "{what} is required", "what", what)
	case runes(s) > max:
		err = queue.NewError(queue.KindInvalid, code, "{what} is longer than {max} characters", "what", what, "max", max)
	case !lines && strings.ContainsAny(s, "\n\t"):
		err = queue.NewError(queue.KindInvalid, code, "{what} contains {problem}, which is not allowed: type it again without it", "what", what, "problem", "a control character (a line break, a tab or the like)")
	default:
		err = queue.CheckComment(what, s, max)
	}
	var e *queue.Error
	if errors.As(err, &e) {
		c := *e
		c.Code = code
		return &c
	}
	return err
}

// runes is the number of characters of s.
func runes(s string) int { return utf8.RuneCountInString(s) }

// quote writes a value as Go's %q does, for ids that may be empty or
// hold spaces and control characters; long values are cut.
func quote(s string) string {
	if runes(s) > 40 {
		s = string([]rune(s)[:40]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

var hashPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ValidPhotoHash reports whether h is a photo's name: the SHA-256 of its
// bytes in 64 lower-case hex digits.
func ValidPhotoHash(h string) bool { return hashPattern.MatchString(h) }

// MaxAccuracy bounds the accuracy of a place, in metres; a browser's
// worse guesses (a whole city from an IP address) say nothing of where.
const MaxAccuracy = 100_000

// checkPlace checks and cleans a place: a valid point, an address of one
// line, at least one of them, and an accuracy in metres.
func checkPlace(p Place) (Place, error) {
	out := Place{Address: cleanText(p.Address)}
	if p.Point != nil {
		if !p.Point.Valid() {
			return Place{}, queue.NewError(queue.KindInvalid, "invalid_place", "the place is not on the Earth: latitude must be -90 to 90 and longitude -180 to 180 degrees")
		}
		pt := *p.Point
		out.Point = &pt
		if !(p.Accuracy >= 0 && p.Accuracy <= MaxAccuracy) { // NaN fails both
			return Place{}, queue.NewError(queue.KindInvalid, "invalid_place", "the accuracy of the place must be 0 to {max} metres", "max", MaxAccuracy)
		}
		out.Accuracy = p.Accuracy
	}
	if err := checkText("address", out.Address, false, MaxAddress, false, "invalid_address"); err != nil {
		return Place{}, err
	}
	if out.Point == nil && out.Address == "" {
		return Place{}, queue.NewError(queue.KindInvalid, "invalid_place", "say where the problem is: mark it on the map or write an address")
	}
	return out, nil
}

// checkPhotos checks photo hashes: well-formed, at most MaxPhotos once
// the same photo given twice is counted once.
func checkPhotos(hashes []string) ([]string, error) {
	var out []string
	for _, h := range hashes {
		if !ValidPhotoHash(h) {
			return nil, queue.NewError(queue.KindInvalid, "invalid_photo", "photo {photo} is not a photo's name (64 lower-case hex digits): upload the photo first", "photo", quote(h))
		}
		if !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	if len(out) > MaxPhotos {
		return nil, queue.NewError(queue.KindInvalid, "too_many_photos", "at most {max} photos: leave out {n}", "max", MaxPhotos, "n", len(out)-MaxPhotos)
	}
	return out, nil
}

// checkReporter checks and cleans who sent a report: an anonymous report
// keeps neither name nor phone; otherwise both are optional, the name of
// one line and the phone a Vietnamese mobile number, kept in its
// canonical form (+84…).
// checkMediaURL checks an Open311 client's media_url: empty, or an
// absolute http or https URL with a host and no user name or password,
// of at most MaxMediaURL bytes, written without spaces or control
// characters. Nothing is fetched from it, so its address may be anything
// else; it is shown to staff as an outside link.
func checkMediaURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	bad := func() (string, error) {
		return "", queue.NewError(queue.KindInvalid, "invalid_media_url", "media_url must be an http or https address of at most {max} characters, without spaces, user name or password", "max", MaxMediaURL)
	}
	if len(s) > MaxMediaURL || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) || !utf8.ValidString(s) {
		return bad()
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return bad()
	}
	return u.String(), nil
}

func checkReporter(r Reporter) (Reporter, error) {
	if r.Anonymous {
		return Reporter{Anonymous: true}, nil
	}
	out := Reporter{Name: cleanText(r.Name)}
	if err := checkText("name", out.Name, false, MaxName, false, "invalid_name"); err != nil {
		return Reporter{}, err
	}
	if p := strings.TrimSpace(r.Phone); p != "" {
		phone, err := queue.NormalizePhone(p)
		if err != nil {
			return Reporter{}, err
		}
		out.Phone = phone
	}
	return out, nil
}

// Create checks a new report and makes it: routed, with its deadlines,
// status new, and its "report.created" event. The store gives the code.
// Its Actor is the reporter (web), the client (Open311) or a moderator
// without a name (staff entry: the caller fills in who).
func Create(c *Config, in NewReport, now time.Time) (Report, Event, error) {
	cat, ok := c.Category(in.Category)
	if !ok {
		return Report{}, Event{}, queue.NewError(queue.KindInvalid, "unknown_category", "category {category} does not exist: choose one of the categories offered", "category", quote(in.Category))
	}
	desc := cleanText(in.Description)
	if err := checkText("description", desc, true, MaxDescription, true, "invalid_description"); err != nil {
		return Report{}, Event{}, err
	}
	place, err := checkPlace(in.Place)
	if err != nil {
		return Report{}, Event{}, err
	}
	hashes, err := checkPhotos(in.Photos)
	if err != nil {
		return Report{}, Event{}, err
	}
	who, err := checkReporter(in.Reporter)
	if err != nil {
		return Report{}, Event{}, err
	}
	media, err := checkMediaURL(in.MediaURL)
	if err != nil {
		return Report{}, Event{}, err
	}
	actor := Actor{Role: RoleReporter}
	switch in.Channel {
	case ChannelWeb:
	case ChannelOpen311:
		actor = Actor{Role: RoleClient, Name: in.Client}
	case ChannelStaff:
		actor = Actor{Role: RoleModerator}
	default:
		return Report{}, Event{}, queue.NewError(queue.KindInvalid, "invalid_channel", "channel {channel} is unknown: reports come from the web, an Open311 client or staff", "channel", quote(string(in.Channel)))
	}
	unit, ward := c.Route(cat.ID, place)
	if unit == "" {
		unit = cat.Unit
	}
	place.Ward = ward
	photos := make([]Photo, len(hashes))
	for i, h := range hashes {
		photos[i] = Photo{Hash: h}
	}
	r := Report{
		Office:      c.Office,
		Category:    cat.ID,
		Description: desc,
		Place:       place,
		Photos:      photos,
		Reporter:    who,
		Channel:     in.Channel,
		Client:      in.Client,
		MediaURL:    media,
		Status:      StatusNew,
		Unit:        unit,
		Created:     now,
		AckDue:      c.Calendar.AddWorkingDays(now, cat.AckDays),
		ResolveDue:  c.Calendar.AddWorkingDays(now, cat.ResolveDays),
		TokenHash:   slices.Clone(in.TokenHash),
		Version:     1,
	}
	created := r.clone()
	e := Event{Office: c.Office, Type: "report.created", At: now, Actor: actor, Status: StatusNew, Unit: unit, Photos: hashes, Created: &created}
	return r, e, nil
}
