package web

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"luot/assets"
	"luot/display/announce"
	"luot/server/queue"
)

// The web board paces calls as the Fyne display does by default
// (display/device: -blink 3s, -blink-every 1s, -announce-max-age 2m; the
// announcer's 700 ms gap): each call has the big line to itself for at
// least boardBlink and until its announcement has been said, then
// boardGap passes before the next queued call.
const (
	boardBlink      = 3 * time.Second
	boardBlinkEvery = time.Second
	boardGap        = 700 * time.Millisecond
	boardMaxAge     = 2 * time.Minute
)

// boardData fills the web board's page; the board then follows the event
// stream.
type boardData struct {
	Office queue.Office
	// BlinkMS, BlinkEveryMS and GapMS are the call pacing, in ms.
	BlinkMS, BlinkEveryMS, GapMS int64
}

// boardPage serves the waiting-room board for smart TVs. It is public (it
// shows what the lobby screens show: numbers and counters, no names).
func (s *Server) boardPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.cfg.Engine.View(r.PathValue("office"))
	if err != nil {
		s.fail(w, r, http.StatusNotFound, translator(lang(r))("board.no.office"))
		return
	}
	s.render(w, r, http.StatusOK, "board", page{Title: "board", Scripts: []string{"board.js"}, Styles: []string{"board.css"}, Data: boardData{
		Office: v.Office, BlinkMS: boardBlink.Milliseconds(), BlinkEveryMS: boardBlinkEvery.Milliseconds(), GapMS: boardGap.Milliseconds(),
	}})
}

// voiceClips are the clips the board may ask for: those of the display's
// announcements.
var voiceClips = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range announce.Clips() {
		m[c] = true
	}
	return m
}()

// voiceClip serves one of the display's voice clips (GET
// /board/voice/{clip}, clip = NAME.wav). They never change within a
// release, so browsers keep them a week.
func (s *Server) voiceClip(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutSuffix(r.PathValue("clip"), ".wav")
	if !ok || !voiceClips[name] {
		http.Error(w, "there is no voice clip of this name: the board asks for the clips /board/voice/sentence lists", http.StatusNotFound)
		return
	}
	b, err := assets.Voice.ReadFile("voice/" + name + ".wav")
	if err != nil && name == announce.ClipChime {
		b, err = synthChime(), nil
	}
	if err != nil {
		http.Error(w, "the voice clip "+name+" is missing from this build: run scripts/make-voice-clips.sh", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "audio/wav")
	w.Header().Set("Cache-Control", "public, max-age=604800")
	http.ServeContent(w, r, name+".wav", time.Time{}, bytes.NewReader(b))
}

// sentenceJSON is what the board says for a call: the display's
// announcement (announce.Sentence), pauses in milliseconds.
type sentenceJSON struct {
	// Say is false when the call is too old to be announced (it came
	// replayed after a reconnect): the board shows it without a word.
	Say   bool       `json:"say"`
	Text  string     `json:"text,omitempty"`
	Parts []partJSON `json:"parts,omitempty"`
}

type partJSON struct {
	Clip    string `json:"clip,omitempty"`
	PauseMS int64  `json:"pause_ms,omitempty"`
}

// boardSentence composes the announcement of a call as the display does
// (GET /board/voice/sentence?number=A012&counter=3[&at=RFC3339]
// [&reading=digits][&southern=1]): the board plays its clips in order.
// A call made more than boardMaxAge before the server's now is not said.
func (s *Server) boardSentence(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	bad := func(msg string) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		http.Error(w, msg, http.StatusBadRequest)
	}
	counter, err := strconv.Atoi(q.Get("counter"))
	if err != nil {
		bad("counter must be a counter number, e.g. counter=3")
		return
	}
	o := announce.Options{Southern: q.Get("southern") == "1"}
	if v := q.Get("reading"); v != "" {
		if o.Reading, err = announce.ParseReading(v); err != nil {
			bad("reading must be number or digits")
			return
		}
	}
	if v := q.Get("at"); v != "" {
		at, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			bad("at must be the call's time in RFC 3339, as the event stream gives it")
			return
		}
		if s.now().Sub(at) > boardMaxAge {
			writeJSON(w, sentenceJSON{Say: false})
			return
		}
	}
	a, err := announce.Sentence(q.Get("number"), counter, o)
	if err != nil {
		bad("this call cannot be read aloud: " + err.Error())
		return
	}
	out := sentenceJSON{Say: true, Text: a.Text}
	for _, p := range a.Parts {
		out.Parts = append(out.Parts, partJSON{Clip: p.Clip, PauseMS: p.Pause.Milliseconds()})
	}
	writeJSON(w, out)
}
