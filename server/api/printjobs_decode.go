package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"luot/server/queue"
)

// PrintResultBody is the body of POST /station/print-jobs/{id}
// (client.PrintResult).
type PrintResultBody struct {
	// Result is "printed" or "failed".
	Result queue.PrintJobState `json:"result"`
	// Fault is the printer's fault code of a failed job ("paper-end").
	Fault string `json:"fault,omitempty"`
}

// decodePrintResult decodes and checks a station's acknowledgement: one
// JSON object, no unknown field, a result printed or failed, a fault code
// only with failed (queue.CheckPrintResult).
func decodePrintResult(data []byte) (PrintResultBody, error) {
	var b PrintResultBody
	if err := decodeStrict(data, &b); err != nil {
		return PrintResultBody{}, err
	}
	if err := queue.CheckPrintResult(b.Result, b.Fault); err != nil {
		var qe *queue.Error
		errors.As(err, &qe)
		return PrintResultBody{}, domainError(http.StatusBadRequest, qe.Code, err)
	}
	return b, nil
}

// maxPrintJobID bounds the path's job id: ids are event seqs, far below.
const maxPrintJobID = 1 << 53

// parsePrintJobID reads the job id of a path: decimal digits of a
// positive number (no sign, no leading zero).
func parsePrintJobID(s string) (int64, error) {
	bad := newError(http.StatusBadRequest, "invalid_print_job_id", "print job id {id} is not a job number: use the id from GET /api/v1/station/print-jobs", "id", fmt.Sprintf("%q", truncate(s, 24)))
	if s == "" || len(s) > 16 || s[0] == '0' {
		return 0, bad
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, bad
		}
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 || id > maxPrintJobID {
		return 0, bad
	}
	return id, nil
}
