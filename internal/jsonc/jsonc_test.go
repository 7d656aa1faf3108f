package jsonc

import "testing"

func TestStrip(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"a": 1} // x`, `{"a": 1} `},
		{"// head\n{\"u\": \"http://x//y\"}", "\n{\"u\": \"http://x//y\"}"},
		{`{"q": "a\"//b"}`, `{"q": "a\"//b"}`},
		{"{}\n// tail", "{}\n"},
	} {
		got, err := Strip([]byte(c.in))
		if err != nil || string(got) != c.want {
			t.Errorf("Strip(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	if _, err := Strip([]byte(`{"a": "open`)); err == nil {
		t.Error("an unclosed string must be refused")
	}
}

func TestStripNamesTheLine(t *testing.T) {
	for in, want := range map[string]string{
		"{\n\n\"a\": \"abc":    "line 3: a string is not closed",
		"{\n\"a\": \"ab\nc\"}": "line 2: a line break inside a string (a string is not closed?)",
	} {
		if _, err := Strip([]byte(in)); err == nil || err.Error() != want {
			t.Errorf("Strip(%q) = %v; want %q", in, err, want)
		}
	}
}
