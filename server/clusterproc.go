package main

import (
	"errors"
	"log/slog"
	"path/filepath"

	"luot/server/cluster"
	"luot/server/engine"
	"luot/server/store"
)

// checkCluster checks the flags of the database and of the cluster.
func (o *options) checkCluster() error {
	switch {
	case o.db != "" && !store.IsPostgresURL(o.db):
		return errors.New("-db takes a PostgreSQL URL, postgres://user@host/luot; without -db the server uses SQLite in -data")
	case o.advertise != "" && o.db == "":
		return errors.New("-advertise runs several processes on one PostgreSQL database: give -db postgres://… too")
	case o.advertise == "" && o.clusterSecret != "":
		return errors.New("-cluster-secret is used only with -advertise")
	case o.advertise != "":
		return cluster.Config{URL: o.db, Advertise: o.advertise, Secret: o.clusterSecret}.Validate()
	}
	return nil
}

// openStore opens PostgreSQL (-db) or the SQLite file of -data, which this
// process then holds alone.
func openStore(o *options) (*store.DB, func(), error) {
	if o.db != "" {
		db, err := store.OpenPostgres(o.db)
		if err != nil {
			return nil, nil, err
		}
		return db, func() { db.Close() }, nil
	}
	release, err := lockDataDir(o.data)
	if err != nil {
		return nil, nil, err
	}
	db, err := store.Open(filepath.Join(o.data, dbFile))
	if err != nil {
		release()
		return nil, nil, err
	}
	return db, func() { db.Close(); release() }, nil
}

// newNode makes this process a member of the cluster of -advertise (nil
// without it): its offices start as followers, its commits are fenced.
func newNode(o *options, db *store.DB, eng *engine.Engine, log *slog.Logger) (*cluster.Node, error) {
	if o.advertise == "" {
		return nil, nil
	}
	n, err := cluster.New(cluster.Config{URL: o.db, Advertise: o.advertise, Secret: o.clusterSecret, Log: log}, eng)
	if err != nil {
		return nil, err
	}
	db.SetCommitHook(n.Hook())
	eng.FollowByDefault()
	return n, nil
}
