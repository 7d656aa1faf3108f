package notify

// TextsFor exposes the table's entries of a kind to the tests: the
// variant's name ("" the usual wording) → language → text.
func TextsFor(k Kind) map[string]map[string]Text {
	out := map[string]map[string]Text{}
	for v, byLang := range texts {
		if v.kind == k {
			out[v.name] = byLang
		}
	}
	return out
}
