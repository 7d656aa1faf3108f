package e2e

import (
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"luot/internal/e2etest"
)

// TestRunScript runs the README's run command, scripts/run.sh, as a user
// would — once without a graphical display and once on an Xvfb display —
// with a temporary data folder, bin folder and a free port: it waits for
// the printed URLs and the demo ticket's PNG, checks that the pages
// answer (and, on the display, that the kiosk, board and counter station
// windows are up, the station connected),
// then presses Ctrl-C (SIGINT to the script's process group, as a
// terminal does) and checks that the script ends and no process it
// started is left.
func TestRunScript(t *testing.T) {
	if testing.Short() {
		t.Skip("runs scripts/run.sh (builds and starts every program): skipped with -short")
	}
	t.Run("headless", func(t *testing.T) { runScript(t, "") })
	t.Run("desktop", func(t *testing.T) {
		e2etest.NeedTools(t, "xdotool")
		runScript(t, e2etest.Xvfb(t))
	})
}

func runScript(t *testing.T, display string) {
	tmp := t.TempDir()
	data, bin := filepath.Join(tmp, "data"), filepath.Join(tmp, "bin")
	addr := e2etest.FreeAddr(t)
	cmd := exec.Command("./scripts/run.sh")
	cmd.Dir = e2etest.Root(t)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DISPLAY=") {
			env = append(env, kv)
		}
	}
	env = append(env, "CI=true", "LUOT_DATA="+data, "LUOT_BIN="+bin, "LUOT_ADDR="+addr)
	if display != "" {
		env = append(env, "DISPLAY="+display)
	}
	cmd.Env = env
	p, output := e2etest.StartLines(t, "scripts/run.sh", cmd)

	// The cgo builds of the kiosk and the display may take minutes on a
	// cold build cache.
	deadline := time.After(8 * time.Minute)
	var said []string
wait:
	for {
		select {
		case l, ok := <-output:
			if !ok {
				t.Fatalf("scripts/run.sh ended before it was up:\n%s", p.Log())
			}
			said = append(said, l)
			if strings.HasPrefix(l, "Lượt is running") {
				break wait
			}
		case <-deadline:
			t.Fatalf("scripts/run.sh was not up within 8 minutes:\n%s", p.Log())
		}
	}
	// The rest of the summary follows at once.
	summary := strings.Join(said, "\n")
	for len(said) < 200 {
		select {
		case l := <-output:
			said = append(said, l)
			summary += "\n" + l
			continue
		case <-time.After(2 * time.Second):
		}
		break
	}
	base := "http://" + addr
	for _, want := range []string{base + "/clerk", base + "/admin", base + "/admin/reports", base + "/board/demo", base + "/",
		"nv1", "PIN 1234", filepath.Join(data, "tickets", "ticket-0001.png"), filepath.Join(data, "luot.db"),
		base + "/staff/dossiers", base + "/hs", "xl-tuphap"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary does not name %q:\n%s", want, summary)
		}
	}
	if display == "" && !strings.Contains(summary, "no graphical display") {
		t.Errorf("without DISPLAY the script does not say so:\n%s", summary)
	}
	if st, err := os.Stat(filepath.Join(data, "tickets", "ticket-0001.png")); err != nil || st.Size() == 0 {
		t.Errorf("the demo ticket's PNG: %v", err)
	}
	if txt, err := os.ReadFile(filepath.Join(data, "tickets", "ticket-0001.txt")); err != nil || !strings.Contains(string(txt), "C001") || !strings.Contains(string(txt), base+"/t/") {
		t.Errorf("the demo ticket's text (want C001 and a tracking link on %s): %v\n%s", base, err, txt)
	}
	track := regexp.MustCompile(`follow the demo ticket\s+(\S+)`).FindStringSubmatch(summary)
	if track == nil {
		t.Errorf("no tracking link in the summary:\n%s", summary)
	}
	pages := []string{base + "/", base + "/clerk/login", base + "/admin/login", base + "/board/demo", base + "/api/v1/offices/demo"}
	if track != nil {
		pages = append(pages, track[1])
	}
	for _, u := range pages {
		resp, err := http.Get(u)
		if err != nil {
			t.Errorf("GET %s: %v", u, err)
			continue
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %s", u, resp.Status)
		}
	}
	// The virtual GSM modem: the server sends through it ("send my link
	// again" for an online number lands in its file) and web push is on.
	smsFile := filepath.Join(data, "sms", "messages.jsonl")
	if !strings.Contains(summary, smsFile) {
		t.Errorf("the summary does not name the SMS file %s:\n%s", smsFile, summary)
	}
	var remote struct{ Ticket struct{ ID string } }
	post(t, base+"/api/v1/offices/demo/remote-tickets", map[string]string{"service": "ho-tich", "phone": "0901234568", "name": "Lê Văn Tin"}, http.StatusCreated, &remote)
	post(t, base+"/api/v1/offices/demo/link-again", map[string]string{"phone": "0901234568", "lang": "vi"}, http.StatusAccepted, nil)
	e2etest.WaitFor(t, 30*time.Second, "the link's SMS in "+smsFile, func() bool {
		for _, m := range readSMS(t, smsFile) {
			if samePhone(m.Phone, "+84901234568") && strings.Contains(m.Text, base+"/t/"+remote.Ticket.ID) {
				return true
			}
		}
		return false
	})
	var key struct {
		PublicKey string `json:"public_key"`
	}
	get(t, base+"/api/v1/push/key", &key)
	if key.PublicKey == "" {
		t.Error("the demo serves no web push key")
	}
	if display != "" {
		// The counter station of q3: its window, connected with the demo
		// station key, and its virtual printer's folder in the summary.
		if !strings.Contains(summary, filepath.Join(data, "station-paper")) {
			t.Errorf("the summary does not name the station's receipts folder:\n%s", summary)
		}
		e2etest.WaitFor(t, time.Minute, "the counter station connected", func() bool {
			b, _ := os.ReadFile(filepath.Join(data, "log", "station.log"))
			return strings.Contains(string(b), "event stream connected")
		})
		for _, title := range []string{"Lượt — Kiosk", "Lượt — demo", "Lượt — demo — q3"} {
			e2etest.WaitFor(t, time.Minute, "the window "+title, func() bool {
				c := exec.Command("xdotool", "search", "--onlyvisible", "--name", title)
				c.Env = append(os.Environ(), "DISPLAY="+display)
				b, err := c.Output()
				return err == nil && strings.TrimSpace(string(b)) != ""
			})
		}
	}

	// Ctrl-C.
	begin := time.Now()
	syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
	select {
	case <-p.Done():
	case <-time.After(30 * time.Second):
		t.Fatalf("scripts/run.sh did not end within 30 s of Ctrl-C:\n%s", p.Log())
	}
	t.Logf("stopped %v after Ctrl-C", time.Since(begin).Round(time.Millisecond))
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Errorf("exit status after Ctrl-C: %d, want 130", code)
	}
	if !strings.Contains(p.Log(), "run: stopped") {
		t.Errorf("the script did not say it stopped:\n%s", p.Log())
	}
	for _, dir := range []string{bin, data} {
		if left := processesUsing(dir); len(left) > 0 {
			t.Errorf("processes left after Ctrl-C:\n%s", strings.Join(left, "\n"))
		}
	}
}
