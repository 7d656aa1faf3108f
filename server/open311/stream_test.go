package open311_test

import (
	"context"
	"crypto/sha256"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"luot/server/api"
	"luot/server/feedback"
	"luot/server/open311"
	"luot/server/queue"
	"luot/server/servertest"
)

// A report filed by Open311 reaches the moderators' live stream at once
// (Config.Published wakes the API's streams), not at the stream's next
// ping, which is an hour away here.
func TestStaffStreamSeesOpen311Report(t *testing.T) {
	staff := append(servertest.Clerks(4),
		queue.Staff{ID: "admin", Name: "Quản trị", Role: queue.RoleAdmin},
		queue.Staff{ID: "kiemduyet", Name: "Cán bộ kiểm duyệt", Role: queue.RoleModerator})
	srv := servertest.New(t, servertest.WithStaff(staff...), servertest.WithFeedback(feedbackConfig(t, "")),
		servertest.WithAPIConfig(func(c *api.Config) { c.PingInterval = time.Hour }))
	sum := sha256.Sum256([]byte(Key))
	if err := srv.DB.PutAPIClient(context.Background(), feedback.APIClient{ID: "app", Office: srv.Office, Name: "Ứng dụng", Created: srv.Clock.Now()}, sum[:]); err != nil {
		t.Fatal(err)
	}
	tok := srv.Login(t, "kiemduyet", "")
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/api/v1/feedback/events", http.Header{"Authorization": {"Bearer " + tok}})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	_ = ws.SetReadDeadline(time.Now().Add(10 * time.Second)) // catches a hang only
	var hello api.StaffStreamJSON
	if err := ws.ReadJSON(&hello); err != nil || hello.Type != "hello" {
		t.Fatalf("hello %+v, %v", hello, err)
	}
	e := &env{srv: srv, base: srv.URL + open311.Prefix}
	a := e.post(t, "requests.json", validForm(), "")
	if a.status != 201 {
		t.Fatalf("status %d: %s", a.status, a)
	}
	id := jsonOf[[]map[string]any](t, a)[0]["service_request_id"].(string)
	var got api.StaffStreamJSON
	if err := ws.ReadJSON(&got); err != nil {
		t.Fatal(err)
	}
	if got.Type != "report.created" || got.Report == nil || !strings.Contains(mustJSON(t, got.Report), id) {
		t.Errorf("stream sent %+v", got)
	}
}
