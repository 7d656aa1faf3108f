// Package pushtest runs npm's web-push-testing, a push service that
// decrypts what it receives, for tests: it starts one on a free loopback
// port, subscribes like a browser would and reads the messages back as
// the browser's service worker would see them.
//
// web-push-testing is pinned by scripts/webpushtesting/package-lock.json
// and installed there by scripts/setup.sh (see [Install]).
package pushtest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"luot/server/webpush"
)

// Install is the command, run at the repository's root, that installs
// web-push-testing where this package finds it (scripts/setup.sh runs it).
const Install = "npm ci --prefix scripts/webpushtesting --no-audit --no-fund --ignore-scripts"

// pkgRel is the installed package, relative to the repository's root.
var pkgRel = filepath.Join("scripts", "webpushtesting", "node_modules", "web-push-testing")

// ErrNotInstalled says that Node.js or web-push-testing is missing.
var ErrNotInstalled = errors.New("pushtest: web-push-testing is not installed: run scripts/setup.sh or, at the repository's root, " + Install)

// launcher runs web-push-testing's server on 127.0.0.1 at a port the
// system picks (its own command line listens on every address at a port
// given in advance), says the port on standard output and stops when its
// standard input closes, so that it never outlives the test. It uses the
// server's module of the pinned version 1.2.2.
const launcher = `
const dir = process.argv[1];
const {PushApiModel} = require(dir + '/src/PushApiModel.js');
const Server = require(dir + '/src/server.js');
const model = new PushApiModel();
const s = new Server(model, 0);
s.setRequestHandlers();
s._server = s._app.listen(0, '127.0.0.1', () => {
	const port = s._server.address().port;
	model.notifyUrl = 'http://127.0.0.1:' + port + '/notify/';
	console.log('listening ' + port);
});
s._server.on('error', err => { console.error(String(err)); process.exit(1); });
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
`

// Service is a running web-push-testing.
type Service struct {
	// URL is its base, e.g. http://127.0.0.1:40123.
	URL string

	cmd   *exec.Cmd
	stdin io.WriteCloser
	done  chan struct{}
	mu    sync.Mutex
	log   bytes.Buffer
}

// Sub is a subscription made at a Service: what a browser would hand the
// application server, and the service's name for it.
type Sub struct {
	webpush.Subscription
	// ClientHash names the subscription at the service.
	ClientHash string
}

// JSON is the subscription as a browser's PushSubscription.toJSON()
// gives it to the page, to post to the application server's API.
func (s Sub) JSON() map[string]any {
	return map[string]any{
		"endpoint":       s.Endpoint,
		"expirationTime": nil,
		"keys":           map[string]string{"p256dh": s.P256DH, "auth": s.Auth},
	}
}

// Dir returns the installed web-push-testing package, found from the
// working directory up to the module's root, or ErrNotInstalled.
func Dir() (string, error) {
	if _, err := exec.LookPath("node"); err != nil {
		return "", fmt.Errorf("%w (Node.js is not on PATH)", ErrNotInstalled)
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, pkgRel)
		if _, err := os.Stat(filepath.Join(p, "src", "server.js")); err == nil {
			return p, nil
		}
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return "", ErrNotInstalled
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", ErrNotInstalled
		}
		dir = up
	}
}

// Start starts web-push-testing for t, stopped when t ends. Without
// Node.js or the package, t is skipped with the command that installs it
// — but not under CI (CI set), where it fails.
func Start(t testing.TB) *Service {
	t.Helper()
	if _, err := Dir(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s, err := Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("pushtest: %v", err)
		}
	})
	return s
}

// Run starts web-push-testing and waits, within ctx, until it listens.
// Close stops it.
func Run(ctx context.Context) (*Service, error) {
	dir, err := Dir()
	if err != nil {
		return nil, err
	}
	s := &Service{done: make(chan struct{})}
	s.cmd = exec.Command("node", "-e", launcher, dir)
	s.cmd.Dir = dir
	s.cmd.Stderr = (*logWriter)(s)
	if s.stdin, err = s.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("pushtest: start web-push-testing: %w", err)
	}
	port := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if p, ok := strings.CutPrefix(line, "listening "); ok {
				select {
				case port <- p:
				default:
				}
				continue
			}
			s.logf("%s\n", line)
		}
	}()
	go func() { s.cmd.Wait(); close(s.done) }()
	select {
	case p := <-port:
		s.URL = "http://127.0.0.1:" + p
		return s, nil
	case <-s.done:
		return nil, fmt.Errorf("pushtest: web-push-testing ended before it listened (%v): %s", s.cmd.ProcessState, s.Log())
	case <-ctx.Done():
		s.Close()
		return nil, fmt.Errorf("pushtest: web-push-testing did not listen: %w: %s", ctx.Err(), s.Log())
	}
}

// Close stops the service: it ends when its standard input closes, and is
// killed if it has not within 5 seconds.
func (s *Service) Close() error {
	s.stdin.Close()
	select {
	case <-s.done:
		return nil
	case <-time.After(5 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
		return fmt.Errorf("web-push-testing did not stop when asked and was killed: %s", s.Log())
	}
}

type logWriter Service

func (w *logWriter) Write(p []byte) (int, error) {
	(*Service)(w).logf("%s", p)
	return len(p), nil
}

func (s *Service) logf(format string, a ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.log.Len() < 64<<10 {
		fmt.Fprintf(&s.log, format, a...)
	}
}

// Log is what the service wrote (its complaints about bad messages, e.g.
// a VAPID token it refused), for a failing test to show.
func (s *Service) Log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.String()
}

// post posts JSON to the service and decodes its answer's "data" into out.
func (s *Service) post(ctx context.Context, path string, in, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+path, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("pushtest: %s: %w", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("pushtest: %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("pushtest: %s answered %d: %s", path, resp.StatusCode, body)
	}
	if out == nil {
		return nil
	}
	var env struct{ Data json.RawMessage }
	if err := json.Unmarshal(body, &env); err != nil || env.Data == nil {
		return fmt.Errorf("pushtest: %s answered %s, not {\"data\": …}", path, body)
	}
	return json.Unmarshal(env.Data, out)
}

// Subscribe subscribes like a browser's pushManager.subscribe would, with
// the application server key applicationServerKey (base64url, as
// webpush.Keys.PublicKey gives it): the service then takes only messages
// signed with that key.
func (s *Service) Subscribe(ctx context.Context, applicationServerKey string) (Sub, error) {
	var got struct {
		Endpoint   string
		Keys       struct{ P256DH, Auth string }
		ClientHash string
	}
	if err := s.post(ctx, "/subscribe", map[string]string{"applicationServerKey": applicationServerKey}, &got); err != nil {
		return Sub{}, err
	}
	if got.Endpoint == "" || got.Keys.P256DH == "" || got.Keys.Auth == "" || got.ClientHash == "" {
		return Sub{}, fmt.Errorf("pushtest: the subscription lacks a part: %+v", got)
	}
	return Sub{
		Subscription: webpush.Subscription{Endpoint: got.Endpoint, P256DH: got.Keys.P256DH, Auth: got.Keys.Auth},
		ClientHash:   got.ClientHash,
	}, nil
}

// Messages returns the decrypted payloads sub received, oldest first.
func (s *Service) Messages(ctx context.Context, sub Sub) ([]string, error) {
	var got struct{ Messages []string }
	if err := s.post(ctx, "/get-notifications", map[string]string{"clientHash": sub.ClientHash}, &got); err != nil {
		return nil, err
	}
	return got.Messages, nil
}

// WaitMessages returns sub's messages once there are at least n, asking
// the service every 20 ms until ctx ends.
func (s *Service) WaitMessages(ctx context.Context, sub Sub, n int) ([]string, error) {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	var m []string
	for {
		got, err := s.Messages(ctx, sub)
		if err != nil && ctx.Err() == nil {
			return m, err
		}
		if err == nil {
			m = got
		}
		if len(m) >= n {
			return m, nil
		}
		select {
		case <-ctx.Done():
			return m, fmt.Errorf("pushtest: %d of %d messages arrived: %w; the service said: %s", len(m), n, ctx.Err(), s.Log())
		case <-tick.C:
		}
	}
}

// Expire makes the service answer 410 Gone to messages for sub, as a push
// service does after the user revoked the permission.
func (s *Service) Expire(ctx context.Context, sub Sub) error {
	return s.post(ctx, "/expire-subscription/"+sub.ClientHash, struct{}{}, nil)
}
