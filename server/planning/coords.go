package planning

import (
	"errors"
	"strconv"
)

// errCoords says the coordinates are not arrays of numbers nested as the
// geometry's type asks; the caller names the feature.
var errCoords = errors.New("planning: coordinates nested wrongly")

// coordParser reads GeoJSON coordinates (already checked to be valid
// JSON by the decoder) without reflection: a city's parcels are millions
// of numbers, and encoding/json's generic path was most of an import's
// time. Positions share one backing array per geometry.
type coordParser struct {
	b    []byte
	i    int
	flat []float64
}

// parseCoordinates reads a Polygon's coordinates (levels 3) or a
// MultiPolygon's (levels 4) into the MultiPolygon nesting.
func parseCoordinates(raw []byte, levels int) ([][][][]float64, error) {
	p := &coordParser{b: raw, flat: make([]float64, 0, len(raw)/8)}
	var out [][][][]float64
	switch levels {
	case 3:
		rings, err := p.rings()
		if err != nil {
			return nil, err
		}
		out = [][][][]float64{rings}
	case 4:
		err := p.array(func() error {
			rings, err := p.rings()
			out = append(out, rings)
			return err
		})
		if err != nil {
			return nil, err
		}
	default:
		return nil, errCoords
	}
	if p.space(); p.i != len(p.b) {
		return nil, errCoords
	}
	return out, nil
}

func (p *coordParser) rings() ([][][]float64, error) {
	var rings [][][]float64
	err := p.array(func() error {
		var ring [][]float64
		err := p.array(func() error {
			start := len(p.flat)
			err := p.array(func() error {
				v, err := p.number()
				p.flat = append(p.flat, v)
				return err
			})
			ring = append(ring, p.flat[start:len(p.flat):len(p.flat)])
			return err
		})
		rings = append(rings, ring)
		return err
	})
	return rings, err
}

func (p *coordParser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// array reads [elem, elem, ...], calling elem for each.
func (p *coordParser) array(elem func() error) error {
	if p.space(); p.i >= len(p.b) || p.b[p.i] != '[' {
		return errCoords
	}
	p.i++
	if p.space(); p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		p.space()
		if p.i >= len(p.b) {
			return errCoords
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return nil
		default:
			return errCoords
		}
	}
}

func (p *coordParser) number() (float64, error) {
	p.space()
	start := p.i
	for p.i < len(p.b) {
		c := p.b[p.i]
		if (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			p.i++
			continue
		}
		break
	}
	if start == p.i {
		return 0, errCoords
	}
	v, err := strconv.ParseFloat(string(p.b[start:p.i]), 64)
	if err != nil {
		return 0, errCoords
	}
	return v, nil
}
