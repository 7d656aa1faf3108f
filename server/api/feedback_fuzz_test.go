package api

import (
	"bytes"
	"errors"
	"mime/multipart"
	"net/textproto"
	"strings"
	"testing"
	"unicode/utf8"

	"luot/server/feedback"
	"luot/server/queue"
)

// fuzzBoundary is the boundary of the fuzzed bodies.
const fuzzBoundary = "luotB"

// formSeed encodes fields (name, value; a name starting with "@" is a
// file part) with the fuzz boundary.
func formSeed(fields ...string) []byte {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.SetBoundary(fuzzBoundary)
	for i := 0; i+1 < len(fields); i += 2 {
		name, v := fields[i], fields[i+1]
		h := textproto.MIMEHeader{}
		if file, ok := strings.CutPrefix(name, "@"); ok {
			h.Set("Content-Disposition", `form-data; name="`+file+`"; filename="a.jpg"`)
		} else {
			h.Set("Content-Disposition", `form-data; name="`+name+`"`)
		}
		w, _ := mw.CreatePart(h)
		w.Write([]byte(v))
	}
	mw.Close()
	return b.Bytes()
}

func reportFormSeeds() [][]byte {
	good := []string{"category", "xay-dung", "description", "Công trình lấn vỉa hè", "lat", "10.775", "lon", "106.7", "accuracy", "12",
		"address", "12 Lê Lợi", "name", "Nguyễn Văn Bình", "phone", "0903123456", "@photo", "\xff\xd8\xff\xe0JFIF"}
	return [][]byte{
		formSeed(good...),
		formSeed("category", "moi-truong", "description", "Rác", "address", "Chợ", "anonymous", "1", "name", "X", "phone", "1"),
		formSeed("category", "x'); DROP TABLE reports; --", "description", "<script>alert(1)</script>", "lat", "NaN", "lon", "Inf"),
		formSeed("category", "xay-dung", "description", "a\u202eb", "lat", "91", "lon", "0"),
		formSeed("category", "xay-dung", "category", "do-thi", "description", "x", "address", "y"),
		formSeed("vip", "1"),
		formSeed("@photo", "1", "@photo", "2", "@photo", "3", "@photo", "4", "@photo", "5", "@photo", "6"),
		formSeed("@description", "x"),
		formSeed("description", strings.Repeat("ư", 4001)),
		formSeed("address", "a\nb", "description", "x", "category", "a"),
		[]byte("--" + fuzzBoundary + "\r\nContent-Disposition: form-data; name=\"category\"\r\n\r\nxay-dung"),
		[]byte("--" + fuzzBoundary + "--\r\n"),
		[]byte("not multipart"),
		{},
	}
}

// FuzzDecodeReportForm: any body is either a checked report form or a
// refusal with a status, a code and a message; the photos handed on are
// at most five and each at most the limit.
func FuzzDecodeReportForm(f *testing.F) {
	for _, s := range reportFormSeeds() {
		f.Add(s)
	}
	const maxPhoto = 64
	f.Fuzz(func(t *testing.T, body []byte) {
		n := 0
		form, err := decodeReportForm(multipart.NewReader(bytes.NewReader(body), fuzzBoundary), feedback.MaxPhotos, maxPhoto, func(b []byte) error {
			n++
			if len(b) == 0 || len(b) > maxPhoto {
				t.Fatalf("a photo of %d bytes was handed on", len(b))
			}
			return nil
		})
		if n > feedback.MaxPhotos {
			t.Fatalf("%d photos handed on", n)
		}
		if err != nil {
			var ae *Error
			if !errors.As(err, &ae) || ae.Status < 400 || ae.Status > 499 || ae.Code == "" || ae.Message == "" {
				t.Fatalf("refusal is not a 4xx API error: %#v", err)
			}
			return
		}
		if form.Photos != n || !queue.ValidID(form.Category) || form.Description == "" || utf8.RuneCountInString(form.Description) > feedback.MaxDescription || !utf8.ValidString(form.Description) {
			t.Fatalf("accepted %+v", form)
		}
		if form.Point == nil && form.Address == "" || form.Point != nil && !form.Point.Valid() {
			t.Fatalf("accepted a place %+v", form)
		}
		if strings.ContainsAny(form.Address, "\n\t") || form.Anonymous && (form.Name != "" || form.Phone != "") {
			t.Fatalf("accepted %+v", form)
		}
		if form.Phone != "" {
			checkPhone(t, form.Phone)
		}
		if form.Name != "" {
			checkCitizenName(t, form.Name)
		}
	})
}

// FuzzDecodeAction: a staff action's body is checked or refused.
func FuzzDecodeAction(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"reason":"Không đủ thông tin"}`, `{"unit":"qldt"}`, `{"duplicate_of":"PA-2612-00042"}`,
		`{"text":"Đã xử lý","photos":["` + strings.Repeat("a", 64) + `"]}`, `{"photo":"../x"}`, `{"reason":"a\u202eb"}`,
		`{"photos":["a","b","c","d","e","f"]}`, `{"unit":"<b>"}`, `{"x":1}`, `[]`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := decodeAction(data)
		if err != nil {
			mustRefuse(t, err)
			return
		}
		if len(b.Photos) > feedback.MaxPhotos || b.Unit != "" && !queue.ValidID(b.Unit) || b.DuplicateOf != "" && !feedback.ValidCode(b.DuplicateOf) {
			t.Fatalf("accepted %+v", b)
		}
		for _, h := range append(b.Photos, b.Photo) {
			if h != "" && !validHash(h) {
				t.Fatalf("accepted photo %q", h)
			}
		}
	})
}
