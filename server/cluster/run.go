package cluster

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"luot/server/store"
)

// schema is the lease table: per office, the epoch of its last take-over,
// the process (advertised URL) that took it and the seq of its last
// commit. Created by the first process of the cluster; it holds no data
// that outlives the processes' meaning.
const schema = `CREATE TABLE IF NOT EXISTS luot_cluster_owners (
	office  text PRIMARY KEY,
	epoch   bigint NOT NULL,
	process text NOT NULL,
	seq     bigint NOT NULL DEFAULT 0,
	since   timestamptz NOT NULL DEFAULT now()
)`

// Run keeps this process in the cluster until ctx ends: it takes the
// offices nobody owns, follows the others (LISTEN, and a periodic check)
// and, when its lock connection is lost, gives up every office at once —
// PostgreSQL has released the locks, another process may take them — and
// then reconnects. It returns ctx's error; the offices it owned are then
// released with its connections.
func (n *Node) Run(ctx context.Context) error {
	// The database may be out of reach at start: the process serves
	// (reads of its followed offices fail meanwhile) and keeps trying.
	for {
		err := n.setup(ctx)
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		n.log.Warn("cluster: set up; will retry", "err", err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(n.cfg.Poll):
		}
	}
	done := make(chan struct{})
	go func() { defer close(done); n.listen(ctx) }()
	t := time.NewTicker(n.cfg.Poll)
	defer t.Stop()
	for {
		n.step(ctx)
		select {
		case <-ctx.Done():
			// The offices are given up before the locks, so that no
			// command runs on an office another process may take.
			n.mu.Lock()
			c := n.lock
			n.mu.Unlock()
			n.giveUpAll()
			if c != nil {
				c.Close(context.Background())
			}
			n.qmu.Lock()
			if n.look != nil {
				n.look.Close(context.Background())
			}
			n.qmu.Unlock()
			<-done
			return ctx.Err()
		case <-t.C:
		}
	}
}

// setup creates the lease table, once for the whole cluster.
func (n *Node) setup(ctx context.Context) error {
	c, err := pgx.Connect(ctx, n.cfg.URL)
	if err != nil {
		return fmt.Errorf("cluster: connect to the database: %w", err)
	}
	defer c.Close(context.Background())
	tx, err := c.Begin(ctx)
	if err != nil {
		return fmt.Errorf("cluster: create the lease table: %w", err)
	}
	defer tx.Rollback(context.Background())
	// Processes starting together would race on CREATE TABLE IF NOT EXISTS.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('luot cluster schema', 0))`); err != nil {
		return fmt.Errorf("cluster: create the lease table: %w", err)
	}
	if _, err := tx.Exec(ctx, schema); err != nil {
		return fmt.Errorf("cluster: create the lease table: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("cluster: create the lease table: %w", err)
	}
	return nil
}

// step is one round of the ownership loop: check (or remake) the lock
// connection, load new offices, take the free ones, catch up the others.
func (n *Node) step(ctx context.Context) {
	if ctx.Err() != nil {
		return
	}
	c := n.lockConn(ctx)
	if c == nil {
		return
	}
	n.mu.Lock()
	release := n.release
	n.release = nil
	n.mu.Unlock()
	for _, id := range release {
		if _, err := c.Exec(ctx, `SELECT pg_advisory_unlock(hashtextextended($1, 0))`, lockKey(id)); err != nil {
			n.log.Warn("cluster: release the lock of a lost office", "office", id, "err", err)
		}
	}
	if err := n.eng.Load(ctx); err != nil {
		n.log.Warn("cluster: load new offices", "err", err)
	}
	ids := n.eng.OfficeIDs()
	fair := n.fairShare(ctx, c, len(ids))
	seqs := n.committed(ctx, c)
	for _, id := range ids {
		if ctx.Err() != nil {
			return
		}
		n.mu.Lock()
		_, mine := n.epochs[id]
		owned := len(n.epochs)
		n.mu.Unlock()
		if !mine {
			if err := n.take(ctx, c, id, owned < fair); err != nil {
				n.log.Warn("cluster: take office", "office", id, "err", err)
			}
		}
		if !n.eng.Owns(id) && n.behind(id, seqs) {
			if err := n.eng.Catchup(ctx, id); err != nil && ctx.Err() == nil {
				n.log.Warn("cluster: catch up office", "office", id, "err", err)
			}
		}
	}
	n.shed(ctx, c, fair)
}

// committed reads every office's last committed seq from the lease
// table (the fenced commit writes it), in one query: the periodic check
// behind NOTIFY. Nil when it fails: then every followed office is caught
// up.
func (n *Node) committed(ctx context.Context, c *pgx.Conn) map[string]int64 {
	rows, err := c.Query(ctx, `SELECT office, seq FROM luot_cluster_owners`)
	if err != nil {
		return nil
	}
	seqs := map[string]int64{}
	for rows.Next() {
		var id string
		var seq int64
		if rows.Scan(&id, &seq) != nil {
			return nil
		}
		seqs[id] = seq
	}
	if rows.Err() != nil {
		return nil
	}
	return seqs
}

// behind reports whether the view of a followed office is behind its last
// committed seq (true when that is unknown).
func (n *Node) behind(office string, seqs map[string]int64) bool {
	if seqs == nil {
		return true
	}
	v, err := n.eng.View(office)
	return err != nil || v.Seq < seqs[office]
}

// lockApp is the application_name of the lock connections: one per live
// process, which is how the processes count each other.
const lockApp = "luot-cluster-locks"

// fairShare is how many offices this process should own: the offices
// divided by the live processes, rounded up (all of them when the count
// fails).
func (n *Node) fairShare(ctx context.Context, c *pgx.Conn, offices int) int {
	var live int
	err := c.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, lockApp).Scan(&live)
	if err != nil || live < 1 {
		return offices
	}
	return (offices + live - 1) / live
}

// freePolls is how many polls a process beyond its fair share leaves a
// free office to the others before it takes it.
const freePolls = 4

// waited counts the polls at which this process, beyond its fair share,
// found office free (free false: someone holds it), and reports whether
// it has left it to the others long enough.
func (n *Node) waited(office string, free bool) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if !free {
		delete(n.free, office)
		return false
	}
	if n.free == nil {
		n.free = map[string]int{}
	}
	n.free[office]++
	return n.free[office] > freePolls
}

// shed hands one office over when this process owns more than its fair
// share (a process joined): the engine follows it first — a batch in
// flight finishes, nothing runs after — then the lock is released and a
// process under its share takes the office (a second or so of 503
// office_moving, which clients retry). One office per poll.
func (n *Node) shed(ctx context.Context, c *pgx.Conn, fair int) {
	n.mu.Lock()
	if len(n.epochs) <= fair {
		n.mu.Unlock()
		return
	}
	var office string
	for id := range n.epochs {
		if office == "" || id > office {
			office = id
		}
	}
	delete(n.epochs, office)
	n.mu.Unlock()
	if err := n.eng.Follow(office); err != nil {
		n.log.Warn("cluster: follow office", "office", office, "err", err)
	}
	if _, err := c.Exec(ctx, `SELECT pg_advisory_unlock(hashtextextended($1, 0))`, lockKey(office)); err != nil {
		n.log.Warn("cluster: release office", "office", office, "err", err)
		return
	}
	n.log.Info("cluster: office handed over to share the offices", "office", office, "fair_share", fair)
}

// lockConn returns the lock connection after checking it. A lost one
// means every lock is gone: the offices are given up at once, then the
// connection is remade (nil is returned until it is).
func (n *Node) lockConn(ctx context.Context) *pgx.Conn {
	n.mu.Lock()
	c := n.lock
	n.mu.Unlock()
	if c != nil {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		err := c.Ping(pctx)
		cancel()
		if err == nil {
			return c
		}
		if ctx.Err() != nil {
			return nil
		}
		n.log.Error("cluster: the lock connection is lost; giving up every office", "err", err)
		n.giveUpAll()
		c.Close(context.Background())
	}
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	cfg, err := pgx.ParseConfig(n.cfg.URL)
	if err == nil {
		cfg.RuntimeParams["application_name"] = lockApp
		c, err = pgx.ConnectConfig(cctx, cfg)
	}
	if err != nil {
		if ctx.Err() == nil {
			n.log.Warn("cluster: connect for the office locks; will retry", "err", err)
		}
		return nil
	}
	// Shared with the other processes of the cluster, refused while a
	// server without -advertise uses the database alone (store.UseAlone).
	var shared bool
	if err := c.QueryRow(cctx, `SELECT pg_try_advisory_lock_shared(hashtextextended($1, 0))`, store.ProcessesLock).Scan(&shared); err != nil || !shared {
		c.Close(context.Background())
		if err == nil {
			err = errors.New("a server without -advertise uses this database alone: stop it, or give it -advertise")
		}
		n.log.Error("cluster: no office can be taken; will retry", "err", err)
		return nil
	}
	n.mu.Lock()
	n.lock = c
	n.mu.Unlock()
	return c
}

// giveUpAll makes every owned office a follower: the locks are gone.
func (n *Node) giveUpAll() {
	n.mu.Lock()
	owned := n.epochs
	n.epochs = map[string]int64{}
	n.release = nil // released with the connection
	n.lock = nil
	n.mu.Unlock()
	for id := range owned {
		if err := n.eng.Follow(id); err != nil {
			n.log.Warn("cluster: follow office", "office", id, "err", err)
		}
	}
}

// take tries the office's lock; when it gets it, it increments the
// office's epoch (which fences any commit of the previous owner, and
// waits for one in flight) and makes the engine the owner, which reloads
// the office from the store.
//
// Beyond its fair share (eager false) a process leaves a free office to
// the others for a few polls before it takes it, so that the offices
// spread over the processes, and none stays without an owner.
func (n *Node) take(ctx context.Context, c *pgx.Conn, office string, eager bool) error {
	var got bool
	if err := c.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtextextended($1, 0))`, lockKey(office)).Scan(&got); err != nil {
		return err
	}
	if !n.waited(office, got) && !(got && eager) {
		if got {
			_, err := c.Exec(ctx, `SELECT pg_advisory_unlock(hashtextextended($1, 0))`, lockKey(office))
			return err
		}
		return nil
	}
	var epoch int64
	err := c.QueryRow(ctx, `INSERT INTO luot_cluster_owners (office, epoch, process) VALUES ($1, 1, $2)
		ON CONFLICT (office) DO UPDATE SET epoch = luot_cluster_owners.epoch + 1, process = excluded.process, since = now()
		RETURNING epoch`, office, n.base).Scan(&epoch)
	if err == nil {
		n.mu.Lock()
		n.epochs[office] = epoch
		delete(n.free, office)
		n.mu.Unlock()
		start := time.Now()
		if err = n.eng.Own(ctx, office); err == nil {
			n.log.Info("cluster: office taken", "office", office, "epoch", epoch, "load", time.Since(start))
			return nil
		}
		n.mu.Lock()
		delete(n.epochs, office)
		n.mu.Unlock()
	}
	c.Exec(context.Background(), `SELECT pg_advisory_unlock(hashtextextended($1, 0))`, lockKey(office))
	return err
}

// listen follows the NOTIFY wake-ups until ctx ends, reconnecting when
// its connection is lost; after a reconnection every followed office is
// caught up by the ownership loop's periodic check.
func (n *Node) listen(ctx context.Context) {
	for ctx.Err() == nil {
		c, err := pgx.Connect(ctx, n.cfg.URL)
		if err == nil {
			_, err = c.Exec(ctx, "LISTEN "+Channel)
		}
		if err != nil {
			if c != nil {
				c.Close(context.Background())
			}
			if ctx.Err() == nil {
				n.log.Warn("cluster: listen for events; will retry", "err", err)
			}
			select {
			case <-ctx.Done():
			case <-time.After(n.cfg.Poll):
			}
			continue
		}
		for {
			note, err := c.WaitForNotification(ctx)
			if err != nil {
				break
			}
			n.wake(ctx, note.Payload)
		}
		c.Close(context.Background())
	}
}

// wake catches up the office of a wake-up "<office>:<seq>" when this
// process follows it and has not seen that seq.
func (n *Node) wake(ctx context.Context, payload string) {
	office, s, ok := strings.Cut(payload, ":")
	seq, err := strconv.ParseInt(s, 10, 64)
	if !ok || err != nil {
		n.log.Warn("cluster: a wake-up that is not <office>:<seq>", "payload", payload)
		return
	}
	if v, err := n.eng.View(office); err == nil && (v.Seq >= seq || n.eng.Owns(office)) {
		return
	}
	if err := n.eng.Catchup(ctx, office); err != nil && !errors.Is(err, context.Canceled) {
		n.log.Warn("cluster: catch up office", "office", office, "seq", seq, "err", err)
	}
}
