package queue

import "slices"

// Bounds and defaults of a RatingPolicy.
const (
	DefaultPromptSeconds = 30
	DefaultWindowSeconds = 600
	// MinPromptSeconds … MaxPromptSeconds: a prompt shorter than a few
	// seconds cannot be read, a longer one keeps the next citizen's
	// number off the screen.
	MinPromptSeconds = 5
	MaxPromptSeconds = 300
	// MaxWindowSeconds is a day: a station rates what it just served.
	MaxWindowSeconds = 86400
	// MaxRatingReasons is the most reasons a prompt offers: each is a
	// button on a 7" screen.
	MaxRatingReasons = 8
)

// RatingLevel is one step of the fixed rating scale.
type RatingLevel struct {
	Score  int
	Name   string
	NameEN string
}

// RatingScale is the fixed 4-level scale, best first: the same on the
// phone and at the counter station.
var RatingScale = []RatingLevel{
	{4, "Rất hài lòng", "Very satisfied"},
	{3, "Hài lòng", "Satisfied"},
	{2, "Bình thường", "Neutral"},
	{1, "Không hài lòng", "Dissatisfied"},
}

// WithDefaults is the policy with its empty fields filled in: the
// default reasons, prompt and window.
func (p RatingPolicy) WithDefaults() RatingPolicy {
	if len(p.Reasons) == 0 {
		p.Reasons = slices.Clone(DefaultRatingReasons)
	}
	if p.PromptSeconds == 0 {
		p.PromptSeconds = DefaultPromptSeconds
	}
	if p.WindowSeconds == 0 {
		p.WindowSeconds = max(DefaultWindowSeconds, p.PromptSeconds)
	}
	return p
}

// Reason returns the reason with this id of the policy (with its
// defaults), or nil.
func (p RatingPolicy) Reason(id string) *RatingReason {
	d := p.WithDefaults()
	for i := range d.Reasons {
		if d.Reasons[i].ID == id {
			return &d.Reasons[i]
		}
	}
	return nil
}

// validate checks an office's rating policy: at most MaxRatingReasons
// reasons with distinct valid ids and a name, the prompt within its
// bounds, and a window no shorter than the prompt (a tap on the prompt
// must be in time).
func (p *RatingPolicy) validate() error {
	if len(p.Reasons) > MaxRatingReasons {
		return errorf(KindInvalid, "invalid_rating", "rating: {n} reasons are too many for the station's screen; give at most {max}", "n", len(p.Reasons), "max", MaxRatingReasons)
	}
	seen := map[string]bool{}
	for i, r := range p.Reasons {
		if !ValidID(r.ID) {
			return errorf(KindInvalid, "invalid_rating", "rating: reason {n} has id {id}, which is not valid: use 1–32 lower-case letters, digits, '-' or '_'", "n", i+1, "id", quoted(truncateRunes(r.ID, 40)))
		}
		if seen[r.ID] {
			return errorf(KindInvalid, "invalid_rating", "rating: reason {id} appears twice", "id", r.ID)
		}
		seen[r.ID] = true
		if err := checkName("rating reason name", r.Name, true); err != nil {
			return err
		}
		if err := checkName("rating reason English name", r.NameEN, false); err != nil {
			return err
		}
	}
	if p.PromptSeconds != 0 && (p.PromptSeconds < MinPromptSeconds || p.PromptSeconds > MaxPromptSeconds) {
		return errorf(KindInvalid, "invalid_rating", "rating: prompt_seconds {n} is out of bounds: give {min} to {max} seconds, or leave it out for {default}",
			"n", p.PromptSeconds, "min", MinPromptSeconds, "max", MaxPromptSeconds, "default", DefaultPromptSeconds)
	}
	d := p.WithDefaults()
	if p.WindowSeconds != 0 && (p.WindowSeconds < d.PromptSeconds || p.WindowSeconds > MaxWindowSeconds) {
		return errorf(KindInvalid, "invalid_rating", "rating: window_seconds {n} is out of bounds: give at least the prompt's {min} seconds and at most {max}, or leave it out for {default}",
			"n", p.WindowSeconds, "min", d.PromptSeconds, "max", MaxWindowSeconds, "default", DefaultWindowSeconds)
	}
	return nil
}
