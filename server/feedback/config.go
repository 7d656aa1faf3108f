package feedback

import (
	"math"
	"time"

	"luot/server/queue"
)

// Defaults of the configuration's durations and distance.
const (
	DefaultReopenWindow = 7 * 24 * time.Hour
	DefaultEraseAfter   = 365 * 24 * time.Hour
	DefaultNearbyRadius = 200.0 // metres
)

// Bounds of the configuration.
const (
	MaxDeadlineDays = 365  // working days
	MaxNearbyRadius = 5000 // metres
)

// ReopenFor is how long after resolution the reporter may reopen:
// ReopenWindow, or DefaultReopenWindow when it is not set.
func (c *Config) ReopenFor() time.Duration {
	if c.ReopenWindow <= 0 {
		return DefaultReopenWindow
	}
	return c.ReopenWindow
}

// EraseDelay is how long after a report closes its reporter's data are
// erased: EraseAfter, or DefaultEraseAfter when it is not set.
func (c *Config) EraseDelay() time.Duration {
	if c.EraseAfter <= 0 {
		return DefaultEraseAfter
	}
	return c.EraseAfter
}

// Nearby is the distance in metres within which open reports are offered
// for "me too": NearbyRadius, or DefaultNearbyRadius when it is not set.
func (c *Config) Nearby() float64 {
	if c.NearbyRadius <= 0 {
		return DefaultNearbyRadius
	}
	return c.NearbyRadius
}

// Validate checks a configuration: ids, names, units named by categories,
// deadlines of at least one working day, the calendar's holidays and
// weekend, and the durations. It sets the calendar's time zone to the
// default one (queue.DefaultTimezone) when none is set. The office may be
// empty: the caller sets it when it loads the configuration for an
// office. The error names the first field that is wrong.
func (c *Config) Validate() error {
	if c.Office != "" && !queue.ValidID(c.Office) {
		return queue.NewError(queue.KindInvalid, "invalid_office", "office id {id} is not valid: use 1–32 lower-case letters, digits, '-' or '_'", "id", quote(c.Office))
	}
	if len(c.Units) == 0 {
		return queue.NewError(queue.KindInvalid, "invalid_feedback_config", "the feedback configuration has no units: add at least one department")
	}
	seen := map[string]bool{}
	for _, u := range c.Units {
		if !queue.ValidID(u.ID) {
			return queue.NewError(queue.KindInvalid, "invalid_feedback_config", "unit id {id} is not valid: use 1–32 lower-case letters, digits, '-' or '_'", "id", quote(u.ID))
		}
		if seen[u.ID] {
			return queue.NewError(queue.KindInvalid, "invalid_feedback_config", "unit {id} appears twice", "id", u.ID)
		}
		seen[u.ID] = true
		if err := queue.CheckName("unit name", u.Name, true); err != nil {
			return err
		}
		if err := queue.CheckName("unit English name", u.NameEN, false); err != nil {
			return err
		}
		if u.Kind != UnitDepartment && u.Kind != UnitWard {
			return queue.NewError(queue.KindInvalid, "invalid_feedback_config", "unit {id}: kind {kind} is unknown: use \"department\" or \"ward\"", "id", u.ID, "kind", quote(string(u.Kind)))
		}
		if len(u.Area) > 0 && u.Kind != UnitWard {
			return queue.NewError(queue.KindInvalid, "invalid_feedback_config", "unit {id} is a department: only a ward has a boundary", "id", u.ID)
		}
	}
	if len(c.Categories) == 0 {
		return queue.NewError(queue.KindInvalid, "invalid_feedback_config", "the feedback configuration has no categories: add at least one")
	}
	seen = map[string]bool{}
	for _, k := range c.Categories {
		if !queue.ValidID(k.ID) {
			return queue.NewError(queue.KindInvalid, "invalid_feedback_config", "category id {id} is not valid: use 1–32 lower-case letters, digits, '-' or '_'", "id", quote(k.ID))
		}
		if seen[k.ID] {
			return queue.NewError(queue.KindInvalid, "invalid_feedback_config", "category {id} appears twice", "id", k.ID)
		}
		seen[k.ID] = true
		if err := queue.CheckName("category name", k.Name, true); err != nil {
			return err
		}
		if err := queue.CheckName("category English name", k.NameEN, false); err != nil {
			return err
		}
		if err := queue.CheckName("category hint", k.Hint, false); err != nil {
			return err
		}
		if err := queue.CheckName("category English hint", k.HintEN, false); err != nil {
			return err
		}
		if _, ok := c.Unit(k.Unit); !ok {
			return queue.NewError(queue.KindInvalid, "invalid_feedback_config", "category {id} is handled by unit {unit}, which is not among the units: add it or name another", "id", k.ID, "unit", quote(k.Unit))
		}
		if k.AckDays < 1 || k.ResolveDays < 1 || k.AckDays > MaxDeadlineDays || k.ResolveDays > MaxDeadlineDays {
			return queue.NewError(queue.KindInvalid, "invalid_feedback_config", "category {id}: deadlines must be 1 to {max} working days", "id", k.ID, "max", MaxDeadlineDays)
		}
		if k.AckDays > k.ResolveDays {
			return queue.NewError(queue.KindInvalid, "invalid_feedback_config", "category {id}: the acknowledgement deadline is later than the resolution deadline", "id", k.ID)
		}
	}
	seen = map[string]bool{}
	for _, t := range c.Templates {
		if !queue.ValidID(t.ID) {
			return queue.NewError(queue.KindInvalid, "invalid_feedback_config", "template id {id} is not valid: use 1–32 lower-case letters, digits, '-' or '_'", "id", quote(t.ID))
		}
		if seen[t.ID] {
			return queue.NewError(queue.KindInvalid, "invalid_feedback_config", "template {id} appears twice", "id", t.ID)
		}
		seen[t.ID] = true
		if err := queue.CheckName("template title", t.Title, true); err != nil {
			return err
		}
		if err := checkText("template text", t.Text, true, MaxReason, true, "invalid_feedback_config"); err != nil {
			return err
		}
		if err := checkText("template English text", t.TextEN, false, MaxReason, true, "invalid_feedback_config"); err != nil {
			return err
		}
	}
	if err := c.Calendar.Validate(); err != nil {
		return err
	}
	if c.ReopenWindow < 0 || c.EraseAfter < 0 {
		return queue.NewError(queue.KindInvalid, "invalid_feedback_config", "the reopen window and the erasure delay must not be negative")
	}
	if !(c.NearbyRadius >= 0 && c.NearbyRadius <= MaxNearbyRadius) { // NaN fails both
		return queue.NewError(queue.KindInvalid, "invalid_feedback_config", "the nearby radius must be 0 to {max} metres", "max", MaxNearbyRadius)
	}
	return nil
}

// finite reports whether f is neither NaN nor infinite.
func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
