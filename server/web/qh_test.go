package web

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"luot/server/geo"
	"luot/server/planning"
	"luot/server/planning/planningdemo"
	"luot/server/queue"
)

// qhCentre is where the pages' tests put the demo's plan.
var qhCentre = geo.Point{Lat: 16.4637, Lon: 107.5909}

// newQHStack is the demo office with the demo's invented plan (or d).
func newQHStack(t testing.TB, d *planning.Data) *env {
	t.Helper()
	if d == nil {
		demo := planningdemo.Data(qhCentre, planning.Info{At: start})
		d = &demo
	}
	return newStack(t, stack{
		office:   demoOffice(),
		staff:    append(clerks(2), queue.Staff{ID: "admin", Name: "Quản trị", Role: queue.RoleAdmin}),
		kiosk:    queue.Device{ID: "kiosk1", Name: "Kiosk sảnh"},
		planning: d,
	})
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// The sample label is in the page as served: no script needed to see it.
func TestQHSampleLabel(t *testing.T) {
	e := newQHStack(t, nil)
	status, html := get(t, e.srv.URL+"/qh")
	if status != 200 || !strings.Contains(html, `<p id="sample" class="sample" role="note" data-en="Sample data`) || !strings.Contains(html, "Dữ liệu mẫu") {
		t.Fatalf("/qh: %d, no visible sample label:\n%s", status, html)
	}
	// A real import: no label.
	real := planningdemo.Data(qhCentre, planning.Info{At: start})
	real.ZonesInfo.Sample, real.ParcelInfo.Sample = false, false
	e = newQHStack(t, &real)
	if _, html := get(t, e.srv.URL+"/qh"); !strings.Contains(html, `<p id="sample" class="sample" role="note" hidden`) {
		t.Fatalf("/qh of a real plan shows the sample label:\n%s", html)
	}
}

// The start page links to the look-up; without a plan there is no page.
func TestQHLinkAndAbsence(t *testing.T) {
	e := newQHStack(t, nil)
	if _, html := get(t, e.srv.URL+"/o/"+office); !strings.Contains(html, `href="/qh"`) {
		t.Fatal("the start page has no link to /qh")
	}
	e = newEnv(t)
	if status, _ := get(t, e.srv.URL+"/qh"); status != http.StatusNotFound {
		t.Fatalf("/qh without a planning look-up: %d", status)
	}
}
