package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"

	"luot/server/queue"
)

// ParseFeatures reads areas from GeoJSON (RFC 7946): a FeatureCollection,
// a single Feature, or a bare Polygon or MultiPolygon (one feature without
// id or properties). A Polygon is read as a MultiPolygon of one.
//
// A feature's id is its "id" (a string or a number, written as in the
// text), or else its properties' "id"; "" when it has neither.
//
// It refuses, with a *queue.Error (kind invalid, code invalid_geojson)
// naming the feature and what to do: text over MaxBytes, nesting deeper
// than MaxDepth, more than MaxVertices positions in all, a geometry other
// than Polygon or MultiPolygon (a GeometryCollection too), a feature
// without geometry, a ring of fewer than 4 positions or whose last
// position is not its first, a position that is not [longitude, latitude]
// (an altitude third is allowed and dropped) or out of range. Ring
// orientation is not checked (RFC 7946 asks parsers not to), nor whether
// rings cross: Contains reads any ring set by the even-odd rule.
// Foreign members and "bbox" are ignored.
func ParseFeatures(data []byte) ([]Feature, error) {
	if len(data) > MaxBytes {
		return nil, newError(queue.KindInvalid, "invalid_geojson", "the GeoJSON is {size} bytes, more than the {max} that are read: simplify the boundaries or split the file",
			"size", len(data), "max", MaxBytes)
	}
	if d := depth(data); d > MaxDepth {
		return nil, newError(queue.KindInvalid, "invalid_geojson", "the GeoJSON nests arrays and objects {depth} levels deep, more than the {max} that are read: flatten its properties",
			"depth", d, "max", MaxDepth)
	}
	var top object
	if err := decode(data, &top); err != nil {
		return nil, err
	}
	p := parser{}
	switch top.Type {
	case "FeatureCollection":
		if top.Features == nil {
			return nil, newError(queue.KindInvalid, "invalid_geojson", "the FeatureCollection has no \"features\" array")
		}
		out := make([]Feature, 0, len(top.Features))
		for i, raw := range top.Features {
			var o object
			if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
				return nil, newError(queue.KindInvalid, "invalid_geojson", "feature {feature} is not an object: a FeatureCollection holds Features",
					"feature", i+1)
			}
			if err := decode(raw, &o); err != nil {
				return nil, err
			}
			f, err := p.feature(i+1, &o)
			if err != nil {
				return nil, err
			}
			out = append(out, f)
		}
		return out, nil
	case "Feature":
		f, err := p.feature(1, &top)
		if err != nil {
			return nil, err
		}
		return []Feature{f}, nil
	case "Polygon", "MultiPolygon":
		area, err := p.geometry("1", &top)
		if err != nil {
			return nil, err
		}
		return []Feature{{Area: area}}, nil
	case "":
		return nil, newError(queue.KindInvalid, "invalid_geojson", "the GeoJSON has no \"type\": it must be a FeatureCollection, a Feature, a Polygon or a MultiPolygon")
	}
	return nil, newError(queue.KindInvalid, "invalid_geojson", "the GeoJSON is a {type}: it must be a FeatureCollection, a Feature, a Polygon or a MultiPolygon", "type", top.Type)
}

// object is any GeoJSON object; the members its type does not have stay
// empty.
type object struct {
	Type        string            `json:"type"`
	Features    []json.RawMessage `json:"features"`
	ID          json.RawMessage   `json:"id"`
	Properties  json.RawMessage   `json:"properties"`
	Geometry    json.RawMessage   `json:"geometry"`
	Coordinates json.RawMessage   `json:"coordinates"`
}

// parser counts the positions read so far.
type parser struct{ vertices int }

func (p *parser) feature(n int, o *object) (Feature, error) {
	label := strconv.Itoa(n)
	if o.Type != "Feature" {
		return Feature{}, newError(queue.KindInvalid, "invalid_geojson", "feature {feature} is a {type}: a FeatureCollection holds Features", "feature", label, "type", o.Type)
	}
	f := Feature{}
	id, ok := idOf(o.ID)
	if !ok {
		return Feature{}, newError(queue.KindInvalid, "invalid_geojson", "feature {feature}: the id must be a string or a number", "feature", label)
	}
	if len(o.Properties) > 0 && string(o.Properties) != "null" {
		if err := json.Unmarshal(o.Properties, &f.Properties); err != nil {
			return Feature{}, newError(queue.KindInvalid, "invalid_geojson", "feature {feature}: the properties must be an object", "feature", label)
		}
		if id == "" {
			if pid, ok := f.Properties["id"]; ok {
				raw, _ := json.Marshal(pid)
				if id, ok = idOf(raw); !ok {
					return Feature{}, newError(queue.KindInvalid, "invalid_geojson", "feature {feature}: the id must be a string or a number", "feature", label)
				}
			}
		}
	}
	f.ID = id
	if id != "" {
		label += " (" + id + ")"
	}
	if len(o.Geometry) == 0 || string(o.Geometry) == "null" {
		return Feature{}, newError(queue.KindInvalid, "invalid_geojson", "feature {feature} has no geometry: give it a Polygon or a MultiPolygon", "feature", label)
	}
	var g object
	if err := decode(o.Geometry, &g); err != nil {
		return Feature{}, err
	}
	area, err := p.geometry(label, &g)
	if err != nil {
		return Feature{}, err
	}
	f.Area = area
	return f, nil
}

// idOf reads an id: a string, or a number as it is written; "" for
// none or null.
func idOf(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", true
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String(), true
	}
	return "", false
}

func (p *parser) geometry(label string, g *object) (MultiPolygon, error) {
	var polys [][][][]float64
	switch g.Type {
	case "Polygon":
		var one [][][]float64
		if err := decodeCoordinates(label, g.Coordinates, &one); err != nil {
			return nil, err
		}
		polys = [][][][]float64{one}
	case "MultiPolygon":
		if err := decodeCoordinates(label, g.Coordinates, &polys); err != nil {
			return nil, err
		}
	case "":
		return nil, newError(queue.KindInvalid, "invalid_geojson", "feature {feature}: the geometry has no \"type\"", "feature", label)
	default:
		return nil, newError(queue.KindInvalid, "invalid_geojson", "feature {feature}: a {type} is not an area: boundaries must be a Polygon or a MultiPolygon",
			"feature", label, "type", g.Type)
	}
	if len(polys) == 0 {
		return nil, newError(queue.KindInvalid, "invalid_geojson", "feature {feature}: the geometry has no polygon", "feature", label)
	}
	area := make(MultiPolygon, 0, len(polys))
	for _, rings := range polys {
		if len(rings) == 0 {
			return nil, newError(queue.KindInvalid, "invalid_geojson", "feature {feature}: a polygon has no ring", "feature", label)
		}
		poly := make(Polygon, 0, len(rings))
		for _, pos := range rings {
			p.vertices += len(pos)
			if p.vertices > MaxVertices {
				return nil, newError(queue.KindInvalid, "invalid_geojson", "the GeoJSON has more than {max} positions (the limit was reached in feature {feature}): simplify the boundaries",
					"max", MaxVertices, "feature", label)
			}
			if len(pos) < 4 {
				return nil, newError(queue.KindInvalid, "invalid_geojson", "feature {feature}: a ring has {n} positions; a ring needs at least 4, the last the same as the first",
					"feature", label, "n", len(pos))
			}
			ring := make(Ring, len(pos))
			for i, c := range pos {
				if len(c) != 2 && len(c) != 3 {
					return nil, newError(queue.KindInvalid, "invalid_geojson", "feature {feature}: a position has {n} numbers; write [longitude, latitude]",
						"feature", label, "n", len(c))
				}
				pt := Point{Lon: c[0], Lat: c[1]}
				if !pt.Valid() {
					return nil, newError(queue.KindInvalid, "invalid_geojson", "feature {feature}: the position [{lon}, {lat}] is out of range: longitude must be within -180 to 180 and latitude within -90 to 90 (GeoJSON writes longitude first)",
						"feature", label, "lon", c[0], "lat", c[1])
				}
				ring[i] = pt
			}
			if ring[0] != ring[len(ring)-1] {
				return nil, newError(queue.KindInvalid, "invalid_geojson", "feature {feature}: a ring is not closed: its last position must be the same as its first",
					"feature", label)
			}
			poly = append(poly, ring)
		}
		area = append(area, poly)
	}
	return area, nil
}

func decodeCoordinates(label string, raw json.RawMessage, into any) error {
	if len(raw) == 0 || string(raw) == "null" {
		return newError(queue.KindInvalid, "invalid_geojson", "feature {feature}: the geometry has no \"coordinates\"", "feature", label)
	}
	if err := json.Unmarshal(raw, into); err != nil {
		return newError(queue.KindInvalid, "invalid_geojson", "feature {feature}: the coordinates cannot be read: a Polygon's are an array of rings, each an array of [longitude, latitude] numbers, and a MultiPolygon's an array of those",
			"feature", label)
	}
	return nil
}

// decode reads one JSON object, saying where the text went wrong.
func decode(data []byte, into *object) error {
	err := json.Unmarshal(data, into)
	if err == nil {
		return nil
	}
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return newError(queue.KindInvalid, "invalid_geojson", "the GeoJSON is not valid JSON (near byte {offset})", "offset", syn.Offset)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) && typ.Field != "" {
		return newError(queue.KindInvalid, "invalid_geojson", "the GeoJSON member \"{member}\" has the wrong type (near byte {offset})", "member", typ.Field, "offset", typ.Offset)
	}
	return newError(queue.KindInvalid, "invalid_geojson", "the GeoJSON must be an object with a \"type\"")
}

// depth is how deeply data nests arrays and objects, outside strings.
// Invalid JSON is left to the decoder to name.
func depth(data []byte) int {
	d, deepest, inString, escaped := 0, 0, false, false
	for _, c := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			d++
			deepest = max(deepest, d)
		case c == ']' || c == '}':
			d--
		}
	}
	return deepest
}

// newError is queue.NewError; the name lets server/msgtext find the
// templates.
func newError(kind queue.Kind, code, template string, args ...any) *queue.Error {
	return queue.NewError(kind, code, template, args...)
}
