package main

import (
	"errors"
	"log/slog"

	"luot/server/cluster"
	"luot/server/engine"
	"luot/server/store"
)

// checkCluster checks the flags of the database and of the cluster.
func (o *options) checkCluster() error {
	switch {
	case o.advertise != "" && o.dbURL == "":
		return errors.New("-advertise runs several processes on one PostgreSQL database: give -db postgres://… too")
	case o.advertise == "" && o.clusterSecret != "":
		return errors.New("-cluster-secret is used only with -advertise")
	case o.advertise != "":
		return cluster.Config{URL: o.dbURL, Advertise: o.advertise, Secret: o.clusterSecret}.Validate()
	}
	return nil
}

// newNode makes this process a member of the cluster of -advertise (nil
// without it): its offices start as followers, its commits are fenced.
func newNode(o *options, db *store.DB, eng *engine.Engine, log *slog.Logger) (*cluster.Node, error) {
	if o.advertise == "" {
		return nil, nil
	}
	n, err := cluster.New(cluster.Config{URL: o.dbURL, Advertise: o.advertise, Secret: o.clusterSecret, Log: log}, eng)
	if err != nil {
		return nil, err
	}
	db.SetCommitHook(n.Hook())
	eng.FollowByDefault()
	return n, nil
}
