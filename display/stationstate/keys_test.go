package stationstate

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
)

func TestKeyMapJSON(t *testing.T) {
	b, err := json.Marshal(DefaultKeyMap())
	if err != nil {
		t.Fatal(err)
	}
	var back KeyMap
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, DefaultKeyMap()) {
		t.Fatalf("round trip %v", back)
	}
	// inside a configuration file
	var cfg struct {
		Keys KeyMap `json:"keys"`
	}
	if err := json.Unmarshal([]byte(`{"keys": {"F1": "next", "F2": "done", "F12": "sign_out"}}`), &cfg); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cfg.Keys, KeyMap{"F1": ActNext, "F2": ActDone, "F12": ActSignOut}) {
		t.Fatalf("keys %v", cfg.Keys)
	}
	if err := json.Unmarshal([]byte(`{"keys": null}`), &cfg); err != nil || cfg.Keys == nil {
		t.Fatalf("null: %v %v", err, cfg.Keys)
	}
}

func TestKeyMapRefused(t *testing.T) {
	cases := []struct {
		json string
		want []string // in the error
	}{
		{`{"F1": "next", "F1": "done"}`, []string{`key "F1" is mapped twice (next and done)`}},
		{`{"F1": "nxt"}`, []string{`key "F1" has unknown action "nxt"`, "next, recall, start, done, no_show, pause, open, sign_out"}},
		{`{"F1": "no-show"}`, []string{`unknown action "no-show"`}},
		{`{"": "next"}`, []string{`key name "" is empty`}},
		{`{" F1": "next"}`, []string{`key name " F1"`}},
		{`{"F1": 3}`, []string{`key "F1": want an action name`}},
		{`["F1"]`, []string{"want an object"}},
		{`{"F1": "next", "F2": "nxt", "F1": "done"}`, []string{"mapped twice", `"nxt"`}},
		{`{"F1": "next"`, nil}, // encoding/json's own syntax error
		{`{"KP_1": "next", "1": "done"}`, []string{`"1" and "KP_1" are the same key`}},
	}
	for _, c := range cases {
		before := KeyMap{"X": ActNext}
		err := json.Unmarshal([]byte(c.json), &before)
		if err == nil {
			t.Errorf("%s: accepted", c.json)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", c.json, err, w)
			}
		}
		if !reflect.DeepEqual(before, KeyMap{"X": ActNext}) {
			t.Errorf("%s: a refused map changed the old one: %v", c.json, before)
		}
	}
	if _, err := json.Marshal(KeyMap{"F1": "bad"}); err == nil {
		t.Error("marshalled an invalid map")
	}
}

func TestDefaultKeyMap(t *testing.T) {
	m := DefaultKeyMap()
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	// every action reachable on a 17-key keypad (digits, + - * / . and
	// KP_Enter: what Fyne reports for it)
	pad := map[string]bool{"+": true, "-": true, "*": true, "/": true, ".": true, "KP_Enter": true}
	for c := '0'; c <= '9'; c++ {
		pad[string(c)] = true
	}
	for _, a := range Actions {
		found := false
		for k, b := range m {
			if b == a && pad[k] {
				found = true
			}
		}
		if !found {
			t.Errorf("%s has no key on a 17-key keypad", a)
		}
	}
	l := m.Legend()
	if len(l) != len(Actions) || l[0].Action != ActNext || !reflect.DeepEqual(l[len(l)-1].Keys, []string{"7", "BackSpace"}) {
		t.Fatalf("legend %+v", l)
	}
	for _, a := range Actions {
		if a.Name() == "" || a.NameEN() == "" {
			t.Errorf("%s has no name", a)
		}
		if (a.CounterAction() == "") != (a == ActSignOut) {
			t.Errorf("%s: counter action %q", a, a.CounterAction())
		}
	}
}

func TestKeypadAliases(t *testing.T) {
	// X keysym names (as xdotool and xev write them) reach the same keys
	// as Fyne's names
	r := newRig(t, Options{Keys: KeyMap{"KP_Add": ActNext, "KP_Enter": ActDone, "KP_7": ActSignOut}})
	r.keys("KP_1 KP_Enter 2 KP_Enter")
	r.m.SignedIn("1", nil, r.now)
	if fx := r.keys("+"); len(fx) != 1 || fx[0].(Act).Action != ActNext {
		t.Fatalf("+: %v", fx)
	}
	if fx := r.keys("KP_Add"); fx != nil { // the same key, in flight
		t.Fatalf("KP_Add: %v", fx)
	}
	if fx := r.keys("7"); !reflect.DeepEqual(fx, []Effect{SignOut{}}) {
		t.Fatalf("7: %v", fx)
	}
	if CanonicalKey("F1") != "F1" || CanonicalKey("KP_Divide") != "/" || CanonicalKey("KP_Enter") != "KP_Enter" {
		t.Fatal("CanonicalKey")
	}
}

// The default map's keys are names Fyne's desktop driver reports for a
// numeric keypad (its digits as the main row's, its Enter as KP_Enter).
func TestDefaultKeysAreFyneNames(t *testing.T) {
	fyneNames := map[string]bool{}
	for _, k := range []fyne.KeyName{fyne.KeyPlus, fyne.KeyMinus, fyne.KeyAsterisk, fyne.KeySlash, fyne.KeyPeriod,
		fyne.KeyEnter, fyne.KeyBackspace, fyne.Key0, fyne.Key7} {
		fyneNames[string(k)] = true
	}
	for k := range DefaultKeyMap() {
		if !fyneNames[k] {
			t.Errorf("default key %q is no name Fyne reports", k)
		}
	}
	if string(fyne.KeyEnter) != "KP_Enter" || string(fyne.KeyReturn) != "Return" || string(fyne.KeyBackspace) != "BackSpace" || string(fyne.KeyEscape) != "Escape" {
		t.Error("Fyne's names of Enter, Return, BackSpace or Escape changed: the sign-in keys need them")
	}
}
