package queue

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestDocumentValidate(t *testing.T) {
	ok := func(ls ...DocLine) Document { return Document{Lines: ls} }
	text := func(s string) DocLine { return DocLine{Style: LineText, Text: s} }
	good := []Document{
		ok(text("Xin chào"), DocLine{Style: LineRule}, DocLine{Style: LineBlank}),
		ok(DocLine{Style: LineTitle, Text: "UBND", TextEN: "People's Committee", Align: "center"}),
		ok(DocLine{Style: LineBig, Text: strings.Repeat("9", MaxDocBig)}),
		ok(DocLine{Style: LineQR, Text: "https://luot.example.vn/t/x?token=" + strings.Repeat("a", MaxQRText-34)}),
		ok(DocLine{Style: LineSmall, Text: strings.Repeat("ự", MaxDocText), Align: "right"}),
		ok(make([]DocLine, MaxDocLines)...),
	}
	for i := range good[len(good)-1].Lines {
		good[len(good)-1].Lines[i] = DocLine{Style: LineBlank}
	}
	for i, d := range good {
		if err := d.Validate(); err != nil {
			t.Errorf("good %d refused: %v", i, err)
		}
	}
	many := make([]DocLine, MaxDocLines+1)
	for i := range many {
		many[i] = DocLine{Style: LineBlank}
	}
	bad := []struct {
		doc  Document
		want string
	}{
		{Document{}, "no lines"},
		{Document{Lines: many}, "61 lines"},
		{ok(DocLine{Style: "bold", Text: "x"}), "line 1 of the document: style \"bold\" is unknown"},
		{ok(text("x"), DocLine{Style: LineText, Text: "x", Align: "justify"}), "line 2 of the document: alignment"},
		{ok(DocLine{Style: LineText}), "needs its text"},
		{ok(DocLine{Style: LineRule, Text: "---"}), "a rule line has no text"},
		{ok(DocLine{Style: LineBlank, TextEN: "x"}), "a blank line has no text"},
		{ok(DocLine{Style: LineBig, Text: strings.Repeat("9", MaxDocBig+1)}), "13 characters; at most 12"},
		{ok(DocLine{Style: LineBig, Text: "A012", TextEN: "A012"}), "big line has no text_en"},
		{ok(DocLine{Style: LineQR}), "needs its text"},
		{ok(DocLine{Style: LineQR, Text: "https://x/" + strings.Repeat("a", MaxQRText)}), "longer than 400 bytes"},
		{ok(DocLine{Style: LineQR, Text: "https://x/ a"}), "printable ASCII"},
		{ok(DocLine{Style: LineQR, Text: "https://x/đ"}), "printable ASCII"},
		{ok(DocLine{Style: LineQR, Text: "https://x/", TextEN: "Scan"}), "qr line has no text_en"},
		{ok(text(strings.Repeat("a", MaxDocText+1))), "301 characters"},
		{ok(text("a\nb")), "control character"},
		{ok(text("a\x1b@b")), "control character"},
		{ok(text("Nguy\u202eễn")), "invisible formatting"},
		{ok(text("ok"), DocLine{Style: LineText, Text: "x", TextEN: "\xff"}), "line 2 of the document: text_en is not valid UTF-8"},
	}
	for _, c := range bad {
		err := c.doc.Validate()
		var qe *Error
		if !errors.As(err, &qe) || qe.Kind != KindInvalid || qe.Code != "invalid_document" {
			t.Errorf("%+v: got %v, want invalid_document", c.doc.Lines, err)
			continue
		}
		if !strings.Contains(qe.Message, c.want) {
			t.Errorf("%+v: message %q lacks %q", c.doc.Lines, qe.Message, c.want)
		}
	}
	// The error never repeats the text.
	err := ok(text("bí mật\x07")).Validate()
	if err == nil || strings.Contains(err.Error(), "bí mật") {
		t.Errorf("error repeats the text: %v", err)
	}
}

func TestPrintJobAck(t *testing.T) {
	now := at("09:00")
	j, err := NewPrintJob("hcm-q1", "c1", PrintTest, "admin", Document{Lines: []DocLine{{Style: LineText, Text: "x"}}}, now)
	if err != nil {
		t.Fatal(err)
	}
	j.ID = 7
	if j.State != PrintQueued || j.CreatedAt.Location().String() != "UTC" {
		t.Fatalf("new job %+v", j)
	}
	for _, c := range []struct {
		result PrintJobState
		fault  string
		code   string
	}{
		{"done", "", "invalid_print_result"},
		{PrintQueued, "", "invalid_print_result"},
		{"", "", "invalid_print_result"},
		{PrintPrinted, "paper-end", "invalid_print_fault"},
		{PrintFailed, "Paper End", "invalid_print_fault"},
		{PrintFailed, strings.Repeat("a", MaxFault+1), "invalid_print_fault"},
	} {
		got, changed, err := j.Ack(c.result, c.fault, now)
		if !errors.Is(err, &Error{Code: c.code}) || changed || got.State != PrintQueued {
			t.Errorf("ack %q %q: %v changed=%v %v, want %s", c.result, c.fault, err, changed, got.State, c.code)
		}
	}
	later := at("09:01")
	failed, changed, err := j.Ack(PrintFailed, "paper-end", later)
	if err != nil || !changed || failed.State != PrintFailed || failed.Fault != "paper-end" || !failed.DoneAt.Equal(later) {
		t.Fatalf("failed: %+v %v %v", failed, changed, err)
	}
	// The same result again changes nothing, whatever its fault.
	again, changed, err := failed.Ack(PrintFailed, "cover-open", at("09:05"))
	if err != nil || changed || again.Fault != "paper-end" || !again.DoneAt.Equal(later) {
		t.Fatalf("same result again: %+v %v %v", again, changed, err)
	}
	// The other result is a conflict.
	_, changed, err = failed.Ack(PrintPrinted, "", at("09:05"))
	if qe := (*Error)(nil); !errors.As(err, &qe) || qe.Code != "print_job_done" || qe.Kind != KindConflict || changed {
		t.Fatalf("other result: %v", err)
	}
	printed, _, _ := j.Ack(PrintPrinted, "", later)
	if _, changed, err := printed.Ack(PrintPrinted, "", later); err != nil || changed {
		t.Fatalf("printed twice: %v %v", changed, err)
	}
	if _, _, err := printed.Ack(PrintFailed, "paper-end", later); !errors.Is(err, &Error{Code: "print_job_done"}) {
		t.Fatalf("printed then failed: %v", err)
	}

	if _, err := NewPrintJob("hcm-q1", "c1", "poster", "admin", Document{Lines: []DocLine{{Style: LineBlank}}}, now); !errors.Is(err, &Error{Code: "invalid_print_kind"}) {
		t.Errorf("unknown kind: %v", err)
	}
	if _, err := NewPrintJob("hcm-q1", "c1", PrintTest, "admin", Document{}, now); !errors.Is(err, &Error{Code: "invalid_document"}) {
		t.Errorf("empty document: %v", err)
	}
}

func TestQueuePrint(t *testing.T) {
	s := newTestState(t)
	s.issue(at("08:00"), "a1", "a", "")
	now := at("09:00")
	j, err := NewPrintJob("hcm-q1", "c2", PrintTest, "admin", TestDocument(&s.Office, s.Office.Counter("c2"), now), now)
	if err != nil {
		t.Fatal(err)
	}
	c := s.do(s.QueuePrint(now, j))
	if len(c.Events) != 1 || len(c.PrintJobs) != 1 {
		t.Fatalf("change %+v", c)
	}
	ev, job := c.Events[0], c.PrintJobs[0]
	if ev.Type != EventPrintQueued || job.ID != ev.Seq || job.Counter != "c2" || job.State != PrintQueued {
		t.Fatalf("event %+v job %+v", ev, job)
	}
	// The event says which counter and job, and nothing of the content,
	// to staff and public alike.
	enc, err := ev.Encode()
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Data map[string]any `json:"data"`
	}
	if err := json.Unmarshal(enc.Public, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Data) != 2 || got.Data["counter"] != "c2" || got.Data["job"] != float64(job.ID) || string(enc.Staff) != string(enc.Public) {
		t.Fatalf("event data %s", enc.Public)
	}
	before := s.Seq
	for _, bad := range []struct {
		mod  func(*PrintJob)
		code string
	}{
		{func(j *PrintJob) { j.Counter = "c9" }, "unknown_counter"},
		{func(j *PrintJob) { j.Office = "other" }, "invalid_print_job"},
		{func(j *PrintJob) { j.State = PrintPrinted }, "invalid_print_job"},
		{func(j *PrintJob) { j.Doc = Document{} }, "invalid_document"},
	} {
		b := j
		bad.mod(&b)
		if _, err := s.QueuePrint(now, b); !errors.Is(err, &Error{Code: bad.code}) {
			t.Errorf("%s: got %v", bad.code, err)
		}
	}
	if s.Seq != before {
		t.Fatal("a refused job changed the state")
	}
}

func TestReceiptDocuments(t *testing.T) {
	s := newTestState(t)
	tk := s.issue(at("08:05"), "a1", "a", "")
	now := at("10:30")
	d := ReprintDocument(&s.Office, tk, "https://luot.example.vn/t/a1?token=tok-a1", now)
	if err := d.Validate(); err != nil {
		t.Fatalf("reprint document invalid: %v", err)
	}
	has := func(d Document, style, text, en string) bool {
		for _, l := range d.Lines {
			if l.Style == style && l.Text == text && (en == "" || l.TextEN == en) {
				return true
			}
		}
		return false
	}
	for _, w := range []struct{ style, text, en string }{
		{LineTitle, "Bộ phận một cửa Quận 1", "District 1 one-stop shop"},
		{LineBig, "A001", ""},
		{LineText, "Cấp phép xây dựng", "Construction permits"},
		{LineText, "Lấy số lúc 27/11/2026 08:05", "Issued 27/11/2026 08:05"},
		{LineQR, "https://luot.example.vn/t/a1?token=tok-a1", ""},
		{LineSmall, "In lúc 27/11/2026 10:30", "Printed 27/11/2026 10:30"},
	} {
		if !has(d, w.style, w.text, w.en) {
			t.Errorf("reprint lacks %s %q %q: %+v", w.style, w.text, w.en, d.Lines)
		}
	}
	if has(ReprintDocument(&s.Office, tk, "", now), LineQR, "", "") {
		t.Error("a QR without a link")
	}

	k := s.Office.Counter("c3")
	td := TestDocument(&s.Office, k, now)
	if err := td.Validate(); err != nil {
		t.Fatalf("test document invalid: %v", err)
	}
	if !has(td, LineText, "In thử – Quầy 3", "Test print – Counter 3") || !has(td, LineText, "27/11/2026 10:30", "") {
		t.Errorf("test receipt lacks the counter or time: %+v", td.Lines)
	}
	// Every tone of every vowel, and đ.
	var all strings.Builder
	for _, l := range td.Lines {
		all.WriteString(l.Text + " ")
	}
	for _, r := range "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵđĐ" {
		if !strings.ContainsRune(all.String(), r) {
			t.Errorf("the test receipt lacks %c", r)
		}
	}
}

// FuzzDocument: a print job's document, as a station or another domain
// sends it, never panics the rules; a document they accept keeps every
// limit and survives its JSON unchanged and still valid.
func FuzzDocument(f *testing.F) {
	for _, s := range []string{
		`{"lines":[{"style":"text","text":"Xin chào"}]}`,
		`{"lines":[{"style":"title","text":"UBND","text_en":"Committee","align":"center"},{"style":"rule"},{"style":"big","text":"A012"},{"style":"qr","text":"https://x/t/1?token=a"},{"style":"blank"}]}`,
		`{"lines":[]}`, `{"lines":null}`, `{}`, `{"lines":[{"style":"qr","text":"đ"}]}`,
		`{"lines":[{"style":"text","text":"a\u202eb"}]}`, `{"lines":[{"style":"big","text":"1234567890123"}]}`,
		`{"lines":[{"style":"rule","text":"-"}]}`, `{"lines":[{"style":"small","text":"x","align":"justify"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var d Document
		if json.Unmarshal(data, &d) != nil {
			return
		}
		if err := d.Validate(); err != nil {
			var qe *Error
			if !errors.As(err, &qe) || qe.Kind != KindInvalid || qe.Code != "invalid_document" {
				t.Fatalf("refusal %#v", err)
			}
			return
		}
		if len(d.Lines) == 0 || len(d.Lines) > MaxDocLines {
			t.Fatalf("accepted %d lines", len(d.Lines))
		}
		for _, l := range d.Lines {
			if !docStyles[l.Style] || !docAligns[l.Align] || len(l.Text) > MaxQRText*4 || len(l.TextEN) > MaxDocText*4 {
				t.Fatalf("accepted %+v", l)
			}
		}
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		var again Document
		if err := json.Unmarshal(b, &again); err != nil || again.Validate() != nil || len(again.Lines) != len(d.Lines) {
			t.Fatalf("round trip of %s: %v", b, err)
		}
		for i := range d.Lines {
			if again.Lines[i] != d.Lines[i] {
				t.Fatalf("line %d changed: %+v → %+v", i, d.Lines[i], again.Lines[i])
			}
		}
	})
}

// A counter's name is printed after its number unless it only repeats
// the label.
func TestCounterLabel(t *testing.T) {
	for _, c := range []struct{ name, vi, en string }{
		{"", "Quầy 3", "Counter 3"},
		{"Quầy 3", "Quầy 3", "Counter 3"},
		{"quầy 3", "Quầy 3", "Counter 3"},
		{"Counter 3", "Quầy 3", "Counter 3"},
		{"Đất đai", "Quầy 3 – Đất đai", "Counter 3 – Đất đai"},
		{"Quầy 4", "Quầy 3 – Quầy 4", "Counter 3 – Quầy 4"},
	} {
		vi, en := CounterLabel(&Counter{ID: "q3", Number: 3, Name: c.name})
		if vi != c.vi || en != c.en {
			t.Errorf("name %q: %q, %q; want %q, %q", c.name, vi, en, c.vi, c.en)
		}
	}
}
