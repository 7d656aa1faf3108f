package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// AxeInstall is the command that installs axe-core where [Axe] finds it
// (scripts/setup.sh runs it).
const AxeInstall = "npm ci --prefix internal/browsertest/axe --no-audit --no-fund --ignore-scripts"

// axeRel is axe-core's script, relative to the repository's root.
var axeRel = filepath.Join("internal", "browsertest", "axe", "node_modules", "axe-core", "axe.min.js")

// ErrNoAxe says that axe-core is not installed.
var ErrNoAxe = errors.New("axe-core is not installed: run scripts/setup.sh or, at the repository's root, " + AxeInstall)

// Violation is one axe-core rule that a page breaks: the rule, how bad
// ("minor", "moderate", "serious", "critical"), what it asks for, and the
// elements that break it (CSS selectors, with a snippet of their HTML).
type Violation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	HelpURL string   `json:"helpUrl"`
	Nodes   []string `json:"nodes"`
}

// Serious reports whether v is serious or critical: the gate's level.
func (v Violation) Serious() bool { return v.Impact == "serious" || v.Impact == "critical" }

func (v Violation) String() string {
	return fmt.Sprintf("%s (%s): %s — %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "; "))
}

var axeSource = sync.OnceValues(func() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, axeRel)); err == nil {
			return string(b), nil
		}
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return "", ErrNoAxe // the module's root, and no axe-core in it
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", ErrNoAxe
		}
		dir = up
	}
})

// NeedAxe makes t depend on axe-core: without it the test is skipped with
// the command that installs it — but not under CI (CI=true), where it
// fails.
func NeedAxe(t testing.TB) {
	t.Helper()
	if _, err := axeSource(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
}

// Axe runs axe-core on the page of ctx, as it is now, against the WCAG 2
// A and AA rules and axe's best practices, and returns what it breaks.
func Axe(ctx context.Context) ([]Violation, error) {
	src, err := axeSource()
	if err != nil {
		return nil, err
	}
	// The page may have loaded axe already (a second check of the same
	// page): loading it again is harmless.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](src+"\n;void 0")); err != nil {
		return nil, fmt.Errorf("load axe-core into the page: %w", err)
	}
	const run = `axe.run(document, {resultTypes: ["violations"], runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
		.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
			nodes: v.nodes.map(n => n.target.join(" ") + " " + (n.html || "").slice(0, 120))})))`
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](run, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("run axe-core: %w", err)
	}
	return out, nil
}

// SeriousOnly keeps the serious and critical violations of vs.
func SeriousOnly(vs []Violation) []Violation {
	var out []Violation
	for _, v := range vs {
		if v.Serious() {
			out = append(out, v)
		}
	}
	return out
}
