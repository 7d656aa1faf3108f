package web

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"luot/server/queue"
)

// auditDetail is the detail of an admin form's audit entry, stored as
// JSON: the form, the row it changed (a service, counter, staff member or
// device), and the fields before and after as the form writes them. The
// page words it in its own language when it shows the log.
type auditDetail struct {
	Form   string            `json:"form"`
	Key    string            `json:"key,omitempty"`
	Before map[string]string `json:"before,omitempty"`
	After  map[string]string `json:"after,omitempty"`
}

func (d auditDetail) String() string {
	b, _ := json.Marshal(d) // maps of strings always encode
	return string(b)
}

// auditFields are the fields of each form in the order the log shows them.
var auditFields = map[string][]string{
	"office":  {"name", "name_en", "ticker"},
	"hours":   {"hours_mon", "hours_tue", "hours_wed", "hours_thu", "hours_fri", "hours_sat", "hours_sun", "holidays"},
	"policy":  {"default_bonus", "bonus_elderly", "bonus_disabled", "bonus_pregnant", "bonus_merit", "booking_early", "booking_late", "late_checkin", "recent_calls"},
	"service": {"name", "name_en", "prefix", "digits", "first_number", "default_minutes", "slot_minutes", "slot_capacity", "daily_cap", "remote_cap", "active"},
	"counter": {"number", "name", "services"},
	"staff":   {"name", "role", "disabled"},
	"device":  {"name", "kind"},
}

// officeFields writes the part of o that form edits (key names the
// service or counter) as the form's fields; nil when that row is absent.
func officeFields(o *queue.Office, form, key string) map[string]string {
	switch form {
	case "office":
		return map[string]string{"name": o.Name, "name_en": o.NameEN, "ticker": o.Ticker}
	case "hours":
		m := map[string]string{"holidays": strings.Join(o.Holidays, ", ")}
		for _, d := range weekdays {
			m["hours_"+d] = FormatHours(o.Hours, d)
		}
		return m
	case "policy":
		p := o.Policy
		m := map[string]string{"default_bonus": strconv.Itoa(p.DefaultBonusMinutes), "booking_early": strconv.Itoa(p.BookingEarlyMinutes),
			"booking_late": strconv.Itoa(p.BookingLateMinutes), "late_checkin": p.LateCheckin, "recent_calls": strconv.Itoa(p.RecentCalls)}
		for _, c := range queue.Priorities {
			if n, ok := p.PriorityBonusMinutes[c]; ok {
				m["bonus_"+string(c)] = strconv.Itoa(n)
			}
		}
		return m
	case "service":
		sv := o.Service(key)
		if sv == nil {
			return nil
		}
		return map[string]string{"name": sv.Name, "name_en": sv.NameEN, "prefix": sv.Prefix, "digits": strconv.Itoa(sv.Digits),
			"first_number": strconv.Itoa(sv.FirstNumber), "default_minutes": strconv.FormatFloat(sv.DefaultMinutes, 'f', -1, 64),
			"slot_minutes": strconv.Itoa(sv.SlotMinutes), "slot_capacity": strconv.Itoa(sv.SlotCapacity), "daily_cap": strconv.Itoa(sv.DailyCap),
			"remote_cap": strconv.Itoa(sv.RemoteCap), "active": strconv.FormatBool(sv.Active)}
	case "counter":
		k := o.Counter(key)
		if k == nil {
			return nil
		}
		return map[string]string{"number": strconv.Itoa(k.Number), "name": k.Name, "services": FormatCounterServices(k.Services)}
	}
	return nil
}

// auditLine is one line of the audit log as the page shows it.
type auditLine struct {
	At, Who, What string
	Changes       []string
}

// auditLines words the log in the page's language: an admin form's entry
// as "field: before → after" for each field it changed (a new row as its
// fields); other entries by their action's name and their detail.
func auditLines(entries []queue.AuditEntry, loc *time.Location, tr func(string) string) []auditLine {
	out := make([]auditLine, 0, len(entries))
	for _, e := range entries {
		l := auditLine{At: e.At.In(loc).Format("2006-01-02 15:04:05"), Who: e.Who, What: tr("adm.act." + e.Action)}
		var d auditDetail
		if strings.HasPrefix(e.Action, "admin.") && strings.HasPrefix(e.Detail, "{") && json.Unmarshal([]byte(e.Detail), &d) == nil && d.Form != "" {
			l.What, l.Changes = auditChanges(d, tr)
		} else if c := otherDetail(e.Action, e.Detail, tr); c != "" {
			l.Changes = []string{c}
		}
		if strings.HasPrefix(l.What, "adm.act.") { // an action without a name here
			l.What = e.Action
		}
		out = append(out, l)
	}
	return out
}

// auditChanges names an admin form's change and lists what it changed.
func auditChanges(d auditDetail, tr func(string) string) (string, []string) {
	what := tr("adm.act." + d.Form)
	if d.Before == nil && (d.Form == "service" || d.Form == "counter") {
		what = tr("adm.act." + d.Form + ".new")
	}
	if d.Key != "" {
		what += " " + d.Key
	}
	var ch []string
	if d.Form == "staff-pin" {
		return what, []string{tr("adm.pin.was.reset")}
	}
	fields := auditFields[d.Form]
	if d.Form == "staff-state" {
		fields = auditFields["staff"]
	}
	hoursDone := false
	for _, f := range fields {
		b, hadB := d.Before[f]
		a, hasA := d.After[f]
		if !hasA || (hadB && a == b) || (!hadB && d.Before != nil && a == "") {
			continue
		}
		if strings.HasPrefix(f, "hours_") {
			if !hoursDone {
				hoursDone = true
				ch = append(ch, tr("adm.hours")+": "+hoursSummary(d.Before, tr)+" → "+hoursSummary(d.After, tr))
			}
			continue
		}
		form := strings.TrimSuffix(d.Form, "-state")
		if d.Before == nil {
			if a != "" {
				ch = append(ch, fieldLabel(tr, form, f)+": "+auditValue(f, a, tr))
			}
			continue
		}
		ch = append(ch, fieldLabel(tr, form, f)+": "+auditValue(f, b, tr)+" → "+auditValue(f, a, tr))
	}
	return what, ch
}

// auditValue words one field's value.
func auditValue(field, v string, tr func(string) string) string {
	switch {
	case v == "":
		return tr("adm.empty")
	case field == "active" || field == "disabled":
		if v == "true" {
			return tr("adm.yes")
		}
		return tr("adm.no")
	case field == "late_checkin":
		return tr("adm.late." + v)
	case field == "role":
		return tr("adm.role." + v)
	case field == "kind":
		return tr("adm.kind." + v)
	}
	return v
}

// hoursSummary writes a week's opening hours compactly, consecutive days
// with the same hours together: "T2–T6 07:30–11:30, 13:30–17:00; T7 07:30–11:30".
func hoursSummary(m map[string]string, tr func(string) string) string {
	var parts []string
	for i := 0; i < len(weekdays); {
		v := m["hours_"+weekdays[i]]
		j := i
		for j+1 < len(weekdays) && m["hours_"+weekdays[j+1]] == v {
			j++
		}
		if v != "" {
			days := tr("adm.dshort." + weekdays[i])
			if j > i {
				days += "–" + tr("adm.dshort."+weekdays[j])
			}
			parts = append(parts, fmt.Sprintf("%s %s", days, strings.ReplaceAll(strings.ReplaceAll(v, " ", ""), "-", "–")))
		}
		i = j + 1
	}
	if len(parts) == 0 {
		return tr("adm.closed")
	}
	return strings.ReplaceAll(strings.Join(parts, "; "), ",", ", ")
}

// otherDetail words the detail of an entry that is no admin form's: a
// login's counter, a web logout's none; others as written.
func otherDetail(action, detail string, tr func(string) string) string {
	switch action {
	case "login":
		if k, ok := strings.CutPrefix(detail, "counter "); ok {
			if k == "" {
				return ""
			}
			return tr("counter") + " " + k
		}
	case "logout":
		if detail == "web" {
			return ""
		}
	}
	return detail
}
