package stationstate

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"luot/server/client"
)

// keys presses keys named in a space-separated list.
func (r *rig) keys(list string) []Effect {
	var out []Effect
	for _, k := range strings.Fields(list) {
		out = append(out, r.m.Key(k, r.now)...)
	}
	return out
}

func TestSignIn(t *testing.T) {
	cases := []struct {
		name  string
		keys  string
		want  []Effect // effects of all the keys
		step  string   // corner's sign-in step after
		typed string
		msg   string // the Vietnamese message after ("" none)
		msgEN string
	}{
		{"staff id typed", "1 2", nil, "staff", "12", "", ""},
		{"keypad and main Enter alike", "1 KP_Enter 1 2 Return", []Effect{SignIn{Staff: "nv1", PIN: "12"}}, "pin", "••", "Đang đăng nhập…", "Signing in…"},
		{"PIN as dots", "1 KP_Enter 4 3", nil, "pin", "••", "", ""},
		{"signs in with the prefix", "1 KP_Enter 1 2 3 4 KP_Enter", []Effect{SignIn{Staff: "nv1", PIN: "1234"}}, "pin", "••••", "Đang đăng nhập…", "Signing in…"},
		{"letters from a keyboard, no prefix", "N V 2 Return 9 9 Return", []Effect{SignIn{Staff: "nv2", PIN: "99"}}, "pin", "••", "Đang đăng nhập…", "Signing in…"},
		{"backspace rubs out", "1 2 BackSpace 3", nil, "staff", "13", "", ""},
		{"backspace on an empty PIN goes back", "1 2 KP_Enter 5 BackSpace BackSpace", nil, "staff", "12", "", ""},
		{"escape starts again", "1 KP_Enter 5 Escape", nil, "staff", "", "", ""},
		{"enter with nothing typed", "KP_Enter", nil, "staff", "", "Chưa nhập gì", "Nothing typed yet"},
		{"enter with no PIN", "1 KP_Enter KP_Enter", nil, "pin", "", "Chưa nhập gì", "Nothing typed yet"},
		{"an action key before signing in", "+", nil, "staff", "", "+ → Gọi số tiếp: đăng nhập trước (mã cán bộ, Enter, mã PIN, Enter)", "+ → Next: sign in first (staff id, Enter, PIN, Enter)"},
		{"an unknown key", "F9", nil, "staff", "", "Phím F9 chưa được gán việc", "Key F9 does nothing"},
		{"letters are no PIN", "1 KP_Enter A", nil, "pin", "", "Phím A chưa được gán việc", "Key A does nothing"},
		{"modifiers are not presses", "1 LeftShift RightControl", nil, "staff", "1", "", ""},
		{"too long", strings.Repeat("1 ", 33), nil, "staff", strings.Repeat("1", 32), "Quá dài: bấm ⌫ để xóa", "Too long: press ⌫ to rub out"},
		{"keys while signing in", "1 KP_Enter 2 KP_Enter 3 +", []Effect{SignIn{Staff: "nv1", PIN: "2"}}, "pin", "•", "Đang đăng nhập, chờ một chút", "Signing in, please wait"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, Options{StaffPrefix: "nv"})
			fx := r.keys(c.keys)
			if !reflect.DeepEqual(fx, c.want) {
				t.Fatalf("effects %#v, want %#v", fx, c.want)
			}
			co := r.m.View().Corner
			if co.SignIn != c.step || co.Typed != c.typed || co.Message != c.msg || co.MessageEN != c.msgEN {
				t.Fatalf("corner %+v", co)
			}
		})
	}
}

func TestSignInAnswers(t *testing.T) {
	cases := []struct {
		err   error
		msg   string
		msgEN string
		ok    bool
	}{
		{nil, "Đã đăng nhập: Nguyễn Văn An", "Signed in: Nguyễn Văn An", true},
		{&client.Error{Status: 401, Code: "invalid_credentials"}, "Không đăng nhập được: sai mã cán bộ hoặc mã PIN", "Cannot sign in: wrong staff id or PIN", false},
		{&client.Error{Status: 429, Code: "locked_out"}, "Không đăng nhập được: nhập sai nhiều lần, thử lại sau", "Cannot sign in: too many tries, try again later", false},
		{&client.Error{Status: 403, Code: "station_other_counter"}, "Không đăng nhập được: không được làm việc ở quầy này", "Cannot sign in: not allowed at this counter", false},
		{&client.Error{Status: 403, Code: "staff_disabled"}, "Không đăng nhập được: tài khoản bị khóa, hỏi quản trị viên", "Cannot sign in: account disabled, ask an administrator", false},
		{errors.New("dial tcp: i/o timeout"), "Không đăng nhập được: mất kết nối máy chủ, thử lại", "Cannot sign in: no answer from the server, try again", false},
		{&client.Error{Status: 418, Code: "teapot"}, "Không đăng nhập được: bị từ chối (teapot)", "Cannot sign in: refused (teapot)", false},
	}
	for _, c := range cases {
		t.Run(c.msgEN, func(t *testing.T) {
			r := newRig(t, Options{StaffPrefix: "nv"})
			r.keys("1 KP_Enter 1 2 3 4 KP_Enter")
			if c.err == nil {
				// the station learns the clerk's name from /station after
				r.m.SignedIn("nv1", nil, r.now)
				if co := r.m.View().Corner; co.Message != "Đã đăng nhập: nv1" || co.SignIn != "" || co.Typed != "" {
					t.Fatalf("corner %+v", co)
				}
				r.m.SetStation(r.station(&client.Clerk{ID: "nv1", Name: "Nguyễn Văn An"}), r.now)
			} else {
				r.m.SignedIn("nv1", c.err, r.now)
			}
			co := r.m.View().Corner
			if co.Message != c.msg || co.MessageEN != c.msgEN || co.OK != c.ok {
				t.Fatalf("corner %+v", co)
			}
			if c.ok != (r.m.Staff() == "nv1") {
				t.Fatalf("staff %q", r.m.Staff())
			}
			if !c.ok && (co.SignIn != "staff" || co.Typed != "") {
				t.Fatalf("a refused sign-in is not back at the staff id: %+v", co)
			}
			// a late second answer changes nothing
			before := r.m.View().Corner
			r.m.SignedIn("nv1", nil, r.now)
			if r.m.View().Corner != before || (!c.ok && r.m.Staff() != "") {
				t.Fatal("a stale answer signed in")
			}
		})
	}
	t.Run("an answer after escape is stale", func(t *testing.T) {
		r := newRig(t, Options{})
		r.keys("1 KP_Enter 1 KP_Enter")
		// the sign-in is in flight: Escape is a key while signing in
		r.keys("Escape")
		r.m.SignedIn("1", errors.New("timeout"), r.now)
		r.m.SignedIn("1", nil, r.now)
		if r.m.Staff() != "" {
			t.Fatal("a second answer to one SignIn signed in")
		}
	})
}

func TestSignInBeforeStation(t *testing.T) {
	m := New(Options{})
	now := time.Now()
	for _, k := range []string{"1", "KP_Enter", "2", "KP_Enter"} {
		if fx := m.Key(k, now); fx != nil {
			t.Fatalf("%s: %v", k, fx)
		}
	}
	if co := m.View().Corner; co.SignIn != "pin" || co.Typed != "•" || co.MessageEN != "Cannot sign in: no answer from the server, try again" {
		t.Fatalf("corner %+v", co)
	}
	r := newRig(t, Options{})
	m.SetStation(r.station(nil), now)
	if fx := m.Key("KP_Enter", now); !reflect.DeepEqual(fx, []Effect{SignIn{Staff: "1", PIN: "2"}}) {
		t.Fatalf("Enter again: %v", fx)
	}
}

// signedIn is a rig with nv1 signed in at the station.
func signedIn(t *testing.T) *rig {
	r := newRig(t, Options{StaffPrefix: "nv"})
	r.keys("1 KP_Enter 1 2 3 4 KP_Enter")
	r.m.SignedIn("nv1", nil, r.now)
	return r
}

func TestActions(t *testing.T) {
	ticket := &client.Ticket{ID: "t1", Number: "A012"}
	refused := func(code string) error { return &client.Error{Status: 409, Code: code} }
	cases := []struct {
		key    string
		action Action
		answer *client.Ticket
		err    error
		msg    string
		msgEN  string
		ok     bool
	}{
		{"+", ActNext, ticket, nil, "+ → Gọi số tiếp: A012", "+ → Next: A012", true},
		{"+", ActNext, nil, nil, "+ → Gọi số tiếp: không còn ai chờ", "+ → Next: nobody waiting", true},
		{"*", ActRecall, ticket, nil, "* → Gọi lại: A012", "* → Recall: A012", true},
		{"0", ActStart, ticket, nil, "0 → Bắt đầu phục vụ: A012", "0 → Start: A012", true},
		{"KP_Enter", ActDone, ticket, nil, "Enter → Xong: A012", "Enter → Done: A012", true},
		{"-", ActNoShow, ticket, nil, "- → Vắng mặt: A012", "- → No-show: A012", true},
		{"/", ActPause, nil, nil, "/ → Tạm nghỉ: xong", "/ → Pause: done", true},
		{".", ActOpen, nil, nil, ". → Mở quầy: xong", ". → Open: done", true},
		{"+", ActNext, nil, refused("counter_not_open"), "+ → Gọi số tiếp: quầy chưa mở", "+ → Next: the counter is not open", false},
		{"+", ActNext, nil, refused("just_called"), "+ → Gọi số tiếp: vừa gọi số, chờ vài giây", "+ → Next: just called, wait a few seconds", false},
		{"KP_Enter", ActDone, nil, refused("no_current_ticket"), "Enter → Xong: không có số nào ở quầy", "Enter → Done: no ticket at the counter", false},
		{"0", ActStart, nil, refused("bad_transition"), "0 → Bắt đầu phục vụ: không làm được lúc này", "0 → Start: not possible now", false},
		{"/", ActPause, nil, refused("counter_busy"), "/ → Tạm nghỉ: quầy còn số chưa xong", "/ → Pause: a ticket is still open at the counter", false},
		{"+", ActNext, nil, &client.Error{Status: 403, Code: "not_your_counter"}, "+ → Gọi số tiếp: không được phép ở quầy này", "+ → Next: not allowed at this counter", false},
		{"+", ActNext, nil, &client.Error{Status: 429, Code: "rate_limited"}, "+ → Gọi số tiếp: bấm quá nhanh, chờ một chút", "+ → Next: too fast, wait a moment", false},
		{"+", ActNext, nil, errors.New("connection reset"), "+ → Gọi số tiếp: mất kết nối máy chủ, bấm lại", "+ → Next: no answer from the server, press again", false},
		{"+", ActNext, nil, &client.Error{Status: 502}, "+ → Gọi số tiếp: mất kết nối máy chủ, bấm lại", "+ → Next: no answer from the server, press again", false},
		{"+", ActNext, nil, refused("odd"), "+ → Gọi số tiếp: bị từ chối (odd)", "+ → Next: refused (odd)", false},
	}
	for _, c := range cases {
		t.Run(c.msgEN, func(t *testing.T) {
			r := signedIn(t)
			fx := r.keys(c.key)
			if len(fx) != 1 {
				t.Fatalf("effects %v", fx)
			}
			a := fx[0].(Act)
			if a.Action != c.action || a.Press != c.key || a.Key == "" {
				t.Fatalf("act %+v", a)
			}
			if co := r.m.View().Corner; !strings.HasSuffix(co.Message, "…") || !co.OK || co.SignIn != "" {
				t.Fatalf("while sending: %+v", co)
			}
			// pressed again while in flight: ignored, and said so
			if fx := r.keys(c.key); fx != nil {
				t.Fatalf("a doubled press acted: %v", fx)
			}
			if co := r.m.View().Corner; !strings.Contains(co.MessageEN, "still sending") || co.OK {
				t.Fatalf("doubled press: %+v", co)
			}
			if fx := r.m.Acted(a.Key, c.answer, c.err, r.now); fx != nil {
				t.Fatalf("effects %v", fx)
			}
			co := r.m.View().Corner
			if co.Message != c.msg || co.MessageEN != c.msgEN || co.OK != c.ok {
				t.Fatalf("corner %+v", co)
			}
			// the answer given again (a retry's) changes nothing
			r.m.Acted(a.Key, nil, errors.New("late"), r.now)
			if r.m.View().Corner != co {
				t.Fatal("a second answer changed the corner")
			}
			// answered: the next press is a new press with a new key
			fx2 := r.keys(c.key)
			if len(fx2) != 1 || fx2[0].(Act).Key == a.Key {
				t.Fatalf("next press %v", fx2)
			}
		})
	}
}

func TestActionsApart(t *testing.T) {
	r := signedIn(t)
	fx := r.keys("+ KP_Enter + * 0")
	var got []string
	for _, f := range fx {
		a := f.(Act)
		got = append(got, fmt.Sprintf("%s/%s", a.Action, a.Key))
	}
	// + pressed twice while next is in flight acts once; other actions go
	if !reflect.DeepEqual(got, []string{"next/k1", "done/k2", "recall/k3", "start/k4"}) {
		t.Fatalf("acts %v", got)
	}
	// two keys mapped to one action share its flight
	r2 := newRig(t, Options{Keys: KeyMap{"F1": ActNext, "+": ActNext, "F9": ActSignOut}})
	r2.keys("1 KP_Enter 1 KP_Enter")
	r2.m.SignedIn("1", nil, r2.now)
	if fx := r2.keys("F1 +"); len(fx) != 1 {
		t.Fatalf("acts %v", fx)
	}
	if co := r2.m.View().Corner; co.MessageEN != "+ → Next: still sending, wait for the answer" {
		t.Fatalf("corner %+v", co)
	}
}

func TestSignedInKeys(t *testing.T) {
	r := signedIn(t)
	// unmapped keys say so and send nothing
	if fx := r.keys("F5"); fx != nil {
		t.Fatal(fx)
	}
	if co := r.m.View().Corner; co.Message != "Phím F5 chưa được gán việc" || co.MessageEN != "Key F5 does nothing" || co.OK {
		t.Fatalf("corner %+v", co)
	}
	// a digit mapped to an action acts once signed in
	fx := r.keys("0")
	if len(fx) != 1 || fx[0].(Act).Action != ActStart {
		t.Fatalf("0: %v", fx)
	}
	// the sign-out key: SignOut at once, in-flight answers forgotten
	inflight := fx[0].(Act).Key
	if fx := r.keys("7"); !reflect.DeepEqual(fx, []Effect{SignOut{}}) {
		t.Fatalf("sign out: %v", fx)
	}
	co := r.m.View().Corner
	if r.m.Staff() != "" || co.SignIn != "staff" || co.Message != "7 → Đã đăng xuất" || co.MessageEN != "7 → Signed out" {
		t.Fatalf("after sign-out: %q %+v", r.m.Staff(), co)
	}
	r.m.Acted(inflight, &client.Ticket{Number: "A001"}, nil, r.now)
	if r.m.View().Corner != co {
		t.Fatal("an answer after sign-out changed the corner")
	}
	// now digits type again
	if fx := r.keys("0"); fx != nil || r.m.View().Corner.Typed != "0" {
		t.Fatalf("typing after sign-out: %v %+v", fx, r.m.View().Corner)
	}
}

func TestSessionExpired(t *testing.T) {
	for _, code := range []string{client.CodeInvalidSession, client.CodeUnauthenticated} {
		r := signedIn(t)
		a := r.keys("+")[0].(Act)
		fx := r.m.Acted(a.Key, nil, &client.Error{Status: 401, Code: code}, r.now)
		if !reflect.DeepEqual(fx, []Effect{SignOut{Expired: true}}) {
			t.Fatalf("%s: %v", code, fx)
		}
		co := r.m.View().Corner
		if r.m.Staff() != "" || co.SignIn != "staff" || co.MessageEN != "Your session has ended: sign in again" || co.OK {
			t.Fatalf("%s: %+v", code, co)
		}
	}
}

// Every note the corner can show has words in both languages, and every
// refusal code of a counter action has its own words.
func TestCornerWords(t *testing.T) {
	m := New(Options{})
	for k := noteUnknownKey; k <= noteWaitSign; k++ {
		vi, en := m.words(note{kind: k, key: "F1", action: ActNext, code: "x", staff: "nv1"})
		if vi == "" || en == "" || vi == en {
			t.Errorf("note %d: %q / %q", k, vi, en)
		}
	}
	for _, code := range []string{client.CodeNobodyWaiting, client.CodeCounterNotOpen, client.CodeNoCurrentTicket, client.CodeBadTransition,
		client.CodeCounterBusy, client.CodeJustCalled, client.CodeNotYourCounter, client.CodeRateLimited, client.CodeUnavailable, "network"} {
		if vi, en := refusal(code); strings.Contains(vi, code) || strings.Contains(en, code) {
			t.Errorf("%s: no words of its own: %q / %q", code, vi, en)
		}
	}
}
