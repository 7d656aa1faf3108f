package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"luot/server/store"
)

// dbFile is the SQLite file in the data folder.
const dbFile = "luot.db"

// openStore opens the database of the options: PostgreSQL with -db, else
// the SQLite file in the data folder, which is locked first (release
// unlocks it). Servers on PostgreSQL share their database by design, so
// no lock is taken for it.
func openStore(o *options) (db *store.DB, release func(), err error) {
	if o.dbURL != "" {
		db, err := store.OpenPostgres(o.dbURL, store.PostgresOptions{PoolSize: o.dbPool})
		if err != nil {
			return nil, nil, err
		}
		return db, func() {}, nil
	}
	release, err = lockDataDir(o.data)
	if err != nil {
		return nil, nil, err
	}
	db, err = store.Open(filepath.Join(o.data, dbFile))
	if err != nil {
		release()
		return nil, nil, err
	}
	return db, release, nil
}

// lockDataDir takes an exclusive lock on the data folder, so that two
// servers never share one database and a restore never runs under a live
// server. The lock is released when the process ends, even by SIGKILL.
func lockDataDir(dir string) (release func(), err error) {
	f, err := os.OpenFile(filepath.Join(dir, "luot.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock data folder: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another Lượt server is using the data folder %s: stop it first", dir)
		}
		return nil, fmt.Errorf("lock data folder %s: %w", dir, err)
	}
	return func() { f.Close() }, nil
}

// backupTo writes a consistent copy of the database to file, while a server
// may be running on it (SQLite's VACUUM INTO reads one snapshot).
func backupTo(ctx context.Context, dir, file string) error {
	db, err := store.Open(filepath.Join(dir, dbFile))
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, file); err != nil {
		return err
	}
	// Make sure the copy opens as a Lượt database before calling it a backup.
	check, err := store.Open(file)
	if err != nil {
		return fmt.Errorf("the backup %s does not open: %w", file, err)
	}
	return check.Close()
}

// restoreFrom replaces the database by a backup. The server must be
// stopped (the data folder lock says so). The current database is kept
// beside it as luot.db.before-restore-<time>.
func restoreFrom(dir, file string, now time.Time) (kept string, err error) {
	release, err := lockDataDir(dir)
	if err != nil {
		return "", err
	}
	defer release()
	check, err := store.Open(file)
	if err != nil {
		return "", fmt.Errorf("%s is not a Lượt database this program can use: %w", file, err)
	}
	check.Close()
	live := filepath.Join(dir, dbFile)
	if _, err := os.Stat(live); err == nil {
		kept = live + ".before-restore-" + now.UTC().Format("20060102T150405Z")
		if err := os.Rename(live, kept); err != nil {
			return "", fmt.Errorf("keep the current database: %w", err)
		}
	}
	// The old write-ahead log belongs to the old file: it must not be
	// replayed into the restored one.
	for _, ext := range []string{"-wal", "-shm"} {
		if err := os.Remove(live + ext); err != nil && !errors.Is(err, os.ErrNotExist) {
			return kept, fmt.Errorf("remove %s: %w", live+ext, err)
		}
	}
	if err := copyFile(file, live); err != nil {
		return kept, err
	}
	return kept, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy %s: %w", from, err)
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
