package feedback_test

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"luot/server/feedback"
	"luot/server/geo"
	"luot/server/queue"
)

func TestCreate(t *testing.T) {
	c := testConfig(t)
	in := validNew()
	// Typed with combining marks (NFD), surrounded by spaces.
	in.Description = "  Ra\u0301c tha\u0309i\nđổ trộm  "
	in.Photos = []string{hashA, hashB, hashA}
	r, e, err := feedback.Create(c, in, t0)
	if err != nil {
		t.Fatal(err)
	}
	if r.Description != "Rác thải\nđổ trộm" {
		t.Errorf("description %q, want it trimmed and in NFC", r.Description)
	}
	if r.Status != feedback.StatusNew || r.Version != 1 || r.Unit != "tnmt" || r.Office != "demo" || r.Category != "moi-truong" {
		t.Errorf("report %+v: want new, version 1, unit tnmt of office demo", r)
	}
	if want := []feedback.Photo{{Hash: hashA}, {Hash: hashB}}; !reflect.DeepEqual(r.Photos, want) {
		t.Errorf("photos %+v, want %+v (the same photo once)", r.Photos, want)
	}
	if r.Reporter != (feedback.Reporter{Name: "Nguyễn Văn An", Phone: "+84912345678"}) {
		t.Errorf("reporter %+v, want the phone in its canonical form", r.Reporter)
	}
	// Tuesday 09:00: acknowledged by the end of Wednesday, resolved in 7
	// working days by the end of Thursday 10 December.
	if want := time.Date(2026, 12, 3, 0, 0, 0, 0, hcm); !r.AckDue.Equal(want) {
		t.Errorf("ack due %v, want %v", r.AckDue, want)
	}
	if want := time.Date(2026, 12, 11, 0, 0, 0, 0, hcm); !r.ResolveDue.Equal(want) {
		t.Errorf("resolve due %v, want %v", r.ResolveDue, want)
	}
	if !r.Created.Equal(t0) || r.Channel != feedback.ChannelWeb || string(r.TokenHash) != string(in.TokenHash) {
		t.Errorf("report %+v: created, channel or token hash wrong", r)
	}
	if e.Type != feedback.TypeCreated || !e.At.Equal(t0) || e.Status != feedback.StatusNew || e.Unit != "tnmt" || e.Actor.Role != feedback.RoleReporter {
		t.Errorf("event %+v", e)
	}
	if e.Created == nil || !reflect.DeepEqual(*e.Created, r) {
		t.Fatalf("event's report %+v, want the report", e.Created)
	}
	if got := feedback.Apply(feedback.Report{}, e); !reflect.DeepEqual(got, r) {
		t.Errorf("Apply of the created event = %+v, want the report", got)
	}
	// The event's report is a copy: changing one leaves the other.
	e.Created.Photos[0].Hidden = true
	if r.Photos[0].Hidden {
		t.Error("the event's report shares its photos with the report")
	}

	t.Run("anonymous keeps neither name nor phone", func(t *testing.T) {
		in := validNew()
		in.Reporter.Anonymous = true
		in.Reporter.Phone = "not even a phone"
		r, _, err := feedback.Create(c, in, t0)
		if err != nil {
			t.Fatal(err)
		}
		if r.Reporter != (feedback.Reporter{Anonymous: true}) {
			t.Errorf("reporter %+v", r.Reporter)
		}
	})
	t.Run("an address without a point", func(t *testing.T) {
		in := validNew()
		in.Place = feedback.Place{Address: " 3 Hùng Vương ", Accuracy: 5, Ward: "made-up"}
		r, _, err := feedback.Create(c, in, t0)
		if err != nil {
			t.Fatal(err)
		}
		if r.Place != (feedback.Place{Address: "3 Hùng Vương"}) {
			t.Errorf("place %+v: want only the trimmed address (no accuracy without a point, no ward but routing's)", r.Place)
		}
	})
	t.Run("by ward", func(t *testing.T) {
		c := testConfig(t)
		c.Units[2].Area = geo.MultiPolygon{{{{Lat: 16, Lon: 107}, {Lat: 16, Lon: 108}, {Lat: 17, Lon: 108}, {Lat: 17, Lon: 107}, {Lat: 16, Lon: 107}}}}
		for _, tc := range []struct {
			category string
			at       *geo.Point
			unit     string
			ward     string
		}{
			{"xay-dung", point(16.4637, 107.5909), "phuong-dong", "phuong-dong"},
			{"moi-truong", point(16.4637, 107.5909), "tnmt", "phuong-dong"},
			{"xay-dung", point(10.77, 106.70), "qldt", ""},
			{"xay-dung", nil, "qldt", ""},
		} {
			in := validNew()
			in.Category, in.Place.Point = tc.category, tc.at
			r, e, err := feedback.Create(c, in, t0)
			if err != nil {
				t.Fatal(err)
			}
			if r.Unit != tc.unit || r.Place.Ward != tc.ward || e.Unit != tc.unit {
				t.Errorf("%s at %v: unit %q ward %q, want %q %q", tc.category, tc.at, r.Unit, r.Place.Ward, tc.unit, tc.ward)
			}
		}
	})
	t.Run("by_ward without boundaries goes to the category's unit", func(t *testing.T) {
		in := validNew()
		in.Category = "xay-dung"
		r, _, err := feedback.Create(c, in, t0)
		if err != nil {
			t.Fatal(err)
		}
		if r.Unit != "qldt" || r.Place.Ward != "" {
			t.Errorf("unit %q ward %q, want qldt and no ward", r.Unit, r.Place.Ward)
		}
	})
	t.Run("channels and their actors", func(t *testing.T) {
		for ch, role := range map[feedback.Channel]feedback.Role{
			feedback.ChannelWeb: feedback.RoleReporter, feedback.ChannelOpen311: feedback.RoleClient, feedback.ChannelStaff: feedback.RoleModerator,
		} {
			in := validNew()
			in.Channel, in.Client = ch, "app"
			_, e, err := feedback.Create(c, in, t0)
			if err != nil || e.Actor.Role != role {
				t.Errorf("channel %s: actor %+v, %v; want %s", ch, e.Actor, err, role)
			}
		}
	})
	t.Run("limits are inclusive", func(t *testing.T) {
		in := validNew()
		in.Description = strings.Repeat("ệ", feedback.MaxDescription)
		in.Place.Address = strings.Repeat("ạ", feedback.MaxAddress)
		in.Reporter.Name = strings.Repeat("Ở", feedback.MaxName)
		in.Photos = []string{hashA, hashB, hashC, hashD, strings.Repeat("e", 64)}
		in.Place.Point = point(-90, 180)
		if _, _, err := feedback.Create(c, in, t0); err != nil {
			t.Error(err)
		}
	})
}

func TestCreateRefuses(t *testing.T) {
	c := testConfig(t)
	cases := []struct {
		name   string
		change func(*feedback.NewReport)
		code   string
	}{
		{"unknown category", func(n *feedback.NewReport) { n.Category = "ufo" }, "unknown_category"},
		{"no category", func(n *feedback.NewReport) { n.Category = "" }, "unknown_category"},
		{"no description", func(n *feedback.NewReport) { n.Description = "" }, "invalid_description"},
		{"blank description", func(n *feedback.NewReport) { n.Description = " \n\t " }, "invalid_description"},
		{"description too long", func(n *feedback.NewReport) { n.Description = strings.Repeat("a", feedback.MaxDescription+1) }, "invalid_description"},
		{"NUL in the description", func(n *feedback.NewReport) { n.Description = "rác\x00" }, "invalid_description"},
		{"escape in the description", func(n *feedback.NewReport) { n.Description = "rác \x1b[31m" }, "invalid_description"},
		{"text-direction override", func(n *feedback.NewReport) { n.Description = "rác \u202e" }, "invalid_description"},
		{"invalid UTF-8", func(n *feedback.NewReport) { n.Description = "r\xffác" }, "invalid_description"},
		{"latitude NaN", func(n *feedback.NewReport) { n.Place.Point = point(math.NaN(), 107) }, "invalid_place"},
		{"longitude infinite", func(n *feedback.NewReport) { n.Place.Point = point(16, math.Inf(1)) }, "invalid_place"},
		{"latitude 91", func(n *feedback.NewReport) { n.Place.Point = point(91, 107) }, "invalid_place"},
		{"longitude -181", func(n *feedback.NewReport) { n.Place.Point = point(16, -181) }, "invalid_place"},
		{"negative accuracy", func(n *feedback.NewReport) { n.Place.Accuracy = -1 }, "invalid_place"},
		{"NaN accuracy", func(n *feedback.NewReport) { n.Place.Accuracy = math.NaN() }, "invalid_place"},
		{"no place", func(n *feedback.NewReport) { n.Place = feedback.Place{} }, "invalid_place"},
		{"blank address and no point", func(n *feedback.NewReport) { n.Place = feedback.Place{Address: "   "} }, "invalid_place"},
		{"address too long", func(n *feedback.NewReport) { n.Place.Address = strings.Repeat("a", feedback.MaxAddress+1) }, "invalid_address"},
		{"address of two lines", func(n *feedback.NewReport) { n.Place.Address = "12 Lê Lợi\nHuế" }, "invalid_address"},
		{"long address of two lines", func(n *feedback.NewReport) { n.Place.Address = strings.Repeat("a", 250) + "\tHuế" }, "invalid_address"},
		{"six photos", func(n *feedback.NewReport) {
			n.Photos = []string{hashA, hashB, hashC, hashD, strings.Repeat("e", 64), strings.Repeat("f", 64)}
		}, "too_many_photos"},
		{"photo name in capitals", func(n *feedback.NewReport) { n.Photos = []string{strings.Repeat("A", 64)} }, "invalid_photo"},
		{"photo name too short", func(n *feedback.NewReport) { n.Photos = []string{"abc"} }, "invalid_photo"},
		{"photo path", func(n *feedback.NewReport) { n.Photos = []string{"../" + strings.Repeat("a", 61)} }, "invalid_photo"},
		{"name too long", func(n *feedback.NewReport) { n.Reporter.Name = strings.Repeat("a", feedback.MaxName+1) }, "invalid_name"},
		{"name of two lines", func(n *feedback.NewReport) { n.Reporter.Name = "An\nBình" }, "invalid_name"},
		{"not a mobile number", func(n *feedback.NewReport) { n.Reporter.Phone = "024 3825 1234" }, "invalid_phone"},
		{"no channel", func(n *feedback.NewReport) { n.Channel = "" }, "invalid_channel"},
		{"unknown channel", func(n *feedback.NewReport) { n.Channel = "fax" }, "invalid_channel"},
	}
	for _, tc := range cases {
		in := validNew()
		tc.change(&in)
		r, e, err := feedback.Create(c, in, t0)
		wantError(t, tc.name, err, queue.KindInvalid, tc.code)
		if !reflect.DeepEqual(r, feedback.Report{}) || !reflect.DeepEqual(e, feedback.Event{}) {
			t.Errorf("%s: a refused report still gave %+v and %+v", tc.name, r, e)
		}
	}
}

// A long address of two lines is refused for its line break, not for a
// length it does not exceed.
func TestCreateSaysWhy(t *testing.T) {
	in := validNew()
	in.Place.Address = strings.Repeat("a", 250) + "\nHuế"
	_, _, err := feedback.Create(testConfig(t), in, t0)
	if err == nil || !strings.Contains(err.Error(), "line break") || strings.Contains(err.Error(), "longer") {
		t.Errorf("got %v, want the line break named", err)
	}
}

func TestPublic(t *testing.T) {
	c := testConfig(t)
	r, _, err := feedback.Create(c, validNew(), t0)
	if err != nil {
		t.Fatal(err)
	}
	r.Code, r.Client, r.MediaURL = "PA-2612-00001", "app", "https://app.example/m/1.jpg"
	r.Status = feedback.StatusInProgress
	r.Answer = "Đang dọn"
	r.Photos = []feedback.Photo{{Hash: hashA}, {Hash: hashB, Hidden: true}, {Hash: hashC, Answer: true}}
	r.Erased = t0
	before := clone(r)

	p := feedback.Public(r)
	if p.Reporter != (feedback.Reporter{}) || p.TokenHash != nil || p.Client != "" || p.MediaURL != "" || !p.Erased.IsZero() {
		t.Errorf("public report keeps %+v, %x, %q, %q, %v", p.Reporter, p.TokenHash, p.Client, p.MediaURL, p.Erased)
	}
	if want := []feedback.Photo{{Hash: hashA}}; !reflect.DeepEqual(p.Photos, want) || p.Answer != "" {
		t.Errorf("before resolution: photos %+v answer %q, want only the visible reporter's photo and no answer", p.Photos, p.Answer)
	}
	if !reflect.DeepEqual(r, before) {
		t.Error("Public changed the report it was given")
	}
	r.Status = feedback.StatusResolved
	p = feedback.Public(r)
	if want := []feedback.Photo{{Hash: hashA}, {Hash: hashC, Answer: true}}; !reflect.DeepEqual(p.Photos, want) || p.Answer != "Đang dọn" {
		t.Errorf("resolved: photos %+v answer %q, want the answer and its photo too, never the hidden one", p.Photos, p.Answer)
	}
	if p.Description != r.Description || p.Code != r.Code || !reflect.DeepEqual(p.Place, r.Place) {
		t.Error("the public report lost its description, code or place")
	}
}

// clone is a deep copy of r, to compare with after a call.
func clone(r feedback.Report) feedback.Report {
	c := r
	c.Photos = append([]feedback.Photo(nil), r.Photos...)
	c.TokenHash = append([]byte(nil), r.TokenHash...)
	if r.Place.Point != nil {
		p := *r.Place.Point
		c.Place.Point = &p
	}
	return c
}

// An Open311 client's media_url is kept as a link, never fetched: only
// http and https addresses with a host and no credentials, bounded.
func TestCreateMediaURL(t *testing.T) {
	c := testConfig(t)
	for in, want := range map[string]string{
		"":                                "",
		"  https://app.example/m/1.jpg ":  "https://app.example/m/1.jpg",
		"http://169.254.169.254/latest/x": "http://169.254.169.254/latest/x",
		"https://app.example/ảnh.jpg":     "https://app.example/%E1%BA%A3nh.jpg",
		"https://app.example/a?b=c&d=<e>": "https://app.example/a?b=c&d=<e>",
	} {
		in0 := validNew()
		in0.MediaURL = in
		r, _, err := feedback.Create(c, in0, t0)
		if err != nil || r.MediaURL != want {
			t.Errorf("media_url %q: %q, %v; want %q", in, r.MediaURL, err, want)
		}
	}
	for _, in := range []string{
		"javascript:alert(1)", "data:image/png;base64,AAAA", "file:///etc/passwd", "ftp://x.example/a",
		"//app.example/a.jpg", "https://", "https://user:pw@app.example/a.jpg", "https://app.example/a b.jpg",
		"https://app.example/a\nb", "https://app.example/" + strings.Repeat("a", feedback.MaxMediaURL), "https://app.example/\x00",
		"https://app.example/%zz",
	} {
		in0 := validNew()
		in0.MediaURL = in
		_, _, err := feedback.Create(c, in0, t0)
		var qe *queue.Error
		if !errors.As(err, &qe) || qe.Code != "invalid_media_url" {
			t.Errorf("media_url %q: %v, want invalid_media_url", in, err)
		}
	}
}
