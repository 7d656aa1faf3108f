package keypad_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"luot/display/keypad"
)

func TestDecoder(t *testing.T) {
	codes := map[string]string{"N": "+", "DONE": "KP_Enter", "F1": "F1", "x": "Escape"}
	cases := []struct {
		framing keypad.Framing
		codes   map[string]string
		in      []string // pieces fed one after another
		want    []string
		dropped int
	}{
		{keypad.Lines, codes, []string{"N\r\n"}, []string{"+"}, 0},
		{keypad.Lines, codes, []string{"N\rDONE\nF1\r\n"}, []string{"+", "KP_Enter", "F1"}, 0},
		{keypad.Lines, codes, []string{"DO", "N", "E\r", "\n"}, []string{"KP_Enter"}, 0},
		{keypad.Lines, codes, []string{"  N  \r\n"}, []string{"+"}, 0},
		{keypad.Lines, codes, []string{"1234\r\n"}, []string{"1234"}, 0}, // unlisted, printable: itself
		{keypad.Lines, codes, []string{"\r\n\r\n\n"}, nil, 0},
		{keypad.Lines, codes, []string{"N"}, nil, 0}, // no end of line yet
		{keypad.Lines, codes, []string{"\x01\x02\r\n"}, nil, 1},
		{keypad.Lines, codes, []string{"caf\xc3\xa9\n"}, nil, 1},
		{keypad.Lines, codes, []string{strings.Repeat("A", 65) + "\r\nN\n"}, []string{"+"}, 1},
		{keypad.Lines, codes, []string{strings.Repeat("A", 64) + "\n"}, []string{strings.Repeat("A", 64)}, 0},
		{keypad.Bytes, nil, []string{"12+\r\n"}, []string{"1", "2", "+", "KP_Enter"}, 0},
		{keypad.Bytes, nil, []string{"\b\x7f\x1b"}, []string{"BackSpace", "BackSpace", "Escape"}, 0},
		{keypad.Bytes, map[string]string{"a": "+", "\r": "Return"}, []string{"ab\r"}, []string{"+", "b", "Return"}, 0},
		{keypad.Bytes, nil, []string{"\x00\x07\xff"}, nil, 3},
		{"", nil, []string{"7\n"}, []string{"7"}, 0}, // lines by default
	}
	for _, c := range cases {
		d, err := keypad.NewDecoder(c.framing, c.codes)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range c.in {
			got = append(got, d.Feed([]byte(p))...)
		}
		if !reflect.DeepEqual(got, c.want) || d.Dropped != c.dropped {
			t.Errorf("%s %q: keys %q dropped %d, want %q %d", c.framing, c.in, got, d.Dropped, c.want, c.dropped)
		}
	}
}

func TestDecoderReset(t *testing.T) {
	d, _ := keypad.NewDecoder(keypad.Lines, nil)
	d.Feed([]byte("GAR"))
	d.Reset()
	if got := d.Feed([]byte("N\n")); !reflect.DeepEqual(got, []string{"N"}) {
		t.Fatalf("after reset: %q", got)
	}
}

func TestConfigRefused(t *testing.T) {
	cases := []struct {
		cfg  keypad.Config
		want string
	}{
		{keypad.Config{}, "port is empty"},
		{keypad.Config{Port: "/dev/x", Baud: -1}, "baud -1"},
		{keypad.Config{Port: "/dev/x", Framing: "word"}, `framing "word"`},
		{keypad.Config{Port: "/dev/x", Framing: keypad.Bytes, Codes: map[string]string{"NEXT": "+"}}, `"NEXT" is not one byte`},
		{keypad.Config{Port: "/dev/x", Codes: map[string]string{"": "+"}}, "an empty code"},
		{keypad.Config{Port: "/dev/x", Codes: map[string]string{"A\n": "+"}}, "cannot be a line's code"},
		{keypad.Config{Port: "/dev/x", Codes: map[string]string{" A": "+"}}, "cannot be a line's code"},
		{keypad.Config{Port: "/dev/x", Codes: map[string]string{"A": " "}}, `"A" names no key`},
	}
	for _, c := range cases {
		_, err := keypad.New(c.cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.cfg, err, c.want)
		}
	}
	if _, err := keypad.New(keypad.Config{Port: "/dev/x", Framing: keypad.Bytes, Codes: map[string]string{"a": "+"}}); err != nil {
		t.Fatal(err)
	}
}

func TestBackoff(t *testing.T) {
	const ms = 1_000_000
	want := []int64{500, 1000, 2000, 4000, 8000, 10000, 10000}
	for i, w := range want {
		if got := keypad.Backoff(i+1, keypad.RetryFirst, keypad.RetryMax); int64(got) != w*ms {
			t.Errorf("try %d: %v, want %dms", i+1, got, w)
		}
	}
	if got := keypad.Backoff(1000, keypad.RetryFirst, keypad.RetryMax); got != keypad.RetryMax {
		t.Errorf("try 1000: %v", got)
	}
}

// FuzzDecoder: any bytes, cut anywhere, give the same keys as in one
// piece; no key is empty or has a line end; a line's key fits maxLine.
func FuzzDecoder(f *testing.F) {
	for _, s := range []string{"N\r\n", "DONE\nF1\r\n", "12+\r\n", "\x00\xff\r\r\n\n", strings.Repeat("A", 70) + "\nB\n", "\b\x7f\x1b", "  x \r\n"} {
		f.Add([]byte(s), uint8(3), false)
		f.Add([]byte(s), uint8(1), true)
	}
	codes := map[string]string{"N": "+", "DONE": "KP_Enter", "x": "Escape"}
	f.Fuzz(func(t *testing.T, in []byte, cut uint8, bytesFraming bool) {
		fr, cs := keypad.Lines, codes
		if bytesFraming {
			fr, cs = keypad.Bytes, map[string]string{"x": "Escape"}
		}
		whole, _ := keypad.NewDecoder(fr, cs)
		pieces, _ := keypad.NewDecoder(fr, cs)
		want := whole.Feed(in)
		var got []string
		step := int(cut)%7 + 1
		for i := 0; i < len(in); i += step {
			got = append(got, pieces.Feed(in[i:min(i+step, len(in))])...)
		}
		if !reflect.DeepEqual(got, want) || whole.Dropped != pieces.Dropped {
			t.Fatalf("in pieces of %d: %q (dropped %d), whole: %q (dropped %d)", step, got, pieces.Dropped, want, whole.Dropped)
		}
		for _, k := range want {
			if k == "" || strings.ContainsAny(k, "\r\n") || len(k) > 64 {
				t.Fatalf("key %q", k)
			}
		}
		if !bytesFraming && len(want) > bytes.Count(in, []byte("\r"))+bytes.Count(in, []byte("\n")) {
			t.Fatalf("%d keys from %d line ends", len(want), bytes.Count(in, []byte("\n")))
		}
	})
}
