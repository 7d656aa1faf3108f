package web

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"luot/internal/browsertest"
)

// step bounds each wait in the browser. It only catches a page that never
// gets there: a login (bcrypt) and a navigation on a machine busy with
// other work can take many seconds, and that is no failure.
const step = 60 * time.Second

// newBrowser starts the headless Chromium of a browser test; the whole
// test in the browser must end within six minutes (a hang, not slowness).
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return browsertest.New(t, 6*time.Minute)
}

// waitJS waits, within step, until expr is true in the page; on failure
// it shows the start of the page's text. An exception in expr (an element
// the page has not made yet, or a page still being replaced by the next
// one) counts as not yet: on a busy machine the poll often runs in between.
func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(step)
	guarded := "(() => { try { return !!(" + expr + "); } catch (e) { return false; } })()"
	var err error
	for {
		// A poll does not survive a navigation (after a login or a form):
		// poll again in the new page, within the same bound.
		_, err = chromedp.Run(ctx, chromedp.Poll[bool](guarded, chromedp.WithPollingTimeout(time.Until(deadline))))
		if err == nil || !(strings.Contains(err.Error(), "navigated") || strings.Contains(err.Error(), "Cannot find context")) || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		// What the expression itself says now, an exception included.
		_, now := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 800) : ""`))
		t.Fatalf("%s: %v (waited for %s; now: %v)\npage: %s", what, err, expr, now, text)
	}
}

// run runs steps in the browser and fails the test on an error.
func run(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// shot saves the page as docs/screenshots/name when save is set (each
// test file has its own flag for its screenshots).
func shot(t *testing.T, ctx context.Context, save bool, name string) {
	t.Helper()
	if !save {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
