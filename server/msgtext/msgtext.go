// Package msgtext says the server's error messages in Vietnamese or in
// English. Errors are made from English templates with named parameters
// ("counter {counter} is closed: open it first", see [queue.NewError]);
// the catalogue gives each template, under its code, its Vietnamese text,
// and the phrases that fill some parameters (a ticket's status, what was
// refused) their Vietnamese words.
package msgtext

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"luot/server/queue"
)

// Entry is one message of the catalogue: the code it is sent with and
// its text in each language, with the same named parameters.
type Entry struct {
	Code, En, Vi string
}

var byTemplate = func() map[string]Entry {
	m := make(map[string]Entry, len(catalogue))
	for _, e := range catalogue {
		m[e.En] = e
	}
	return m
}()

// Lang is the language an Accept-Language header asks for: the first of
// "vi" and "en" it names with a weight above zero, and "vi" when it names
// neither. Tags are matched by their primary subtag ("en-GB" is "en",
// "eng" is not); a header longer than 512 bytes is read only that far.
func Lang(header string) string {
	if len(header) > 512 {
		header = header[:512]
	}
	for part := range strings.SplitSeq(header, ",") {
		tag, params, _ := strings.Cut(part, ";")
		tag = strings.ToLower(strings.TrimSpace(tag))
		primary, _, _ := strings.Cut(tag, "-")
		if primary != "vi" && primary != "en" {
			continue
		}
		if zeroWeight(params) {
			continue
		}
		return primary
	}
	return "vi"
}

// zeroWeight reports whether the parameters of a language range say q=0
// ("not acceptable"); an unreadable weight does not refuse.
func zeroWeight(params string) bool {
	for p := range strings.SplitSeq(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		return err == nil && q == 0
	}
	return false
}

// Say is the message of template with args in lang ("vi" or "en").
// fallback, the English message, is said when the catalogue lacks the
// template (a test keeps that from happening) or there is no template.
func Say(lang, template string, args map[string]string, fallback string) string {
	if template == "" {
		return fallback
	}
	if lang == "en" {
		return queue.Fill(template, args)
	}
	e, ok := byTemplate[template]
	if rest, cut := strings.CutPrefix(template, featurePrefix); !ok && cut {
		// A geometry's problem found by server/geo, named by the planning
		// import's feature: the two parts are translated apart.
		if e, ok = byTemplate[rest]; ok {
			e.Vi = featurePrefixVi + lowerFirst(e.Vi)
		}
	}
	if !ok {
		return fallback
	}
	vi := make(map[string]string, len(args))
	for k, v := range args {
		if w, ok := words[v]; ok && phraseParams[k] {
			v = w
		}
		vi[k] = v
	}
	return upperFirst(queue.Fill(e.Vi, vi))
}

// featurePrefix is planning.FeaturePrefix (not imported: msgtext sits
// below the domains), and featurePrefixVi its Vietnamese.
const (
	featurePrefix   = "feature {feature}: "
	featurePrefixVi = "Đối tượng {feature}: "
)

// lowerFirst starts a sentence that follows a colon in lower case,
// unless its first word is an acronym (VN-2000).
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	next, _ := utf8.DecodeRuneInString(s[n:])
	if r == utf8.RuneError || !unicode.IsLower(next) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// upperFirst starts a sentence with a capital, as Vietnamese writes it
// (a template may begin with a parameter, "{what} is required").
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// phraseParams are the parameters whose values are English words or
// phrases (a status, what was refused) rather than names and numbers.
var phraseParams = map[string]bool{
	"status": true, "state": true, "action": true, "what": true, "where": true, "problem": true, "kind": true, "type": true,
}
