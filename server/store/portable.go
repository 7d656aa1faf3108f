package store

import (
	"encoding/json"
	"fmt"
	"math"
)

// Helpers that keep the SQL of the dossiers, reports and outbox the same
// on SQLite and PostgreSQL.

// sqlLimit is the LIMIT of a list with this limit: 0 means none. SQLite
// wants a negative number for "no limit" and PostgreSQL refuses one, so
// both get the largest bigint (OFFSET needs a LIMIT on SQLite).
func sqlLimit(limit int) int64 {
	if limit <= 0 {
		return math.MaxInt64
	}
	return int64(limit)
}

// dossierCreatedSeq orders dossiers as they were stored: the seq of a
// dossier's first event, written in the transaction that stored it
// (SQLite's rowid has no PostgreSQL equivalent).
const dossierCreatedSeq = `(SELECT min(seq) FROM dossier_events WHERE dossier_events.dossier = dossiers.code)`

// withoutFields returns the JSON object data without the fields names of
// its member obj, when that member's field role is one of roles; changed
// is false (and data is returned as is) when there was nothing to remove.
// It is the portable form of SQLite's json_remove guarded by
// json_extract: the other members keep their values (in the sorted order
// of encoding/json).
func withoutFields(data, obj, role string, roles []string, names ...string) (out string, changed bool, err error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(data), &top); err != nil {
		return data, false, fmt.Errorf("stored JSON is not an object: %w", err)
	}
	raw, ok := top[obj]
	if !ok || string(raw) == "null" {
		return data, false, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return data, false, fmt.Errorf("stored JSON member %q is not an object: %w", obj, err)
	}
	var r string
	if v, ok := m[role]; !ok || json.Unmarshal(v, &r) != nil {
		return data, false, nil
	}
	match := false
	for _, x := range roles {
		match = match || r == x
	}
	if !match {
		return data, false, nil
	}
	for _, n := range names {
		if _, ok := m[n]; ok {
			delete(m, n)
			changed = true
		}
	}
	if !changed {
		return data, false, nil
	}
	if top[obj], err = json.Marshal(m); err != nil {
		return data, false, err
	}
	b, err := json.Marshal(top)
	if err != nil {
		return data, false, err
	}
	return string(b), true, nil
}
