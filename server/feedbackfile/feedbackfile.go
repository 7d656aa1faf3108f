// Package feedbackfile reads the feedback configuration file: a city's
// categories of reports, the units that handle them, answer templates,
// the wards' boundaries (a GeoJSON file it names) and the map of the
// citizen pages, in one human-editable document, JSON with // comments.
// assets/demo/feedback.jsonc is the commented example.
//
// It does no I/O of its own: the caller gives the file's bytes, and a
// function that loads the files it names.
package feedbackfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"luot/internal/jsonc"
	"luot/server/feedback"
	"luot/server/geo"
	"luot/server/queue"
)

// Limits of a feedback file.
const (
	MaxSize       = 1 << 20 // bytes of the file itself (the wards' file has geo's limits)
	MaxCategories = 100
	MaxUnits      = 500
	MaxTemplates  = 100
	maxDays       = 3650
	maxURL        = 500
)

// Map is the map of the citizen pages: the tile server's URL template
// ({z}, {x}, {y}; empty: no tiles, the pages draw the map without them),
// its attribution (plain text), the centre and the zoom it opens at. Its
// fields are those of api.FeedbackMap, which it converts to.
type Map struct {
	TileURL     string
	Attribution string
	Center      geo.Point
	Zoom        int
}

// DefaultZoom is the map's zoom when the file gives none.
const DefaultZoom = 15

// File is what a feedback file configures.
type File struct {
	// Config has the categories, units (wards with their boundaries),
	// templates and durations, validated. Its Office and Calendar are
	// the caller's to set (the office's, see feedback.OfficeCalendar);
	// Validate gave the calendar the default time zone meanwhile.
	Config feedback.Config
	Map    Map
	// Wards is the name of the wards' GeoJSON file, as written ("" when
	// none); WardsGeoJSON its bytes, for the pages.
	Wards        string
	WardsGeoJSON []byte
}

// file is the document as written.
type file struct {
	Units          []feedback.Unit     `json:"units"`
	Categories     []feedback.Category `json:"categories"`
	Templates      []feedback.Template `json:"templates"`
	Wards          string              `json:"wards"`
	Map            *fileMap            `json:"map"`
	ReopenDays     int                 `json:"reopen_days"`
	EraseAfterDays int                 `json:"erase_after_days"`
	NearbyRadius   float64             `json:"nearby_radius"`
}

type fileMap struct {
	TileURL     string      `json:"tile_url"`
	Attribution string      `json:"attribution"`
	Center      *[2]float64 `json:"center"` // [lat, lon]
	Zoom        int         `json:"zoom"`
}

// Parse reads a feedback file and validates it. load returns the bytes of
// a file the feedback file names (the wards' GeoJSON), as the caller
// finds it (beside the feedback file, or embedded); it may be nil when
// the file names none. Errors name the line of a syntax error, and the
// entry and field at fault.
func Parse(data []byte, load func(name string) ([]byte, error)) (*File, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("feedback file is larger than %d bytes", MaxSize)
	}
	clean, err := jsonc.Strip(data)
	if err != nil {
		return nil, fmt.Errorf("feedback file, %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(clean))
	dec.DisallowUnknownFields()
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, jsonc.DecodeError("feedback file", clean, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("feedback file, line %d: data after the closing brace", jsonc.Line(clean, dec.InputOffset()))
	}
	switch {
	case len(f.Categories) > MaxCategories:
		return nil, fmt.Errorf("feedback file: %d categories, at most %d", len(f.Categories), MaxCategories)
	case len(f.Units) > MaxUnits:
		return nil, fmt.Errorf("feedback file: %d units, at most %d", len(f.Units), MaxUnits)
	case len(f.Templates) > MaxTemplates:
		return nil, fmt.Errorf("feedback file: %d templates, at most %d", len(f.Templates), MaxTemplates)
	case f.ReopenDays < 0 || f.ReopenDays > maxDays || f.EraseAfterDays < 0 || f.EraseAfterDays > maxDays:
		return nil, fmt.Errorf("feedback file: reopen_days and erase_after_days must be 0 (the default) to %d", maxDays)
	}
	out := &File{
		Config: feedback.Config{
			Units: f.Units, Categories: f.Categories, Templates: f.Templates,
			ReopenWindow: time.Duration(f.ReopenDays) * 24 * time.Hour,
			EraseAfter:   time.Duration(f.EraseAfterDays) * 24 * time.Hour,
			NearbyRadius: f.NearbyRadius,
		},
		Wards: f.Wards,
	}
	if out.Map, err = readMap(f.Map); err != nil {
		return nil, err
	}
	if f.Wards != "" {
		if err := out.readWards(load); err != nil {
			return nil, err
		}
	}
	if err := out.Config.Validate(); err != nil {
		return nil, fmt.Errorf("feedback file: %w", err)
	}
	return out, nil
}

// readMap checks the map: a centre on the Earth, a zoom of 1 to 19, a
// tile URL template of http(s) or of this server, a plain attribution.
func readMap(m *fileMap) (Map, error) {
	if m == nil || m.Center == nil {
		return Map{}, errors.New(`feedback file: "map" needs its "center", [latitude, longitude]`)
	}
	out := Map{TileURL: m.TileURL, Attribution: strings.TrimSpace(m.Attribution), Center: geo.Point{Lat: m.Center[0], Lon: m.Center[1]}, Zoom: m.Zoom}
	if !out.Center.Valid() {
		return Map{}, errors.New(`feedback file: map center is not on the Earth: write [latitude, longitude], latitude -90 to 90, longitude -180 to 180`)
	}
	if out.Zoom == 0 {
		out.Zoom = DefaultZoom
	}
	if out.Zoom < 1 || out.Zoom > 19 {
		return Map{}, fmt.Errorf("feedback file: map zoom %d must be 1 to 19", m.Zoom)
	}
	if u := out.TileURL; u != "" {
		ok := (strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") || (strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//"))) &&
			len(u) <= maxURL && !strings.ContainsAny(u, " \"'<>\\") && queue.CheckName("tile URL", u, false) == nil
		for _, p := range []string{"{z}", "{x}", "{y}"} {
			ok = ok && strings.Contains(u, p)
		}
		if !ok {
			return Map{}, fmt.Errorf("feedback file: map tile_url %q is not a tile URL template: write https://…/{z}/{x}/{y}.png (at most %d characters), or leave it empty for no tiles", truncate(u, 80), maxURL)
		}
	}
	if err := queue.CheckName("map attribution", out.Attribution, false); err != nil {
		return Map{}, fmt.Errorf("feedback file: %w", err)
	}
	return out, nil
}

// readWards loads and reads the wards' boundaries: each feature is the
// boundary of the ward unit with its id.
func (f *File) readWards(load func(string) ([]byte, error)) error {
	if load == nil {
		return fmt.Errorf("feedback file: wards %q cannot be read here: no files are loaded", f.Wards)
	}
	data, err := load(f.Wards)
	if err != nil {
		return fmt.Errorf("feedback file: wards %q: %w", f.Wards, err)
	}
	features, err := geo.ParseFeatures(data)
	if err != nil {
		return fmt.Errorf("feedback file: wards %q: %w", f.Wards, err)
	}
	seen := map[string]bool{}
	for _, ft := range features {
		i := -1
		for j, u := range f.Config.Units {
			if u.ID == ft.ID {
				i = j
			}
		}
		switch {
		case seen[ft.ID]:
			return fmt.Errorf("feedback file: wards %q: ward %q has two boundaries", f.Wards, ft.ID)
		case i < 0:
			return fmt.Errorf("feedback file: wards %q: feature %q is not a unit: give each feature the id of its ward in \"units\"", f.Wards, truncate(ft.ID, 40))
		case f.Config.Units[i].Kind != feedback.UnitWard:
			return fmt.Errorf("feedback file: wards %q: unit %q is a department, not a ward", f.Wards, ft.ID)
		}
		seen[ft.ID] = true
		f.Config.Units[i].Area = ft.Area
	}
	f.WardsGeoJSON = data
	return nil
}

// line is the line number of the byte at offset.

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
