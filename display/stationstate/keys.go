package stationstate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"luot/server/client"
)

// Action is what a key of the clerk's keypad does.
type Action string

// Actions a key can be mapped to.
const (
	ActNext    Action = "next"
	ActRecall  Action = "recall"
	ActStart   Action = "start"
	ActDone    Action = "done"
	ActNoShow  Action = "no_show"
	ActPause   Action = "pause"
	ActOpen    Action = "open"
	ActSignOut Action = "sign_out"
)

// Actions lists every action, in the order a legend shows them.
var Actions = []Action{ActNext, ActRecall, ActStart, ActDone, ActNoShow, ActPause, ActOpen, ActSignOut}

// Valid reports whether a is one of Actions.
func (a Action) Valid() bool { return slices.Contains(Actions, a) }

// CounterAction is the API's counter action for a, "" for sign_out
// (which is not a counter action).
func (a Action) CounterAction() client.CounterAction {
	switch a {
	case ActNext:
		return client.ActionNext
	case ActRecall:
		return client.ActionRecall
	case ActStart:
		return client.ActionStart
	case ActDone:
		return client.ActionDone
	case ActNoShow:
		return client.ActionNoShow
	case ActPause:
		return client.ActionPause
	case ActOpen:
		return client.ActionOpen
	}
	return ""
}

// Name is the action in Vietnamese.
func (a Action) Name() string { return actionNames[a][0] }

// NameEN is the action in English.
func (a Action) NameEN() string { return actionNames[a][1] }

var actionNames = map[Action][2]string{
	ActNext:    {"Gọi số tiếp", "Next"},
	ActRecall:  {"Gọi lại", "Recall"},
	ActStart:   {"Bắt đầu phục vụ", "Start"},
	ActDone:    {"Xong", "Done"},
	ActNoShow:  {"Vắng mặt", "No-show"},
	ActPause:   {"Tạm nghỉ", "Pause"},
	ActOpen:    {"Mở quầy", "Open"},
	ActSignOut: {"Đăng xuất", "Sign out"},
}

// KeyMap maps key names to actions. Key names are Fyne's (fyne.KeyName:
// "F1", "KP_Enter", "+", "0" …); a serial keypad's codes are turned into
// the same names by its own configuration (package keypad), so one map
// serves both keypads.
//
// In JSON it is an object {"key name": "action"}; a key named twice or an
// unknown action is refused.
//
// While nobody is signed in on the station, the typing keys (digits,
// letters, Enter, BackSpace, Escape) type the staff id and PIN whatever
// the map says; once a clerk is signed in every key goes through the map,
// so a small keypad may use its digits for actions too.
type KeyMap map[string]Action

// DefaultKeyMap is the map for a common 17-key USB numeric keypad with
// NumLock on. Fyne names the keypad's digits like the main row's ("0" …
// "9"), its Enter "KP_Enter" (the main Enter is "Return") and its
// operators by their characters ("+", "-", "*", "/", "."); NumLock itself
// reaches no window. The two tall keys take the commonest actions, the
// wide 0 starts serving, and sign-out sits on 7, far from them.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		"+":         ActNext,
		"KP_Enter":  ActDone,
		"0":         ActStart,
		"*":         ActRecall,
		"-":         ActNoShow,
		"/":         ActPause,
		".":         ActOpen,
		"7":         ActSignOut,
		"BackSpace": ActSignOut,
	}
}

// keypadAliases are the X keysym names of a numeric keypad's keys
// (xdotool's, xev's) for the names Fyne reports for them.
var keypadAliases = map[string]string{
	"KP_Add": "+", "KP_Subtract": "-", "KP_Multiply": "*", "KP_Divide": "/",
	"KP_Decimal": ".", "KP_Separator": ",", "KP_Equal": "=",
	"KP_0": "0", "KP_1": "1", "KP_2": "2", "KP_3": "3", "KP_4": "4",
	"KP_5": "5", "KP_6": "6", "KP_7": "7", "KP_8": "8", "KP_9": "9",
}

// CanonicalKey is the name Fyne reports for a key: a keypad key may be
// written with its X keysym name ("KP_Add", "KP_1"), which Fyne reports
// as "+" and "1"; other names are unchanged.
func CanonicalKey(name string) string {
	if c, ok := keypadAliases[name]; ok {
		return c
	}
	return name
}

// canonical returns the map with its keys' canonical names.
func (k KeyMap) canonical() KeyMap {
	out := make(KeyMap, len(k))
	for name, a := range k {
		out[CanonicalKey(name)] = a
	}
	return out
}

// Validate checks every key name and action, and that no key is mapped
// twice under two names ("KP_1" and "1").
func (k KeyMap) Validate() error {
	var errs []error
	seen := map[string]string{}
	for _, name := range k.keys() {
		c := CanonicalKey(name)
		if other, dup := seen[c]; dup {
			errs = append(errs, fmt.Errorf("key map: %q and %q are the same key: keep one", other, name))
		}
		seen[c] = name
		a := k[name]
		if strings.TrimSpace(name) == "" || name != strings.TrimSpace(name) {
			errs = append(errs, fmt.Errorf("key map: key name %q is empty or has spaces around it: use a Fyne key name such as \"F1\", \"KP_Enter\" or \"+\"", name))
		}
		if !a.Valid() {
			errs = append(errs, fmt.Errorf("key map: key %q has unknown action %q: use one of %s", name, a, actionList()))
		}
	}
	return errors.Join(errs...)
}

// Legend is the key map's keys per action, in the order of Actions, each
// action's keys sorted: what a sticker on the keypad should say.
func (k KeyMap) Legend() []KeyLegend {
	var out []KeyLegend
	for _, a := range Actions {
		var keys []string
		for _, name := range k.keys() {
			if k[name] == a {
				keys = append(keys, name)
			}
		}
		if len(keys) > 0 {
			out = append(out, KeyLegend{Action: a, Keys: keys})
		}
	}
	return out
}

// KeyLegend is one line of a keypad's legend.
type KeyLegend struct {
	Action Action
	Keys   []string
}

func (k KeyMap) keys() []string {
	names := make([]string, 0, len(k))
	for n := range k {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func actionList() string {
	s := make([]string, len(Actions))
	for i, a := range Actions {
		s[i] = string(a)
	}
	return strings.Join(s, ", ")
}

// MarshalJSON writes the map as an object, keys sorted.
func (k KeyMap) MarshalJSON() ([]byte, error) {
	if err := k.Validate(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, name := range k.keys() {
		if i > 0 {
			b.WriteByte(',')
		}
		n, _ := json.Marshal(name)
		a, _ := json.Marshal(string(k[name]))
		b.Write(n)
		b.WriteByte(':')
		b.Write(a)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads an object {"key name": "action"}, refusing a key
// named twice (which encoding/json would let the last one win) and
// unknown actions. On error the map is left as it was.
func (k *KeyMap) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	t, err := dec.Token()
	if err != nil {
		return fmt.Errorf("key map: %w", err)
	}
	if t == nil {
		return nil // null: no map given
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("key map: want an object {\"key name\": \"action\"}, got %s", bytes.TrimSpace(data))
	}
	out := KeyMap{}
	var errs []error
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return fmt.Errorf("key map: %w", err)
		}
		name := t.(string) // object keys are strings
		var a string
		if err := dec.Decode(&a); err != nil {
			return fmt.Errorf("key map: key %q: want an action name (%s): %w", name, actionList(), err)
		}
		if prev, dup := out[name]; dup {
			errs = append(errs, fmt.Errorf("key map: key %q is mapped twice (%s and %s): keep one", name, prev, a))
			continue
		}
		out[name] = Action(a)
	}
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("key map: %w", err)
	}
	if err := errors.Join(append(errs, out.Validate())...); err != nil {
		return err
	}
	*k = out
	return nil
}

// KeyLabel is how the corner names a key: the keypad's Enter as "Enter",
// BackSpace as "⌫", others by their name.
func KeyLabel(name string) string {
	switch name {
	case "KP_Enter", "Return":
		return "Enter"
	case "BackSpace":
		return "⌫"
	case "Escape":
		return "Esc"
	}
	return name
}
