package api

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"luot/server/dossier"
)

const csvHeader = "code,procedure,name,phone,id_number,channel,received_at,status,department,note\n"

// importCSV posts a CSV with the token (a session or an integration key).
func (e *integEnv) importCSV(t testing.TB, tok, csv string) resp {
	t.Helper()
	return e.do(t, req{method: "POST", path: "/api/v1/dossiers/import", token: tok, body: csv, ctype: "text/csv; charset=utf-8"})
}

func (e *integEnv) count(t testing.TB) int {
	t.Helper()
	all, err := e.db.Dossiers(context.Background(), dossier.Filter{Office: office})
	if err != nil {
		t.Fatal(err)
	}
	return len(all)
}

func TestImportCreatesAllAndIsIdempotent(t *testing.T) {
	e := newIntegEnv(t)
	csv := "\ufeff" + csvHeader +
		"TP-261127-0501,KD-01,Nguyễn Văn An,0912345678,001234567890,online,2026-11-27 07:10,received,,\n" +
		",HT-01,\"Trần Thị Bình, con\",,,counter,2026-11-27 07:20,,,\n" +
		"TP-261127-0502,KD-01,Lê Văn Cường,,,post,2026-11-26T15:00:00+07:00,processing,,\"Nhận qua bưu điện\"\n" +
		"TP-261127-0503,HT-01,Phạm Thị Dung,,,online,2026-11-27 06:00,submitted,,\n" +
		"TP-261127-0504,HT-01,Hoàng Văn Em,,,counter,2026-11-27 07:30,refused,,Thiếu tờ khai\n"
	r := e.importCSV(t, e.adminTok, csv)
	if r.status != http.StatusOK {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	var a ImportAnswer
	r.decode(t, &a)
	if a != (ImportAnswer{Created: 5}) {
		t.Fatalf("answer %+v", a)
	}
	ctx := context.Background()
	d, err := e.db.Dossier(ctx, "TP-261127-0502")
	if err != nil || d.Status != dossier.StatusProcessing || d.Channel != dossier.ChannelPost || d.Department != "tckh" {
		t.Fatalf("processing line: %+v %v", d, err)
	}
	if d, _ := e.db.Dossier(ctx, "TP-261127-0503"); d.Status != dossier.StatusSubmitted || d.SubmittedAt.IsZero() {
		t.Fatalf("submitted line: %+v", d)
	}
	if d, _ := e.db.Dossier(ctx, "TP-261127-0504"); d.Status != dossier.StatusRefused || d.Reason != "Thiếu tờ khai" {
		t.Fatalf("refused line: %+v", d)
	}
	if n := e.count(t); n != 5 {
		t.Fatalf("%d dossiers", n)
	}
	// The same file again makes nothing new (the line without a code
	// neither).
	r = e.importCSV(t, e.adminTok, csv)
	r.decode(t, &a)
	if r.status != http.StatusOK || a != (ImportAnswer{Unchanged: 5}) || e.count(t) != 5 {
		t.Fatalf("again: %d %+v, %d dossiers", r.status, a, e.count(t))
	}
	// A later file moves them on, by the integration's key this time.
	r = e.importCSV(t, e.key, csvHeader+"TP-261127-0501,,,,,,,processing,,\nTP-261127-0503,,,,,,,received,,\n")
	r.decode(t, &a)
	if r.status != http.StatusOK || a != (ImportAnswer{Updated: 2}) {
		t.Fatalf("update: %d %s", r.status, r.body)
	}
	if h := e.history(t, "TP-261127-0501"); len(h) != 2 || h[1].Actor.ID != "motcua" {
		t.Fatalf("history %+v", h)
	}
	if au := e.audits(t, "dossiers_imported"); len(au) != 3 || au[0].Who != "integration:motcua" || au[2].Who != "admin" {
		t.Fatalf("audit %+v", au)
	}
	if au := e.audits(t, "dossier_import"); len(au) != 7 {
		t.Fatalf("%d dossier_import entries, want 7", len(au))
	}
}

func TestImportAllOrNothing(t *testing.T) {
	e := newIntegEnv(t)
	e.putOK(t, http.StatusCreated, "TP-261127-0601", newBody(start.Add(-time.Hour)))
	csv := csvHeader +
		"TP-261127-0602,KD-01,Nguyễn Văn An,,,online,2026-11-27 07:10,,,\n" + // line 2: good
		"TP-261127-0603,XX-01,Trần Bình,,,online,2026-11-27 07:10,,,\n" + // 3: unknown procedure
		"HN-261127-0001,KD-01,Lê Cường,,,online,2026-11-27 07:10,,,\n" + // 4: another office's code
		"TP-261127-0604,KD-01,Phạm Dung,12,,online,2026-11-27 07:10,,,\n" + // 5: bad phone
		"TP-261127-0602,KD-01,Nguyễn Văn An,,,online,2026-11-27 07:10,,,\n" + // 6: the same code twice
		"TP-261127-0605,KD-01,Hoàng Em,,,online,2026-11-28 07:10,,,\n" + // 7: received tomorrow
		"TP-261127-0601,,,,,,,returned,,\n" + // 8: no single step
		"TP-261127-0606,KD-01,\"Võ\nGiang\",,,online,yesterday,,,\n" + // 9–10: a bad time, a name over two lines
		"TP-261127-0607,KD-01,Đỗ Hà,,,online,2026-11-27 07:10,completed,,\n" // 11: new and completed
	before := e.count(t)
	r := e.importCSV(t, e.adminTok, csv)
	if r.status != http.StatusBadRequest || r.errCode(t) != "import_invalid" {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	var out struct {
		Lines []ImportLineError `json:"lines"`
	}
	r.decode(t, &out)
	got := map[int]string{}
	for _, l := range out.Lines {
		got[l.Line] = l.ErrCode
		if l.Message == "" {
			t.Errorf("line %d without a message", l.Line)
		}
	}
	want := map[int]string{3: "unknown_procedure", 4: "unknown_dossier", 5: "invalid_phone", 6: "duplicate_code", 7: "time_in_future", 8: "no_transition", 9: "invalid_time", 11: "invalid_status"}
	for l, c := range want {
		if got[l] != c {
			t.Errorf("line %d: %q, want %q (all: %v)", l, got[l], c, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("lines refused %v, want %v", got, want)
	}
	if n := e.count(t); n != before {
		t.Fatalf("a refused file stored %d dossiers", n-before)
	}
	// The messages follow the request's language.
	r = e.do(t, req{method: "POST", path: "/api/v1/dossiers/import", token: e.adminTok, body: csv, ctype: "text/csv", header: map[string]string{"Accept-Language": "vi"}})
	if !strings.Contains(string(r.body), "không") {
		t.Fatalf("Vietnamese answer: %s", r.body)
	}
}

func TestImportBadFiles(t *testing.T) {
	e := newIntegEnv(t)
	line := "TP-261127-0701,KD-01,Nguyễn Văn An,,,online,2026-11-27 07:10,,,\n"
	for _, c := range []struct {
		name, body, ctype string
		tok               string
		status            int
		err               string
	}{
		{"not CSV", `{"code":"x"}`, "application/json", "", http.StatusUnsupportedMediaType, "not_csv"},
		{"empty", "", "text/csv", "", http.StatusBadRequest, "empty_body"},
		{"header only", csvHeader, "text/csv", "", http.StatusBadRequest, "empty_body"},
		{"a column missing", "code,procedure,name\n", "text/csv", "", http.StatusBadRequest, "invalid_csv_header"},
		{"an unknown column", strings.TrimSuffix(csvHeader, "\n") + ",secret\n" + strings.TrimSuffix(line, "\n") + ",x\n", "text/csv", "", http.StatusBadRequest, "invalid_csv_header"},
		{"broken quoting", csvHeader + "TP-261127-0702,KD-01,\"An,,,online,,,,\n", "text/csv", "", http.StatusBadRequest, "invalid_csv"},
		{"a short line", csvHeader + "TP-261127-0703,KD-01\n", "text/csv", "", http.StatusBadRequest, "invalid_csv"},
		{"not UTF-8", csvHeader + "TP-261127-0704,KD-01,Nguy\xe1n,,,online,,,,\n", "text/csv", "", http.StatusBadRequest, "invalid_csv"},
		{"too large", csvHeader + strings.Repeat(line, (maxImportBytes/len(line))+1), "text/csv", "", http.StatusRequestEntityTooLarge, "body_too_large"},
		{"too many lines", csvHeader + strings.Repeat(",HT-01,A,,,,,,,\n", maxImportLines+1), "text/csv", "", http.StatusBadRequest, "too_many_lines"},
		{"a clerk", csvHeader + line, "text/csv", "clerk", http.StatusForbidden, "forbidden"},
		{"an Open311 key", csvHeader + line, "text/csv", "open311", http.StatusForbidden, "wrong_key_scope"},
		{"a forged key", csvHeader + line, "text/csv", "forged", http.StatusUnauthorized, "invalid_api_key"},
		{"nobody", csvHeader + line, "text/csv", "none", http.StatusUnauthorized, "unauthenticated"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tok := map[string]string{"": e.adminTok, "clerk": e.login(t, "nv3", "q3"), "open311": e.open311Key, "forged": "forged-key", "none": ""}[c.tok]
			r := e.do(t, req{method: "POST", path: "/api/v1/dossiers/import", token: tok, body: c.body, ctype: c.ctype})
			if r.status != c.status || r.errCode(t) != c.err {
				t.Fatalf("status %d, want %d %s: %.300s", r.status, c.status, c.err, r.body)
			}
		})
	}
	if n := e.count(t); n != 0 {
		t.Fatalf("bad files stored %d dossiers", n)
	}
}
