// Package dossierfile reads the dossier configuration file: an office's
// catalogue of procedures (fields, departments, procedures with their
// papers), its code prefix, the same-day cut-off, the clock stops, the
// pickup tickets, the boards' panel and the days off of due dates, in
// one human-editable document, JSON with // comments.
// assets/demo/dossiers.jsonc is the commented example.
//
// It does no I/O of its own: the caller gives the file's bytes.
package dossierfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"luot/internal/jsonc"
	"luot/server/dossier"
	"luot/server/queue"
	"luot/server/workday"
)

// Limits of a dossier file.
const (
	MaxSize        = 1 << 20 // bytes
	MaxFields      = 200
	MaxDepartments = 200
	MaxHolidays    = 1000
)

// File is what a dossier file configures.
type File struct {
	// Config is the catalogue and the office's ways, validated. Its
	// Office and Calendar are the caller's to set (For does it);
	// Validate gave the calendar the default time zone meanwhile.
	Config dossier.Config
	// Holidays are days off (YYYY-MM-DD) for due dates besides the
	// office's own holidays.
	Holidays []string
}

// file is the document as written.
type file struct {
	Prefix          string               `json:"prefix"`
	CutOff          string               `json:"cut_off"`
	SupplementStops *bool                `json:"supplement_stops"`
	PaymentStops    *bool                `json:"payment_stops"`
	Pickup          *pickup              `json:"pickup"`
	Board           *dossier.Board       `json:"board"`
	Holidays        []string             `json:"holidays"`
	Fields          []dossier.Field      `json:"fields"`
	Departments     []dossier.Department `json:"departments"`
	Procedures      []dossier.Procedure  `json:"procedures"`
}

type pickup struct {
	Service  string         `json:"service"`
	Priority queue.Priority `json:"priority"`
}

// Parse reads a dossier file and validates it. Errors name the line of a
// syntax or type error, and the entry and field at fault (the domain's
// *queue.Error inside).
func Parse(data []byte) (*File, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("dossier file is larger than %d bytes", MaxSize)
	}
	clean, err := jsonc.Strip(data)
	if err != nil {
		return nil, fmt.Errorf("dossier file, %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(clean))
	dec.DisallowUnknownFields()
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, jsonc.DecodeError("dossier file", clean, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("dossier file, line %d: data after the closing brace", jsonc.Line(clean, dec.InputOffset()))
	}
	switch {
	case len(f.Fields) > MaxFields:
		return nil, fmt.Errorf("dossier file: %d fields, at most %d", len(f.Fields), MaxFields)
	case len(f.Departments) > MaxDepartments:
		return nil, fmt.Errorf("dossier file: %d departments, at most %d", len(f.Departments), MaxDepartments)
	case len(f.Holidays) > MaxHolidays:
		return nil, fmt.Errorf("dossier file: %d holidays, at most %d", len(f.Holidays), MaxHolidays)
	}
	out := &File{
		Config: dossier.Config{
			Prefix: f.Prefix, CutOff: f.CutOff, SupplementStops: f.SupplementStops, PaymentStops: f.PaymentStops,
			Fields: f.Fields, Departments: f.Departments, Procedures: f.Procedures,
			Calendar: workday.Calendar{Holidays: f.Holidays},
		},
		Holidays: f.Holidays,
	}
	if f.Pickup != nil {
		out.Config.PickupService, out.Config.PickupPriority = f.Pickup.Service, f.Pickup.Priority
	}
	if f.Board != nil {
		out.Config.Board = *f.Board
	}
	if err := out.Config.Validate(); err != nil {
		return nil, fmt.Errorf("dossier file: %w", err)
	}
	out.Config.Calendar.Holidays = nil
	return out, nil
}

// For is the configuration for office o: a copy of the file's with the
// office's id and its calendar (workday.Office), the file's days off
// added to the office's holidays, validated.
func (f *File) For(o *queue.Office) (*dossier.Config, error) {
	c := f.Config
	c.Office = o.ID
	c.Calendar = workday.Office(o)
	for _, h := range f.Holidays {
		if !slices.Contains(c.Calendar.Holidays, h) {
			c.Calendar.Holidays = append(c.Calendar.Holidays, h)
		}
	}
	c.Fields = slices.Clone(c.Fields)
	c.Departments = slices.Clone(c.Departments)
	c.Procedures = slices.Clone(c.Procedures)
	for i := range c.Procedures {
		c.Procedures[i].Papers = slices.Clone(c.Procedures[i].Papers)
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("dossier configuration of office %s: %w", o.ID, err)
	}
	return &c, nil
}
