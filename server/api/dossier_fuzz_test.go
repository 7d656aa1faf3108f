package api

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"luot/server/client"
	"luot/server/dossier"
	"luot/server/queue"
)

// FuzzDecodeReceive: a counter's dossier is refused with a 400, or is
// one whose every text is clean, within its limits, with distinct paper
// ids.
func FuzzDecodeReceive(f *testing.F) {
	addSeeds(f,
		`{"procedure":"XD-01","applicant":{"name":"Nguyễn Văn An","phone":"0903 123 456","id_number":"001234567890","address":"12 Lê Lợi"},"papers":["don","ban-ve"]}`,
		`{"procedure":"HT-01","applicant":{"name":"Trần Thị Bình"},"papers":["to-khai"],"extra":["Bản sao hộ khẩu",""]}`,
		`{"procedure":"XD-01","applicant":{"name":"An"},"refuse":"Thiếu bản vẽ\nthiết kế"}`,
		`{"procedure":"xd-01","applicant":{"name":"An","id_number":"0012 3456 7890"}}`,
		`{"procedure":"XD-01","applicant":{"name":"<b>An</b>"}}`,
		`{"procedure":"XD-01","applicant":{"name":"An\u202e"}}`,
		`{"procedure":"x'); DROP TABLE dossiers; --","applicant":{"name":"An"}}`,
		`{"procedure":"XD-01","applicant":{"name":"An"},"papers":["don","don"]}`,
		`{"procedure":"XD-01","applicant":{"name":"An","address":"a\nb"}}`,
		`{"procedure":"XD-01","applicant":{"name":"An","phone":"12345"}}`,
		`{"procedure":"XD-01","applicant":{"name":"An"},"status":"completed"}`,
		`{"procedure":"XD-01","applicant":{"name":7}}`,
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := decodeReceive(data)
		if err != nil {
			mustBe400(t, err)
			return
		}
		if procedureCode(b.Procedure) != nil || b.Applicant.Name == "" || strings.ContainsAny(b.Applicant.Name, "<>\n") || !utf8.ValidString(b.Applicant.Name) {
			t.Fatalf("accepted %+v", b)
		}
		if len(b.Applicant.IDNumber) > maxIDNumber || strings.ContainsAny(b.Applicant.IDNumber, " \t") || strings.ContainsAny(b.Applicant.Address, "\n\t") {
			t.Fatalf("accepted %+v", b.Applicant)
		}
		if b.Applicant.Phone != "" {
			if _, err := queue.NormalizePhone(b.Applicant.Phone); err != nil {
				t.Fatalf("accepted phone %q: %v", b.Applicant.Phone, err)
			}
		}
		if len(b.Papers) > dossier.MaxPapers || len(slices.Compact(slices.Sorted(slices.Values(b.Papers)))) != len(b.Papers) {
			t.Fatalf("accepted papers %q", b.Papers)
		}
		for _, p := range b.Papers {
			if !queue.ValidID(p) {
				t.Fatalf("accepted paper %q", p)
			}
		}
		for _, x := range b.Extra {
			if x == "" || utf8.RuneCountInString(x) > maxExtraLen {
				t.Fatalf("accepted extra %q", x)
			}
		}
		if utf8.RuneCountInString(b.Refuse) > dossier.MaxNote {
			t.Fatalf("accepted a reason of %d characters", utf8.RuneCountInString(b.Refuse))
		}
	})
}

// FuzzDecodeDossierAction: an action's body is refused with a 400, or has
// clean texts within the limits, a valid department (or none), and dates
// that are zero or read from what was sent.
func FuzzDecodeDossierAction(f *testing.F) {
	addSeeds(f,
		`{"what":"Bản vẽ mặt cắt","by":"2026-12-04"}`, `{"new_due":"2027-01-08","note":"Xin lỗi"}`,
		`{"department":"tu-phap","note":"Chuyển"}`, `{"result":"Giấy phép số 123","version":3}`,
		`{"reason":"Công dân rút"}`, `{"by":"2026-12-04T17:00:00+07:00","what":"x"}`, `{"by":"2026-02-30"}`,
		`{"by":"mai"}`, `{"version":-1}`, `{"department":"Công an"}`, `{"note":"a\u0000b"}`, `{"new_due":"99999-01-01"}`,
	)
	loc := time.FixedZone("ICT", 7*3600)
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := decodeDossierAction(data, loc)
		if err != nil {
			mustBe400(t, err)
			return
		}
		for _, s := range []string{a.Note, a.Reason, a.What, a.Result} {
			if !utf8.ValidString(s) || utf8.RuneCountInString(s) > dossier.MaxNote || strings.ContainsRune(s, 0) {
				t.Fatalf("accepted %q", s)
			}
		}
		if a.Department != "" && !queue.ValidID(a.Department) || a.Version < 0 {
			t.Fatalf("accepted %+v", a.DossierActionBody)
		}
		if a.by.IsZero() != (strings.TrimSpace(a.By) == "") || a.newDue.IsZero() != (strings.TrimSpace(a.NewDue) == "") {
			t.Fatalf("dates %q %q read as %v %v", a.By, a.NewDue, a.by, a.newDue)
		}
	})
}

// FuzzDecodeApplicant: a look-up or a rating is refused with a 400, or
// carries exactly one proof (a token of printable ASCII, or 4 digits) and
// a rating's score of 1 to 4.
func FuzzDecodeApplicant(f *testing.F) {
	addSeeds(f,
		`{"k":"nfo83OHqdkmc85-h8RFn0jV5-yemzbpx6Lh4dAcRItg"}`, `{"phone4":"3456"}`, `{"phone4":" 3456 "}`, `{"phone4":"34a6"}`,
		`{"phone4":"١٢٣٤"}`, `{"k":"x","phone4":"3456"}`, `{}`, `{"k":"khóa"}`,
		`{"k":"x","score":4,"comment":"Nhanh"}`, `{"phone4":"3456","score":5}`, `{"phone4":"3456","score":1,"comment":"a\u202eb"}`,
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(b ApplicantAuthBody) {
			if (b.K == "") == (b.Phone4 == "") || len(b.K) > 128 || !printableASCII(b.K) {
				t.Fatalf("accepted %+v", b)
			}
			if b.Phone4 != "" && (len(b.Phone4) != 4 || strings.Trim(b.Phone4, "0123456789") != "") {
				t.Fatalf("accepted phone4 %q", b.Phone4)
			}
		}
		if b, err := decodeLookup(data); err != nil {
			mustBe400(t, err)
		} else {
			check(b)
		}
		if b, err := decodeDossierRating(data); err != nil {
			mustBe400(t, err)
		} else {
			check(b.ApplicantAuthBody)
			if b.Score < 1 || b.Score > 4 || utf8.RuneCountInString(b.Comment) > MaxComment {
				t.Fatalf("accepted %+v", b)
			}
		}
	})
}

// FuzzDecodePickup: a kiosk's pickup is refused with a 400, or names a
// well-formed dossier code (as the kiosk's client reads codes) and a
// token of printable ASCII.
func FuzzDecodePickup(f *testing.F) {
	addSeeds(f,
		`{"code":"TP-261127-0001"}`, `{"code":" tp-261127-0001 ","k":"abc"}`, `{"code":"TP-261127-12345"}`,
		`{"code":"TP-261127-001"}`, `{"code":"B012"}`, `{"code":"TP-261327-0001"}`, `{"code":"TP-261127-0001","k":"khóa"}`,
		`{"code":"ABCDEFGHIJK-261127-0001"}`, `{"code":"https://luot.example.vn/hs/TP-261127-0001?k=x"}`,
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := decodePickup(data)
		if err != nil {
			mustBe400(t, err)
			return
		}
		if !client.ValidDossierCode(b.Code) || len(b.K) > 128 || !printableASCII(b.K) {
			t.Fatalf("accepted %+v", b)
		}
		if _, _, _, err := dossier.ParseCode(b.Code); err != nil {
			t.Fatalf("accepted %q, which the domain refuses: %v", b.Code, err)
		}
	})
}

// FuzzDecodeDossierPrint: a print request is refused with a 400, or is of
// a known kind at a valid counter (or the session's).
func FuzzDecodeDossierPrint(f *testing.F) {
	addSeeds(f, `{"counter":"q1","kind":"receipt"}`, `{"kind":"apology"}`, `{}`, `{"kind":"poster"}`, `{"counter":"Quầy 1"}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := decodeDossierPrint(data)
		if err != nil {
			mustBe400(t, err)
			return
		}
		if b.Kind != "receipt" && b.Kind != "apology" || b.Counter != "" && !queue.ValidID(b.Counter) {
			t.Fatalf("accepted %+v", b)
		}
	})
}

// FuzzParseDossierQuery: the staff list's query is refused with a 400, or
// selects known statuses, valid departments, a page within bounds.
func FuzzParseDossierQuery(f *testing.F) {
	for _, s := range []string{"", "status=processing,completed&late=1", "department=qldt&procedure=XD-01&q=Nguy%E1%BB%85n&limit=20&offset=40",
		"status=done", "late=yes", "limit=-1", "limit=501", "offset=99999999999999999999", "status=processing&status=completed", "q=" + strings.Repeat("a", 201), "%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		lq, err := parseDossierQuery(q)
		if err != nil {
			mustBe400(t, err)
			return
		}
		for _, s := range lq.filter.Statuses {
			if !slices.Contains(dossier.Statuses, s) {
				t.Fatalf("accepted status %q", s)
			}
		}
		for _, d := range lq.filter.Departments {
			if !queue.ValidID(d) {
				t.Fatalf("accepted department %q", d)
			}
		}
		if lq.limit < 1 || lq.limit > maxDossierPage || lq.offset < 0 || lq.offset > maxDossierScan || len(lq.text) > 200 {
			t.Fatalf("accepted %+v", lq)
		}
	})
}
