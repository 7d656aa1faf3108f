package web

import (
	"net/http"

	"luot/server/queue"
)

// boardData fills the web board's page; the board then follows the event
// stream.
type boardData struct {
	Office queue.Office
}

// boardPage serves the waiting-room board for smart TVs. It is public (it
// shows what the lobby screens show: numbers and counters, no names).
func (s *Server) boardPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.cfg.Engine.View(r.PathValue("office"))
	if err != nil {
		s.fail(w, r, http.StatusNotFound, "there is no office with this id: check the board's address")
		return
	}
	s.render(w, r, http.StatusOK, "board", page{Title: "board", Scripts: []string{"board.js"}, Styles: []string{"board.css"}, Data: boardData{Office: v.Office}})
}
