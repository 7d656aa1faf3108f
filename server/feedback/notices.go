package feedback

import "luot/server/notify"

// Notices are the notices of event e, which turned before into after,
// for those who follow the report (docs/notify.md): its new status, when
// the status changed. A report's creation tells nothing (its reporter
// has just seen it), nor a change the reporter made (a reopening):
// only the reporter can follow a report. e must carry its store-given
// Seq: the key is "report/{code}/event/{seq}", so an event told twice is
// sent once.
func Notices(before, after Report, e Event) []notify.Notice {
	if after.Code == "" || before.Status == "" || before.Status == after.Status || e.Actor.Role == RoleReporter {
		return nil
	}
	return []notify.Notice{{
		Key:    notify.ReportKey(after.Code, e.Seq),
		Kind:   notify.ReportStatus,
		Item:   notify.Item{Type: notify.ItemReport, ID: after.Code, Office: after.Office},
		At:     e.At,
		Params: map[string]string{"code": after.Code, "status": string(after.Status)},
	}}
}
