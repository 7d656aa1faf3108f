package web

import (
	"context"
	"encoding/json"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"luot/server/queue"
)

// recordPosts wraps the page's fetch to record each POST (its path and
// Idempotency-Key) in window.__posts; while window.__lose > 0, a POST to
// …/next reaches the server but its answer is lost (the promise rejects,
// as when the network fails after the request went out).
const recordPosts = `(() => {
  window.__posts = []; window.__lose = 0;
  const orig = window.fetch;
  window.fetch = function (url, init) {
    if (init && init.method === "POST") {
      window.__posts.push({path: String(url), key: (init.headers && init.headers["Idempotency-Key"]) || ""});
      if (window.__lose > 0 && String(url).endsWith("/next")) {
        window.__lose--;
        return orig(url, init).then(() => { throw new TypeError("Failed to fetch (answer lost by the test)"); });
      }
    }
    return orig(url, init);
  };
})()`

type post struct{ Path, Key string }

func posts(t *testing.T, ctx context.Context) []post {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(window.__posts)`))
	if err != nil {
		t.Fatal(err)
	}
	var ps []post
	if err := json.Unmarshal([]byte(s), &ps); err != nil {
		t.Fatal(err)
	}
	return ps
}

// doubleClick is a real double click at the centre of the element id: two
// presses and releases, the second with click count 2, as the mouse sends.
func doubleClick(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	xy := center(t, ctx, id)
	run(t, ctx,
		chromedp.MouseClickXY(xy[0], xy[1]),
		chromedp.MouseClickXY(xy[0], xy[1], chromedp.ClickCount(2)))
}

// center is where element id is on the screen.
func center(t *testing.T, ctx context.Context, id string) []float64 {
	t.Helper()
	xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => { const r = document.getElementById("`+id+`").getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()`))
	if err != nil {
		t.Fatal(err)
	}
	return xy
}

// TestBrowserClerkDoubleClickOnNext is a clerk's double click in the
// console, in a real browser: a double click on "Gọi số tiếp" sends one
// request and the ticket stays called; a press whose answer is lost is
// retried with its key and does not end the ticket it called.
func TestBrowserClerkDoubleClickOnNext(t *testing.T) {
	e := newEnv(t)
	ctx := newBrowser(t)
	a1 := e.issue("xay-dung")
	a2 := e.issue("xay-dung")
	a3 := e.issue("xay-dung")
	e.clock.Advance(time.Minute)

	loginIn(t, ctx, e, "/clerk/login", "nv1", "q1")
	waitJS(t, ctx, "console", `!!document.getElementById("console") && document.getElementById("conn").classList.contains("ok")`)
	run(t, ctx, chromedp.Click(chromedp.CSS("#btn-open"))) // closed → open
	waitJS(t, ctx, "counter open", `document.getElementById("console").dataset.state === "open" && !document.getElementById("btn-next").disabled`)
	run(t, ctx, chromedp.Evaluate[chromedp.Void](recordPosts))
	seq := e.seq()

	doubleClick(t, ctx, "btn-next")
	waitJS(t, ctx, "first ticket called", `document.getElementById("cur-number").textContent === "`+a1+`"`)
	waitJS(t, ctx, "buttons back", `!document.getElementById("btn-next").disabled`)
	ps := posts(t, ctx)
	key := regexp.MustCompile(`^[0-9a-f]{32}$`)
	if len(ps) != 1 || ps[0].Path != "/api/v1/counters/q1/next" || !key.MatchString(ps[0].Key) {
		t.Fatalf("a double click sent %+v; want one POST …/next with a key", ps)
	}
	if st := e.status(a1); st != queue.StatusCalled {
		t.Fatalf("%s is %s after the double click", a1, st)
	}
	if st := e.status(a2); st != queue.StatusWaiting {
		t.Fatalf("%s is %s after the double click", a2, st)
	}
	if n := e.countEvents(seq, "ticket.done"); n != 0 {
		t.Fatalf("%d ticket.done events after the double click", n)
	}
	// A held-down shortcut repeats its keydown: still one press.
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.dispatchEvent(new KeyboardEvent("keydown", {key: "n", repeat: true, bubbles: true}))`))
	if ps := posts(t, ctx); len(ps) != 1 {
		t.Fatalf("a repeated keydown sent %+v", ps)
	}
	// The second click of a double click is the same press, even when it
	// comes after the first press's answer (a fast server, a slow hand).
	xy := center(t, ctx, "btn-next")
	run(t, ctx, chromedp.MouseClickXY(xy[0], xy[1], chromedp.ClickCount(2)))
	if ps := posts(t, ctx); len(ps) != 1 {
		t.Fatalf("the second click of a double click, after the first's answer, sent %+v", ps)
	}

	// The citizen comes (start); the next press's answer is lost: the
	// console retries the press with its key and shows the ticket it
	// called — the fake clock has not moved, so without the key the server
	// would refuse the retry as a double-click.
	run(t, ctx, chromedp.Click(chromedp.CSS("#btn-start")))
	waitJS(t, ctx, "started", `document.getElementById("cur-status").textContent === "Đang phục vụ" && !document.getElementById("btn-next").disabled`)
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`window.__lose = 1`))
	run(t, ctx, chromedp.Click(chromedp.CSS("#btn-next")))
	waitJS(t, ctx, "second ticket called", `document.getElementById("cur-number").textContent === "`+a2+`" && !document.getElementById("btn-next").disabled`)
	ps = posts(t, ctx)
	if len(ps) != 4 || ps[2].Path != "/api/v1/counters/q1/next" || ps[2].Key != ps[3].Key || ps[2].Key == ps[0].Key || ps[1].Key == ps[0].Key {
		t.Fatalf("posts %+v; want start, then next and its retry with one new key", ps)
	}
	if hidden, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("action-error").hidden`)); !hidden {
		t.Fatal("the console shows an error after a retried press")
	}
	if st := e.status(a2); st != queue.StatusCalled {
		t.Fatalf("%s is %s after the retried press", a2, st)
	}
	if st := e.status(a3); st != queue.StatusWaiting {
		t.Fatalf("%s is %s after the retried press: the press acted twice", a3, st)
	}
}

func (e *env) seq() int64 {
	e.t.Helper()
	v, err := e.eng.View(e.officeID)
	if err != nil {
		e.t.Fatal(err)
	}
	return v.Seq
}

// status is the status of today's ticket with this number.
func (e *env) status(number string) queue.Status {
	e.t.Helper()
	v, err := e.eng.View(e.officeID)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, tk := range v.Tickets {
		if tk.Display == number {
			return tk.Status
		}
	}
	e.t.Fatalf("no ticket %s", number)
	return ""
}

// countEvents counts the stored events of a type after seq since.
func (e *env) countEvents(since int64, typ string) int {
	e.t.Helper()
	evs, _, err := e.eng.EventsSince(context.Background(), e.officeID, since, 0)
	if err != nil {
		e.t.Fatal(err)
	}
	n := 0
	for _, b := range evs {
		var ev struct{ Type string }
		if err := json.Unmarshal(b.Staff, &ev); err != nil {
			e.t.Fatal(err)
		}
		if ev.Type == typ {
			n++
		}
	}
	return n
}
