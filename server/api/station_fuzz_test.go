package api

import (
	"slices"
	"testing"

	"luot/server/queue"
)

// FuzzDecodeStationRating: whatever a station sends, the decoder either
// refuses it with a 400 or returns a rating whose fields hold: a ticket
// id of printable ASCII, a score of 1 to 4, at most MaxRatingReasons
// distinct reason ids, none with a score of 3 or 4. The corpus in
// testdata/fuzz/FuzzDecodeStationRating adds hostile bodies.
func FuzzDecodeStationRating(f *testing.F) {
	addSeeds(f,
		`{"ticket":"t1","score":4}`, `{"ticket":"t1","score":2,"reasons":["wait","other"]}`,
		`{"ticket":"t1","score":1,"reasons":[]}`, `{"ticket":"t1","score":4,"reasons":["wait"]}`,
		`{"ticket":"t1","score":1,"reasons":["wait","wait"]}`, `{"ticket":"t1","score":1,"reasons":["Chờ lâu"]}`,
		`{"ticket":"t1","score":1,"reasons":[null]}`, `{"ticket":"t1","score":1.5}`, `{"ticket":"t1","score":-1}`,
		`{"ticket":"t\u0000","score":4}`, `{"ticket":"","score":4}`, `{"ticket":"t1","score":4,"counter":"q2"}`,
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := decodeStationRating(data)
		if err != nil {
			mustBe400(t, err)
			return
		}
		if b.Ticket == "" || len(b.Ticket) > 64 || !printableASCII(b.Ticket) {
			t.Fatalf("accepted ticket %q", b.Ticket)
		}
		if b.Score < 1 || b.Score > 4 {
			t.Fatalf("accepted score %d", b.Score)
		}
		if len(b.Reasons) > queue.MaxRatingReasons || (len(b.Reasons) > 0 && b.Score > 2) {
			t.Fatalf("accepted reasons %q with score %d", b.Reasons, b.Score)
		}
		for i, id := range b.Reasons {
			if !queue.ValidID(id) || slices.Contains(b.Reasons[:i], id) {
				t.Fatalf("accepted reasons %q", b.Reasons)
			}
		}
	})
}
