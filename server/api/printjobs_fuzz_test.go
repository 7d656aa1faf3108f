package api

import (
	"strconv"
	"testing"

	"luot/server/queue"
)

// FuzzDecodePrintResult: a station's acknowledgement is refused with a 400
// or is a result the job rules take (printed, or failed with an optional
// fault code).
func FuzzDecodePrintResult(f *testing.F) {
	addSeeds(f, `{"result":"printed"}`, `{"result":"failed","fault":"paper-end"}`, `{"result":"failed"}`,
		`{"result":"printed","fault":"cover-open"}`, `{"result":"queued"}`, `{"result":"failed","fault":"Paper End"}`,
		`{"result":"failed","fault":"`+"\u202e"+`x"}`, `{"result":"PRINTED"}`, `{"result":"printed","id":3}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := decodePrintResult(data)
		if err != nil {
			mustBe400(t, err)
			return
		}
		if b.Result != queue.PrintPrinted && b.Result != queue.PrintFailed || (b.Fault != "" && b.Result != queue.PrintFailed) || len(b.Fault) > queue.MaxFault {
			t.Fatalf("accepted %+v", b)
		}
		j := queue.PrintJob{ID: 1, State: queue.PrintQueued}
		if _, changed, err := j.Ack(b.Result, b.Fault, start); err != nil || !changed {
			t.Fatalf("accepted %+v, which the job refuses: %v", b, err)
		}
	})
}

// FuzzParsePrintJobID: a path's job id is refused with a 400, or is the
// positive number written in it, exactly.
func FuzzParsePrintJobID(f *testing.F) {
	for _, s := range []string{"1", "42", "0", "007", "-1", "+1", "1e3", "0x10", " 1", "9007199254740992", "9007199254740993", "99999999999999999999", "", "١٢"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := parsePrintJobID(s)
		if err != nil {
			mustBe400(t, err)
			return
		}
		if id <= 0 || id > maxPrintJobID || strconv.FormatInt(id, 10) != s {
			t.Fatalf("%q accepted as %d", s, id)
		}
	})
}
