package queue

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text people type: names and comments.
//
// Rules decided here (one rule for every name a person types: citizens'
// names of remote tickets and bookings, staff and device names, office,
// service and counter names and the ticker, in the admin and in the office
// file; rating comments and device messages follow it too):
//
//   - Control characters (Unicode category Cc: C0, DEL, C1) are refused;
//     a comment may hold line breaks (\n) and tabs.
//   - Format characters (category Cf) are refused: the bidirectional
//     overrides, embeddings, isolates and marks (U+202A–202E, U+2066–2069,
//     U+200E, U+200F, U+061C) that show a name reversed on a console, the
//     zero-width space and non-joiner, the word joiner, the byte order
//     mark, the soft hyphen, tag characters and the like: they are
//     invisible, so two names that look alike would differ.
//   - The one exception is the zero-width joiner U+200D between two emoji
//     (👩‍💻, 👨‍👩‍👧, 🏳️‍🌈): names accept emoji, and these sequences are
//     emoji. Before the joiner may stand an emoji, a skin-tone modifier or
//     the emoji variation selector U+FE0F; after it, an emoji. An emoji is
//     approximated by the category "other symbol" (So), which holds the
//     pictographs; tag sequences (subdivision flags) are refused with the
//     tag characters.
//   - Line and paragraph separators (U+2028, U+2029) are refused like
//     control characters: they break a line where no one sees a break.
//   - The error says which kind of character is not allowed and never
//     repeats the text.

// textProblem says what kind of character makes s unacceptable, or "" if
// none does. lines allows \n and \t (comments).
func textProblem(s string, lines bool) string {
	var prev rune = -1
	for i, r := range s {
		switch {
		case r == '\n' || r == '\t':
			if !lines {
				return "a control character (a line break, a tab or the like)"
			}
		case unicode.Is(unicode.Cc, r):
			return "a control character (a line break, a tab or the like)"
		case r == '\u2028' || r == '\u2029':
			return "a line or paragraph separator character"
		case r == '\u200d':
			next, _ := utf8.DecodeRuneInString(s[i+len("\u200d"):])
			if !joinsAfter(prev) || !isEmoji(next) {
				return "an invisible formatting character (here a zero-width joiner outside an emoji sequence)"
			}
		case unicode.Is(unicode.Cf, r):
			return "an invisible formatting character (such as a text-direction override, a zero-width space or a byte order mark)"
		}
		prev = r
	}
	return ""
}

// isEmoji approximates the emoji that a zero-width joiner may join. The
// replacement character (also So) is what the end of the text decodes to.
func isEmoji(r rune) bool { return r != utf8.RuneError && unicode.Is(unicode.So, r) }

// joinsAfter reports whether a zero-width joiner may follow r: an emoji,
// a skin-tone modifier or the emoji variation selector.
func joinsAfter(r rune) bool {
	return isEmoji(r) || (r >= 0x1f3fb && r <= 0x1f3ff) || r == '\ufe0f'
}

// checkText is the rule of text people type: valid UTF-8, present when
// required, at most max characters, and no character textProblem refuses.
func checkText(what, s string, required bool, max int, lines bool) error {
	if required && strings.TrimSpace(s) == "" {
		return errorf(KindInvalid, "invalid_name", "{what} is required", "what", what)
	}
	if !utf8.ValidString(s) {
		return errorf(KindInvalid, "invalid_name", "{what} is not valid UTF-8", "what", what)
	}
	if utf8.RuneCountInString(s) > max {
		return errorf(KindInvalid, "invalid_name", "{what} is longer than {max} characters", "what", what, "max", max)
	}
	if p := textProblem(s, lines); p != "" {
		return errorf(KindInvalid, "invalid_name", "{what} contains {problem}, which is not allowed: type it again without it", "what", what, "problem", p)
	}
	return nil
}

// checkName refuses a name that is missing (when required), not valid
// UTF-8, longer than MaxNameLen characters, or that holds a control,
// format or separator character (the rules at the top of this file); it
// keeps everything else as given (Vietnamese with combining marks, emoji)
// — escaping is the job of whoever displays it.
func checkName(what, s string, required bool) error {
	return checkText(what, s, required, MaxNameLen, false)
}

// CheckName validates a name given by a citizen or an admin (the rules at
// the top of this file). The error's code is invalid_name; its message
// names what and the kind of character refused, never the name.
func CheckName(what, s string, required bool) error { return checkName(what, s, required) }

// CheckComment validates free text of several lines, such as a rating's
// comment: the rule of names, with line breaks and tabs allowed, and at
// most max characters. An empty comment is valid.
func CheckComment(what, s string, max int) error { return checkText(what, s, false, max, true) }

// StripFormatChars removes the characters that CheckName refuses as
// invisible formatting (format characters but a joiner inside an emoji
// sequence) and the line separators, for text stored before the rule
// ([Office.NormalizeStored]). Stored text has no control characters: every
// version refused them.
func StripFormatChars(s string) string {
	if textProblem(s, true) == "" {
		return s
	}
	var b strings.Builder
	var prev rune = -1
	for i, r := range s {
		drop := r == '\u2028' || r == '\u2029'
		if r == '\u200d' {
			next, _ := utf8.DecodeRuneInString(s[i+len("\u200d"):])
			drop = !joinsAfter(prev) || !isEmoji(next)
		} else if unicode.Is(unicode.Cf, r) {
			drop = true
		}
		if drop {
			continue
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}
