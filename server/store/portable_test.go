package store

import "testing"

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
