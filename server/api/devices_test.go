package api

import (
	"context"
	"net/http"
	"testing"
)

// statusEvents counts the device.status events stored after since.
func statusEvents(t *testing.T, e *env, since int64) int {
	t.Helper()
	n := 0
	for _, ev := range storedEvents(t, e, since) {
		if ev.Type == "device.status" {
			n++
		}
	}
	return n
}

// deviceStatusOf reads a device's stored status.
func deviceStatusOf(t *testing.T, e *env, id string) string {
	t.Helper()
	ds, err := e.db.ListDevices(context.Background(), office)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.ID == id {
			return d.Status
		}
	}
	t.Fatalf("no device %s", id)
	return ""
}

// TestDeviceStatusIsThrottled: one device key sending 20 status changes
// at once puts statusBurst of them on the office's public stream; the
// rest get 429 with Retry-After and change nothing (the device reports
// again later). A repeated status is a heartbeat: it announces nothing and
// is never refused. Another device is not limited by the first, and the
// first may announce again once its wait is over.
func TestDeviceStatusIsThrottled(t *testing.T) {
	e := newEnv(t)
	status := func(device, st string) resp {
		return e.do(t, req{method: "POST", path: "/api/v1/devices/status", device: device, body: map[string]string{"status": st, "message": "màn hình " + st}})
	}
	since := e.seq(t)
	var refused resp
	announced, limited := 0, 0
	for i := range 20 {
		st := []string{"hdmi_lost", "ok"}[i%2]
		switch r := status("display", st); r.status {
		case http.StatusOK:
			// Once a change is refused, the next report repeats the
			// stored status: a heartbeat, answered with seq null.
			var a struct{ Seq *int64 }
			if r.decode(t, &a); a.Seq != nil {
				announced++
			}
		case http.StatusTooManyRequests:
			limited++
			refused = r
		default:
			t.Fatalf("status %d: %d %s", i, r.status, r.body)
		}
	}
	if announced != statusBurst || limited == 0 {
		t.Fatalf("%d announced and %d refused of 20 reports, want %d announced and the other changes refused", announced, limited, statusBurst)
	}
	if code := refused.errCode(t); code != "rate_limited" || refused.header.Get("Retry-After") == "" {
		t.Fatalf("refusal %s (Retry-After %q)", refused.body, refused.header.Get("Retry-After"))
	}
	if n := statusEvents(t, e, since); n != statusBurst {
		t.Fatalf("%d device.status events on the stream, want %d", n, statusBurst)
	}
	// The last announced status stands: the refused ones changed nothing.
	last := []string{"hdmi_lost", "ok"}[(statusBurst-1)%2]
	if got := deviceStatusOf(t, e, "display"); got != last {
		t.Fatalf("stored status %q, want the last announced %q", got, last)
	}
	// Heartbeats: the same status again, as often as the device likes.
	seq := e.seq(t)
	for range 20 {
		r := status("display", last)
		var a struct{ Seq *int64 }
		if r.status != http.StatusOK {
			t.Fatalf("heartbeat: %d %s", r.status, r.body)
		}
		if r.decode(t, &a); a.Seq != nil {
			t.Fatalf("a heartbeat was announced: %s", r.body)
		}
	}
	if e.seq(t) != seq {
		t.Fatal("heartbeats made events")
	}
	// Another device has its own allowance.
	if r := status("kiosk1", "paper_end"); r.status != http.StatusOK {
		t.Fatalf("another device: %d %s", r.status, r.body)
	}
	// After the wait, the display announces again.
	e.clock.Advance(statusEvery)
	other := map[string]string{"ok": "hdmi_lost", "hdmi_lost": "ok"}[last]
	if r := status("display", other); r.status != http.StatusOK {
		t.Fatalf("after %s: %d %s", statusEvery, r.status, r.body)
	}
	if r := status("display", last); r.status != http.StatusTooManyRequests {
		t.Fatalf("second change after one wait: %d %s", r.status, r.body)
	}
	if got := deviceStatusOf(t, e, "display"); got != other {
		t.Fatalf("stored status %q, want %q", got, other)
	}
}

// TestRegisterDeviceRule: the API registers devices by the same rule as
// the administration page (auth.RegisterDevice): an id chosen by the
// administrator, or a random one; a live id is refused, a revoked one is
// registered again with a new key, another office's is refused.
func TestRegisterDeviceRule(t *testing.T) {
	e := newEnv(t)
	e.addDevice("kiosk-other", "hn-bd", "kiosk")
	admin := e.login(t, "admin", "")
	reg := func(status int, body map[string]string) resp {
		t.Helper()
		return e.must(t, status, req{method: "POST", path: "/api/v1/admin/devices", token: admin, body: body})
	}
	var d DeviceRegistered
	reg(http.StatusCreated, map[string]string{"name": "Sảnh", "kind": "kiosk"}).decode(t, &d)
	if d.Device.ID == "" || d.Key == "" {
		t.Fatalf("random id: %+v", d)
	}
	reg(http.StatusCreated, map[string]string{"id": "kiosk-hall", "name": "Sảnh", "kind": "kiosk"}).decode(t, &d)
	if d.Device.ID != "kiosk-hall" {
		t.Fatalf("chosen id: %+v", d)
	}
	first := d.Key
	for _, c := range []struct {
		status int
		id     string
		code   string
	}{
		{http.StatusConflict, "kiosk-hall", "device_exists"},
		{http.StatusConflict, "kiosk-other", "device_id_taken"},
		{http.StatusBadRequest, "Kiosk Hall", "invalid_device_id"},
	} {
		if code := reg(c.status, map[string]string{"id": c.id, "name": "x", "kind": "kiosk"}).errCode(t); code != c.code {
			t.Errorf("id %q: code %s, want %s", c.id, code, c.code)
		}
	}
	e.must(t, http.StatusNoContent, req{method: "DELETE", path: "/api/v1/admin/devices/kiosk-hall", token: admin})
	reg(http.StatusCreated, map[string]string{"id": "kiosk-hall", "name": "Sảnh", "kind": "kiosk"}).decode(t, &d)
	if d.Key == first {
		t.Fatal("registered again with the old key")
	}
	e.must(t, http.StatusNotFound, req{method: "DELETE", path: "/api/v1/admin/devices/kiosk-other", token: admin})
}
