// Package dossierjobs holds the server's jobs on dossiers that are not a
// request's work: the demo's sample dossiers (SeedDemo).
package dossierjobs

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"time"

	"luot/server/dossier"
)

// DemoDossiers is how many sample dossiers SeedDemo makes.
const DemoDossiers = 36

// SampleLabel starts the applicant's name and every note of a sample
// dossier, so that nobody takes one for an applicant's.
const SampleLabel = "[Mẫu] "

// plan is what happens to a sample dossier: how long before now it was
// received (or submitted), how it arrived, and the actions that follow,
// spread evenly between its receipt and now.
type plan struct {
	ago     time.Duration
	channel dossier.Channel
	start   dossier.Status // the status Create makes (received when empty)
	actions []dossier.Action
	rated   bool
}

const day = 24 * time.Hour

// plans are the samples' lives, taken in turn: every status, late ones
// (received long ago and still open, or completed after the due date),
// some ready for pickup (completed), one with an apology.
var plans = []plan{
	{ago: 3 * time.Hour, channel: dossier.ChannelOnline, start: dossier.StatusSubmitted},
	{ago: 2 * time.Hour, channel: dossier.ChannelPost},
	{ago: 5 * time.Hour, start: dossier.StatusRefused},
	{ago: 4 * time.Hour, actions: []dossier.Action{dossier.ActProcess}},
	{ago: 40 * day, actions: []dossier.Action{dossier.ActProcess}}, // late
	{ago: 2 * day, actions: []dossier.Action{dossier.ActProcess, dossier.ActSupplement}},
	{ago: 3 * day, actions: []dossier.Action{dossier.ActProcess, dossier.ActPayment}},
	{ago: 6 * day, actions: []dossier.Action{dossier.ActProcess, dossier.ActWithdraw}},
	{ago: 8 * day, actions: []dossier.Action{dossier.ActProcess, dossier.ActSuspend}},
	{ago: 20 * time.Hour, actions: []dossier.Action{dossier.ActProcess, dossier.ActComplete}},                          // ready for pickup
	{ago: 45 * day, actions: []dossier.Action{dossier.ActProcess, dossier.ActComplete}},                                // ready, completed late
	{ago: 9 * day, actions: []dossier.Action{dossier.ActProcess, dossier.ActComplete, dossier.ActReturn}, rated: true}, // returned and rated
	{ago: 42 * day, actions: []dossier.Action{dossier.ActProcess, dossier.ActApologize}},                               // late, with an apology
	{ago: 30 * day, actions: []dossier.Action{dossier.ActProcess, dossier.ActTransfer, dossier.ActSupplement, dossier.ActSupplied}},
	{ago: 5 * day, actions: []dossier.Action{dossier.ActProcess, dossier.ActComplete, dossier.ActReturn}},
}

// names are the sample applicants' names (SampleLabel goes before them).
var names = []string{
	"Nguyễn Văn An", "Trần Thị Bích", "Lê Hoàng Cường", "Phạm Thu Dung", "Hoàng Văn Em",
	"Vũ Thị Phương", "Đặng Minh Giang", "Bùi Thị Hạnh", "Đỗ Quang Huy", "Ngô Thị Kim",
	"Dương Văn Long", "Lý Thị Mai",
}

// SeedDemo makes DemoDossiers sample dossiers in the office of cfg, in
// every status, received over the weeks before now (some late, some
// completed and so ready for pickup, one with an apology), marked Sample,
// their applicants' names and notes starting with SampleLabel. It does so
// only when the office has no dossiers yet and its catalogue has
// procedures, and returns how many it made.
func SeedDemo(ctx context.Context, st dossier.Store, cfg *dossier.Config, now time.Time) (int, error) {
	have, err := st.Dossiers(ctx, dossier.Filter{Office: cfg.Office, Limit: 1})
	if err != nil {
		return 0, err
	}
	if len(have) > 0 || len(cfg.Procedures) == 0 {
		return 0, nil
	}
	clerk := dossier.Actor{Role: dossier.RoleClerk, ID: "demo", Name: "Cán bộ một cửa (mẫu)"}
	manager := dossier.Actor{Role: dossier.RoleManager, ID: "demo", Name: "Lãnh đạo (mẫu)"}
	made := 0
	for i := range DemoDossiers {
		p := plans[i%len(plans)]
		proc := cfg.Procedures[(i*7)%len(cfg.Procedures)]
		var papers []string
		for _, pp := range proc.Papers {
			if !pp.Optional {
				papers = append(papers, pp.ID)
			}
		}
		channel := p.channel
		if channel == "" {
			channel = dossier.ChannelCounter
		}
		nd := dossier.NewDossier{
			Procedure: proc.Code,
			Applicant: dossier.Applicant{
				Name:    SampleLabel + names[i%len(names)],
				Phone:   fmt.Sprintf("09000001%02d", i),
				Address: fmt.Sprintf("Số %d, đường mẫu", 10+i),
			},
			IDNumber:  fmt.Sprintf("0010900001%02d", i),
			Channel:   channel,
			Papers:    papers,
			Status:    p.start,
			Sample:    true,
			TokenHash: randomHash(),
		}
		if p.start == dossier.StatusRefused {
			nd.Reason = SampleLabel + "Hồ sơ chưa đủ thành phần theo quy định"
		}
		// Samples of the same plan are a few minutes apart, so that
		// lists sorted by time keep an order.
		at := now.Add(-p.ago - time.Duration(i/len(plans))*17*time.Minute)
		d, e, err := dossier.Create(cfg, nd, clerk, at)
		if err != nil {
			return made, fmt.Errorf("sample dossier %d (%s): %w", i+1, proc.Code, err)
		}
		d, _, _, err = st.CreateDossier(ctx, d, e, cfg.Prefix, "")
		if err != nil {
			return made, fmt.Errorf("sample dossier %d (%s): %w", i+1, proc.Code, err)
		}
		made++
		step := now.Sub(at) / time.Duration(len(p.actions)+1)
		for k, a := range p.actions {
			when := at.Add(time.Duration(k+1) * step)
			cmd, err := sampleCommand(cfg, d, a, when, now, clerk, manager)
			if err != nil {
				return made, err
			}
			if d, _, err = st.UpdateDossier(ctx, d.Code, func(cur dossier.Dossier) (dossier.Event, error) {
				return dossier.Decide(cfg, cur, cmd, when)
			}); err != nil {
				return made, fmt.Errorf("sample dossier %s, %s: %w", d.Code, a, err)
			}
		}
		if p.rated {
			cmd := dossier.Command{Action: dossier.ActRate, Actor: dossier.Actor{Role: dossier.RoleApplicant},
				Rating: &dossier.Rating{Score: 4 - i%3, Comment: SampleLabel + "Cán bộ hướng dẫn tận tình", At: now}}
			if _, _, err := st.UpdateDossier(ctx, d.Code, func(cur dossier.Dossier) (dossier.Event, error) {
				return dossier.Decide(cfg, cur, cmd, now)
			}); err != nil {
				return made, fmt.Errorf("sample dossier %s, rating: %w", d.Code, err)
			}
		}
		if c, ok := st.(checkpointer); ok {
			if err := c.Checkpoint(ctx); err != nil {
				return made, err
			}
		}
	}
	return made, nil
}

// sampleCommand is the command of action a on the sample dossier d at
// when, by the role the transition table gives it (the note is the reason
// of a withdrawal or a suspension, and the text of an apology).
func sampleCommand(cfg *dossier.Config, d dossier.Dossier, a dossier.Action, when, now time.Time, clerk, manager dossier.Actor) (dossier.Command, error) {
	handler := dossier.Actor{Role: dossier.RoleHandler, ID: "demo-" + d.Department, Name: "Cán bộ xử lý (mẫu)", Unit: d.Department}
	cmd := dossier.Command{Action: a, Actor: handler}
	switch a {
	case dossier.ActProcess:
		cmd.Actor = clerk
		proc, _ := cfg.Procedure(d.Procedure)
		cmd.Department = proc.Department
	case dossier.ActTransfer:
		cmd.Department = otherDepartment(cfg, d.Department)
		if cmd.Department == "" {
			return cmd, fmt.Errorf("sample dossier %s: a transfer needs a second department in the catalogue", d.Code)
		}
		cmd.Note = SampleLabel + "Chuyển phòng chuyên môn phối hợp thẩm định"
	case dossier.ActSupplement:
		cmd.What = SampleLabel + "Bản sao giấy tờ tùy thân có chứng thực"
		cmd.By = when.Add(7 * day)
	case dossier.ActSupplied:
		cmd.Actor = clerk
		cmd.Note = SampleLabel + "Công dân đã nộp bổ sung"
	case dossier.ActPayment:
		cmd.Note = SampleLabel + "Chờ nộp lệ phí"
	case dossier.ActWithdraw:
		cmd.Actor = clerk
		cmd.Note = SampleLabel + "Công dân xin rút hồ sơ"
	case dossier.ActSuspend:
		cmd.Note = SampleLabel + "Dừng xử lý chờ ý kiến cơ quan liên quan"
	case dossier.ActComplete:
		cmd.Result = SampleLabel + "Đã có kết quả, mời công dân đến nhận"
	case dossier.ActReturn:
		cmd.Actor = clerk
	case dossier.ActApologize:
		cmd.Actor = manager
		cmd.Note = SampleLabel + "Cơ quan xin lỗi vì hồ sơ trễ hạn do phải xác minh thêm"
		cmd.NewDue = now.Add(5 * day)
	}
	return cmd, nil
}

// otherDepartment is a department of the catalogue other than id.
func otherDepartment(cfg *dossier.Config, id string) string {
	for _, d := range cfg.Departments {
		if d.ID != id {
			return d.ID
		}
	}
	return ""
}

// checkpointer is a store with a write-ahead log it can empty (the SQLite
// store). SeedDemo empties it after each dossier: seeding is a burst of
// small transactions, each writing whole pages to the log, and on a small
// disk the log would fill it before SQLite empties it by itself.
type checkpointer interface {
	Checkpoint(ctx context.Context) error
}

// randomHash is the hash of an applicant's token nobody receives.
func randomHash() []byte {
	b := make([]byte, 32)
	rand.Read(b)
	h := sha256.Sum256(b)
	return h[:]
}
