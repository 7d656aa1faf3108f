package device

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"luot/server/api"
	"luot/server/auth"
	"luot/server/dossier"
	"luot/server/servertest"
	"luot/server/workday"
)

// TestDeviceReadyDossiersOnServer follows the real server: the board lists
// the dossiers ready for pickup that the server has at start (masked
// names, newest first), and the list the server records on its stream
// when a clerk hands a result over.
func TestDeviceReadyDossiersOnServer(t *testing.T) {
	off := servertest.DemoOffice()
	if err := off.Validate(); err != nil { // the calendar's time zone
		t.Fatal(err)
	}
	cfg := &dossier.Config{
		Office: off.ID, Prefix: "TP", Calendar: workday.Office(&off),
		Fields:      []dossier.Field{{ID: "ho-tich", Name: "Hộ tịch"}},
		Departments: []dossier.Department{{ID: "tu-phap", Name: "Phòng Tư pháp"}},
		Procedures: []dossier.Procedure{{Code: "HT-01", Name: "Đăng ký khai sinh", Field: "ho-tich", Service: off.Services[0].ID, Department: "tu-phap", Days: 3,
			Papers: []dossier.Paper{{ID: "to-khai", Name: "Tờ khai"}}}},
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	s := servertest.New(t, servertest.WithoutWeb(), servertest.WithAPIConfig(func(c *api.Config) { c.Dossiers = cfg }))
	ctx := context.Background()
	clerk := dossier.Actor{Role: dossier.RoleClerk, ID: "nv1", Name: "Nhân viên 1"}
	completed := func(name string) string {
		t.Helper()
		now := s.Clock.Now()
		d, ev, err := dossier.Create(cfg, dossier.NewDossier{Procedure: "HT-01", Applicant: dossier.Applicant{Name: name},
			Papers: []string{"to-khai"}, TokenHash: auth.Hash(name)}, clerk, now)
		if err != nil {
			t.Fatal(err)
		}
		if d, _, _, err = s.DB.CreateDossier(ctx, d, ev, cfg.Prefix, ""); err != nil {
			t.Fatal(err)
		}
		for _, cmd := range []dossier.Command{
			{Action: dossier.ActProcess, Actor: clerk, Department: "tu-phap"},
			{Action: dossier.ActComplete, Actor: dossier.Actor{Role: dossier.RoleHandler, ID: "xl", Name: "Xử lý", Unit: "tu-phap"}, Result: "Giấy khai sinh"},
		} {
			if _, _, err := s.DB.UpdateDossier(ctx, d.Code, func(cur dossier.Dossier) (dossier.Event, error) {
				return dossier.Decide(cfg, cur, cmd, s.Clock.Now())
			}); err != nil {
				t.Fatal(err)
			}
		}
		s.Clock.Advance(time.Minute)
		return d.Code
	}
	first, second := completed("Nguyễn Văn An"), completed("Trần Thị Bình")

	dc := Defaults()
	dc.Server, dc.Office, dc.Announce = s.URL, s.Office, false
	d, err := New(dc, Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- d.Run(runCtx) }()
	defer func() { cancel(); <-done }()
	list := func() string {
		var out []string
		for _, x := range d.View().Dossiers {
			out = append(out, x.Code+" "+x.Name)
		}
		return strings.Join(out, ", ")
	}
	want := second + " Trần T. B., " + first + " Nguyễn V. A."
	waitFor(t, "the server's list at start", func() bool { return d.View().Connected && list() == want })

	tok := s.Login(t, "nv1", "q1")
	s.Call(t, "POST", "/api/v1/dossiers/"+first+"/actions/return", map[string]string{"Authorization": "Bearer " + tok},
		map[string]any{}, http.StatusOK, nil)
	waitFor(t, "the list after the hand-over", func() bool { return list() == second+" Trần T. B." })
}
