package api

import (
	"context"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"

	"luot/server/feedback"
	"luot/server/queue"
)

// The admin issues an Open311 key, sees it once, lists the clients
// without keys, and revokes it; the store then refuses the key. Clerks
// may do none of it, and bad bodies change nothing.
func TestOpen311Clients(t *testing.T) {
	e := newEnv(t)
	adm := e.login(t, "admin", "")
	clerk := e.login(t, "nv2", "q2")
	path := "/api/v1/admin/open311-clients"
	var got Open311ClientIssued
	e.must(t, 201, req{method: "POST", path: path, token: adm, body: map[string]string{"id": "app-tp", "name": "Ứng dụng Công dân số"}}).decode(t, &got)
	if len(got.Key) < 40 || got.Client.ID != "app-tp" || got.Client.Office != office || got.Client.Name != "Ứng dụng Công dân số" {
		t.Fatalf("issued %+v", got)
	}
	ctx := context.Background()
	sum := sha256.Sum256([]byte(got.Key))
	c, err := e.db.APIClientByKeyHash(ctx, sum[:])
	if err != nil || c.ID != "app-tp" || c.Office != office {
		t.Fatalf("the store has %+v, %v", c, err)
	}
	var list struct{ Clients []feedback.APIClient }
	ans := e.must(t, 200, req{method: "GET", path: path, token: adm})
	ans.decode(t, &list)
	if len(list.Clients) != 1 || list.Clients[0].ID != "app-tp" || strings.Contains(string(ans.body), got.Key) {
		t.Fatalf("list %s", ans.body)
	}
	// The same id again, bad bodies, and a clerk: refused, nothing added.
	for _, q := range []req{
		{method: "POST", path: path, token: adm, body: map[string]string{"id": "app-tp", "name": "Lần hai"}},
		{method: "POST", path: path, token: adm, body: map[string]string{"id": "App TP", "name": "x"}},
		{method: "POST", path: path, token: adm, body: map[string]string{"id": "app2"}},
		{method: "POST", path: path, token: adm, body: map[string]string{"id": "app2", "name": "a\x00b"}},
		{method: "POST", path: path, token: adm, body: map[string]any{"id": "app2", "name": "x", "key": "mine"}},
		{method: "POST", path: path, token: clerk, body: map[string]string{"id": "app2", "name": "x"}},
		{method: "POST", path: path, body: map[string]string{"id": "app2", "name": "x"}},
	} {
		if r := e.do(t, q); r.status < 400 {
			t.Errorf("%+v: %d %s", q, r.status, r.body)
		}
	}
	e.must(t, 403, req{method: "GET", path: path, token: clerk})
	e.must(t, 403, req{method: "DELETE", path: path + "/app-tp", token: clerk})
	if cs, _ := e.db.APIClients(ctx, office); len(cs) != 1 {
		t.Fatalf("%d clients after refusals", len(cs))
	}
	// Revoked: the key no longer opens anything.
	e.must(t, 204, req{method: "DELETE", path: path + "/app-tp", token: adm})
	if _, err := e.db.APIClientByKeyHash(ctx, sum[:]); !errors.Is(err, queue.ErrNotFound) {
		t.Errorf("a revoked key is found: %v", err)
	}
	e.must(t, 404, req{method: "DELETE", path: path + "/khong-co", token: adm})
	// The one-stop system's key (scope dossiers) is neither listed nor
	// revoked here.
	one := feedback.APIClient{ID: "motcua", Office: office, Name: "Hệ thống một cửa tỉnh", Created: e.clock.Now(), Scope: feedback.ScopeDossiers}
	oneSum := sha256.Sum256([]byte("dossiers-key-0123456789abcdef"))
	if err := e.db.PutAPIClient(ctx, one, oneSum[:]); err != nil {
		t.Fatal(err)
	}
	e.must(t, 404, req{method: "DELETE", path: path + "/motcua", token: adm})
	if c, err := e.db.APIClientByKeyHash(ctx, oneSum[:]); err != nil || c.Revoked {
		t.Errorf("the Open311 page revoked the dossiers key: %+v %v", c, err)
	}
	e.must(t, 200, req{method: "GET", path: path, token: adm}).decode(t, &list)
	if len(list.Clients) != 1 || !list.Clients[0].Revoked {
		t.Errorf("after revoking: %+v", list.Clients)
	}
}
