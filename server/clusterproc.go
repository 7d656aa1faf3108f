package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"luot/server/cluster"
	"luot/server/engine"
	"luot/server/store"
)

// checkCluster checks the flags of the database and of the cluster.
func (o *options) checkCluster() error {
	if o.clusterSecretFile != "" {
		if o.clusterSecret != "" {
			return errors.New("give the cluster's secret once: -cluster-secret-file or -cluster-secret")
		}
		b, err := os.ReadFile(o.clusterSecretFile)
		if err != nil {
			return fmt.Errorf("read the cluster's secret: %w", err)
		}
		o.clusterSecret = strings.TrimSpace(string(b))
		if o.clusterSecret == "" {
			return fmt.Errorf("the cluster's secret file %s is empty", o.clusterSecretFile)
		}
	}
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
