package web

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"luot/assets"
	"luot/display/announce"
)

// boardCall calls the next ticket at counter as the clerk of token and
// returns the number called.
func (e *env) boardCall(t *testing.T, token, counter string) string {
	t.Helper()
	r := e.apiDo("POST", "/api/v1/counters/"+counter+"/next", token, "")
	if r.status != 200 {
		t.Fatalf("next at %s: %d %s", counter, r.status, r.body)
	}
	var j struct{ Ticket struct{ Number string } }
	if err := json.Unmarshal([]byte(r.body), &j); err != nil || j.Ticket.Number == "" {
		t.Fatalf("next at %s answered %s (%v)", counter, r.body, err)
	}
	return j.Ticket.Number
}

// openCounter logs clerk in at counter and opens it.
func (e *env) openCounter(t *testing.T, clerk, counter string) string {
	t.Helper()
	tok := e.login(clerk, counter)
	if r := e.apiDo("POST", "/api/v1/counters/"+counter+"/open", tok, ""); r.status != 200 {
		t.Fatalf("open %s: %d %s", counter, r.status, r.body)
	}
	return tok
}

// TestBoardSentence checks the announcement the board is given against
// the display's own composition, and its refusals.
func TestBoardSentence(t *testing.T) {
	e := newEnv(t)
	get := func(q string) (int, sentenceJSON, string) {
		res, err := http.Get(e.srv.URL + "/board/voice/sentence?" + q)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		var s sentenceJSON
		if res.StatusCode == 200 {
			if err := json.Unmarshal(b, &s); err != nil {
				t.Fatalf("%s: %v", b, err)
			}
		}
		return res.StatusCode, s, string(b)
	}
	for _, c := range []struct {
		number  string
		counter int
		q       string
		o       announce.Options
	}{
		{"A015", 3, "", announce.Options{}},
		{"B1105", 14, "&reading=digits", announce.Options{Reading: announce.ByDigit}},
		{"D205", 4, "&southern=1", announce.Options{Southern: true}},
	} {
		now := e.clock.Now().Add(-time.Minute).Format(time.RFC3339Nano)
		st, got, body := get(fmt.Sprintf("number=%s&counter=%d&at=%s%s", c.number, c.counter, url.QueryEscape(now), c.q))
		want, err := announce.Sentence(c.number, c.counter, c.o)
		if err != nil {
			t.Fatal(err)
		}
		if st != 200 || !got.Say || got.Text != want.Text || len(got.Parts) != len(want.Parts) {
			t.Fatalf("%s at %d: %d %s, want %+v", c.number, c.counter, st, body, want)
		}
		for i, p := range want.Parts {
			if got.Parts[i].Clip != p.Clip || got.Parts[i].PauseMS != p.Pause.Milliseconds() {
				t.Fatalf("%s part %d: %+v, want %+v", c.number, i, got.Parts[i], p)
			}
		}
	}
	old := e.clock.Now().Add(-boardMaxAge - time.Second).Format(time.RFC3339)
	if st, s, body := get("number=A001&counter=1&at=" + url.QueryEscape(old)); st != 200 || s.Say || len(s.Parts) != 0 {
		t.Fatalf("a call older than %v: %d %s", boardMaxAge, st, body)
	}
	for _, q := range []string{"number=A001", "number=A001&counter=x", "number=A!1&counter=1", "number=A001&counter=1&at=yesterday", "number=A001&counter=1&reading=roman"} {
		if st, _, body := get(q); st != 400 || len(body) < 10 {
			t.Errorf("%s: %d %q, want 400 with a reason", q, st, body)
		}
	}
	// Clips: every clip of the sentence is served, cached; nothing else is.
	for _, name := range []string{"chime", "vi-moi-cong-dan", "vi-muoi-huyen"} {
		res, err := http.Get(e.srv.URL + "/board/voice/" + name + ".wav")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "audio/wav" || !strings.Contains(res.Header.Get("Cache-Control"), "max-age") || string(b[:4]) != "RIFF" {
			t.Errorf("clip %s: %d %v", name, res.StatusCode, res.Header)
		}
	}
	for _, p := range []string{"clips.tsv", "vi-mot", "..%2fweb.go", "nope.wav"} {
		res, err := http.Get(e.srv.URL + "/board/voice/" + p)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 404 {
			t.Errorf("/board/voice/%s: %d, want 404", p, res.StatusCode)
		}
	}
}

// clipMS is how long a voice clip plays (16 kHz, 16-bit mono PCM).
func clipMS(t *testing.T, name string) float64 {
	t.Helper()
	b, err := assets.Voice.ReadFile("voice/" + name + ".wav")
	if err != nil {
		t.Fatal(err)
	}
	// The data chunk follows the fmt chunk; find it rather than assume 44.
	for i := 12; i+8 <= len(b); {
		id, n := string(b[i:i+4]), int(binary.LittleEndian.Uint32(b[i+4:i+8]))
		if id == "data" {
			return float64(n) / 32.0
		}
		i += 8 + n + n%2
	}
	t.Fatalf("clip %s has no data chunk", name)
	return 0
}

// TestBrowserBoardReload reloads the board after calls were made: the
// latest call is on the big line at once, and nothing is announced again.
func TestBrowserBoardReload(t *testing.T) {
	e := newEnv(t)
	tok := e.openCounter(t, "nv1", "q1")
	e.issue("xay-dung")
	e.issue("xay-dung")
	e.boardCall(t, tok, "q1")
	e.clock.Advance(time.Minute)
	last := e.boardCall(t, tok, "q1")
	ctx := newBrowser(t)
	for i, step := range []chromedp.Action[chromedp.Void]{chromedp.Navigate(e.srv.URL + "/board/" + office + "?clock=manual"), chromedp.Reload()} {
		run(t, ctx, step)
		waitJS(t, ctx, fmt.Sprintf("latest call from the snapshot (load %d)", i), `document.getElementById("latest-number").textContent === "`+last+`" && document.getElementById("latest-counter").textContent === "1"`)
		if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`luotBoard.shown.length + luotBoard.said.length + luotBoard.pending()`)); err != nil || n != 0 {
			t.Fatalf("load %d: the snapshot's call was given a moment or announced (%d, %v)", i, n, err)
		}
	}
}

// TestBrowserBoardMoments calls two tickets 0.6 s apart at two counters:
// each has the big line to itself, in order, blinking, for as long as the
// display gives it (the blink, or its announcement if longer, then the
// gap), and each is announced with the display's sentence from the voice
// clips after one click on "Bật âm thanh", which the board remembers.
func TestBrowserBoardMoments(t *testing.T) {
	e := newEnv(t)
	t1 := e.openCounter(t, "nv1", "q1")
	t2 := e.openCounter(t, "nv2", "q2")
	e.issue("xay-dung")
	e.issue("ho-kinh-doanh")
	ctx := newBrowser(t)
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/board/"+office+"?clock=manual&lang=vi"))
	waitJS(t, ctx, "board connected", `document.getElementById("board").dataset.seq !== undefined`)
	waitJS(t, ctx, "sound button (audio is blocked before a gesture)", `!document.getElementById("sound").hidden && document.getElementById("sound").textContent === "Bật âm thanh"`)
	run(t, ctx, chromedp.Click(chromedp.CSS("#sound")))
	waitJS(t, ctx, "sound on", `document.getElementById("board").dataset.sound === "on" && document.getElementById("sound").hidden && localStorage.getItem("luot.board.sound") === "on"`)

	a := e.boardCall(t, t1, "q1")
	waitJS(t, ctx, "first call on the big line", `luotBoard.pending() === 1 && document.getElementById("latest-number").textContent === "`+a+`"`)
	waitJS(t, ctx, "the board has loaded the first announcement", `!luotBoard.busy() && luotBoard.said.length === 1`)
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`luotBoard.advance(600)`))
	e.clock.Advance(600 * time.Millisecond)
	b := e.boardCall(t, t2, "q2")
	waitJS(t, ctx, "second call queued", `luotBoard.pending() === 2`)

	// Step the board's clock 50 ms at a time (each step once the board
	// has what it needs to know the announcement's length), noting what
	// the big line shows.
	type frame struct {
		Number string `json:"number"`
		Off    bool   `json:"off"`
	}
	var frames []frame
	const stepMS = 50
	for i := 0; i < 400 && (len(frames) == 0 || frames[len(frames)-1].Number != b); i++ {
		waitJS(t, ctx, "the board has loaded the announcement", `!luotBoard.busy()`)
		f, err := chromedp.Run(ctx, chromedp.Evaluate[frame](`(() => { const f = {number: document.getElementById("latest-number").textContent, off: document.querySelector(".latest-call").classList.contains("off")}; luotBoard.advance(`+fmt.Sprint(stepMS)+`); return f; })()`))
		if err != nil {
			t.Fatal(err)
		}
		frames = append(frames, f)
	}
	// The frames before a's moment began (the 600 ms already advanced) are
	// not in frames: frame i is at 600 + i*50 ms into a's moment.
	firstB := slices.IndexFunc(frames, func(f frame) bool { return f.Number == b })
	if firstB < 0 {
		t.Fatalf("the second call %s never reached the big line: %v", b, frames)
	}
	for i, f := range frames[:firstB] {
		if f.Number != a {
			t.Fatalf("frame %d shows %s before %s's moment ended", i, f.Number, a)
		}
		at := 600 + i*stepMS
		if wantOff := at >= 1000 && at < 2000; f.Off != wantOff {
			t.Errorf("at %d ms into %s's moment the call is hidden=%v, want %v (shown, hidden, shown)", at, a, f.Off, wantOff)
		}
	}
	said := func(number string, counter int) (announce.Announcement, float64) {
		s, err := announce.Sentence(number, counter, announce.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ms := 0.0
		for _, p := range s.Parts {
			if p.Clip != "" {
				ms += clipMS(t, p.Clip)
			}
			ms += float64(p.Pause.Milliseconds())
		}
		return s, ms
	}
	sa, saMS := said(a, 1)
	sb, _ := said(b, 2)
	// a's moment: the blink, or its announcement when longer (it starts
	// up to 50 ms after the moment), then the gap.
	start := 600 + firstB*stepMS
	lo := max(float64(boardBlink.Milliseconds()), saMS) + float64(boardGap.Milliseconds())
	if float64(start) < lo || float64(start) > lo+50+2*stepMS+10 {
		t.Errorf("%s's moment began %d ms after %s's, want %.0f ms (announcement %.0f ms, blink %v, gap %v)", b, start, a, lo, saMS, boardBlink, boardGap)
	}
	type saidJSON struct {
		Number  string   `json:"number"`
		Counter int      `json:"counter"`
		Clips   []string `json:"clips"`
	}
	waitJS(t, ctx, "second announcement started", `luotBoard.said.length === 2`)
	log, err := chromedp.Run(ctx, chromedp.Evaluate[[]saidJSON](`luotBoard.said`))
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range []struct {
		s       announce.Announcement
		number  string
		counter int
	}{{sa, a, 1}, {sb, b, 2}} {
		if log[i].Number != w.number || log[i].Counter != w.counter || !slices.Equal(log[i].Clips, w.s.ClipNames()) {
			t.Errorf("announcement %d: %+v, want %s at %d: %v", i, log[i], w.number, w.counter, w.s.ClipNames())
		}
	}

	// Remembered: after a reload the button shows again only because the
	// browser blocks sound until a gesture (headless Chromium does).
	run(t, ctx, chromedp.Reload())
	waitJS(t, ctx, "board again", `document.getElementById("latest-number").textContent === "`+b+`"`)
	waitJS(t, ctx, "sound button again (blocked until a gesture)", `document.getElementById("board").dataset.sound === "off" && !document.getElementById("sound").hidden`)
	run(t, ctx, chromedp.Click(chromedp.CSS("#latest-number")))
	waitJS(t, ctx, "any touch turns the remembered sound on", `document.getElementById("board").dataset.sound === "on" && document.getElementById("sound").hidden`)
}

// TestBrowserBoardFits shows a busy board (four open counters, a long list
// of recent calls, a ticker longer than the screen) at 1366×768 and
// 1920×1080, in Vietnamese and English: nothing overflows the screen or
// its panel, every service's waiting count shows, the ticker runs, and
// the board's texts are in the page's language.
func TestBrowserBoardFits(t *testing.T) {
	e := newEnv(t)
	e.simulateDay(t)
	for _, k := range []string{"q2", "q4"} {
		e.openCounter(t, "nv"+k[1:], k)
	}
	adm := e.login("admin", "")
	ticker := strings.Repeat("Công dân vui lòng giữ phiếu số thứ tự và theo dõi màn hình. ", 3)
	if r := e.do("POST", "/admin/office", adm, url.Values{"name": {"Bộ phận Một cửa Quận 1"}, "name_en": {"District 1 One-Stop Shop"}, "ticker": {ticker}}, ""); r.status != 303 {
		t.Fatalf("ticker: %d %s", r.status, r.body)
	}
	ctx := newBrowser(t)
	for _, c := range []struct {
		w, h  int64
		lang  string
		texts []string
	}{
		{1366, 768, "vi", []string{"Bộ phận Một cửa Quận 1", "Mời công dân có số", "Quầy", "Vừa gọi", "Đang chờ", "Cấp giấy phép xây dựng: "}},
		{1920, 1080, "vi", []string{"Mời công dân có số", "Vừa gọi", "Hộ tịch: "}},
		{1366, 768, "en", []string{"District 1 One-Stop Shop", "Now serving", "Counter", "Recent calls", "Waiting", "Construction permits: ", "Enable sound"}},
		{1920, 1080, "en", []string{"Now serving", "Counters", "Civil status: "}},
	} {
		name := fmt.Sprintf("%d×%d %s", c.w, c.h, c.lang)
		run(t, ctx, chromedp.EmulateViewport(c.w, c.h), chromedp.Navigate(e.srv.URL+"/board/"+office+"?lang="+c.lang))
		waitJS(t, ctx, name+": board filled", `document.querySelectorAll("#waiting li").length === `+strconv.Itoa(len(demoOffice().Services))+` && document.querySelectorAll("#recent li").length > 0 && document.getElementById("latest-number").textContent !== "—"`)
		bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
			const W = innerWidth, H = innerHeight, bad = [];
			const out = (el, r, box) => r.left < box.left - 0.5 || r.top < box.top - 0.5 || r.right > box.right + 0.5 || r.bottom > box.bottom + 0.5;
			const screen = {left: 0, top: 0, right: W, bottom: H};
			const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className ? "." + el.className : "") + " " + el.textContent.slice(0, 30);
			for (const el of document.querySelectorAll("body *")) {
				if (el.closest("[hidden]") || el.id === "ticker") { continue; }
				const r = el.getBoundingClientRect();
				if (r.width === 0 && r.height === 0) { continue; }
				if (out(el, r, screen)) { bad.push(name(el) + " leaves the screen " + JSON.stringify([r.left, r.top, r.right, r.bottom])); }
				const list = el.parentElement.closest("#counters, #recent, #waiting");
				if (list && out(el, r, list.getBoundingClientRect())) { bad.push(name(el) + " is cut by its panel"); }
			}
			if (document.documentElement.scrollHeight > H || document.documentElement.scrollWidth > W) { bad.push("the page scrolls"); }
			if (!document.getElementById("ticker").classList.contains("scrolling")) { bad.push("the long ticker does not run"); }
			return bad;
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if len(bad) > 0 {
			t.Errorf("%s:\n%s", name, strings.Join(bad, "\n"))
		}
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("board").innerText`))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range c.texts {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the board does not say %q:\n%s", name, w, text)
			}
		}
		other := map[string][]string{"vi": {"Now serving", "Recent calls", "Waiting", "Counter", "Enable sound"}, "en": {"Mời công dân", "Vừa gọi", "Đang chờ", "Quầy", "Bật âm thanh"}}[c.lang]
		// The ticker is the office's own text, in whatever language it wrote.
		rest := strings.ReplaceAll(text, strings.TrimSpace(ticker), "")
		for _, w := range other {
			if strings.Contains(rest, w) {
				t.Errorf("%s: the board says %q of the other language:\n%s", name, w, text)
			}
		}
		if c.w == 1366 {
			shot(t, ctx, *screenshots, "board-web-1366-"+c.lang+".png")
		}
	}
}
