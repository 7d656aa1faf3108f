package api

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"luot/server/dossier"
)

// checkPutText: an accepted text is UTF-8, NFC, trimmed, without control
// characters but line breaks, and at most max characters.
func checkPutText(t *testing.T, field, s string, max int) {
	t.Helper()
	if !utf8.ValidString(s) || !norm.NFC.IsNormalString(s) || strings.TrimSpace(s) != s || utf8.RuneCountInString(s) > max {
		t.Fatalf("%s %q accepted", field, s)
	}
	for _, r := range s {
		if (r < ' ' && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			t.Fatalf("%s %q accepted with control character %U", field, s, r)
		}
	}
}

// FuzzDecodeDossierPut: a PUT's body is refused with a 400, or is a body
// whose every field is within bounds (known status and channel, times of
// this millennium, clean texts, checklist ids) and that decodes to itself
// when sent again.
func FuzzDecodeDossierPut(f *testing.F) {
	addSeeds(f,
		`{"procedure":"KD-01","applicant":{"name":"Nguyễn Văn An","phone":"0912 345 678"},"id_number":"001234567890","channel":"online","received_at":"2026-11-27T07:00:00+07:00","status":"received","papers":["giay-de-nghi"]}`,
		`{"status":"processing","status_at":"2026-11-27T08:00:00+07:00","department":"tu-phap","note":"Chuyển\nphòng"}`,
		`{"status":"needs_supplement","what":"Bản sao sổ đỏ","by":"2026-12-04T17:00:00+07:00"}`,
		`{"status":"completed","result":"Giấy phép"}`, `{"status":"lost"}`, `{"channel":"fax"}`,
		`{"received_at":"2026-11-27 07:00"}`, `{"received_at":"0001-01-01T00:00:00Z"}`, `{"status_at":"2026-13-01T00:00:00Z"}`,
		`{"applicant":{"name":"A\u0007B"}}`, `{"applicant":{"name":"Nguye\u0302n"}}`, `{"note":"\u2028"}`,
		`{"papers":["Giấy"]}`, `{"papers":null}`, `{"procedure":"KD 01"}`, `{"procedure":"`+strings.Repeat("A", 65)+`"}`,
		`{"applicant":null}`, `{"external":"G22.99-261127-0001"}`, `{"id_number":"`+strings.Repeat("9", 33)+`"}`,
		`{"department":"Phòng"}`, `{"new_due":"2026-12-01T17:00:00+07:00"}`, `{"secret":1}`, `{"status":1}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := decodeDossierPut(data)
		if err != nil {
			mustBe400(t, err)
			return
		}
		if b.Status != "" && !slices.Contains(dossier.Statuses, b.Status) {
			t.Fatalf("status %q accepted", b.Status)
		}
		switch b.Channel {
		case "", dossier.ChannelCounter, dossier.ChannelOnline, dossier.ChannelPost:
		default:
			t.Fatalf("channel %q accepted", b.Channel)
		}
		for _, tm := range []time.Time{b.SubmittedAt, b.ReceivedAt, b.StatusAt, b.By, b.NewDue} {
			if !tm.IsZero() && (tm.Year() < 2000 || tm.Year() > 2999) {
				t.Fatalf("time %v accepted", tm)
			}
		}
		checkPutText(t, "name", b.Applicant.Name, dossier.MaxName)
		checkPutText(t, "address", b.Applicant.Address, 200)
		for _, x := range []string{b.Note, b.Result, b.What} {
			checkPutText(t, "text", x, dossier.MaxNote)
		}
		for _, x := range []string{b.Procedure, b.External} {
			if len(x) > maxExternal || strings.ContainsFunc(x, func(r rune) bool { return r <= ' ' || r > '~' }) {
				t.Fatalf("code %q accepted", x)
			}
		}
		if !b.NewDue.IsZero() {
			t.Fatalf("new_due %v accepted", b.NewDue)
		}
		if len(b.Papers) > dossier.MaxPapers || len(b.IDNumber) > 32 {
			t.Fatalf("accepted %+v", b)
		}
		if b.Applicant.Phone != "" && !strings.HasPrefix(b.Applicant.Phone, "+84") {
			t.Fatalf("phone %q accepted", b.Applicant.Phone)
		}
		// Sent again as the province would, it decodes to itself.
		again, err := decodeDossierPut(encodePut(t, b))
		if err != nil {
			t.Fatalf("%+v does not decode again: %v", b, err)
		}
		if !reflect.DeepEqual(normTimes(again), normTimes(b)) {
			t.Fatalf("decoded again differs:\n%+v\n%+v", b, again)
		}
	})
}

// encodePut writes a decoded body as JSON again.
func encodePut(t *testing.T, b DossierPut) []byte {
	t.Helper()
	ts := func(tm time.Time) string {
		if tm.IsZero() {
			return ""
		}
		return tm.Format(time.RFC3339Nano)
	}
	body := dossierPutBody{Procedure: b.Procedure, IDNumber: b.IDNumber, Channel: string(b.Channel), External: b.External,
		SubmittedAt: ts(b.SubmittedAt), ReceivedAt: ts(b.ReceivedAt), Papers: b.Papers, Status: string(b.Status), StatusAt: ts(b.StatusAt),
		Department: b.Department, Note: b.Note, Result: b.Result, What: b.What, By: ts(b.By), NewDue: ts(b.NewDue)}
	if b.Applicant != (dossier.Applicant{}) {
		body.Applicant = &struct {
			Name    string `json:"name"`
			Phone   string `json:"phone"`
			Address string `json:"address"`
		}{b.Applicant.Name, b.Applicant.Phone, b.Applicant.Address}
	}
	j, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// normTimes makes times comparable by their instant.
func normTimes(b DossierPut) DossierPut {
	for _, tm := range []*time.Time{&b.SubmittedAt, &b.ReceivedAt, &b.StatusAt, &b.By, &b.NewDue} {
		if !tm.IsZero() {
			*tm = tm.UTC()
		}
	}
	return b
}

// FuzzDecodeDossierCSV: an import's file is refused whole with a 400, or
// is rows in the order of the file, numbered by their lines (after the
// header, each after the one before), each either refused with a 400 or
// within bounds; at most maxImportLines of them; never two rows with one
// code both accepted.
func FuzzDecodeDossierCSV(f *testing.F) {
	h := csvHeader
	for _, s := range []string{
		h + "TP-261127-0501,KD-01,Nguyễn Văn An,0912345678,001234567890,online,2026-11-27 07:10,received,,\n",
		h + ",HT-01,\"Trần Thị Bình, con\",,,counter,2026-11-27T07:20:00+07:00,,,\"Ghi\nchú\"\n",
		"\ufeff" + h + "TP-261127-0502,KD-01,A,,,post,,processing,tckh,\nTP-261127-0502,KD-01,A,,,post,,processing,tckh,\n",
		h + ",HT-01,A,,,,,,,\n,HT-01,A,,,,,,,\n", h, "", "code\n", "code,code\n",
		"note,department,status,received_at,channel,id_number,phone,name,procedure,code\n,,,,,,,A,KD-01,\n",
		h + "TP-1,KD-01,\"A,,,,,,,,\n", h + "a,b\n", h + "x,KD-01,A,12,,fax,yesterday,lost,Phòng,\x07\n",
		h + ",HT-01,Nguy\xe1n,,,,,,,\n", h + "\r\n,HT-01,A,,,,,,,\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, errs, err := DecodeDossierCSV(data, start.Location())
		if err != nil {
			mustBe400(t, err)
			return
		}
		if len(rows) == 0 || len(rows) > maxImportLines {
			t.Fatalf("%d rows accepted", len(rows))
		}
		last := 1
		codes := map[string]bool{}
		for _, r := range rows {
			if r.Line <= last {
				t.Fatalf("row at line %d after line %d", r.Line, last)
			}
			last = r.Line
			if e, bad := errs[r.Line]; bad {
				mustBe400(t, e)
				continue
			}
			if r.Code != "" {
				if codes[r.Code] {
					t.Fatalf("code %q accepted twice", r.Code)
				}
				codes[r.Code] = true
			}
			p := r.Put
			if !slices.Contains(dossier.Statuses, p.Status) || p.Channel == "" || (p.Status == dossier.StatusSubmitted && !p.ReceivedAt.IsZero()) {
				t.Fatalf("line %d accepted as %+v", r.Line, p)
			}
			checkPutText(t, "name", p.Applicant.Name, dossier.MaxName)
			checkPutText(t, "note", p.Note, dossier.MaxNote)
		}
		for l := range errs {
			if !slices.ContainsFunc(rows, func(r ImportRow) bool { return r.Line == l }) {
				t.Fatalf("an error for line %d, which is no row", l)
			}
		}
	})
}
