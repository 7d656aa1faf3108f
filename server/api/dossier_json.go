package api

import (
	"time"

	"luot/server/dossier"
)

// CatalogueJSON answers GET /offices/{office}/dossier-catalogue.
type CatalogueJSON struct {
	Fields      []dossier.Field          `json:"fields"`
	Departments []dossier.Department     `json:"departments"`
	Procedures  []CatalogueProcedureJSON `json:"procedures"`
}

// CatalogueProcedureJSON is a procedure of the catalogue, with its
// cut-off hour resolved (the office's default when it has none).
type CatalogueProcedureJSON struct {
	Code       string          `json:"code"`
	Name       string          `json:"name"`
	NameEN     string          `json:"name_en,omitempty"`
	Field      string          `json:"field"`
	Service    string          `json:"service"`
	Department string          `json:"department"`
	Days       int             `json:"days"`
	CutOff     string          `json:"cut_off"`
	Fee        int64           `json:"fee"`
	Papers     []dossier.Paper `json:"papers"`
}

func (x *dsr) catalogueJSON() CatalogueJSON {
	c := CatalogueJSON{Fields: x.cfg.Fields, Departments: x.cfg.Departments, Procedures: make([]CatalogueProcedureJSON, 0, len(x.cfg.Procedures))}
	if c.Fields == nil {
		c.Fields = []dossier.Field{}
	}
	if c.Departments == nil {
		c.Departments = []dossier.Department{}
	}
	for _, p := range x.cfg.Procedures {
		cut := p.CutOff
		if cut == "" {
			cut = x.cfg.CutOff
		}
		papers := p.Papers
		if papers == nil {
			papers = []dossier.Paper{}
		}
		c.Procedures = append(c.Procedures, CatalogueProcedureJSON{Code: p.Code, Name: p.Name, NameEN: p.NameEN, Field: p.Field,
			Service: p.Service, Department: p.Department, Days: p.Days, CutOff: cut, Fee: p.Fee, Papers: papers})
	}
	return c
}

// StaffDossierJSON is a dossier as staff see it: the domain's Dossier
// (the applicant's name, phone and masked ID number included) with
// whether it is late and the names of its procedure and department.
// History is there for GET /dossiers/{code} only.
type StaffDossierJSON struct {
	dossier.Dossier
	Late           bool            `json:"late"`
	ProcedureName  string          `json:"procedure_name"`
	DepartmentName string          `json:"department_name,omitempty"`
	History        []dossier.Event `json:"history,omitempty"`
}

func (x *dsr) staffJSON(d dossier.Dossier, now time.Time) StaffDossierJSON {
	j := StaffDossierJSON{Dossier: d, Late: d.Late(now)}
	if d.Papers == nil {
		j.Papers = []string{}
	}
	if p, ok := x.cfg.Procedure(d.Procedure); ok {
		j.ProcedureName = p.Name
	}
	if dep, ok := x.cfg.Department(d.Department); ok {
		j.DepartmentName = dep.Name
	}
	if p := d.Pickup; p != nil && p.Number == "" {
		// The claim is made before its ticket is issued: the number is
		// the ticket's, while the queue still has it.
		if v, err := x.s.eng.View(x.cfg.Office); err == nil {
			if t, ok := v.Tickets[p.Ticket]; ok {
				cp := *p
				cp.Number = t.Display
				j.Pickup = &cp
			}
		}
	}
	return j
}

// DossierStatusJSON is what anyone holding the code may learn of a
// dossier (client.DossierStatus): never the applicant.
type DossierStatusJSON struct {
	Code        string         `json:"code"`
	Procedure   string         `json:"procedure"`
	ProcedureEN string         `json:"procedure_en,omitempty"`
	Status      dossier.Status `json:"status"`
	DueAt       time.Time      `json:"due_at,omitzero"`
	Late        bool           `json:"late,omitempty"`
	NewDue      time.Time      `json:"new_due,omitzero"`
	Supplement  string         `json:"supplement,omitempty"`
}

func (x *dsr) statusJSON(d dossier.Dossier, now time.Time) DossierStatusJSON {
	loc := x.loc()
	j := DossierStatusJSON{Code: d.Code, Procedure: d.Procedure, Status: d.Status, Late: d.Late(now)}
	if p, ok := x.cfg.Procedure(d.Procedure); ok {
		j.Procedure, j.ProcedureEN = p.Name, p.NameEN
	}
	if !d.DueAt.IsZero() {
		j.DueAt = d.DueAt.In(loc)
	}
	if d.Apology != nil {
		j.NewDue = d.Apology.NewDue.In(loc)
	}
	if d.Status == dossier.StatusNeedsSupplement && d.Supplement != nil {
		j.Supplement = d.Supplement.What
	}
	return j
}

// ApplicantDossierJSON is the applicant's view: the status, the masked
// name, how it arrived, when it was received and completed, the
// apology, the supplement asked for, the result once completed and the
// rating. Never the phone, the ID number nor a staff member's name.
type ApplicantDossierJSON struct {
	DossierStatusJSON
	Name              string          `json:"name"`
	Channel           dossier.Channel `json:"channel"`
	ReceivedAt        time.Time       `json:"received_at,omitzero"`
	CompletedAt       time.Time       `json:"completed_at,omitzero"`
	ReturnedAt        time.Time       `json:"returned_at,omitzero"`
	Apology           *ApologyJSON    `json:"apology,omitempty"`
	SupplementRequest *SupplementJSON `json:"supplement_request,omitempty"`
	Result            string          `json:"result,omitempty"`
	Reason            string          `json:"reason,omitempty"`
	Rating            *dossier.Rating `json:"rating,omitempty"`
}

// ApologyJSON is a late dossier's apology as the applicant reads it.
type ApologyJSON struct {
	Text   string    `json:"text"`
	NewDue time.Time `json:"new_due"`
	At     time.Time `json:"at"`
}

// SupplementJSON is what the applicant is asked to bring, and by when.
type SupplementJSON struct {
	What string    `json:"what"`
	By   time.Time `json:"by"`
}

// ApplicantEventJSON is one step of the applicant's timeline:
// departments, never staff names.
type ApplicantEventJSON struct {
	Type       string         `json:"type"`
	At         time.Time      `json:"at"`
	Status     dossier.Status `json:"status"`
	Department string         `json:"department,omitempty"`
	Note       string         `json:"note,omitempty"`
	StepDue    time.Time      `json:"step_due,omitzero"`
}

// LookupJSON answers POST /dossiers/{code}/lookup.
type LookupJSON struct {
	Dossier ApplicantDossierJSON `json:"dossier"`
	History []ApplicantEventJSON `json:"history"`
	CanRate bool                 `json:"can_rate"`
}

func (x *dsr) applicantJSON(d dossier.Dossier, now time.Time) ApplicantDossierJSON {
	loc := x.loc()
	j := ApplicantDossierJSON{DossierStatusJSON: x.statusJSON(d, now), Name: dossier.MaskName(d.Applicant.Name), Channel: d.Channel, Rating: d.Rating}
	if !d.ReceivedAt.IsZero() {
		j.ReceivedAt = d.ReceivedAt.In(loc)
	}
	if !d.CompletedAt.IsZero() {
		j.CompletedAt = d.CompletedAt.In(loc)
	}
	if !d.ReturnedAt.IsZero() {
		j.ReturnedAt = d.ReturnedAt.In(loc)
	}
	if d.Apology != nil {
		j.Apology = &ApologyJSON{Text: d.Apology.Text, NewDue: d.Apology.NewDue.In(loc), At: d.Apology.At.In(loc)}
	}
	if d.Status == dossier.StatusNeedsSupplement && d.Supplement != nil {
		j.SupplementRequest = &SupplementJSON{What: d.Supplement.What, By: d.Supplement.By.In(loc)}
	}
	if d.Status == dossier.StatusCompleted || d.Status == dossier.StatusReturned {
		j.Result = d.Result
	}
	if d.Status == dossier.StatusRefused || d.Status == dossier.StatusWithdrawn || d.Status == dossier.StatusSuspended {
		j.Reason = d.Reason
	}
	return j
}

// applicantHistory is the timeline without who did what: the department
// in charge by name, and the notes that the applicant is meant to read
// (reasons, supplements, results, apologies, but not staff's notes).
func (x *dsr) applicantHistory(evs []dossier.Event) []ApplicantEventJSON {
	loc := x.loc()
	out := make([]ApplicantEventJSON, 0, len(evs))
	for _, e := range evs {
		j := ApplicantEventJSON{Type: e.Type, At: e.At.In(loc), Status: e.Status}
		if dep, ok := x.cfg.Department(e.Department); ok {
			j.Department = dep.Name
		}
		if !e.StepDue.IsZero() {
			j.StepDue = e.StepDue.In(loc)
		}
		switch e.Type {
		case dossier.EventType(dossier.ActNote), dossier.EventType(dossier.ActPickup), dossier.EventType(dossier.ActRate):
			// Staff's notes are for staff; the pickup and the rating say
			// nothing the dossier does not.
		case dossier.EventType(dossier.ActSupplement):
			if e.Supplement != nil {
				j.Note = e.Supplement.What
			}
		case dossier.EventType(dossier.ActComplete):
			j.Note = e.Result
		case dossier.EventType(dossier.ActApologize):
			if e.Apology != nil {
				j.Note = e.Apology.Text
			}
		case dossier.EventType(dossier.ActRefuse), dossier.EventType(dossier.ActWithdraw), dossier.EventType(dossier.ActSuspend), dossier.TypeCreated:
			if e.Status == dossier.StatusRefused || e.Type != dossier.TypeCreated {
				j.Note = e.Note
			}
		}
		out = append(out, j)
	}
	return out
}
