package msgtext

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"luot/server/planning"
	"luot/server/queue"
)

// TestPlanningGeometryInVietnamese: the import names a geometry's
// problem by its feature, and both parts come out in Vietnamese.
func TestPlanningGeometryInVietnamese(t *testing.T) {
	if featurePrefix != planning.FeaturePrefix {
		t.Fatalf("featurePrefix %q is not planning.FeaturePrefix %q", featurePrefix, planning.FeaturePrefix)
	}
	bowtie := `{"type":"FeatureCollection","features":[{"type":"Feature","id":"A","properties":{"code":"ODT","name":"x","decision":"1/QĐ","decision_date":"2024-01-02"},` +
		`"geometry":{"type":"Polygon","coordinates":[[[106.7,10.7],[106.71,10.71],[106.71,10.7],[106.7,10.71],[106.7,10.7]]]}}]}`
	_, err := planning.DecodeZones(strings.NewReader(bowtie), planning.CRS{})
	var qe *queue.Error
	if !errors.As(err, &qe) {
		t.Fatalf("err = %v; want a *queue.Error", err)
	}
	if !strings.HasPrefix(qe.Message, "feature 1 (A): ") {
		t.Errorf("English: %q; want it to name feature 1 (A)", qe.Message)
	}
	vi := Say("vi", qe.Template, qe.Args, qe.Message)
	if !strings.HasPrefix(vi, "Đối tượng 1 (A): ") || vi == qe.Message {
		t.Errorf("Vietnamese: %q; want it translated, naming Đối tượng 1 (A)", vi)
	}
	if r, _ := utf8.DecodeRuneInString(strings.TrimPrefix(vi, "Đối tượng 1 (A): ")); !unicode.IsLower(r) {
		t.Errorf("Vietnamese: %q; the reason after the colon should start in lower case", vi)
	}
	t.Logf("en: %s\nvi: %s", qe.Message, vi)
}
