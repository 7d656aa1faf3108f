package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"luot/server/auth"
	"luot/server/engine"
	"luot/server/planning"
	"luot/server/queue"
)

// adminForms are the admin's POST /admin/{form} actions.
// The staff photo's upload (multipart) has its own handler
// (admin_station.go).
var adminForms = []string{"office", "hours", "policy", "service", "counter", "staff", "staff-state", "staff-pin", "staff-title", "staff-photo-remove", "device", "device-revoke"}

// adminData fills the admin page.
type adminData struct {
	adminState
	Office    queue.Office
	Staff     []queue.Staff
	Devices   []queue.Device
	Audit     []auditLine
	Weekdays  []string
	Hours     map[string]string
	Holidays  string
	Bonus     map[string]string
	Classes   []queue.Priority
	CounterSv map[string]string
	Loc       *time.Location
	// ServiceRows and CounterRows are the tables' rows, the empty one for
	// adding last; ServiceCols are the service table's editable columns.
	ServiceRows []formRow
	ServiceCols []formCol
	CounterRows []formRow
	savedText   string
	// Planning are the planning look-up's imports (zones, parcels) when
	// the server has the look-up; nil hides its section.
	Planning []planningImport
}

// planningImport is one kind of planning import, as the admin page shows it.
type planningImport struct {
	Kind string
	planning.Info
}

// formRow is one row of an editable table: its form's key, the row's id
// (empty for the new row) and what its fields show.
type formRow struct {
	Key, ID string
	Label   string // names the row in its inputs' labels
	Vals    map[string]string
	Active  bool
}

// formCol is an editable column: the field, its label's text key, its
// input's width class and its bounds.
type formCol struct {
	Field, Label, Class string
	Max                 int
}

// serviceCols are the service table's columns after id and before active.
var serviceCols = []formCol{
	{"name", "adm.name.vi", "w-name", 200}, {"name_en", "adm.name.en", "w-name", 200}, {"prefix", "adm.prefix", "w-s", 2},
	{"digits", "adm.digits", "w-s", 1}, {"first_number", "adm.first", "w-m", 5}, {"default_minutes", "adm.minutes", "w-m", 8},
	{"slot_minutes", "adm.slot.min", "w-m", 4}, {"slot_capacity", "adm.slot.cap", "w-m", 5}, {"daily_cap", "adm.daily.cap", "w-m", 6},
	{"remote_cap", "adm.remote.cap", "w-m", 6},
}

// SavedIn is "Đã lưu" in the section just saved, else "".
func (d adminData) SavedIn(section string) string {
	if d.Saved == section {
		return d.savedText
	}
	return ""
}

// rowVals is what a row's fields show: what was typed when its form was
// refused, else stored.
func (d adminData) rowVals(key string, stored map[string]string) map[string]string {
	if d.Form != key || d.Posted == nil {
		return stored
	}
	m := map[string]string{}
	for k := range stored {
		m[k] = d.Posted.Get(k)
	}
	return m
}

// adminState is what one answer adds to the page: the section just saved,
// or the form that was refused with what was typed in it and the error
// by its field; and a new device's key, shown once.
type adminState struct {
	Saved      string     // section id whose change was saved
	Form       string     // formKey of the refused form
	Posted     url.Values // what was typed in it
	Field      string     // the field at fault ("" for the whole form)
	Err        string     // what is wrong, in the page's language
	FieldLabel string     // the field's name, in the page's language
	NewKey     string
	NewDevice  string
	// Printed is the counter whose test print was just queued.
	Printed string
}

// Val is what field of form shows: what was typed when that form was
// refused, else def (the stored value).
func (d adminData) Val(form, field, def string) string {
	if d.Form == form && d.Posted != nil {
		return d.Posted.Get(field)
	}
	return def
}

// Checked is Val for a checkbox.
func (d adminData) Checked(form, field string, def bool) bool {
	if d.Form == form && d.Posted != nil {
		return d.Posted.Get(field) == "on"
	}
	return def
}

// ErrAt is the error of field in form, or "".
func (d adminData) ErrAt(form, field string) string {
	if d.Form == form && d.Field == field {
		return d.Err
	}
	return ""
}

// FormErr is form's error when it is not about one of its fields.
func (d adminData) FormErr(form string) string { return d.ErrAt(form, "") }

// rowErrView is a table row's error as the row below it shows it.
type rowErrView struct {
	Msg, Label string
	Span       int
}

// RowErrOf is the error of a table row's form (span: the table's columns).
func (d adminData) RowErrOf(form string, span int) rowErrView {
	if d.Form != form {
		return rowErrView{}
	}
	return rowErrView{Msg: d.Err, Label: d.FieldLabel, Span: span}
}

// formKey names the form that was posted as the page's forms are named:
// "office", "hours", "policy", "service-<id>", "service-new",
// "counter-<id>", "counter-new", "staff-new", "staff-pin-<id>",
// "staff-state-<id>", "staff-title-<id>", "staff-photo-<id>",
// "staff-photo-remove-<id>", "device-new", "device-revoke-<id>".
func formKey(form string, f url.Values) string {
	switch form {
	case "office", "hours", "policy":
		return form
	case "staff", "device":
		return form + "-new"
	}
	if f.Get("row") == "new" {
		return form + "-new"
	}
	return form + "-" + truncate(strings.TrimSpace(f.Get("id")), 40)
}

// formSection is the page section (its id) that holds form.
func formSection(form string) string {
	switch {
	case strings.HasPrefix(form, "service"):
		return "services"
	case strings.HasPrefix(form, "counter"):
		return "counters"
	case strings.HasPrefix(form, "staff"):
		return "staff"
	case strings.HasPrefix(form, "device"):
		return "devices"
	case form == "office", form == "hours", form == "policy":
		return form
	}
	return ""
}

func (s *Server) adminPage(w http.ResponseWriter, r *http.Request) {
	se, tok, ok := s.authAny(w, r, "/admin/login")
	if !ok {
		return
	}
	if !se.Can(auth.ManageOffice) {
		// A province administrator logs in at /admin too: their page is
		// the province's figures.
		if se.Can(auth.ReadProvince) {
			http.Redirect(w, r, "/admin/province", http.StatusSeeOther)
			return
		}
		s.fail(w, r, http.StatusForbidden, "only an administrator of the office may open this page; log in as an administrator")
		return
	}
	s.renderAdmin(w, r, se, tok, http.StatusOK, adminState{Saved: formSection(r.URL.Query().Get("saved")), Printed: r.URL.Query().Get("printed")})
}

func (s *Server) renderAdmin(w http.ResponseWriter, r *http.Request, se *auth.Session, tok string, status int, st adminState) {
	ctx := r.Context()
	v, err := s.cfg.Engine.View(se.Office)
	if err != nil {
		s.fail(w, r, http.StatusNotFound, errText(lang(r), err))
		return
	}
	d := adminData{adminState: st, Office: v.Office, Weekdays: weekdays, Hours: map[string]string{}, Bonus: map[string]string{},
		Classes: queue.Priorities, CounterSv: map[string]string{}, Loc: v.Office.Location()}
	for _, day := range weekdays {
		d.Hours[day] = FormatHours(v.Office.Hours, day)
	}
	d.Holidays = strings.Join(v.Office.Holidays, "\n")
	for c, m := range v.Office.Policy.PriorityBonusMinutes {
		d.Bonus[string(c)] = fmt.Sprint(m)
	}
	for _, k := range v.Office.Counters {
		d.CounterSv[k.ID] = FormatCounterServices(k.Services)
	}
	tr := translator(lang(r))
	d.savedText = tr("saved")
	// A refused row whose id is not stored yet was the table's new row.
	if id, ok := strings.CutPrefix(d.Form, "service-"); ok && id != "new" && v.Office.Service(id) == nil {
		d.Form = "service-new"
	}
	if id, ok := strings.CutPrefix(d.Form, "counter-"); ok && id != "new" && v.Office.Counter(id) == nil {
		d.Form = "counter-new"
	}
	for _, sv := range v.Office.Services {
		key := "service-" + sv.ID
		vals := d.rowVals(key, officeFields(&v.Office, "service", sv.ID))
		d.ServiceRows = append(d.ServiceRows, formRow{Key: key, ID: sv.ID, Label: sv.ID, Vals: vals, Active: d.Checked(key, "active", sv.Active)})
	}
	empty := map[string]string{"id": "", "default_minutes": "5"}
	for _, c := range serviceCols {
		if c.Field != "default_minutes" {
			empty[c.Field] = ""
		}
	}
	d.ServiceRows = append(d.ServiceRows, formRow{Key: "service-new", Label: tr("adm.new.row"), Vals: d.rowVals("service-new", empty), Active: d.Checked("service-new", "active", true)})
	d.ServiceCols = serviceCols
	for _, k := range v.Office.Counters {
		key := "counter-" + k.ID
		d.CounterRows = append(d.CounterRows, formRow{Key: key, ID: k.ID, Label: k.ID, Vals: d.rowVals(key, officeFields(&v.Office, "counter", k.ID))})
	}
	d.CounterRows = append(d.CounterRows, formRow{Key: "counter-new", Label: tr("adm.new.row"),
		Vals: d.rowVals("counter-new", map[string]string{"id": "", "number": "", "name": "", "services": ""})})
	if st.Field != "" {
		d.FieldLabel = fieldLabel(tr, strings.SplitN(st.Form, "-", 2)[0], st.Field)
	}
	var audit []queue.AuditEntry
	if d.Staff, err = s.cfg.DB.ListStaff(ctx, se.Office); err == nil {
		if d.Devices, err = s.cfg.DB.ListDevices(ctx, se.Office); err == nil {
			audit, err = s.cfg.DB.AuditLog(ctx, se.Office, 30)
		}
	}
	if err != nil {
		s.log.Error("admin page", "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, tr("adm.err.read"))
		return
	}
	d.Audit = auditLines(audit, d.Loc, tr)
	var scripts []string
	if s.cfg.Planning != nil {
		zi, pi := s.cfg.Planning.Imports()
		d.Planning = []planningImport{{"zones", zi}, {"parcels", pi}}
		scripts = []string{"planning.js"}
	}
	s.render(w, r, status, "admin", page{Title: "admin", CSRF: auth.CSRFToken(tok), Session: se, Data: d, Scripts: scripts})
}

// adminPost handles one admin form: it checks the session, the role and
// the CSRF token, applies the change (office configuration through the
// engine, so that it is validated, takes effect at once and is announced
// by config.changed), records it in the audit log, and shows the page
// again: 303 to it on success, with "Đã lưu" in the section saved; on
// refusal (400/409) the page with what was typed and the error by its
// field.
func (s *Server) adminPost(form string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			s.fail(w, r, http.StatusBadRequest, translator(lang(r))("adm.err.form"))
			return
		}
		se, tok, ok := s.auth(w, r, formPerm(form), "/admin/login")
		if !ok {
			return
		}
		newDevice, newKey, detail, err := s.adminChange(r.Context(), se, form, r)
		if err != nil {
			l := lang(r)
			st := adminState{Form: formKey(form, r.PostForm), Posted: r.PostForm, Err: errText(l, err)}
			status := http.StatusBadRequest
			var qe *queue.Error
			var fe *FormError
			switch {
			case ownerNeeded(w, err):
				status, st.Err = http.StatusServiceUnavailable, translator(l)("adm.err.storage")
			case errors.As(err, &fe):
				st.Field = fe.Field
			case errors.As(err, &qe):
				st.Field = queueErrField(qe)
				if qe.Kind == queue.KindConflict {
					status = http.StatusConflict
				}
			default:
				s.log.Error("admin change", "form", form, "err", err)
				status, st.Err = http.StatusServiceUnavailable, translator(l)("adm.err.storage")
			}
			s.renderAdmin(w, r, se, tok, status, st)
			return
		}
		s.audit(r.Context(), se.Office, se.Staff, "admin."+form, detail)
		if newKey != "" {
			// The key is shown once, on this answer, and never stored.
			s.renderAdmin(w, r, se, tok, http.StatusOK, adminState{Saved: "devices", NewDevice: newDevice, NewKey: newKey})
			return
		}
		http.Redirect(w, r, "/admin?saved="+url.QueryEscape(form)+"#"+formSection(form), http.StatusSeeOther)
	}
}

// adminFormGet sends a GET of a form's address to the admin page, keeping
// a language choice.
func (s *Server) adminFormGet(w http.ResponseWriter, r *http.Request) {
	dest := "/admin"
	if l := r.URL.Query().Get("lang"); l == "vi" || l == "en" {
		dest += "?lang=" + l
	}
	http.Redirect(w, r, dest, http.StatusSeeOther)
}

// formPerm is the permission an admin form needs.
func formPerm(form string) auth.Perm {
	switch {
	case strings.HasPrefix(form, "staff"):
		return auth.ManageStaff
	case strings.HasPrefix(form, "device"):
		return auth.ManageDevices
	}
	return auth.ManageOffice
}

// adminChange applies one form; it returns the audit detail (an
// auditDetail).
func (s *Server) adminChange(ctx context.Context, se *auth.Session, form string, r *http.Request) (newDevice, newKey, detail string, err error) {
	f := r.PostForm
	switch form {
	case "office":
		detail, err = s.reconfigure(ctx, se, form, "", func(o *queue.Office) error {
			o.Name, o.NameEN, o.Ticker = strings.TrimSpace(f.Get("name")), strings.TrimSpace(f.Get("name_en")), strings.TrimSpace(f.Get("ticker"))
			return nil
		})
	case "hours":
		detail, err = s.reconfigure(ctx, se, form, "", func(o *queue.Office) error {
			h, err := ParseHours(f)
			if err != nil {
				return err
			}
			// Each day checked alone first, so that a refusal names its day.
			for _, d := range weekdays {
				one, err := copyOffice(*o)
				if err != nil {
					return err
				}
				one.Hours, one.Holidays = queue.WeekHours{d: h[d]}, nil
				if err := one.Validate(); err != nil {
					var qe *queue.Error
					if errors.As(err, &qe) && qe.Code == "invalid_hours" {
						return &FormError{Field: "hours_" + d, VI: errText("vi", qe), EN: errText("en", qe)}
					}
				}
			}
			o.Hours, o.Holidays = h, ParseHolidays(f.Get("holidays"))
			return nil
		})
	case "policy":
		detail, err = s.reconfigure(ctx, se, form, "", func(o *queue.Office) error {
			p, err := ParsePolicy(f, o.Policy)
			o.Policy = p
			return err
		})
	case "service":
		detail, err = s.reconfigure(ctx, se, form, strings.TrimSpace(f.Get("id")), func(o *queue.Office) error {
			sv, err := ParseServiceForm(f)
			if err != nil {
				return err
			}
			if old := o.Service(sv.ID); old != nil {
				*old = sv
			} else {
				o.Services = append(o.Services, sv)
			}
			return nil
		})
	case "counter":
		k := queue.Counter{ID: strings.TrimSpace(f.Get("id")), Name: strings.TrimSpace(f.Get("name"))}
		detail, err = s.reconfigure(ctx, se, form, k.ID, func(o *queue.Office) error {
			n, err := formInt(f, "number", 1, 999)
			if err != nil {
				return err
			}
			k.Number = n
			if k.Services, err = ParseCounterServices(f.Get("services")); err != nil {
				return err
			}
			if old := o.Counter(k.ID); old != nil {
				*old = k
			} else {
				o.Counters = append(o.Counters, k)
			}
			return nil
		})
	case "staff", "staff-state", "staff-pin":
		detail, err = s.staffChange(ctx, se, form, f.Get("id"), f.Get("name"), f.Get("title"), f.Get("role"), f.Get("unit"), f.Get("pin"), f.Get("disabled") == "true")
	case "staff-title":
		detail, err = s.staffTitle(ctx, se, f.Get("id"), f.Get("title"))
	case "staff-photo-remove":
		detail, err = s.staffPhotoRemove(ctx, se, f.Get("id"))
	case "device":
		v, err := s.cfg.Engine.View(se.Office)
		if err != nil {
			return "", "", "", err
		}
		kind, counter := queue.DeviceKind(f.Get("kind")), strings.TrimSpace(f.Get("counter"))
		if kind != queue.DeviceStation {
			counter = "" // the form's counter select is for stations only
		}
		d, key, err := auth.RegisterDevice(ctx, s.cfg.DB, &v.Office, strings.TrimSpace(f.Get("id")), strings.TrimSpace(f.Get("name")), kind, counter)
		if err != nil {
			return "", "", "", err
		}
		after := map[string]string{"name": d.Name, "kind": string(d.Kind)}
		if d.Counter != "" {
			after["counter"] = d.Counter
		}
		return d.ID, key, auditDetail{Form: form, Key: d.ID, After: after}.String(), nil
	case "device-revoke":
		id := f.Get("id")
		if err := auth.RevokeDevice(ctx, s.cfg.DB, se.Office, id); err != nil {
			return "", "", "", err
		}
		detail = auditDetail{Form: form, Key: id}.String()
	}
	return "", "", detail, err
}

// ownerNeeded reports whether err is the engine's refusal of a command of
// an office that another server process owns (nothing was done), and then
// names the office in the answer's header, so that server/cluster sends
// the request to the owner.
func ownerNeeded(w http.ResponseWriter, err error) bool {
	var noe *engine.NotOwnerError
	if !errors.As(err, &noe) {
		return false
	}
	w.Header().Set(engine.OwnerNeededHeader, noe.Office)
	return true
}

// reconfigure edits a copy of the office's current configuration inside
// the engine's command (so that two admins' changes never overwrite each
// other) and replaces it: queue.State.Reconfigure validates it and emits
// config.changed. It returns the audit detail: the fields of form (key:
// the service or counter) before and after.
func (s *Server) reconfigure(ctx context.Context, se *auth.Session, form, key string, edit func(*queue.Office) error) (string, error) {
	var detail string
	_, err := s.cfg.Engine.Do(ctx, se.Office, func(st *queue.State, now time.Time) (*queue.Change, error) {
		o, err := copyOffice(st.Office)
		if err != nil {
			return nil, err
		}
		if err = edit(&o); err != nil {
			return nil, err
		}
		detail = auditDetail{Form: form, Key: key, Before: officeFields(&st.Office, form, key), After: officeFields(&o, form, key)}.String()
		return st.Reconfigure(now, o, se.Staff)
	})
	return detail, err
}

// copyOffice deep-copies a configuration (the state's must not change
// until the new one is committed).
func copyOffice(o queue.Office) (queue.Office, error) {
	b, err := json.Marshal(o)
	if err != nil {
		return queue.Office{}, fmt.Errorf("copy office configuration: %w", err)
	}
	var c queue.Office
	if err := json.Unmarshal(b, &c); err != nil {
		return queue.Office{}, fmt.Errorf("copy office configuration: %w", err)
	}
	return c, nil
}

// staffChange adds a staff member (form "staff": a handler of feedback
// reports with the unit they work for), disables or enables one
// ("staff-state"), or resets a PIN ("staff-pin").
func (s *Server) staffChange(ctx context.Context, se *auth.Session, form, id, name, title, role, unit, pin string, disabled bool) (string, error) {
	id = strings.TrimSpace(id)
	if !queue.ValidID(id) {
		return "", fieldErr("id", "mã nhân viên %q không hợp lệ: dùng 1–32 chữ thường không dấu, chữ số, '-' hoặc '_'", "staff code %q is not valid: use 1–32 lower-case letters, digits, '-' or '_'", truncate(id, 40))
	}
	list, err := s.cfg.DB.ListStaff(ctx, se.Office)
	if err != nil {
		return "", err
	}
	i := slices.IndexFunc(list, func(x queue.Staff) bool { return x.ID == id })
	// hashPIN checks the new PIN for the member's role (queue.CheckPIN:
	// an administrator's has at least Config.MinAdminPIN characters).
	hashPIN := func(role queue.Role) ([]byte, error) {
		if err := queue.CheckPIN(role, pin, s.cfg.MinAdminPIN); err != nil {
			var qe *queue.Error
			if errors.As(err, &qe) {
				return nil, qe // said in the page's language by the form's answer
			}
			return nil, err
		}
		return auth.HashPIN(pin)
	}
	// A province administrator reads every office's figures: only the
	// server's operator (the office file) gives, disables or re-PINs one,
	// or an office's administrator could open every office's figures.
	if i >= 0 && list[i].Role == queue.RoleProvince {
		return "", fieldErr("", "%s là cán bộ cấp tỉnh: chỉ người vận hành máy chủ quản lý tài khoản này (tệp cấu hình đơn vị)", "%s is a province administrator: only the server's operator manages this account (the office file)", id)
	}
	switch form {
	case "staff":
		if i >= 0 {
			return "", fieldErr("id", "mã nhân viên %s đã có người dùng: chọn mã khác", "staff code %s is taken: choose another, or edit that member", id)
		}
		m := queue.Staff{ID: id, Office: se.Office, Name: strings.TrimSpace(name), Title: cleanTitle(title), Role: queue.Role(role), Unit: strings.TrimSpace(unit)}
		if !auth.KnownRole(m.Role) || m.Role == queue.RoleProvince {
			return "", fieldErr("role", "vai trò phải là cán bộ một cửa, quản trị viên, cán bộ kiểm duyệt hoặc cán bộ xử lý phản ánh", "role must be clerk, admin, moderator or handler")
		}
		if err := m.CheckUnit(); err != nil {
			var qe *queue.Error
			if errors.As(err, &qe) {
				return "", &FormError{Field: "unit", VI: errText("vi", qe), EN: errText("en", qe)}
			}
			return "", err
		}
		if err := queue.CheckName("staff name", m.Name, true); err != nil {
			return "", err
		}
		if err := checkTitle(m.Title); err != nil {
			return "", err
		}
		h, err := hashPIN(m.Role)
		if err != nil {
			return "", err
		}
		if err := s.cfg.DB.PutStaff(ctx, m, h); err != nil {
			return "", err
		}
		after := map[string]string{"name": m.Name, "role": string(m.Role)}
		if m.Unit != "" {
			after["unit"] = m.Unit
		}
		if m.Title != "" {
			after["title"] = m.Title
		}
		return auditDetail{Form: form, Key: id, After: after}.String(), nil
	case "staff-state":
		if i < 0 {
			return "", fieldErr("", "không có nhân viên %s", "staff %s does not exist", id)
		}
		if id == se.Staff && disabled {
			return "", fieldErr("", "bạn không thể tự khóa tài khoản của mình: nhờ một quản trị viên khác", "you cannot disable yourself: ask another administrator")
		}
		m := list[i]
		m.Disabled = disabled
		if err := s.cfg.DB.PutStaff(ctx, m, nil); err != nil {
			return "", err
		}
		return auditDetail{Form: form, Key: id, Before: map[string]string{"disabled": strconv.FormatBool(list[i].Disabled)}, After: map[string]string{"disabled": strconv.FormatBool(disabled)}}.String(), nil
	default: // staff-pin
		if i < 0 {
			return "", fieldErr("", "không có nhân viên %s", "staff %s does not exist", id)
		}
		h, err := hashPIN(list[i].Role)
		if err != nil {
			return "", err
		}
		if err := s.cfg.DB.PutStaff(ctx, list[i], h); err != nil {
			return "", err
		}
		return auditDetail{Form: form, Key: id}.String(), nil
	}
}
