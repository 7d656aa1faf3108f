package store

import (
	"slices"
	"sync"
	"testing"
)

// holds is the SQL condition "column col holds the text of the next ?
// argument", in db's dialect (SQLite's instr, PostgreSQL's strpos).
func holds(db *DB, col string) string {
	if db.postgres() {
		return "strpos(" + col + ", ?) > 0"
	}
	return "instr(" + col + ", ?) > 0"
}

// hexOf is the SQL expression of the lower-case hex of the bytes in
// column col, in db's dialect.
func hexOf(db *DB, col string) string {
	if db.postgres() {
		return "encode(" + col + ", 'hex')"
	}
	return "lower(hex(" + col + "))"
}

// failInserts makes every insert into table fail with message msg, as a
// full disk would, until the returned function undoes it.
func failInserts(t *testing.T, db *DB, table, msg string) (undo func()) {
	t.Helper()
	name := "fail_" + table
	create := []string{`CREATE TRIGGER ` + name + ` BEFORE INSERT ON ` + table + ` BEGIN SELECT RAISE(ABORT, '` + msg + `'); END`}
	drop := `DROP TRIGGER ` + name
	if db.postgres() {
		create = []string{
			`CREATE FUNCTION ` + name + `() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '` + msg + `'; END $$`,
			`CREATE TRIGGER ` + name + ` BEFORE INSERT ON ` + table + ` FOR EACH ROW EXECUTE FUNCTION ` + name + `()`,
		}
		drop = `DROP TRIGGER ` + name + ` ON ` + table
	}
	for _, q := range create {
		if _, err := db.w.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	return func() {
		t.Helper()
		if _, err := db.w.ExecContext(ctx, drop); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSQLLimit(t *testing.T) {
	if sqlLimit(0) <= 1<<62 || sqlLimit(-3) <= 1<<62 || sqlLimit(7) != 7 {
		t.Fatalf("sqlLimit: 0 → %d, -3 → %d, 7 → %d", sqlLimit(0), sqlLimit(-3), sqlLimit(7))
	}
}

func TestWithoutFields(t *testing.T) {
	roles := []string{"reporter", "public"}
	for _, c := range []struct {
		in, want string
		changed  bool
	}{
		{`{"type":"x","actor":{"role":"reporter","id":"0912","name":"An","unit":"u"},"n":12345678901234567890}`,
			`{"actor":{"role":"reporter","unit":"u"},"n":12345678901234567890,"type":"x"}`, true},
		{`{"actor":{"role":"public","name":"An"}}`, `{"actor":{"role":"public"}}`, true},
		{`{"actor":{"role":"moderator","id":"nv1","name":"Bình"}}`, `{"actor":{"role":"moderator","id":"nv1","name":"Bình"}}`, false},
		{`{"actor":{"role":"reporter"}}`, `{"actor":{"role":"reporter"}}`, false},
		{`{"actor":null}`, `{"actor":null}`, false},
		{`{"type":"x"}`, `{"type":"x"}`, false},
		{`{"actor":{"role":7,"name":"An"}}`, `{"actor":{"role":7,"name":"An"}}`, false},
	} {
		got, changed, err := withoutFields(c.in, "actor", "role", roles, "name", "id")
		if err != nil || got != c.want || changed != c.changed {
			t.Errorf("withoutFields(%s) = %s, %v, %v; want %s, %v", c.in, got, changed, err, c.want, c.changed)
		}
	}
	for _, bad := range []string{`[1]`, `{"actor":[1]}`, `not json`} {
		if got, changed, err := withoutFields(bad, "actor", "role", roles, "name"); err == nil || changed || got != bad {
			t.Errorf("withoutFields(%s) = %s, %v, %v; want an error and the input unchanged", bad, got, changed, err)
		}
	}
}

// schemaOf lists db's tables as "table.column type null|notnull" lines,
// with SQLite's types named as their PostgreSQL counterparts, and its
// named indexes (not those a constraint made) as "index name".
func schemaOf(t *testing.T, db *DB) []string {
	t.Helper()
	var out []string
	add := func(q string, row func(scanner) (string, error)) {
		rows, err := db.r.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			s, err := row(rows)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	column := func(r scanner) (string, error) {
		var table, col, typ string
		var notNull bool
		if err := r.Scan(&table, &col, &typ, &notNull); err != nil {
			return "", err
		}
		if pg, ok := map[string]string{"TEXT": "text", "INTEGER": "bigint", "REAL": "double precision", "BLOB": "bytea"}[typ]; ok {
			typ = pg
		}
		null := "null"
		if notNull {
			null = "notnull"
		}
		return table + "." + col + " " + typ + " " + null, nil
	}
	name := func(r scanner) (string, error) {
		var n string
		err := r.Scan(&n)
		return "index " + n, err
	}
	if db.postgres() {
		add(`SELECT table_name, column_name, data_type, is_nullable = 'NO' FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name <> 'schema_version'`, column)
		add(`SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()
			AND indexname NOT IN (SELECT conname FROM pg_constraint)`, name)
	} else {
		// A primary key column is NOT NULL on PostgreSQL whatever it says.
		add(`SELECT m.name, p.name, p.type, p."notnull" OR p.pk > 0 FROM sqlite_schema m JOIN pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND m.name <> 'schema_version'`, column)
		add(`SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL`, name)
	}
	slices.Sort(out)
	return out
}

// PostgreSQL's migrations make the schema SQLite's make: the same tables,
// columns (in the corresponding types, NULL where SQLite allows it) and
// indexes.
func TestSchemasAgree(t *testing.T) {
	lite, _ := openDB(t)
	pg := openPG(t)
	a, b := schemaOf(t, lite), schemaOf(t, pg)
	if len(a) < 100 {
		t.Fatalf("only %d columns and indexes read from SQLite: %v", len(a), a)
	}
	for _, s := range a {
		if _, found := slices.BinarySearch(b, s); !found {
			t.Errorf("SQLite has %q, PostgreSQL not", s)
		}
	}
	for _, s := range b {
		if _, found := slices.BinarySearch(a, s); !found {
			t.Errorf("PostgreSQL has %q, SQLite not", s)
		}
	}
}

// Requests with one idempotency key at the same time (a retry racing the
// first try, on two processes) make one dossier or report: one call makes
// it, the others replay it.
func TestCreateWithOneKeyAtOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		const n = 8
		type result struct {
			code     string
			replayed bool
			err      error
		}
		race := func(create func() result) []result {
			out := make([]result, n)
			var wg sync.WaitGroup
			for i := range out {
				wg.Go(func() { out[i] = create() })
			}
			wg.Wait()
			return out
		}
		check := func(what string, rs []result) {
			t.Helper()
			made := 0
			for _, r := range rs {
				if r.err != nil {
					t.Fatalf("%s: %v", what, r.err)
				}
				if r.code != rs[0].code {
					t.Fatalf("%s: codes %s and %s for one key", what, rs[0].code, r.code)
				}
				if !r.replayed {
					made++
				}
			}
			if made != 1 {
				t.Fatalf("%s: %d calls made it, want 1", what, made)
			}
		}
		d := sampleDossier("hoankiem", t0)
		check("dossier", race(func() result {
			got, _, replayed, err := db.CreateDossier(ctx, d, createdDossierEvent(d), "TP", "counter:hoankiem:same")
			return result{got.Code, replayed, err}
		}))
		r := sampleReport("hoankiem", t0)
		check("report", race(func() result {
			got, _, replayed, err := db.CreateReport(ctx, r, createdEvent(r), "same")
			return result{got.Code, replayed, err}
		}))
		if c := count(t, db, `SELECT count(*) FROM dossiers`) + count(t, db, `SELECT count(*) FROM reports`); c != 2 {
			t.Fatalf("%d dossiers and reports stored, want 2", c)
		}
	})
}
