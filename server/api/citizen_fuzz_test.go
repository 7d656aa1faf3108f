package api

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"luot/server/queue"
)

// mustRefuse accepts a 400 refusal, or 401 for a missing token.
func mustRefuse(t *testing.T, err error) {
	var ae *Error
	if !errors.As(err, &ae) || (ae.Status != 400 && ae.Status != 401) || ae.Code == "" || ae.Message == "" {
		t.Fatalf("refusal is not a 400/401 API error: %#v", err)
	}
}

func checkCitizenName(t *testing.T, n string) {
	if n == "" || !utf8.ValidString(n) || utf8.RuneCountInString(n) > MaxCitizenName || strings.ContainsAny(n, "<>") || n != strings.TrimSpace(n) || queue.CheckName("name", n, true) != nil {
		t.Fatalf("accepted name %q", n)
	}
}

func checkPhone(t *testing.T, p string) {
	if len(p) != 12 || !strings.HasPrefix(p, "+84") || strings.Trim(p[1:], "0123456789") != "" {
		t.Fatalf("accepted phone %q", p)
	}
}

var citizenSeeds = []string{
	`{"service":"ho-tich","phone":"0912345678","name":"Nguyễn Văn A"}`,
	`{"service":"ho-tich","phone":"+84 912 345 678","name":"Trần Thị B"}`,
	`{"service":"ho-tich","phone":"0212345678","name":"A"}`,
	`{"service":"ho-tich","phone":"0912345678","name":"A","code":"123456"}`,
	`{"service":"ho-tich","phone":"0912345678","name":"A","code":"12a456"}`,
	`{"service":"ho-tich","phone":"0912345678","name":"A","code":"１２３４５６"}`,
	`{"service":"ho-tich","phone":"0912345678","name":"<script>alert(1)</script>"}`,
	`{"service":"ho-tich","phone":"0912345678","name":"` + strings.Repeat("Ư", 101) + `"}`,
	`{"service":"ho-tich","date":"2026-11-27","slot":"09:00","name":"A","phone":"0912345678"}`,
	`{"service":"ho-tich","date":"27/11/2026","slot":"9h","name":"A","phone":"0912345678"}`,
	`{"phone":"0912345678"}`, `{"phone":"０９１２３４５６７８"}`, `{"code":"acef-gh"}`, `{"code":"ACEFG0"}`,
	`{"token":"abc"}`, `{"token":""}`, `{"token":"abc","score":4,"comment":"Rất hài lòng"}`,
	`{"token":"abc","score":5}`, `{"token":"abc","score":1,"comment":"a\u0000b"}`,
	`{"service":"xay-dung","date":"2026-11-27","slot":"+9:00","name":"A","phone":"0912345678"}`,
	`{"service":"xay-dung","date":"2026-11-27","slot":"10:-0","name":"A","phone":"0912345678"}`,
	`{"service":"xay-dung","date":"2026-11-27","slot":"０９:００","name":"A","phone":"0912345678"}`,
	`{"service":"ho-tich","phone":"0912345678","name":"\u202eNguyễn Lan"}`,
	`{"service":"ho-tich","phone":"0912345678","name":"Lan 👩\u200d💻"}`,
	`{"service":"ho-tich","phone":"0912345678","name":"\ufeffLan\u200b"}`,
	`{"token":"abc","score":2,"comment":"Tốt\u2066\n👩\u200d💻"}`,
}

func FuzzDecodeRemoteTicket(f *testing.F) {
	addSeeds(f, citizenSeeds...)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := decodeRemoteTicket(data)
		if err != nil {
			mustBe400(t, err)
			return
		}
		if !queue.ValidID(b.Service) {
			t.Fatalf("accepted %+v", b)
		}
		checkCitizenName(t, b.Name)
		checkPhone(t, b.Phone)
		if b.Code != "" && !isDigits(b.Code, codeDigits) {
			t.Fatalf("accepted code %q", b.Code)
		}
	})
}

func FuzzDecodeBooking(f *testing.F) {
	addSeeds(f, citizenSeeds...)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := decodeBooking(data)
		if err != nil {
			mustBe400(t, err)
			return
		}
		if m, err := queue.ParseClock(b.Slot); err != nil || queue.FormatClock(m) != b.Slot || !queue.ValidID(b.Service) || len(b.Date) != 10 {
			t.Fatalf("accepted %+v", b)
		}
		checkCitizenName(t, b.Name)
		checkPhone(t, b.Phone)
	})
}

func FuzzDecodeBookingToken(f *testing.F) {
	addSeeds(f, citizenSeeds...)
	addSeeds(f, `{"token":"`+strings.Repeat("t", 43)+`"}`, `{"token":"`+strings.Repeat("t", 129)+`"}`, `{"token":""}`, `{"phone":"0912345678","token":"x"}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := decodeBookingToken(data)
		if err != nil {
			mustRefuse(t, err)
			return
		}
		if b.Token == "" || len(b.Token) > 128 {
			t.Fatalf("accepted %+v", b)
		}
	})
}

func FuzzDecodeCheckin(f *testing.F) {
	addSeeds(f, citizenSeeds...)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := decodeCheckin(data)
		if err != nil {
			mustBe400(t, err)
			return
		}
		if !queue.ValidBookingCode(b.Code) {
			t.Fatalf("accepted %+v", b)
		}
	})
}

func FuzzDecodeToken(f *testing.F) {
	addSeeds(f, citizenSeeds...)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := decodeToken(data)
		if err != nil {
			mustRefuse(t, err)
			return
		}
		if b.Token == "" || len(b.Token) > 128 {
			t.Fatalf("accepted %+v", b)
		}
	})
}

func FuzzDecodeRating(f *testing.F) {
	addSeeds(f, citizenSeeds...)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := decodeRating(data)
		if err != nil {
			mustRefuse(t, err)
			return
		}
		if b.Token == "" || b.Score < 1 || b.Score > 4 || utf8.RuneCountInString(b.Comment) > MaxComment || queue.CheckComment("comment", b.Comment, MaxComment) != nil {
			t.Fatalf("accepted %+v", b)
		}
	})
}
