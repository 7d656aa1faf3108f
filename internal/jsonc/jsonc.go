// Package jsonc reads JSON with // comments, the format of Lượt's
// configuration files (the office file, the feedback file).
package jsonc

import (
	"bytes"
	"fmt"
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
