package feedback

import "luot/server/notify"

// Notices are the notices of event e, which turned before into after.
func Notices(before, after Report, e Event) []notify.Notice { return nil }
