package planning

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"luot/server/geo"
	"luot/server/queue"
)

// CRS is the coordinate system of an imported file.
type CRS struct {
	// VN2000 is the file's VN-2000 system (positions [easting, northing]
	// in metres); nil means WGS 84 [longitude, latitude] in degrees
	// (EPSG:4326), GeoJSON's own.
	VN2000 *geo.VN2000
}

// String names the system as Info.CRS records it.
func (c CRS) String() string {
	if c.VN2000 == nil {
		return "EPSG:4326"
	}
	return fmt.Sprintf("VN-2000 %s %d°", strconv.FormatFloat(c.VN2000.CentralMeridian, 'f', -1, 64), c.VN2000.ZoneWidth)
}

// MaxImportBytes is the largest GeoJSON file an import reads: a city's
// 100,000 parcels with detailed boundaries fit in about a tenth of it.
const MaxImportBytes = 256 << 20

// The properties a feature may have; any other is refused by name, so a
// misspelt "densty" is not silently dropped.
var (
	zoneProperties   = []string{"id", "code", "name", "density", "height", "floors", "far", "decision", "decision_date"}
	parcelProperties = []string{"sheet", "number"}
)

// DecodeZones reads the zones of a plan from a GeoJSON FeatureCollection
// (RFC 7946) in crs, converting every position to WGS 84. Each feature
// is a Polygon or MultiPolygon with the properties code, name, decision
// and decision_date (YYYY-MM-DD), and optionally density (percent),
// height (metres), floors and far; its id is the feature's "id" or its
// properties' "id", required and unique. docs/planning.md describes the
// format.
//
// It reads as it goes, never more than MaxImportBytes, and stops at the
// first problem with a *queue.Error (kind invalid) that names the
// feature by its place in the file (from 1) and its id, and says what to
// do: see decoder.
func DecodeZones(r io.Reader, crs CRS) ([]Zone, error) {
	var zones []Zone
	ids := map[string]int{}
	err := decodeFeatures(r, crs, zoneProperties, func(f *feature) error {
		z := Zone{Area: f.area}
		var err error
		if z.ID, err = f.id(); err != nil {
			return err
		}
		f.label = fmt.Sprintf("%d (%s)", f.n, z.ID)
		if prev, ok := ids[z.ID]; ok {
			return newError(queue.KindInvalid, "invalid_planning", "feature {feature}: the id is the same as feature {other}'s: every zone needs its own id",
				"feature", f.label, "other", prev)
		}
		ids[z.ID] = f.n
		for _, s := range []struct {
			name string
			into *string
		}{{"code", &z.Code}, {"name", &z.Name}, {"decision", &z.Decision}, {"decision_date", &z.DecisionDate}} {
			if *s.into, err = f.text(s.name, true, false); err != nil {
				return err
			}
		}
		if _, err := time.Parse(time.DateOnly, z.DecisionDate); err != nil {
			return newError(queue.KindInvalid, "invalid_planning", "feature {feature}: decision_date {date} is not a date: write it YYYY-MM-DD, e.g. 2024-03-15",
				"feature", f.label, "date", z.DecisionDate)
		}
		if z.Density, err = f.number("density", 100); err != nil {
			return err
		}
		if z.Height, err = f.number("height", 1000); err != nil {
			return err
		}
		if z.FAR, err = f.number("far", 100); err != nil {
			return err
		}
		floors, err := f.number("floors", 200)
		if err != nil {
			return err
		}
		if floors != math.Trunc(floors) {
			return newError(queue.KindInvalid, "invalid_planning", "feature {feature}: floors must be a whole number, not {value}",
				"feature", f.label, "value", strconv.FormatFloat(floors, 'f', -1, 64))
		}
		z.Floors = int(floors)
		zones = append(zones, z)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return zones, nil
}

// DecodeParcels reads land parcels from a GeoJSON FeatureCollection in
// crs, as DecodeZones reads zones: each feature a Polygon or
// MultiPolygon with the properties sheet and number (strings, or whole
// numbers), the pair unique in the file. A feature's "id" is allowed and
// not kept.
func DecodeParcels(r io.Reader, crs CRS) ([]Parcel, error) {
	var parcels []Parcel
	seen := map[[2]string]int{}
	err := decodeFeatures(r, crs, parcelProperties, func(f *feature) error {
		p := Parcel{Area: f.area}
		var err error
		if p.Sheet, err = f.text("sheet", true, true); err != nil {
			return err
		}
		if p.Number, err = f.text("number", true, true); err != nil {
			return err
		}
		f.label = fmt.Sprintf("%d (sheet %s, parcel %s)", f.n, p.Sheet, p.Number)
		key := [2]string{p.Sheet, p.Number}
		if prev, ok := seen[key]; ok {
			return newError(queue.KindInvalid, "invalid_planning", "feature {feature}: feature {other} is the same parcel: a sheet and a parcel number name one parcel",
				"feature", f.label, "other", prev)
		}
		seen[key] = f.n
		parcels = append(parcels, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return parcels, nil
}

// feature is one feature being read: its place in the file, how the
// messages name it, its properties and its area in WGS 84.
type feature struct {
	n     int
	label string
	rawID json.RawMessage
	props map[string]json.RawMessage
	area  geo.MultiPolygon
}

// id is the feature's "id" or its properties' "id" (the same when both
// are given): a string or a whole number.
func (f *feature) id() (string, error) {
	top, err := f.scalar(f.rawID, "id", true)
	if err != nil {
		return "", err
	}
	inner, err := f.text("id", false, true)
	if err != nil {
		return "", err
	}
	switch {
	case top == "" && inner == "":
		return "", newError(queue.KindInvalid, "invalid_planning", "feature {feature} has no id: give it an \"id\" (or an \"id\" property) that no other zone has",
			"feature", f.label)
	case top != "" && inner != "" && top != inner:
		return "", newError(queue.KindInvalid, "invalid_planning", "feature {feature} has two ids, {top} and {inner}: keep one",
			"feature", f.label, "top", top, "inner", inner)
	case top != "":
		return top, nil
	}
	return inner, nil
}

// maxText bounds a text property, in bytes.
const maxText = 500

// text reads a text property: a JSON string, or a whole number when
// numberOK (map sheets and parcels are often numbered). Absent or null
// is "" — an error when required. Spaces around it are dropped.
func (f *feature) text(name string, required, numberOK bool) (string, error) {
	s, err := f.scalar(f.props[name], name, numberOK)
	if err == nil && s == "" && required {
		return "", newError(queue.KindInvalid, "invalid_planning", "feature {feature}: the property {property} is missing: every feature needs it",
			"feature", f.label, "property", name)
	}
	return s, err
}

var wholeNumber = regexp.MustCompile(`^-?[0-9]+$`)

func (f *feature) scalar(raw json.RawMessage, name string, numberOK bool) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		s = strings.TrimSpace(s)
		if len(s) > maxText {
			return "", newError(queue.KindInvalid, "invalid_planning", "feature {feature}: the property {property} is longer than {max} bytes",
				"feature", f.label, "property", name, "max", maxText)
		}
		return s, nil
	}
	if numberOK && wholeNumber.Match(raw) {
		return string(raw), nil
	}
	if numberOK {
		return "", newError(queue.KindInvalid, "invalid_planning", "feature {feature}: the property {property} must be text or a whole number, not {value}",
			"feature", f.label, "property", name, "value", clip(raw))
	}
	return "", newError(queue.KindInvalid, "invalid_planning", "feature {feature}: the property {property} must be text (in quotes), not {value}",
		"feature", f.label, "property", name, "value", clip(raw))
}

// number reads a number property within 0 to max; absent or null is 0
// (not set).
func (f *feature) number(name string, max float64) (float64, error) {
	raw := f.props[name]
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	var v float64
	if err := json.Unmarshal(raw, &v); err != nil {
		return 0, newError(queue.KindInvalid, "invalid_planning", "feature {feature}: the property {property} must be a number (without quotes or units), not {value}",
			"feature", f.label, "property", name, "value", clip(raw))
	}
	if v < 0 || v > max {
		return 0, newError(queue.KindInvalid, "invalid_planning", "feature {feature}: the property {property} is {value}: it must be within 0 to {max}",
			"feature", f.label, "property", name, "value", strconv.FormatFloat(v, 'f', -1, 64), "max", strconv.FormatFloat(max, 'f', -1, 64))
	}
	return v, nil
}

// clip quotes a value for a message, shortened.
func clip(raw json.RawMessage) string {
	s := string(raw)
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return s
}

// rawFeature is a feature as the file has it.
type rawFeature struct {
	Type       string                     `json:"type"`
	ID         json.RawMessage            `json:"id"`
	Properties map[string]json.RawMessage `json:"properties"`
	Geometry   *struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
}

// capReader reads at most left bytes and then fails, so a file over the
// limit is refused without reading the rest of it.
type capReader struct {
	r    io.Reader
	left int64
	over bool
}

var errTooBig = errors.New("planning: file over MaxImportBytes")

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// One byte more tells a file of exactly the limit from a larger one.
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			c.over = true
			return 0, errTooBig
		}
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// decodeFeatures reads a FeatureCollection token by token and gives each
// feature, its geometry read and converted to WGS 84, to fn; allowed
// are the property names a feature may have.
func decodeFeatures(r io.Reader, crs CRS, allowed []string, fn func(*feature) error) error {
	return decodeFeaturesLimit(r, crs, allowed, MaxImportBytes, fn)
}

func decodeFeaturesLimit(r io.Reader, crs CRS, allowed []string, limit int64, fn func(*feature) error) error {
	if crs.VN2000 != nil {
		if err := crs.VN2000.Validate(); err != nil {
			return err
		}
	}
	cr := &capReader{r: r, left: limit}
	// Notepad and some exports begin UTF-8 text with a byte-order mark,
	// which JSON does not allow: it is skipped (and counted).
	br := bufio.NewReader(cr)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	d := &decoder{dec: json.NewDecoder(br), cap: cr, limit: limit, crs: crs}
	d.dec.UseNumber()
	if ok, err := d.delim('{'); err != nil {
		return err
	} else if !ok {
		return newError(queue.KindInvalid, "invalid_planning", "the file must be a GeoJSON FeatureCollection: an object {\"type\": \"FeatureCollection\", \"features\": [...]}")
	}
	typ, sawFeatures := "", false
	for d.dec.More() {
		key, err := d.token()
		if err != nil {
			return err
		}
		switch key {
		case "type":
			var t string
			if err := d.dec.Decode(&t); err != nil {
				return d.fail(err, 0)
			}
			if t != "FeatureCollection" {
				return newError(queue.KindInvalid, "invalid_planning", "the file is a GeoJSON {type}: import a FeatureCollection, one Feature for each zone or parcel",
					"type", t)
			}
			typ = t
		case "features":
			if sawFeatures {
				return newError(queue.KindInvalid, "invalid_planning", "the file has two \"features\" members: put every feature in one array")
			}
			sawFeatures = true
			if ok, err := d.delim('['); err != nil {
				return err
			} else if !ok {
				return newError(queue.KindInvalid, "invalid_planning", "the file's \"features\" must be an array of Features")
			}
			for n := 1; d.dec.More(); n++ {
				f, err := d.feature(n, allowed)
				if err != nil {
					return err
				}
				if err := fn(f); err != nil {
					return err
				}
			}
			if _, err := d.token(); err != nil { // ']'
				return err
			}
		default: // foreign members, "bbox", "crs", "name": skipped
			var skip json.RawMessage
			if err := d.dec.Decode(&skip); err != nil {
				return d.fail(err, 0)
			}
		}
	}
	if _, err := d.token(); err != nil { // '}'
		return err
	}
	if typ == "" || !sawFeatures {
		return newError(queue.KindInvalid, "invalid_planning", "the file must be a GeoJSON FeatureCollection: an object {\"type\": \"FeatureCollection\", \"features\": [...]}")
	}
	if _, err := d.dec.Token(); err != io.EOF {
		if d.cap.over {
			return d.fail(err, 0)
		}
		return newError(queue.KindInvalid, "invalid_planning", "the file goes on after the FeatureCollection's end (near byte {offset}): import one FeatureCollection",
			"offset", d.dec.InputOffset())
	}
	return nil
}

// decoder reads one file.
type decoder struct {
	dec   *json.Decoder
	cap   *capReader
	limit int64
	crs   CRS
}

func (d *decoder) token() (json.Token, error) {
	t, err := d.dec.Token()
	if err != nil {
		return nil, d.fail(err, 0)
	}
	return t, nil
}

// delim reads the next token and reports whether it is want.
func (d *decoder) delim(want json.Delim) (bool, error) {
	t, err := d.token()
	if err != nil {
		return false, err
	}
	return t == want, nil
}

// fail turns a read or decode error into the message for the admin;
// n is the feature being read (0: none).
func (d *decoder) fail(err error, n int) error {
	if d.cap.over {
		return newError(queue.KindInvalid, "file_too_large", "the file is larger than {max} MB: split it (by district, or zones and parcels apart) or simplify the boundaries",
			"max", d.limit>>20)
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return newError(queue.KindInvalid, "invalid_planning", "the file ends in the middle (after {offset} bytes): was it uploaded whole?",
			"offset", d.dec.InputOffset())
	case errors.As(err, &syn):
		return newError(queue.KindInvalid, "invalid_planning", "the file is not valid JSON near byte {offset}: check the text there (a missing comma or quote, a trailing comma)",
			"offset", syn.Offset)
	case errors.As(err, &typ) && n > 0:
		return newError(queue.KindInvalid, "invalid_planning", "feature {feature}: {member} has the wrong type (a {got}): see docs/planning.md for the format",
			"feature", n, "member", memberName(typ.Field), "got", typ.Value)
	case errors.As(err, &typ):
		return newError(queue.KindInvalid, "invalid_planning", "the file's {member} has the wrong type (a {got}): it must be a GeoJSON FeatureCollection",
			"member", memberName(typ.Field), "got", typ.Value)
	}
	// The reader's own error (the connection lost, the server's body
	// limit): the message for the admin, and the cause for the caller.
	return &readError{newError(queue.KindInvalid, "invalid_planning", "the file cannot be read: upload it again"), err}
}

// readError is a failed read: errors.As finds both the *queue.Error to
// answer with and the reader's error (e.g. *http.MaxBytesError).
type readError struct {
	msg   *queue.Error
	cause error
}

func (e *readError) Error() string   { return e.msg.Error() }
func (e *readError) Unwrap() []error { return []error{e.msg, e.cause} }

func memberName(field string) string {
	if field == "" {
		return "Feature"
	}
	return "\"" + field + "\""
}

// feature reads feature n and its geometry.
func (d *decoder) feature(n int, allowed []string) (*feature, error) {
	var raw rawFeature
	if err := d.dec.Decode(&raw); err != nil {
		return nil, d.fail(err, n)
	}
	f := &feature{n: n, label: strconv.Itoa(n), rawID: raw.ID, props: raw.Properties}
	if raw.Type != "Feature" {
		return nil, newError(queue.KindInvalid, "invalid_planning", "feature {feature} is not a GeoJSON Feature (its \"type\" is {type}): the collection holds Features",
			"feature", f.label, "type", strconv.Quote(raw.Type))
	}
	if id, err := f.scalar(raw.ID, "id", true); err == nil && id != "" {
		f.label = fmt.Sprintf("%d (%s)", n, id)
	} else if err != nil {
		return nil, err
	}
	var unknown []string
	for k := range raw.Properties {
		if !slices.Contains(allowed, k) {
			unknown = append(unknown, strconv.Quote(k))
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return nil, newError(queue.KindInvalid, "invalid_planning", "feature {feature}: unknown properties {unknown}: the accepted ones are {accepted} (rename or remove the others)",
			"feature", f.label, "unknown", strings.Join(unknown, ", "), "accepted", strings.Join(allowed, ", "))
	}
	if raw.Geometry == nil {
		return nil, newError(queue.KindInvalid, "invalid_planning", "feature {feature} has no geometry: every zone and parcel needs a Polygon or a MultiPolygon", "feature", f.label)
	}
	area, err := d.geometry(f, raw.Geometry.Type, raw.Geometry.Coordinates)
	if err != nil {
		return nil, err
	}
	if err := area.Validate(); err != nil {
		var qe *queue.Error
		if errors.As(err, &qe) {
			args := map[string]string{"feature": f.label}
			for k, v := range qe.Args {
				args[k] = v
			}
			return nil, &queue.Error{Kind: queue.KindInvalid, Code: qe.Code, Template: FeaturePrefix + qe.Template,
				Message: queue.Fill(FeaturePrefix, args) + qe.Message, Args: args}
		}
		return nil, fmt.Errorf("feature %s: %w", f.label, err)
	}
	f.area = area
	return f, nil
}

// FeaturePrefix begins the message of a geometry's problem
// (geo.MultiPolygon.Validate's, whose template follows it), naming the
// feature; server/msgtext translates the two parts apart.
const FeaturePrefix = "feature {feature}: "

func (d *decoder) geometry(f *feature, typ string, raw json.RawMessage) (geo.MultiPolygon, error) {
	var polys [][][][]float64
	var err error
	switch typ {
	case "Polygon":
		polys, err = parseCoordinates(raw, 3)
	case "MultiPolygon":
		polys, err = parseCoordinates(raw, 4)
	case "":
		return nil, newError(queue.KindInvalid, "invalid_planning", "feature {feature}: the geometry has no \"type\": write Polygon or MultiPolygon", "feature", f.label)
	default:
		return nil, newError(queue.KindInvalid, "invalid_planning", "feature {feature}: a {type} is not an area: give a Polygon or a MultiPolygon",
			"feature", f.label, "type", typ)
	}
	if err != nil || len(raw) == 0 || string(raw) == "null" {
		return nil, newError(queue.KindInvalid, "invalid_planning", "feature {feature}: the coordinates cannot be read: a Polygon's are an array of rings, each an array of positions [x, y], and a MultiPolygon's an array of those",
			"feature", f.label)
	}
	if len(polys) == 0 {
		return nil, newError(queue.KindInvalid, "invalid_planning", "feature {feature}: the MultiPolygon has no polygon", "feature", f.label)
	}
	area := make(geo.MultiPolygon, 0, len(polys))
	for _, rings := range polys {
		if len(rings) == 0 {
			return nil, newError(queue.KindInvalid, "invalid_planning", "feature {feature}: a polygon has no ring: give it its outer ring", "feature", f.label)
		}
		poly := make(geo.Polygon, 0, len(rings))
		for _, pos := range rings {
			if len(pos) < 4 {
				return nil, newError(queue.KindInvalid, "invalid_planning", "feature {feature}: a ring has {n} positions: it needs at least 4, the last the same as the first",
					"feature", f.label, "n", len(pos))
			}
			ring := make(geo.Ring, len(pos))
			for i, c := range pos {
				if len(c) != 2 && len(c) != 3 {
					return nil, newError(queue.KindInvalid, "invalid_planning", "feature {feature}: a position has {n} numbers; write [x, y] (longitude, latitude; or easting, northing in VN-2000)",
						"feature", f.label, "n", len(c))
				}
				if ring[i], err = d.position(f, c[0], c[1]); err != nil {
					return nil, err
				}
			}
			if ring[0] != ring[len(ring)-1] {
				return nil, newError(queue.KindInvalid, "invalid_planning", "feature {feature}: a ring is not closed: repeat its first position at its end",
					"feature", f.label)
			}
			poly = append(poly, ring)
		}
		area = append(area, poly)
	}
	return area, nil
}

// Vietnam's broad box, islands included: a VN-2000 position must land
// in it, and WGS 84 numbers in it the wrong way round are named as such.
const (
	vnLatMin, vnLatMax = 4, 26
	vnLonMin, vnLonMax = 100, 120
)

func inVietnam(p geo.Point) bool {
	return p.Lat >= vnLatMin && p.Lat <= vnLatMax && p.Lon >= vnLonMin && p.Lon <= vnLonMax
}

// looksVN2000 reports whether x, y could be a VN-2000 easting and
// northing in Vietnam.
func looksVN2000(x, y float64) bool {
	return x >= -100_000 && x <= 1_100_000 && y >= 400_000 && y <= 2_900_000
}

// position converts the file's [x, y] to WGS 84, naming the usual
// mistakes: latitude and longitude swapped, metres given as degrees and
// degrees as metres, northing and easting swapped.
func (d *decoder) position(f *feature, x, y float64) (geo.Point, error) {
	pos := "[" + strconv.FormatFloat(x, 'f', -1, 64) + ", " + strconv.FormatFloat(y, 'f', -1, 64) + "]"
	if v := d.crs.VN2000; v != nil {
		if math.Abs(x) <= 180 && math.Abs(y) <= 90 {
			return geo.Point{}, newError(queue.KindInvalid, "invalid_planning", "feature {feature}: the position {position} looks like WGS 84 degrees, not VN-2000 metres: import the file as WGS 84 (without crs=vn2000)",
				"feature", f.label, "position", pos)
		}
		if p, err := v.ToWGS84(y, x); err == nil && inVietnam(p) {
			return p, nil
		}
		if p, err := v.ToWGS84(x, y); err == nil && inVietnam(p) {
			return geo.Point{}, newError(queue.KindInvalid, "invalid_planning", "feature {feature}: the position {position} has the northing first: GeoJSON writes [easting, northing] (x then y); swap the two numbers of every position",
				"feature", f.label, "position", pos)
		}
		return geo.Point{}, newError(queue.KindInvalid, "invalid_planning", "feature {feature}: the position {position} is not in Vietnam in VN-2000 with central meridian {meridian}: check the province's meridian and that the file is VN-2000",
			"feature", f.label, "position", pos, "meridian", strconv.FormatFloat(v.CentralMeridian, 'f', -1, 64))
	}
	p := geo.Point{Lon: x, Lat: y}
	if p.Valid() {
		return p, nil
	}
	if inVietnam(geo.Point{Lat: x, Lon: y}) {
		return geo.Point{}, newError(queue.KindInvalid, "invalid_planning", "feature {feature}: the position {position} has the latitude first: GeoJSON writes [longitude, latitude] (in Vietnam about [106, 10.8]); swap the two numbers of every position",
			"feature", f.label, "position", pos)
	}
	if looksVN2000(x, y) || looksVN2000(y, x) {
		return geo.Point{}, newError(queue.KindInvalid, "invalid_planning", "feature {feature}: the position {position} looks like VN-2000 metres, not WGS 84 degrees: import the file as VN-2000 with the province's central meridian",
			"feature", f.label, "position", pos)
	}
	return geo.Point{}, newError(queue.KindInvalid, "invalid_planning", "feature {feature}: the position {position} is out of range: longitude must be within -180 to 180 and latitude within -90 to 90",
		"feature", f.label, "position", pos)
}

// newError (plan.go) is queue.NewError under the name server/msgtext looks for.
