package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"luot/internal/e2etest"
	"luot/internal/pgtest"
	"luot/server/client"
)

// TestFaultPostgresStoppedUnderLoad stops PostgreSQL with pg_ctl stop -m
// immediate (a crash of the database server) while kiosks issue and
// clerks call through the real server binary on -db, then starts it again:
// while it is down every issue is refused with 503 database_unavailable
// and none is acknowledged; after the restart the same server process
// issues again by itself; every acknowledged ticket is in the database
// with its number (checked by a new server process after a SIGKILL of the
// first), no number is given twice, and none is reused afterwards.
func TestFaultPostgresStoppedUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes and stops the tests' PostgreSQL")
	}
	pg := pgtest.Get(t)
	dbURL := pg.NewDatabase(t)
	// Whatever happens below, the cluster runs again for the other tests
	// and for the database's own cleanup (registered before: runs after).
	t.Cleanup(func() {
		if !pgUp(pg) {
			if err := pg.Start(); err != nil {
				t.Errorf("restart PostgreSQL: %v", err)
			}
		}
	})
	data := t.TempDir()
	srv := startServer(t, data, "-demo", "-db", dbURL)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	kiosk, _ := client.New(srv.url(), client.WithDeviceKey("demo-kiosk"), client.WithRetries(0, 0))
	office, err := kiosk.Office(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}

	lctx, stopLoad := context.WithCancel(ctx)
	defer stopLoad()
	var (
		mu       sync.Mutex
		acks     []acked
		ackedAt  []time.Time
		failures = map[string]int{} // "status code" → count, while down
		late     = map[string]int{} // the same once PostgreSQL accepts connections again
		phase    atomic.Int32       // 0 up, 1 stopping, down or restarting, 2 restarted
		wg       sync.WaitGroup
	)
	for i, counter := range []string{"q1", "q2"} {
		anon, _ := client.New(srv.url())
		s, err := anon.Login(ctx, "demo", counter, fmt.Sprintf("nv%d", i+1), "1234")
		if err != nil {
			t.Fatal(err)
		}
		clerk, _ := client.New(srv.url(), client.WithToken(s.Token), client.WithRetries(0, 0))
		if _, err := clerk.Act(ctx, counter, client.ActionOpen, nil); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for lctx.Err() == nil {
				if _, err := clerk.Act(lctx, counter, client.ActionNext, nil); err != nil {
					select { // an empty line or a refused call: pace, go on
					case <-lctx.Done():
					case <-time.After(20 * time.Millisecond):
					}
				}
			}
		}()
	}
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; lctx.Err() == nil; i++ {
				svc := office.Services[(w+i)%len(office.Services)].ID
				tk, err := kiosk.Issue(lctx, "demo", client.IssueRequest{Service: svc}, client.NewIdempotencyKey())
				now := time.Now()
				if err != nil {
					if lctx.Err() != nil {
						return
					}
					var ce *client.Error
					what := err.Error()
					if errors.As(err, &ce) {
						what = fmt.Sprintf("%d %s", ce.Status, ce.Code)
					}
					mu.Lock()
					switch phase.Load() {
					case 0:
						t.Errorf("issue before PostgreSQL stopped: %v", err)
					case 1:
						failures[what]++
					default: // connections of the pool that died with the old server
						late[what]++
					}
					mu.Unlock()
					time.Sleep(20 * time.Millisecond) // a kiosk waits before its next try
					continue
				}
				mu.Lock()
				acks = append(acks, acked{tk.ID, tokenOf(tk.TrackURL), tk.Number, svc})
				ackedAt = append(ackedAt, now)
				mu.Unlock()
			}
		}()
	}
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(acks) }
	e2etest.WaitFor(t, 60*time.Second, "100 tickets acknowledged", func() bool { return count() >= 100 })

	phase.Store(1)
	if err := pg.Stop("immediate"); err != nil {
		t.Fatal(err)
	}
	stopped := time.Now()
	before := count()
	// Down for 2 s at least: long enough for every kiosk and clerk to meet it.
	e2etest.WaitFor(t, 30*time.Second, "20 issues refused in 2 s of PostgreSQL down", func() bool {
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for _, c := range failures {
			n += c
		}
		return n >= 20 && time.Since(stopped) >= 2*time.Second
	})
	// Reads the server answers from memory keep working.
	anon, _ := client.New(srv.url(), client.WithRetries(0, 0))
	if st, err := anon.State(ctx, "demo"); err != nil || st.Seq == 0 {
		t.Errorf("the office's state while PostgreSQL is down: %v", err)
	}
	// A request that was acknowledged while the database was down would
	// have been acknowledged without being durable.
	restarting := time.Now()
	mu.Lock()
	for i, at := range ackedAt {
		if at.After(stopped) && at.Before(restarting) {
			t.Errorf("ticket %s acknowledged %v after PostgreSQL stopped", acks[i].number, at.Sub(stopped))
		}
	}
	mu.Unlock()
	if err := pg.Start(); err != nil {
		t.Fatal(err)
	}
	up := time.Now()
	phase.Store(2)
	back := e2etest.WaitFor(t, 60*time.Second, "an issue acknowledged after PostgreSQL restarted", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(ackedAt) > 0 && ackedAt[len(ackedAt)-1].After(up)
	})
	e2etest.WaitFor(t, 60*time.Second, "50 more tickets after the restart", func() bool { return count() >= before+50 })
	select {
	case <-srv.done:
		t.Fatal("the server exited: it must ride out the database's restart")
	default:
	}
	stopLoad()
	wg.Wait()
	mu.Lock()
	refused := failures["503 database_unavailable"]
	for what, n := range failures {
		if what != "503 database_unavailable" {
			t.Errorf("while PostgreSQL was stopping, down or starting, %d issues got %q, want 503 database_unavailable", n, what)
			logUnavailable(t, srv)
		}
	}
	for what, n := range late {
		if what != "503 database_unavailable" {
			t.Errorf("after PostgreSQL restarted, %d issues got %q, want 503 database_unavailable or success", n, what)
		}
	}
	mu.Unlock()

	// Every acknowledged ticket is durable: a new server process reads
	// them from PostgreSQL.
	srv.kill()
	srv2 := startServer(t, data, "-demo", "-db", dbURL)
	c2, _ := client.New(srv2.url(), client.WithDeviceKey("demo-kiosk"))
	checkAcknowledged(t, c2, acks, office, "the database's restart")
	t.Logf("%d tickets acknowledged (%d before pg_ctl stop -m immediate), all present, none twice; %d issues refused with 503 database_unavailable in %.1f s from the stop to the restart, %d after it; first issue %.2f s after PostgreSQL accepted connections again, same server process",
		len(acks), before, refused, up.Sub(stopped).Seconds(), late["503 database_unavailable"], back.Seconds())
}

// pgUp reports whether the tests' cluster accepts connections.
func pgUp(pg *pgtest.Cluster) bool {
	db, err := sql.Open("pgx", pg.URL("postgres"))
	if err != nil {
		return false
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return db.PingContext(ctx) == nil
}

// logUnavailable logs the server's lines about errors, to name what a
// refusal without a clear code came from.
func logUnavailable(t *testing.T, p *serverProc) {
	p.mu.Lock()
	defer p.mu.Unlock()
	seen := map[string]bool{}
	for _, l := range p.log {
		_, err, ok := strings.Cut(l, " err=")
		if ok && !seen[err] && len(seen) < 20 {
			seen[err] = true
			t.Log(l)
		}
	}
}
