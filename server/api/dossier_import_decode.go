package api

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"luot/server/dossier"
)

// DossierCSVColumns are the columns of an import's CSV, as its header
// names them (in any order; each once, all of them).
var DossierCSVColumns = []string{"code", "procedure", "name", "phone", "id_number", "channel", "received_at", "status", "department", "note"}

// ImportRow is one line of an import, decoded: its line number in the
// file, the code it names ("" for a new dossier numbered by the office),
// the line as a PUT's body and the hash of its fields (the key of its
// creation).
type ImportRow struct {
	Line int
	Code string
	Put  DossierPut
	Hash string
}

// DecodeDossierCSV reads an import's CSV: a header, then one dossier a
// line. received_at is RFC 3339 or "YYYY-MM-DD HH:MM" in loc; an empty
// status is received, an empty channel online. What makes the whole file
// unreadable (not UTF-8, broken quoting, a wrong header, too many lines)
// is the error; a bad line is in lineErrs under its line number, and the
// caller refuses the whole file when there is any. A line repeating an
// earlier code, or an earlier line without a code, is a bad line.
func DecodeDossierCSV(data []byte, loc *time.Location) (rows []ImportRow, lineErrs map[int]error, err error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil, badRequest("empty_body", "the file is empty: send a header line and one dossier a line")
	}
	if !utf8.Valid(data) {
		return nil, nil, badRequest("invalid_csv", "the file is not UTF-8: save it as CSV UTF-8")
	}
	if loc == nil {
		loc = time.UTC
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = 0
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		return nil, nil, csvError(err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[h]; dup {
			return nil, nil, badRequest("invalid_csv_header", "the header names column {column} twice", "column", truncate(h, 30))
		}
		known := false
		for _, c := range DossierCSVColumns {
			known = known || c == h
		}
		if !known {
			return nil, nil, badRequest("invalid_csv_header", "the header names an unknown column {column}: the columns are {columns}", "column", fmt.Sprintf("%q", truncate(h, 30)), "columns", strings.Join(DossierCSVColumns, ","))
		}
		col[h] = i
	}
	for _, c := range DossierCSVColumns {
		if _, ok := col[c]; !ok {
			return nil, nil, badRequest("invalid_csv_header", "the header lacks column {column}: the columns are {columns}", "column", c, "columns", strings.Join(DossierCSVColumns, ","))
		}
	}
	lineErrs = map[int]error{}
	seenCode := map[string]int{}
	seenHash := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rows) == maxImportLines {
			return nil, nil, badRequest("too_many_lines", "the file has more than {max} dossiers: split it", "max", maxImportLines)
		}
		field := func(name string) string { return strings.TrimSpace(rec[col[name]]) }
		row := ImportRow{Line: line, Code: field("code"), Hash: lineHash(rec)}
		row.Put, err = importPut(field, loc)
		rows = append(rows, row)
		if err != nil {
			lineErrs[line] = err
			continue
		}
		if row.Code != "" {
			if first, ok := seenCode[row.Code]; ok {
				lineErrs[line] = badRequest("duplicate_code", "dossier {code} is on line {line} already: one line a dossier", "code", row.Code, "line", first)
				continue
			}
			seenCode[row.Code] = line
		} else {
			if first, ok := seenHash[row.Hash]; ok {
				lineErrs[line] = badRequest("duplicate_line", "this line repeats line {line}: one line a dossier", "line", first)
				continue
			}
			seenHash[row.Hash] = line
		}
	}
	if len(rows) == 0 {
		return nil, nil, badRequest("empty_body", "the file has a header but no dossier: send one dossier a line")
	}
	return rows, lineErrs, nil
}

// csvError is a CSV the reader cannot read, with the line it stopped at.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return badRequest("invalid_csv", "the file is not valid CSV at line {line}: {detail}", "line", pe.StartLine, "detail", pe.Err.Error())
	}
	return badRequest("invalid_csv", "the file is not valid CSV: {detail}", "detail", err.Error())
}

// importPut checks a line's fields as a PUT's body.
func importPut(field func(string) string, loc *time.Location) (DossierPut, error) {
	var p DossierPut
	var err error
	code := field("code")
	if err := checkCodeSyntax(code); err != nil {
		return p, err
	}
	if p.Procedure, err = codeField("procedure", field("procedure")); err != nil {
		return p, err
	}
	if p.Applicant.Name, err = longText("applicant name", field("name"), dossier.MaxName); err != nil {
		return p, err
	}
	if ph := field("phone"); ph != "" {
		if p.Applicant.Phone, err = phoneOf(ph); err != nil {
			return p, err
		}
	}
	if p.IDNumber, err = idNumber(field("id_number")); err != nil {
		return p, err
	}
	if p.Channel, err = channelOf(field("channel")); err != nil {
		return p, err
	}
	if p.Channel == "" {
		p.Channel = dossier.ChannelOnline
	}
	if p.ReceivedAt, err = localTime("received_at", field("received_at"), loc); err != nil {
		return p, err
	}
	if p.Status, err = statusOf(field("status")); err != nil {
		return p, err
	}
	if p.Status == "" {
		p.Status = dossier.StatusReceived
	}
	if p.Status == dossier.StatusSubmitted {
		p.SubmittedAt, p.ReceivedAt = p.ReceivedAt, time.Time{}
	}
	if err := checkID("department", field("department"), false); err != nil {
		return p, err
	}
	p.Department = field("department")
	if p.Note, err = longText("note", field("note"), dossier.MaxNote); err != nil {
		return p, err
	}
	return p, nil
}

// checkCodeSyntax refuses a code that is not printable ASCII; whether it
// is this office's is checked against the configuration.
func checkCodeSyntax(code string) error {
	_, err := codeField("code", code)
	return err
}

// localTime parses RFC 3339 or "YYYY-MM-DD HH:MM" in loc ("" is zero).
func localTime(field, s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation("2006-01-02 15:04", s, loc); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil && t.Year() >= 2000 && t.Year() <= 2999 {
		return t, nil
	}
	return time.Time{}, badRequest("invalid_time", "{field} {value} is not a time: write 2026-03-02 09:30 (the office's time) or RFC 3339", "field", field, "value", fmt.Sprintf("%q", truncate(s, 40)))
}
