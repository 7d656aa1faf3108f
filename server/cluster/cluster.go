// Package cluster lets several server processes share the offices of one
// PostgreSQL database (DESIGN.md "Scale"), with PostgreSQL's own
// guarantees and no protocol of its own:
//
//   - Ownership. Each office is owned by one process at a time: the one
//     holding the office's session advisory lock, on a connection the
//     process keeps for its locks. PostgreSQL releases the locks of a
//     process that dies (its connection closes), and another process takes
//     the office within one poll interval.
//   - Fencing. Taking an office increments its epoch in the lease table
//     (luot_cluster_owners). Every commit checks, in its own transaction
//     (store.CommitHook), that the committing process still holds the
//     epoch it took — an UPDATE of the lease row, which also orders the
//     commit against a take-over — and the store checks the office's last
//     seq: a process that lost the office can never write.
//   - Events. The same transaction sends NOTIFY luot_events '<office>:<seq>'
//     (delivered only if it commits). Every process LISTENs; a follower
//     reads the new events from the events table (engine.Catchup), applies
//     them to its view and publishes them to its own subscribers, so reads
//     and event streams are served everywhere and clients resume by seq on
//     any process. A periodic check catches a missed wake-up.
//   - Forwarding. A write that reaches a process not owning its office is
//     refused by the engine before anything is done (engine.ErrNotOwner);
//     Forward then sends the request to the owner's advertised URL with
//     the cluster's shared secret, and relays the answer.
//
// The engine stays the one place that commits: the owner's engine runs
// the office's commands; the cluster only decides who owns what.
package cluster

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"luot/server/engine"
)

// Channel is the NOTIFY channel of committed events; the payload is
// "<office>:<seq>".
const Channel = "luot_events"

// DefaultPoll is how often a process tries to take the offices nobody
// owns, checks its lock connection and catches up the offices it follows
// (the periodic check behind NOTIFY).
const DefaultPoll = 500 * time.Millisecond

// MinSecretLen is the shortest accepted shared secret.
const MinSecretLen = 16

// Config configures a process of a cluster.
type Config struct {
	// URL is the PostgreSQL database's URL (the one the store uses).
	URL string
	// Advertise is the base URL at which the other processes reach this
	// one (http://10.0.0.5:8080); it also names the process.
	Advertise string
	// Secret is shared by every process of the cluster; forwarded
	// requests carry it.
	Secret string
	// Poll is the period of the ownership and catch-up checks
	// (DefaultPoll when 0).
	Poll time.Duration
	// Log receives the ownership changes (slog.Default when nil).
	Log *slog.Logger
}

// Validate checks the configuration and says what to fix.
func (c Config) Validate() error {
	if !strings.HasPrefix(c.URL, "postgres://") && !strings.HasPrefix(c.URL, "postgresql://") {
		return errors.New("cluster: several processes share a PostgreSQL database: give -db postgres://…")
	}
	u, err := url.Parse(c.Advertise)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return fmt.Errorf("cluster: -advertise %q is not a base URL such as http://10.0.0.5:8080 at which the other processes reach this one", c.Advertise)
	}
	if len(c.Secret) < MinSecretLen {
		return fmt.Errorf("cluster: -cluster-secret must be at least %d characters, the same on every process", MinSecretLen)
	}
	return nil
}

// Node is this process's member of the cluster. Make it with New, set
// Hook as the store's commit hook, wrap the HTTP handler with Forward and
// call Run.
type Node struct {
	cfg  Config
	eng  *engine.Engine
	log  *slog.Logger
	base string // cfg.Advertise without a trailing slash

	mu      sync.Mutex
	epochs  map[string]int64 // offices this process owns → the epoch it took
	lock    *pgx.Conn        // holds the advisory locks; nil while reconnecting; used by Run's loop only
	release []string         // offices lost to a take-over, whose locks Run's loop releases
	free    map[string]int   // polls at which a free office was left to others (beyond the fair share)

	qmu  sync.Mutex
	look *pgx.Conn // owner look-ups of Forward
}

// New returns the node of this process over eng. It connects nowhere
// until Run.
func New(cfg Config, eng *engine.Engine) (*Node, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Poll <= 0 {
		cfg.Poll = DefaultPoll
	}
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}
	return &Node{cfg: cfg, eng: eng, log: log, base: strings.TrimSuffix(cfg.Advertise, "/"), epochs: map[string]int64{}}, nil
}

// Hook fences a commit and announces it: assign it to the store's commit
// hook (store.DB.SetCommitHook). It runs in the commit's transaction.
func (n *Node) Hook() func(ctx context.Context, tx *sql.Tx, office string, seq int64) error {
	return func(ctx context.Context, tx *sql.Tx, office string, seq int64) error {
		n.mu.Lock()
		epoch, ok := n.epochs[office]
		n.mu.Unlock()
		if !ok {
			return &engine.NotOwnerError{Office: office}
		}
		res, err := tx.ExecContext(ctx, `UPDATE luot_cluster_owners SET seq = $1 WHERE office = $2 AND epoch = $3 AND process = $4`,
			seq, office, epoch, n.base)
		if err != nil {
			return fmt.Errorf("check the ownership of office %s: %w", office, err)
		}
		if k, err := res.RowsAffected(); err != nil || k != 1 {
			n.lost(office, epoch)
			return fmt.Errorf("office %s was taken over (this process held epoch %d): %w", office, epoch, engine.ErrNotOwner)
		}
		if _, err := tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, Channel, office+":"+strconv.FormatInt(seq, 10)); err != nil {
			return fmt.Errorf("announce seq %d of office %s: %w", seq, office, err)
		}
		return nil
	}
}

// lost forgets an office whose epoch this process no longer holds (the
// engine makes it a follower itself, on the failed commit); the ownership
// loop releases its lock, so that the lock and the lease agree.
func (n *Node) lost(office string, epoch int64) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.epochs[office] == epoch {
		delete(n.epochs, office)
		n.release = append(n.release, office)
	}
}

// Owned lists the offices this process owns.
func (n *Node) Owned() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make([]string, 0, len(n.epochs))
	for id := range n.epochs {
		out = append(out, id)
	}
	return out
}

// Owner returns the advertised URL of the process that last took office,
// "" when nobody has.
func (n *Node) Owner(ctx context.Context, office string) (string, error) {
	n.qmu.Lock()
	defer n.qmu.Unlock()
	if n.look == nil || n.look.IsClosed() {
		c, err := pgx.Connect(ctx, n.cfg.URL)
		if err != nil {
			return "", fmt.Errorf("find the owner of office %s: %w", office, err)
		}
		n.look = c
	}
	var adv string
	// The row names the last process that took the office; if it has
	// died, forwarding to it fails until another takes the office over
	// (one poll interval), and the client tries again.
	err := n.look.QueryRow(ctx, `SELECT process FROM luot_cluster_owners WHERE office = $1`, office).Scan(&adv)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		n.look.Close(context.Background())
		n.look = nil
		return "", fmt.Errorf("find the owner of office %s: %w", office, err)
	}
	return adv, nil
}

// lockKey is the text hashed into an office's advisory lock key.
func lockKey(office string) string { return "luot office " + office }

// secretOK compares a forwarded request's secret in constant time.
func (n *Node) secretOK(s string) bool {
	return subtle.ConstantTimeCompare([]byte(s), []byte(n.cfg.Secret)) == 1
}
