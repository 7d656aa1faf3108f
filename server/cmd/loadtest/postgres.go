package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver, the server's own
)

// The PostgreSQL side of a run (-db): every run gets a fresh database in
// the cluster of -db, dropped afterwards, and the raw durable-commit rate
// is measured in it, as SQLite's is measured in the data folder.

// checkDBURL accepts a postgres:// URL of a database on this machine: a
// unix socket (host=/path) or a loopback address, since the raw commit
// rate is the limit of this machine's disk, and the tool loads nothing
// remote.
func checkDBURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return fmt.Errorf("-db %q: give a PostgreSQL URL such as postgres://postgres@127.0.0.1:5432/postgres or postgres:///postgres?host=/run/postgresql", redact(raw))
	}
	hosts := []string{u.Hostname()}
	if h := u.Query().Get("host"); h != "" {
		hosts = strings.Split(h, ",")
	} else if u.Host == "" {
		return nil // libpq's default: the local unix socket
	}
	for _, h := range hosts {
		if strings.HasPrefix(h, "/") {
			continue // a unix socket is on this machine
		}
		ips, err := net.LookupIP(h)
		if err != nil || len(ips) == 0 {
			return fmt.Errorf("-db: cannot resolve %q: %v", h, err)
		}
		for _, ip := range ips {
			if !ip.IsLoopback() {
				return fmt.Errorf("-db: refusing database host %s (%s): this tool measures databases on this machine only (loopback or a unix socket)", h, ip)
			}
		}
	}
	return nil
}

// redact hides a URL's password.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// withDatabase is raw with its database name replaced by name.
func withDatabase(raw, name string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	u.RawPath = ""
	return u.String(), nil
}

// freshDatabase creates an empty database for one run in the cluster of
// admin (a URL whose role may CREATE DATABASE) and returns its URL and
// a function that drops it (the server using it must be stopped first).
func freshDatabase(ctx context.Context, admin string) (string, func(), error) {
	db, err := sql.Open("pgx", admin)
	if err != nil {
		return "", func() {}, err
	}
	name := fmt.Sprintf("luot_load_%d", time.Now().UnixNano())
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(cctx, `CREATE DATABASE `+name); err != nil {
		db.Close()
		return "", func() {}, fmt.Errorf("create database %s in %s: %w", name, redact(admin), err)
	}
	drop := func() {
		dctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// FORCE: a server killed mid-run may leave connections behind.
		if _, err := db.ExecContext(dctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			fmt.Printf("loadtest: drop database %s: %v (drop it by hand)\n", name, err)
		}
		db.Close()
	}
	u, err := withDatabase(admin, name)
	if err != nil {
		drop()
		return "", func() {}, err
	}
	return u, drop, nil
}

// pgSettings names the settings that decide what a durable commit costs,
// as PostgreSQL reports them for the connection.
var pgSettings = []string{"server_version", "fsync", "synchronous_commit", "wal_sync_method", "full_page_writes", "synchronous_standby_names"}

// rawCommitRatePG measures single-row durable transactions per second on
// one connection to dbURL with synchronous_commit=on (whatever the
// server's default): each COMMIT returns once its WAL is flushed to the
// disk, as a commit of the store does. It returns the rate and the
// settings it ran with; it refuses a cluster with fsync off, whose
// "commits" would not be durable.
func rawCommitRatePG(ctx context.Context, dbURL string, d time.Duration) (float64, string, error) {
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		return 0, "", err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		return 0, "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SET synchronous_commit = on`); err != nil {
		return 0, "", err
	}
	var set []string
	for _, s := range pgSettings {
		var v string
		if err := conn.QueryRowContext(ctx, `SELECT current_setting($1)`, s).Scan(&v); err != nil {
			return 0, "", fmt.Errorf("read setting %s: %w", s, err)
		}
		if s == "fsync" && v != "on" {
			return 0, "", errors.New("the cluster runs with fsync=off: its commits are not durable, so there is no durable-commit rate to compare with; turn fsync on")
		}
		if v == "" {
			v = `""`
		}
		set = append(set, s+"="+v)
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE luot_raw_commit (id bigserial PRIMARY KEY, v bytea NOT NULL)`); err != nil {
		return 0, "", err
	}
	defer conn.ExecContext(context.Background(), `DROP TABLE IF EXISTS luot_raw_commit`)
	payload := make([]byte, 300) // about an event's size
	n := 0
	start := time.Now()
	for time.Since(start) < d {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return 0, "", err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO luot_raw_commit (v) VALUES ($1)`, payload); err != nil {
			tx.Rollback()
			return 0, "", err
		}
		if err := tx.Commit(); err != nil {
			return 0, "", err
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds(), strings.Join(set, " "), nil
}
