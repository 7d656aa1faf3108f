package api

import (
	"net/http"
	"time"

	"luot/server/auth"
	"luot/server/queue"
)

// DeviceRegistered answers POST /admin/devices: the device and its key,
// shown this once (the server keeps only its sha256).
type DeviceRegistered struct {
	Device queue.Device `json:"device"`
	Key    string       `json:"key"`
}

func (s *Server) registerDevice(w http.ResponseWriter, r *http.Request) {
	se, err := s.require(r, auth.ManageDevices)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, ok := decodeBody(w, r, s, decodeDevice)
	if !ok {
		return
	}
	v, err := s.eng.View(se.Office)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, key, err := auth.RegisterDevice(r.Context(), s.st, &v.Office, b.ID, b.Name, b.Kind, b.Counter)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	what := d.ID + " " + string(d.Kind) + " " + d.Name
	if d.Counter != "" {
		what += " counter " + d.Counter
	}
	s.audit(r, se.Office, se.Staff, "device_registered", what)
	writeJSON(w, http.StatusCreated, DeviceRegistered{Device: d, Key: key})
}

func (s *Server) listDevices(w http.ResponseWriter, r *http.Request) {
	se, err := s.require(r, auth.ManageDevices)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ds, err := s.st.ListDevices(r.Context(), se.Office)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ds == nil {
		ds = []queue.Device{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"devices": ds})
}

func (s *Server) revokeDevice(w http.ResponseWriter, r *http.Request) {
	se, err := s.require(r, auth.ManageDevices)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	if err := auth.RevokeDevice(r.Context(), s.st, se.Office, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.audit(r, se.Office, se.Staff, "device_revoked", id)
	w.WriteHeader(http.StatusNoContent)
}

// A device announces a change of its status on the office's public event
// stream at most statusBurst times at once, then once per statusEvery: a
// printer cover opened and closed a few times is shown, a device key
// flooding the stream is not. A change beyond that is refused (429 with
// Retry-After) and changes nothing, so that what staff saw last stays
// what is stored; the kiosk reports its current status again later.
const (
	statusBurst = 5
	statusEvery = 10 * time.Second
)

// deviceStatus records a device's reported condition and last-seen time,
// and tells the office with a device.status event when the status changed
// (within the limit above). A repeated status is a heartbeat: last-seen
// is recorded, nothing is announced, and it is never refused. It answers
// {"seq"} (the event's, or null).
func (s *Server) deviceStatus(w http.ResponseWriter, r *http.Request) {
	d, ok, err := s.device(r)
	if err == nil && !ok {
		err = newError(http.StatusUnauthorized, "device_key_required", "send the device's key in the X-Device-Key header")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, ok := decodeBody(w, r, s, decodeStatus)
	if !ok {
		return
	}
	heartbeat := d.Status == b.Status
	if !heartbeat {
		if ok, retry := s.statuses.Allow(d.ID, s.now()); !ok {
			s.tooMany(w, r, retry, "status changes from this device")
			return
		}
	}
	if err := s.st.TouchDevice(r.Context(), d.ID, s.now(), b.Status); err != nil {
		s.fail(w, r, err)
		return
	}
	if heartbeat {
		writeJSON(w, http.StatusOK, map[string]any{"seq": nil})
		return
	}
	data2 := queue.DeviceData{Device: d.ID, Kind: string(d.Kind), Status: b.Status, Message: b.Message}
	c, err := s.eng.Do(r.Context(), d.Office, func(st *queue.State, now time.Time) (*queue.Change, error) {
		return st.Note(now, queue.EventDeviceStatus, data2), nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var seq int64
	if n := len(c.Events); n > 0 {
		seq = c.Events[n-1].Seq
	}
	writeJSON(w, http.StatusOK, map[string]any{"seq": seq})
}
