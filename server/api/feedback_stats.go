package api

import "net/http"

// stats answers the statistics' figures (feedback.Stats, built by the geo
// lane); until they are merged it says so.
func (f *fb) stats(w http.ResponseWriter, r *http.Request) {
	if _, err := f.member(r); err != nil {
		f.s.fail(w, r, err)
		return
	}
	f.s.fail(w, r, newError(http.StatusNotImplemented, "not_built", "the statistics are not built yet"))
}

// statsCSV is stats as CSV.
func (f *fb) statsCSV(w http.ResponseWriter, r *http.Request) { f.stats(w, r) }
