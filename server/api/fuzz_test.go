package api

import (
	"errors"
	"testing"
	"unicode/utf8"

	"luot/server/queue"
)

// Each decoder must never panic, and must either refuse with a 400 *Error
// or return values that pass the checks the handlers rely on.

var commonSeeds = []string{
	``, `{}`, `null`, `[]`, `{"a":1}`, `{"service":"ho-tich"}{}`, "{\"service\":\"\xff\"}",
	`{"service":"x'); DROP TABLE tickets; --"}`, `{"name":"Nguyễn Thị Ánh 👵🏽"}`, `{"service":1e999}`,
	`{"service":"ho-tich","service":"xay-dung"}`, ` {"number":"a001"} `, `{"to_end":"yes"}`,
}

func addSeeds(f *testing.F, extra ...string) {
	for _, s := range append(commonSeeds, extra...) {
		f.Add([]byte(s))
	}
}

func mustBe400(t *testing.T, err error) {
	var ae *Error
	if !errors.As(err, &ae) || ae.Status != 400 || ae.Code == "" || ae.Message == "" {
		t.Fatalf("refusal is not a 400 API error: %#v", err)
	}
}

func FuzzDecodeIssue(f *testing.F) {
	addSeeds(f, `{"service":"ho-tich","priority":"elderly"}`, `{"service":"ho-tich","priority":"none"}`, `{"service":"A","priority":"vip"}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := decodeIssue(data)
		if err != nil {
			mustBe400(t, err)
			return
		}
		if !queue.ValidID(b.Service) || !b.Priority.Valid() {
			t.Fatalf("accepted %+v", b)
		}
	})
}

func FuzzDecodeSession(f *testing.F) {
	addSeeds(f, `{"office":"hcm","counter":"q1","staff":"nv1","pin":"1234"}`, `{"office":"hcm","staff":"admin","pin":"1234"}`,
		`{"office":"hcm","counter":"q1","staff":"nv1' OR '1'='1","pin":"1"}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := decodeSession(data)
		if err != nil {
			mustBe400(t, err)
			return
		}
		if !queue.ValidID(b.Office) || !queue.ValidID(b.Staff) || (b.Counter != "" && !queue.ValidID(b.Counter)) || b.PIN == "" || len(b.PIN) > maxPIN {
			t.Fatalf("accepted %+v", b)
		}
	})
}

func FuzzDecodeTransfer(f *testing.F) {
	addSeeds(f, `{"service":"chung-thuc","counter":"","to_end":true}`, `{"counter":"q2"}`, `{"to_end":false}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := decodeTransfer(data)
		if err != nil {
			mustBe400(t, err)
			return
		}
		if (b.Service == "" && b.Counter == "") || (b.Service != "" && !queue.ValidID(b.Service)) || (b.Counter != "" && !queue.ValidID(b.Counter)) {
			t.Fatalf("accepted %+v", b)
		}
	})
}

func FuzzDecodeCall(f *testing.F) {
	addSeeds(f, `{"number":"A001"}`, `{"number":" 1023 "}`, `{"number":"Ａ００１"}`, `{"number":""}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := decodeCall(data)
		if err != nil {
			mustBe400(t, err)
			return
		}
		if b.Number == "" || len(b.Number) > 12 {
			t.Fatalf("accepted %+v", b)
		}
		for _, r := range b.Number {
			if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
				t.Fatalf("accepted %q", b.Number)
			}
		}
	})
}

func FuzzDecodeEmpty(f *testing.F) {
	addSeeds(f, `   `, `{ }`)
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := decodeEmpty(data); err != nil {
			mustBe400(t, err)
		}
	})
}

func FuzzDecodeDevice(f *testing.F) {
	addSeeds(f, `{"name":"Ki-ốt sảnh 🖨️","kind":"kiosk"}`, `{"name":"Màn hình","kind":"display"}`, "{\"name\":\"a\\u0000b\",\"kind\":\"kiosk\"}",
		`{"name":"Nguye\u0302\u0303n","kind":"display"}`, `{"id":"kiosk-hall","name":"Sảnh","kind":"kiosk"}`,
		`{"id":"Kiosk 1","name":"a","kind":"kiosk"}`, `{"id":"../x","name":"a","kind":"kiosk"}`, `{"id":7,"name":"a","kind":"kiosk"}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := decodeDevice(data)
		if err != nil {
			mustBe400(t, err)
			return
		}
		if err := queue.CheckName("n", b.Name, true); err != nil || !utf8.ValidString(b.Name) {
			t.Fatalf("accepted name %q: %v", b.Name, err)
		}
		if b.Kind != queue.DeviceKiosk && b.Kind != queue.DeviceDisplay {
			t.Fatalf("accepted kind %q", b.Kind)
		}
		if b.ID != "" && !queue.ValidID(b.ID) {
			t.Fatalf("accepted id %q", b.ID)
		}
	})
}

func FuzzDecodeStatus(f *testing.F) {
	addSeeds(f, `{"status":"paper_end","message":"Máy in hết giấy"}`, `{"status":"ok"}`, `{"status":"<script>","message":""}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := decodeStatus(data)
		if err != nil {
			mustBe400(t, err)
			return
		}
		if !queue.ValidID(b.Status) || queue.CheckName("m", b.Message, false) != nil {
			t.Fatalf("accepted %+v", b)
		}
	})
}
