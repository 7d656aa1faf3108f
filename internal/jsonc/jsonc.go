// Package jsonc reads JSON with // comments, the format of Lượt's
// configuration files (the office file, the feedback file).
package jsonc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Strip removes // comments that stand outside JSON strings, keeping line
// breaks so that a decoder's offsets still point at the right line. A
// string left open, or broken by a line break, is an error naming the
// line ("line 3: a string is not closed").
func Strip(data []byte) ([]byte, error) {
	out := make([]byte, 0, len(data))
	inString, escaped, start := false, false, 0
	for i := 0; i < len(data); i++ {
		ch := data[i]
		if inString {
			out = append(out, ch)
			switch {
			case escaped:
				escaped = false
			case ch == '\\':
				escaped = true
			case ch == '"':
				inString = false
			case ch == '\n':
				return nil, fmt.Errorf("line %d: a line break inside a string (a string is not closed?)", Line(data, int64(i)))
			}
			continue
		}
		switch {
		case ch == '"':
			inString, start = true, i
			out = append(out, ch)
		case ch == '/' && i+1 < len(data) && data[i+1] == '/':
			for i < len(data) && data[i] != '\n' {
				i++
			}
			if i < len(data) {
				out = append(out, '\n')
			}
		default:
			out = append(out, ch)
		}
	}
	if inString {
		return nil, fmt.Errorf("line %d: a string is not closed", Line(data, int64(start)))
	}
	return out, nil
}

// Line is the line (from 1) of a byte offset in data, such as a JSON
// decoder's offset.
func Line(data []byte, offset int64) int {
	offset = min(max(offset, 0), int64(len(data)))
	return 1 + bytes.Count(data[:offset], []byte{'\n'})
}

// DecodeError says where a document named what ("feedback file") is
// wrong, for errors of json.Unmarshal on clean (the document without its
// comments): the line of a syntax or type error, in words.
func DecodeError(what string, clean []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("%s, line %d: %v", what, Line(clean, syn.Offset), syn)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "the document"
		}
		return fmt.Errorf("%s, line %d: %s must be %s, not %s", what, Line(clean, typ.Offset), field, kindOf(typ.Type.Kind().String()), typ.Value)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%s is empty or ends too soon: it is a JSON object, { … }", what)
	}
	return fmt.Errorf("%s is not valid: %w", what, err)
}

// kindOf names a Go kind as a JSON writer knows it.
func kindOf(k string) string {
	switch k {
	case "string":
		return "a string"
	case "int", "int64", "float64":
		return "a number"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "a list [ … ]"
	case "struct", "map", "ptr":
		return "an object { … }"
	}
	return k
}
