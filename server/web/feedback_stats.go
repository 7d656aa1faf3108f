package web

import (
	"net/http"
)

// feedbackStatsPage shows the feedback statistics.
func (s *Server) feedbackStatsPage(w http.ResponseWriter, r *http.Request) {
	se, tok, ok := s.feedbackAuth(w, r)
	if !ok {
		return
	}
	_ = tok
	_ = se
	s.fail(w, r, http.StatusServiceUnavailable, "feedback reports are not set up on this server: ask the administrator to configure them")
}

// feedbackStatsCSV writes the feedback statistics as CSV.
func (s *Server) feedbackStatsCSV(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := s.feedbackAuth(w, r); !ok {
		return
	}
	s.fail(w, r, http.StatusServiceUnavailable, "feedback reports are not set up on this server: ask the administrator to configure them")
}
