package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"luot/server/auth"
	"luot/server/queue"
)

// adminForms are the admin's POST /admin/{form} actions.
var adminForms = []string{"office", "hours", "policy", "service", "counter", "staff", "staff-state", "staff-pin", "device", "device-revoke"}

// adminData fills the admin page.
type adminData struct {
	Office    queue.Office
	Staff     []queue.Staff
	Devices   []queue.Device
	Audit     []queue.AuditEntry
	NewKey    string
	NewDevice string
	Weekdays  []string
	Hours     map[string]string
	Holidays  string
	Bonus     map[string]string
	Classes   []queue.Priority
	CounterSv map[string]string
	Loc       *time.Location
}

func (s *Server) adminPage(w http.ResponseWriter, r *http.Request) {
	se, tok, ok := s.auth(w, r, auth.ManageOffice, "/admin/login")
	if !ok {
		return
	}
	notice := ""
	if r.URL.Query().Get("saved") != "" {
		notice = "saved"
	}
	s.renderAdmin(w, r, se, tok, http.StatusOK, notice, "", "", "")
}

func (s *Server) renderAdmin(w http.ResponseWriter, r *http.Request, se *auth.Session, tok string, status int, notice, errMsg, newDevice, newKey string) {
	ctx := r.Context()
	v, err := s.cfg.Engine.View(se.Office)
	if err != nil {
		s.fail(w, r, http.StatusNotFound, errText(lang(r), err))
		return
	}
	d := adminData{Office: v.Office, Weekdays: weekdays, Hours: map[string]string{}, Bonus: map[string]string{},
		Classes: queue.Priorities, CounterSv: map[string]string{}, NewKey: newKey, NewDevice: newDevice, Loc: v.Office.Location()}
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
	if d.Staff, err = s.cfg.DB.ListStaff(ctx, se.Office); err == nil {
		if d.Devices, err = s.cfg.DB.ListDevices(ctx, se.Office); err == nil {
			d.Audit, err = s.cfg.DB.AuditLog(ctx, se.Office, 30)
		}
	}
	if err != nil {
		s.log.Error("admin page", "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, "the administration page could not be read because storage is failing; try again in a moment")
		return
	}
	s.render(w, r, status, "admin", page{Title: "admin", CSRF: auth.CSRFToken(tok), Session: se, Notice: notice, Error: errMsg, Data: d})
}

// adminPost handles one admin form: it checks the session, the role and
// the CSRF token, applies the change (office configuration through the
// engine, so that it is validated, takes effect at once and is announced
// by config.changed), records it in the audit log, and shows the page
// again (303 to it on success; 400/409 with the reason on refusal).
func (s *Server) adminPost(form string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			s.fail(w, r, http.StatusBadRequest, "the form could not be read (is it larger than 64 KiB?)")
			return
		}
		se, tok, ok := s.auth(w, r, formPerm(form), "/admin/login")
		if !ok {
			return
		}
		newDevice, newKey, detail, err := s.adminChange(r.Context(), se, form, r)
		if err != nil {
			status, msg := http.StatusBadRequest, err.Error()
			var qe *queue.Error
			var fe *FormError
			switch {
			case errors.As(err, &qe):
				msg = errText(lang(r), qe)
				if qe.Kind == queue.KindConflict {
					status = http.StatusConflict
				}
			case errors.As(err, &fe):
			default:
				s.log.Error("admin change", "form", form, "err", err)
				status, msg = http.StatusServiceUnavailable, "the change could not be saved because storage is failing; nothing was changed — try again"
			}
			s.renderAdmin(w, r, se, tok, status, "", msg, "", "")
			return
		}
		s.audit(r.Context(), se.Office, se.Staff, "admin."+form, detail)
		if newKey != "" {
			// The key is shown once, on this answer, and never stored.
			s.renderAdmin(w, r, se, tok, http.StatusOK, "saved", "", newDevice, newKey)
			return
		}
		http.Redirect(w, r, "/admin?saved="+form+"#"+form, http.StatusSeeOther)
	}
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

// adminChange applies one form; it returns the audit detail.
func (s *Server) adminChange(ctx context.Context, se *auth.Session, form string, r *http.Request) (newDevice, newKey, detail string, err error) {
	f := r.PostForm
	switch form {
	case "office":
		detail, err = s.reconfigure(ctx, se, func(o *queue.Office) (string, error) {
			o.Name, o.NameEN, o.Ticker = strings.TrimSpace(f.Get("name")), strings.TrimSpace(f.Get("name_en")), strings.TrimSpace(f.Get("ticker"))
			return fmt.Sprintf("name=%q name_en=%q ticker=%q", o.Name, o.NameEN, o.Ticker), nil
		})
	case "hours":
		detail, err = s.reconfigure(ctx, se, func(o *queue.Office) (string, error) {
			h, err := ParseHours(f)
			if err != nil {
				return "", err
			}
			o.Hours, o.Holidays = h, ParseHolidays(f.Get("holidays"))
			return fmt.Sprintf("hours=%v holidays=%v", h, o.Holidays), nil
		})
	case "policy":
		detail, err = s.reconfigure(ctx, se, func(o *queue.Office) (string, error) {
			p, err := ParsePolicy(f, o.Policy)
			if err != nil {
				return "", err
			}
			o.Policy = p
			b, _ := json.Marshal(p)
			return string(b), nil
		})
	case "service":
		detail, err = s.reconfigure(ctx, se, func(o *queue.Office) (string, error) {
			sv, err := ParseServiceForm(f)
			if err != nil {
				return "", err
			}
			if old := o.Service(sv.ID); old != nil {
				*old = sv
			} else {
				o.Services = append(o.Services, sv)
			}
			b, _ := json.Marshal(sv)
			return string(b), nil
		})
	case "counter":
		detail, err = s.reconfigure(ctx, se, func(o *queue.Office) (string, error) {
			k := queue.Counter{ID: strings.TrimSpace(f.Get("id")), Name: strings.TrimSpace(f.Get("name"))}
			n, err := formInt(f, "number", 1, 999)
			if err != nil {
				return "", err
			}
			k.Number = n
			if k.Services, err = ParseCounterServices(f.Get("services")); err != nil {
				return "", err
			}
			if old := o.Counter(k.ID); old != nil {
				*old = k
			} else {
				o.Counters = append(o.Counters, k)
			}
			b, _ := json.Marshal(k)
			return string(b), nil
		})
	case "staff", "staff-state", "staff-pin":
		detail, err = s.staffChange(ctx, se, form, f.Get("id"), f.Get("name"), f.Get("role"), f.Get("pin"), f.Get("disabled") == "true")
	case "device":
		d, key, err := auth.RegisterDevice(ctx, s.cfg.DB, se.Office, strings.TrimSpace(f.Get("id")), strings.TrimSpace(f.Get("name")), queue.DeviceKind(f.Get("kind")))
		if err != nil {
			return "", "", "", err
		}
		return d.ID, key, fmt.Sprintf("registered %s %s %q", d.Kind, d.ID, d.Name), nil
	case "device-revoke":
		id := f.Get("id")
		if err := auth.RevokeDevice(ctx, s.cfg.DB, se.Office, id); err != nil {
			return "", "", "", err
		}
		detail = "revoked " + id
	}
	return "", "", detail, err
}

// reconfigure edits a copy of the office's current configuration inside
// the engine's command (so that two admins' changes never overwrite each
// other) and replaces it: queue.State.Reconfigure validates it and emits
// config.changed.
func (s *Server) reconfigure(ctx context.Context, se *auth.Session, edit func(*queue.Office) (string, error)) (string, error) {
	var detail string
	_, err := s.cfg.Engine.Do(ctx, se.Office, func(st *queue.State, now time.Time) (*queue.Change, error) {
		o, err := copyOffice(st.Office)
		if err != nil {
			return nil, err
		}
		if detail, err = edit(&o); err != nil {
			return nil, err
		}
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

// staffChange adds a staff member (form "staff"), disables or enables one
// ("staff-state"), or resets a PIN ("staff-pin").
func (s *Server) staffChange(ctx context.Context, se *auth.Session, form, id, name, role, pin string, disabled bool) (string, error) {
	id = strings.TrimSpace(id)
	if !queue.ValidID(id) {
		return "", formErr("staff code %q is not valid: use 1–32 lower-case letters, digits, '-' or '_'", truncate(id, 40))
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
	switch form {
	case "staff":
		if i >= 0 {
			return "", formErr("staff code %s is taken: choose another, or edit that member", id)
		}
		m := queue.Staff{ID: id, Office: se.Office, Name: strings.TrimSpace(name), Role: queue.Role(role)}
		if !auth.KnownRole(m.Role) {
			return "", formErr("role must be clerk or admin")
		}
		if err := queue.CheckName("staff name", m.Name, true); err != nil {
			return "", err
		}
		h, err := hashPIN(m.Role)
		if err != nil {
			return "", err
		}
		if err := s.cfg.DB.PutStaff(ctx, m, h); err != nil {
			return "", err
		}
		return fmt.Sprintf("added %s %s %q", m.Role, id, m.Name), nil
	case "staff-state":
		if i < 0 {
			return "", formErr("staff %s does not exist", id)
		}
		if id == se.Staff && disabled {
			return "", formErr("you cannot disable yourself: ask another administrator")
		}
		m := list[i]
		m.Disabled = disabled
		if err := s.cfg.DB.PutStaff(ctx, m, nil); err != nil {
			return "", err
		}
		return fmt.Sprintf("staff %s disabled=%v", id, disabled), nil
	default: // staff-pin
		if i < 0 {
			return "", formErr("staff %s does not exist", id)
		}
		h, err := hashPIN(list[i].Role)
		if err != nil {
			return "", err
		}
		if err := s.cfg.DB.PutStaff(ctx, list[i], h); err != nil {
			return "", err
		}
		return "reset PIN of " + id, nil
	}
}
