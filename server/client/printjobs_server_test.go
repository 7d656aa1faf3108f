package client_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"luot/server/client"
	"luot/server/queue"
	"luot/server/servertest"
)

// TestPrintJobsAgainstTheServer: a station's client lists the jobs of its
// counter, acknowledges them (again after a restart: harmless), is told
// print_job_done for the other result and unknown_print_job for another
// counter's job; a counter without a station refuses the job (no_station).
func TestPrintJobsAgainstTheServer(t *testing.T) {
	ctx := context.Background()
	srv := servertest.New(t,
		servertest.WithStaff(queue.Staff{ID: "admin", Name: "Quản trị", Role: queue.RoleAdmin}),
		servertest.WithDevices(
			servertest.Device{Device: queue.Device{ID: "st-q1", Name: "Quầy 1", Kind: queue.DeviceStation, Counter: "q1"}, Key: "st-q1-key-0123456789"},
			servertest.Device{Device: queue.Device{ID: "st-q2", Name: "Quầy 2", Kind: queue.DeviceStation, Counter: "q2"}, Key: "st-q2-key-0123456789"},
		),
		servertest.WithoutWeb(),
	)
	admin := srv.Login(t, "admin", "")
	var a struct {
		Job struct{ ID int64 } `json:"job"`
	}
	srv.Call(t, "POST", "/api/v1/admin/offices/"+srv.Office+"/counters/q1/test-print", map[string]string{"Authorization": "Bearer " + admin}, nil, 201, &a)

	st1, _ := client.New(srv.URL, client.WithDeviceKey("st-q1-key-0123456789"))
	st2, _ := client.New(srv.URL, client.WithDeviceKey("st-q2-key-0123456789"))
	jobs, err := st1.PrintJobs(ctx)
	if err != nil || len(jobs) != 1 || jobs[0].ID != a.Job.ID || jobs[0].Kind != "test" || jobs[0].State != "queued" || jobs[0].Counter != "q1" {
		t.Fatalf("jobs %+v %v", jobs, err)
	}
	var text []string
	for _, l := range jobs[0].Doc.Lines {
		text = append(text, l.Text)
	}
	if !strings.Contains(strings.Join(text, "\n"), "ự") || jobs[0].Doc.Lines[0].Style != "title" {
		t.Fatalf("document %+v", jobs[0].Doc)
	}
	if jobs, err := st2.PrintJobs(ctx); err != nil || len(jobs) != 0 {
		t.Fatalf("q2's jobs %+v %v", jobs, err)
	}
	var ae *client.Error
	if err := st2.AckPrintJob(ctx, a.Job.ID, client.PrintResult{Result: "printed"}); !errors.As(err, &ae) || ae.Code != client.CodeUnknownPrintJob {
		t.Fatalf("another counter's ack: %v", err)
	}
	if err := st1.AckPrintJob(ctx, a.Job.ID, client.PrintResult{Result: "printed"}); err != nil {
		t.Fatal(err)
	}
	if err := st1.AckPrintJob(ctx, a.Job.ID, client.PrintResult{Result: "printed"}); err != nil {
		t.Fatalf("the same ack again: %v", err)
	}
	if err := st1.AckPrintJob(ctx, a.Job.ID, client.PrintResult{Result: "failed", Fault: "paper-end"}); !errors.As(err, &ae) || ae.Code != client.CodePrintJobDone {
		t.Fatalf("the other result: %v", err)
	}
	if jobs, err := st1.PrintJobs(ctx); err != nil || len(jobs) != 0 {
		t.Fatalf("jobs after the ack %+v %v", jobs, err)
	}
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	srv.Call(t, "POST", "/api/v1/admin/offices/"+srv.Office+"/counters/q3/test-print", map[string]string{"Authorization": "Bearer " + admin}, nil, 409, &e)
	if e.Error.Code != client.CodeNoStation {
		t.Fatalf("no station: %+v", e)
	}
}
