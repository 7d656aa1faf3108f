package servertest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"luot/server/client"
	"luot/server/queue"
	"luot/server/servertest"
)

// TestStationClient: the station's calls of server/client against the
// real server: its configuration, a clerk signing in on it (bound to its
// counter), the clerk's title, a rating given on its screen and one given
// twice, all decoded in the client's shapes.
func TestStationClient(t *testing.T) {
	const stationKey = "station-q3-key-0123456789"
	s := servertest.New(t, servertest.WithDevices(
		servertest.Device{Device: queue.Device{ID: "kiosk1", Name: "Kiosk", Kind: queue.DeviceKiosk}, Key: servertest.KioskKey},
		servertest.Device{Device: queue.Device{ID: "station-q3", Name: "Quầy 3", Kind: queue.DeviceStation, Counter: "q3"}, Key: stationKey},
	))
	ctx := context.Background()
	st, err := client.New(s.URL, client.WithDeviceKey(stationKey))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := st.Station(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Device != "station-q3" || cfg.Office.ID != s.Office || cfg.Counter.ID != "q3" || cfg.Counter.Number != 3 || cfg.Clerk != nil ||
		len(cfg.Rating.Scale) != 4 || cfg.Rating.Scale[0].NameEN != "Very satisfied" || len(cfg.Rating.Reasons) != 4 || cfg.Rating.PromptSeconds != 30 {
		t.Fatalf("station %+v", cfg)
	}
	// The clerk signs in on the station: at q3, whatever they ask.
	if _, err := st.Login(ctx, s.Office, "q1", "nv3", "1234"); code(err) != client.CodeStationOtherCounter {
		t.Fatalf("login at q1 from the q3 station: %v", err)
	}
	se, err := st.Login(ctx, s.Office, "", "nv3", "1234")
	if err != nil || se.Counter != "q3" {
		t.Fatalf("login %+v %v", se, err)
	}
	if err := s.DB.PutStaff(ctx, queue.Staff{ID: "nv3", Office: s.Office, Name: "Lê Hoàng Cường", Title: "Chuyên viên", Role: queue.RoleClerk}, nil); err != nil {
		t.Fatal(err)
	}
	if cfg, err = st.Station(ctx); err != nil || cfg.Clerk == nil || cfg.Clerk.ID != "nv3" || cfg.Clerk.Title != "Chuyên viên" {
		t.Fatalf("with clerk %+v %v", cfg.Clerk, err)
	}
	clerk, _ := client.New(s.URL, client.WithToken(se.Token))
	if _, err := clerk.Act(ctx, "q3", client.ActionOpen, nil); err != nil {
		t.Fatal(err)
	}
	tk := s.Issue(t, "chung-thuc")
	for _, a := range []client.CounterAction{client.ActionNext, client.ActionStart, client.ActionDone} {
		if _, err := clerk.Act(ctx, "q3", a, nil); err != nil {
			t.Fatalf("%s: %v", a, err)
		}
	}
	key := client.NewIdempotencyKey()
	rt, err := st.RateAtStation(ctx, client.StationRating{Ticket: tk.ID, Score: 1, Reasons: []string{"attitude"}}, key)
	if err != nil || rt.Channel != "station" || rt.Score != 1 || len(rt.Reasons) != 1 || rt.Ticket != tk.ID {
		t.Fatalf("rating %+v %v", rt, err)
	}
	if again, err := st.RateAtStation(ctx, client.StationRating{Ticket: tk.ID, Score: 1, Reasons: []string{"attitude"}}, key); err != nil || !again.At.Equal(rt.At) {
		t.Fatalf("retry %+v %v", again, err)
	}
	if _, err := st.RateAtStation(ctx, client.StationRating{Ticket: tk.ID, Score: 4}, client.NewIdempotencyKey()); code(err) != client.CodeAlreadyRated {
		t.Fatalf("second rating: %v", err)
	}
	s.Clock.Advance(11 * time.Minute)
	tk2 := s.Issue(t, "chung-thuc")
	for _, a := range []client.CounterAction{client.ActionNext, client.ActionStart, client.ActionDone} {
		if _, err := clerk.Act(ctx, "q3", a, nil); err != nil {
			t.Fatalf("%s: %v", a, err)
		}
	}
	s.Clock.Advance(601 * time.Second)
	if _, err := st.RateAtStation(ctx, client.StationRating{Ticket: tk2.ID, Score: 4}, client.NewIdempotencyKey()); code(err) != client.CodeRatingTooLate {
		t.Fatalf("late rating: %v", err)
	}
	// A kiosk's key is no station's.
	kiosk, _ := client.New(s.URL, client.WithDeviceKey(servertest.KioskKey))
	if _, err := kiosk.Station(ctx); code(err) != client.CodeNotAStation {
		t.Fatalf("kiosk: %v", err)
	}
}

func code(err error) string {
	var ce *client.Error
	if errors.As(err, &ce) {
		return ce.Code
	}
	return ""
}
