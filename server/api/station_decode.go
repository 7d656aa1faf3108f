package api

import (
	"fmt"
	"slices"

	"luot/server/queue"
)

// StationRatingBody is the body of POST /station/ratings: the ticket the
// station's prompt was for, the score (4 very satisfied … 1
// dissatisfied) and, for a score of 2 or 1, ids of the office's reasons.
type StationRatingBody struct {
	Ticket  string   `json:"ticket"`
	Score   int      `json:"score"`
	Reasons []string `json:"reasons"`
}

// decodeStationRating decodes and checks a station's rating. Whether the
// reasons are the office's is checked by the handler, which knows the
// office.
func decodeStationRating(data []byte) (StationRatingBody, error) {
	var b StationRatingBody
	if err := decodeStrict(data, &b); err != nil {
		return StationRatingBody{}, err
	}
	if b.Ticket == "" || len(b.Ticket) > 64 || !printableASCII(b.Ticket) {
		return StationRatingBody{}, badRequest("invalid_ticket", "ticket must be the id of a ticket (at most 64 printable ASCII characters)")
	}
	if b.Score < 1 || b.Score > 4 {
		return StationRatingBody{}, badRequest("invalid_score", "score must be 4 (very satisfied), 3 (satisfied), 2 (neutral) or 1 (dissatisfied)")
	}
	if len(b.Reasons) > queue.MaxRatingReasons {
		return StationRatingBody{}, badRequest("invalid_reasons", "a rating has at most {max} reasons", "max", queue.MaxRatingReasons)
	}
	if len(b.Reasons) > 0 && b.Score > 2 {
		return StationRatingBody{}, badRequest("invalid_reasons", "reasons go with a score of 2 or 1 only: send a score of 3 or 4 without reasons")
	}
	for i, id := range b.Reasons {
		if !queue.ValidID(id) {
			return StationRatingBody{}, badRequest("unknown_reason", "{reason} is not one of this office's rating reasons", "reason", fmt.Sprintf("%q", truncate(id, 40)))
		}
		if slices.Contains(b.Reasons[:i], id) {
			return StationRatingBody{}, badRequest("invalid_reasons", "reason {reason} is given twice", "reason", id)
		}
	}
	if len(b.Reasons) == 0 {
		b.Reasons = nil
	}
	return b, nil
}
