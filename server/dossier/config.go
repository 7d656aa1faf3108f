package dossier

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"luot/server/queue"
)

// Defaults and bounds of the configuration.
const (
	DefaultCutOff   = "15:00"
	DefaultBoardMax = 20
	MaxBoard        = 100 // ready dossiers a board lists at most
	MaxDays         = 365 // working days of a procedure
	MaxProcedures   = 500
)

// Patterns of the prefix, of procedure codes and of an hour.
var (
	prefixPattern    = regexp.MustCompile(`^[A-Z0-9]{2,10}$`)
	procedurePattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9._-]{0,31}$`)
	clockPattern     = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d$`)
)

// Validate checks a configuration and sets its defaults: the cut-off
// (DefaultCutOff), the board (names masked, DefaultBoardMax dossiers),
// the clock stops (both true), and the calendar's time zone
// (queue.DefaultTimezone) when none is set. It checks the prefix, the
// fields, departments and procedures (ids, names, a procedure's field and
// department among them, its days, cut-off, fee and papers), the pickup
// priority and the calendar. The office may be empty: the caller sets it
// when it loads the configuration for an office. The error, a
// *queue.Error of kind invalid, names the first thing wrong.
func (c *Config) Validate() error {
	if c.Office != "" && !queue.ValidID(c.Office) {
		return queue.NewError(queue.KindInvalid, "invalid_office", "office id {id} is not valid: use 1–32 lower-case letters, digits, '-' or '_'", "id", quote(c.Office))
	}
	if !prefixPattern.MatchString(c.Prefix) {
		return queue.NewError(queue.KindInvalid, "invalid_dossier_config", "the dossier code prefix {prefix} is not valid: use 2 to 10 upper-case letters or digits, such as TP", "prefix", quote(c.Prefix))
	}
	if len(c.Fields) == 0 || len(c.Departments) == 0 || len(c.Procedures) == 0 {
		return queue.NewError(queue.KindInvalid, "invalid_dossier_config", "the dossier configuration needs at least one field, one department and one procedure")
	}
	seen := map[string]bool{}
	for _, f := range c.Fields {
		if err := checkEntry("field", f.ID, f.Name, f.NameEN, seen); err != nil {
			return err
		}
	}
	seen = map[string]bool{}
	for _, d := range c.Departments {
		if err := checkEntry("department", d.ID, d.Name, d.NameEN, seen); err != nil {
			return err
		}
	}
	if len(c.Procedures) > MaxProcedures {
		return queue.NewError(queue.KindInvalid, "invalid_dossier_config", "the catalogue has {n} procedures; at most {max} are allowed", "n", len(c.Procedures), "max", MaxProcedures)
	}
	if c.CutOff == "" {
		c.CutOff = DefaultCutOff
	}
	if !clockPattern.MatchString(c.CutOff) {
		return queue.NewError(queue.KindInvalid, "invalid_dossier_config", "the cut-off hour {given} is not a time: write HH:MM, such as 15:00", "given", quote(c.CutOff))
	}
	seen = map[string]bool{}
	for i := range c.Procedures {
		if err := c.checkProcedure(&c.Procedures[i], seen); err != nil {
			return err
		}
	}
	t := true
	if c.SupplementStops == nil {
		c.SupplementStops = &t
	}
	if c.PaymentStops == nil {
		c.PaymentStops = &t
	}
	if c.PickupService != "" && !queue.ValidID(c.PickupService) {
		return queue.NewError(queue.KindInvalid, "invalid_dossier_config", "the pickup service {service} is not a service id: use the id of the office's results service, such as tra-ket-qua", "service", quote(c.PickupService))
	}
	if !c.PickupPriority.Valid() {
		return queue.NewError(queue.KindInvalid, "invalid_dossier_config", "the pickup priority {priority} is unknown: use elderly, disabled, pregnant, merit or leave it empty", "priority", quote(string(c.PickupPriority)))
	}
	switch c.Board.Names {
	case "":
		c.Board.Names = BoardMasked
	case BoardMasked, BoardNone:
	default:
		return queue.NewError(queue.KindInvalid, "invalid_dossier_config", "the board's names {given} is unknown: use \"masked\" or \"none\"", "given", quote(string(c.Board.Names)))
	}
	if c.Board.Max == 0 {
		c.Board.Max = DefaultBoardMax
	}
	if c.Board.Max < 1 || c.Board.Max > MaxBoard {
		return queue.NewError(queue.KindInvalid, "invalid_dossier_config", "the board lists 1 to {max} ready dossiers", "max", MaxBoard)
	}
	return c.Calendar.Validate()
}

// checkEntry checks the id and names of a field or department.
func checkEntry(what, id, name, nameEN string, seen map[string]bool) error {
	if !queue.ValidID(id) {
		return queue.NewError(queue.KindInvalid, "invalid_dossier_config", "{what} id {id} is not valid: use 1–32 lower-case letters, digits, '-' or '_'", "what", what, "id", quote(id))
	}
	if seen[id] {
		return queue.NewError(queue.KindInvalid, "invalid_dossier_config", "{what} {id} appears twice", "what", what, "id", id)
	}
	seen[id] = true
	if err := queue.CheckName(what+" name", name, true); err != nil {
		return err
	}
	return queue.CheckName(what+" English name", nameEN, false)
}

// checkProcedure checks a procedure of the catalogue.
func (c *Config) checkProcedure(p *Procedure, seen map[string]bool) error {
	if !procedurePattern.MatchString(p.Code) {
		return queue.NewError(queue.KindInvalid, "invalid_dossier_config", "procedure code {code} is not valid: use 1–32 upper-case letters, digits, '.', '-' or '_', such as XD-01", "code", quote(p.Code))
	}
	if seen[p.Code] {
		return queue.NewError(queue.KindInvalid, "invalid_dossier_config", "procedure {code} appears twice", "code", p.Code)
	}
	seen[p.Code] = true
	if err := queue.CheckName("procedure name", p.Name, true); err != nil {
		return err
	}
	if err := queue.CheckName("procedure English name", p.NameEN, false); err != nil {
		return err
	}
	if _, ok := c.Field(p.Field); !ok {
		return queue.NewError(queue.KindInvalid, "invalid_dossier_config", "procedure {code} is of field {field}, which is not among the fields: add it or name another", "code", p.Code, "field", quote(p.Field))
	}
	if _, ok := c.Department(p.Department); !ok {
		return queue.NewError(queue.KindInvalid, "invalid_dossier_config", "procedure {code} is processed by department {department}, which is not among the departments: add it or name another", "code", p.Code, "department", quote(p.Department))
	}
	if !queue.ValidID(p.Service) {
		return queue.NewError(queue.KindInvalid, "invalid_dossier_config", "procedure {code}: the queue service {service} is not a service id: use the id of one of the office's services, such as xay-dung", "code", p.Code, "service", quote(p.Service))
	}
	if p.Days < 0 || p.Days > MaxDays {
		return queue.NewError(queue.KindInvalid, "invalid_dossier_config", "procedure {code}: the processing time must be 0 (same day) to {max} working days", "code", p.Code, "max", MaxDays)
	}
	if p.CutOff != "" && !clockPattern.MatchString(p.CutOff) {
		return queue.NewError(queue.KindInvalid, "invalid_dossier_config", "procedure {code}: the cut-off hour {given} is not a time: write HH:MM, such as 15:00", "code", p.Code, "given", quote(p.CutOff))
	}
	if p.Fee < 0 {
		return queue.NewError(queue.KindInvalid, "invalid_dossier_config", "procedure {code}: the fee must not be negative", "code", p.Code)
	}
	if len(p.Papers) > MaxPapers {
		return queue.NewError(queue.KindInvalid, "invalid_dossier_config", "procedure {code} lists {n} papers; at most {max} are allowed", "code", p.Code, "n", len(p.Papers), "max", MaxPapers)
	}
	papers := map[string]bool{}
	for _, pp := range p.Papers {
		if !queue.ValidID(pp.ID) {
			return queue.NewError(queue.KindInvalid, "invalid_dossier_config", "procedure {code}: paper id {id} is not valid: use 1–32 lower-case letters, digits, '-' or '_'", "code", p.Code, "id", quote(pp.ID))
		}
		if papers[pp.ID] {
			return queue.NewError(queue.KindInvalid, "invalid_dossier_config", "procedure {code}: paper {id} appears twice", "code", p.Code, "id", pp.ID)
		}
		papers[pp.ID] = true
		if err := queue.CheckName("paper name", pp.Name, true); err != nil {
			return err
		}
		if err := queue.CheckName("paper English name", pp.NameEN, false); err != nil {
			return err
		}
	}
	return nil
}

// Procedure returns the procedure with that code.
func (c *Config) Procedure(code string) (Procedure, bool) {
	for _, p := range c.Procedures {
		if p.Code == code {
			return p, true
		}
	}
	return Procedure{}, false
}

// Department returns the department with that id.
func (c *Config) Department(id string) (Department, bool) {
	for _, d := range c.Departments {
		if d.ID == id {
			return d, true
		}
	}
	return Department{}, false
}

// Field returns the field with that id.
func (c *Config) Field(id string) (Field, bool) {
	for _, f := range c.Fields {
		if f.ID == id {
			return f, true
		}
	}
	return Field{}, false
}

// ProceduresFor is the procedures whose dossiers come with tickets of
// that queue service, in the catalogue's order: what the console
// proposes while a ticket of it is served. None for an unknown service.
func (c *Config) ProceduresFor(service string) []Procedure {
	out := []Procedure{}
	for _, p := range c.Procedures {
		if p.Service == service {
			out = append(out, p)
		}
	}
	return out
}

// cutOff is the procedure's same-day cut-off as minutes after midnight.
func (c *Config) cutOff(p Procedure) int {
	s := p.CutOff
	if s == "" {
		s = c.CutOff
	}
	if !clockPattern.MatchString(s) {
		s = DefaultCutOff
	}
	h, _ := strconv.Atoi(s[:2])
	m, _ := strconv.Atoi(s[3:])
	return h*60 + m
}

// supplementStops and paymentStops say whether the procedure's clock
// stops while it waits for supplements or for payment.
func (c *Config) supplementStops(p Procedure) bool {
	return boolOr(p.SupplementStops, boolOr(c.SupplementStops, true))
}

func (c *Config) paymentStops(p Procedure) bool {
	return boolOr(p.PaymentStops, boolOr(c.PaymentStops, true))
}

// boolOr is *b, or def when b is nil.
func boolOr(b *bool, def bool) bool {
	if b == nil {
		return def
	}
	return *b
}

// Due is the due date of a dossier of p received at received: for a
// procedure of Days ≥ 1, the end (24:00) of the Days-th working day after
// the day of receipt; for a same-day procedure, the end of the day of
// receipt when it is a working day and the time is before the cut-off,
// the end of the next working day otherwise (a procedure received on a
// Friday at 16:00 is due on Monday).
func (c *Config) Due(p Procedure, received time.Time) time.Time {
	if p.Days > 0 {
		return c.Calendar.AddWorkingDays(received, p.Days)
	}
	local := received.In(c.Calendar.Zone())
	if c.Calendar.IsWorkingDay(local) && local.Hour()*60+local.Minute() < c.cutOff(p) {
		return c.Calendar.AddWorkingDays(local, 0)
	}
	return c.Calendar.AddWorkingDays(local, 1)
}

// quote writes a value as Go's %q does; long values are cut.
func quote(s string) string {
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return fmt.Sprintf("%q", s)
}
