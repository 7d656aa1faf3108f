package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"luot/server/geo"
	"luot/server/planning"
)

// ReplaceZones replaces the plan's zones and the description of their
// import with zones and info, in one transaction: a reader sees the
// previous import or this one, never a mix. Duplicate zone ids are
// refused (ErrConflict) and change nothing.
func (db *DB) ReplaceZones(ctx context.Context, zones []planning.Zone, info planning.Info) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("replace planning zones: %w", err)
	}
	defer tx.Rollback()
	// Two imports at once (two server processes) go one after the other:
	// on PostgreSQL the second's DELETE would not see the first's rows.
	if err := db.lockKey(ctx, tx, "planning_zones"); err != nil {
		return fmt.Errorf("replace planning zones: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM planning_zones`); err != nil {
		return fmt.Errorf("replace planning zones: delete the previous import: %w", err)
	}
	// Duplicates are found here, to name them: the rows go in batches.
	ids := make(map[string]int, len(zones))
	for i, z := range zones {
		if j, ok := ids[z.ID]; ok {
			return fmt.Errorf("replace planning zones: zone %d: id %q appears twice (zone %d too): %w", i, z.ID, j, ErrConflict)
		}
		ids[z.ID] = i
	}
	err = insertRows(ctx, tx, "planning_zones", []string{"id", "code", "name", "density", "height", "floors", "far", "decision", "decision_date", "area"},
		len(zones), func(i int, args []any) []any {
			z := zones[i]
			return append(args, z.ID, z.Code, z.Name, z.Density, z.Height, z.Floors, z.FAR, z.Decision, z.DecisionDate, packArea(z.Area))
		})
	if err != nil {
		return fmt.Errorf("replace planning zones: %w", err)
	}
	if err := putImport(ctx, tx, "zones", info); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("replace planning zones: %w", err)
	}
	return nil
}

// ReplaceParcels replaces the cadastre's parcels and the description of
// their import, in one transaction. A sheet and number given twice is
// refused (ErrConflict) and changes nothing.
func (db *DB) ReplaceParcels(ctx context.Context, parcels []planning.Parcel, info planning.Info) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("replace planning parcels: %w", err)
	}
	defer tx.Rollback()
	if err := db.lockKey(ctx, tx, "planning_parcels"); err != nil {
		return fmt.Errorf("replace planning parcels: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM planning_parcels`); err != nil {
		return fmt.Errorf("replace planning parcels: delete the previous import: %w", err)
	}
	// Duplicates are found here, to name them: the rows go in batches.
	type key struct{ sheet, number string }
	seen := make(map[key]int, len(parcels))
	for i, p := range parcels {
		k := key{p.Sheet, p.Number}
		if j, ok := seen[k]; ok {
			return fmt.Errorf("replace planning parcels: parcel %d: sheet %q number %q appears twice (parcel %d too): %w", i, p.Sheet, p.Number, j, ErrConflict)
		}
		seen[k] = i
	}
	err = insertRows(ctx, tx, "planning_parcels", []string{"sheet", "number", "area"}, len(parcels), func(i int, args []any) []any {
		p := parcels[i]
		return append(args, p.Sheet, p.Number, packArea(p.Area))
	})
	if err != nil {
		return fmt.Errorf("replace planning parcels: %w", err)
	}
	if err := putImport(ctx, tx, "parcels", info); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("replace planning parcels: %w", err)
	}
	return nil
}

// putImport records what the import of kind was.
func putImport(ctx context.Context, tx *sql.Tx, kind string, info planning.Info) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO planning_imports (kind, name, crs, sample, at, count) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (kind) DO UPDATE SET name = excluded.name, crs = excluded.crs, sample = excluded.sample, at = excluded.at, count = excluded.count`,
		kind, info.Name, info.CRS, boolInt(info.Sample), fmtTime(info.At), info.Count)
	if err != nil {
		return fmt.Errorf("record the planning %s import: %w", kind, err)
	}
	return nil
}

// LoadPlanning returns the last import of zones and of parcels (either may
// be empty), zones ordered by id and parcels by sheet and number, read in
// one snapshot.
func (db *DB) LoadPlanning(ctx context.Context) (planning.Data, error) {
	var d planning.Data
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return d, fmt.Errorf("load planning: %w", err)
	}
	defer tx.Rollback()
	if d.ZonesInfo, err = loadImport(ctx, tx, "zones"); err != nil {
		return d, err
	}
	if d.ParcelInfo, err = loadImport(ctx, tx, "parcels"); err != nil {
		return d, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, code, name, density, height, floors, far, decision, decision_date, area FROM planning_zones ORDER BY id`)
	if err != nil {
		return d, fmt.Errorf("load planning zones: %w", err)
	}
	for rows.Next() {
		var z planning.Zone
		var blob []byte
		if err := rows.Scan(&z.ID, &z.Code, &z.Name, &z.Density, &z.Height, &z.Floors, &z.FAR, &z.Decision, &z.DecisionDate, &blob); err != nil {
			rows.Close()
			return d, fmt.Errorf("load planning zones: %w", err)
		}
		if z.Area, err = unpackArea(blob); err != nil {
			rows.Close()
			return d, fmt.Errorf("load planning zone %s: %w", z.ID, err)
		}
		d.Zones = append(d.Zones, z)
	}
	if err := rows.Err(); err != nil {
		return d, fmt.Errorf("load planning zones: %w", err)
	}
	rows.Close()
	d.Parcels = make([]planning.Parcel, 0, d.ParcelInfo.Count)
	rows, err = tx.QueryContext(ctx, `SELECT sheet, number, area FROM planning_parcels ORDER BY sheet, number`)
	if err != nil {
		return d, fmt.Errorf("load planning parcels: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p planning.Parcel
		var blob []byte
		if err := rows.Scan(&p.Sheet, &p.Number, &blob); err != nil {
			return d, fmt.Errorf("load planning parcels: %w", err)
		}
		if p.Area, err = unpackArea(blob); err != nil {
			return d, fmt.Errorf("load planning parcel sheet %s number %s: %w", p.Sheet, p.Number, err)
		}
		d.Parcels = append(d.Parcels, p)
	}
	if err := rows.Err(); err != nil {
		return d, fmt.Errorf("load planning parcels: %w", err)
	}
	return d, nil
}

// PlanningImports returns what the last imports of zones and of parcels
// were, without their features: a cheap check of whether another process
// sharing the database has imported since (see api.Planning.Refresh).
func (db *DB) PlanningImports(ctx context.Context) (zones, parcels planning.Info, err error) {
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return zones, parcels, fmt.Errorf("read the planning imports: %w", err)
	}
	defer tx.Rollback()
	if zones, err = loadImport(ctx, tx, "zones"); err != nil {
		return zones, parcels, err
	}
	parcels, err = loadImport(ctx, tx, "parcels")
	return zones, parcels, err
}

// loadImport reads what the import of kind was; the zero Info when none.
func loadImport(ctx context.Context, tx *sql.Tx, kind string) (planning.Info, error) {
	var info planning.Info
	var sample int
	var at sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT name, crs, sample, at, count FROM planning_imports WHERE kind = ?`, kind).
		Scan(&info.Name, &info.CRS, &sample, &at, &info.Count)
	if errors.Is(err, sql.ErrNoRows) {
		return planning.Info{}, nil
	}
	if err != nil {
		return info, fmt.Errorf("load the planning %s import: %w", kind, err)
	}
	info.Sample = sample != 0
	if info.At, err = parseTime(at); err != nil {
		return info, fmt.Errorf("load the planning %s import: %w", kind, err)
	}
	return info, nil
}

// packArea encodes a multipolygon compactly: uint32 polygon count, then
// per polygon its ring count, per ring its position count and the
// positions as float64 lon, lat pairs; all little-endian.
func packArea(m geo.MultiPolygon) []byte { return appendArea(nil, m) }

// appendArea appends m's encoding (see packArea) to buf.
func appendArea(buf []byte, m geo.MultiPolygon) []byte {
	buf = binary.LittleEndian.AppendUint32(buf, uint32(len(m)))
	for _, poly := range m {
		buf = binary.LittleEndian.AppendUint32(buf, uint32(len(poly)))
		for _, ring := range poly {
			buf = binary.LittleEndian.AppendUint32(buf, uint32(len(ring)))
			for _, p := range ring {
				buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(p.Lon))
				buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(p.Lat))
			}
		}
	}
	return buf
}

// unpackArea decodes packArea's encoding, refusing a truncated or
// inconsistent blob (a damaged database) instead of reading past it.
func unpackArea(b []byte) (geo.MultiPolygon, error) {
	bad := errors.New("stored geometry is damaged (truncated or inconsistent); import the file again")
	count := func() (int, bool) {
		if len(b) < 4 {
			return 0, false
		}
		n := binary.LittleEndian.Uint32(b)
		b = b[4:]
		return int(n), int(n) <= len(b)
	}
	np, ok := count()
	if !ok {
		return nil, bad
	}
	m := make(geo.MultiPolygon, np)
	for i := range m {
		nr, ok := count()
		if !ok {
			return nil, bad
		}
		m[i] = make(geo.Polygon, nr)
		for j := range m[i] {
			n, ok := count()
			if !ok || n*16 > len(b) {
				return nil, bad
			}
			ring := make(geo.Ring, n)
			for k := range ring {
				ring[k].Lon = math.Float64frombits(binary.LittleEndian.Uint64(b))
				ring[k].Lat = math.Float64frombits(binary.LittleEndian.Uint64(b[8:]))
				b = b[16:]
			}
			m[i][j] = ring
		}
	}
	if len(b) != 0 {
		return nil, bad
	}
	return m, nil
}
