package audio

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"luot/assets"
	"luot/display/announce"
)

func loadVoice(t *testing.T) *Library {
	t.Helper()
	lib, err := LoadLibrary(assets.Voice, "voice")
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

// TestClipSetComplete: the embedded clip set has every clip an announcement
// can use.
func TestClipSetComplete(t *testing.T) {
	lib := loadVoice(t)
	if lib.Rate() != Rate {
		t.Errorf("clips are at %d Hz, want %d", lib.Rate(), Rate)
	}
	if m := lib.Missing(announce.Clips()); len(m) > 0 {
		t.Errorf("clips missing from assets/voice: %v (run scripts/make-voice-clips.sh)", m)
	}
	for _, name := range announce.Clips() {
		if c, _ := lib.Clip(name); len(c) < Rate/20 {
			t.Errorf("clip %s is %d samples long: shorter than 50 ms, probably silent", name, len(c))
		}
	}
}

// TestRenderLength: an announcement rendered from the real clips is exactly
// as long as its clips plus its pauses.
func TestRenderLength(t *testing.T) {
	lib := loadVoice(t)
	a, err := announce.Sentence("A1023", 12, announce.Options{English: true})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	clips := 0
	for _, p := range a.Parts {
		if p.Clip != "" {
			c, _ := lib.Clip(p.Clip)
			want += len(c)
			clips++
		} else {
			want += int(p.Pause * Rate / time.Second)
		}
	}
	pcm, err := lib.Render(a, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(pcm) != want {
		t.Errorf("rendered %d samples, want %d (sum of %d clips and the pauses)", len(pcm), want, clips)
	}
	// The chime comes first, unchanged.
	chime, _ := lib.Clip(announce.ClipChime)
	for i := range chime {
		if pcm[i] != chime[i] {
			t.Fatalf("sample %d is %d, the chime's is %d", i, pcm[i], chime[i])
		}
	}
	wav := EncodeWAV(pcm, lib.Rate())
	back, rate, err := DecodeWAV(wav)
	if err != nil || rate != Rate || len(back) != len(pcm) {
		t.Fatalf("WAV round trip: %d samples at %d Hz, %v", len(back), rate, err)
	}
	seconds := float64(len(pcm)) / Rate
	t.Logf("%q: %.2f s, %d clips", a.Text, seconds, clips)
	if seconds < 4 || seconds > 20 {
		t.Errorf("announcement is %.1f s long: expected 4–20 s", seconds)
	}
}

func TestRenderVolume(t *testing.T) {
	lib := &Library{rate: 1000, clips: map[string][]int16{"x": {1000, -2000, 32767}}}
	a := announce.Announcement{Parts: []announce.Part{{Clip: "x"}, {Pause: 3 * time.Millisecond}, {Clip: "x"}}}
	pcm, err := lib.Render(a, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	want := []int16{500, -1000, 16384, 0, 0, 0, 500, -1000, 16384}
	if len(pcm) != len(want) {
		t.Fatalf("got %v, want %v", pcm, want)
	}
	for i := range want {
		if pcm[i] != want[i] {
			t.Fatalf("got %v, want %v", pcm, want)
		}
	}
	if _, err := lib.Render(announce.Announcement{Parts: []announce.Part{{Clip: "nope"}}}, 1); err == nil {
		t.Error("missing clip: no error")
	}
}

func TestDecodeWAVErrors(t *testing.T) {
	for name, data := range map[string][]byte{
		"empty":  nil,
		"text":   []byte("hello world, not a wav"),
		"stereo": stereoWAV(),
	} {
		if _, _, err := DecodeWAV(data); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func stereoWAV() []byte {
	w := EncodeWAV([]int16{1, 2}, 8000)
	w[22] = 2
	return w
}

// TestAplay runs the player with a stand-in for aplay that copies its
// standard input to a file, and checks its arguments and the bytes.
func TestAplay(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "aplay")
	out := filepath.Join(dir, "out.wav")
	args := filepath.Join(dir, "args")
	script := "#!/bin/sh\necho \"$@\" > " + args + "\ncat > " + out + "\n"
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	wav := EncodeWAV([]int16{1, 2, 3}, Rate)
	if err := (Aplay{Device: "hw:1,0", Command: fake}).Play(context.Background(), wav); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(out)
	if !bytes.Equal(got, wav) {
		t.Error("aplay did not get the WAV on its standard input")
	}
	a, _ := os.ReadFile(args)
	if strings.TrimSpace(string(a)) != "-q -t wav -D hw:1,0 -" {
		t.Errorf("aplay arguments %q", a)
	}
	failing := filepath.Join(dir, "failing")
	os.WriteFile(failing, []byte("#!/bin/sh\necho 'aplay: main:831: audio open error: No such file or directory' >&2\nexit 1\n"), 0o755)
	err := (Aplay{Command: failing}).Play(context.Background(), wav)
	if err == nil || !strings.Contains(err.Error(), "audio open error") {
		t.Errorf("failing aplay: %v", err)
	}
}

func TestSilent(t *testing.T) {
	var waited time.Duration
	s := Silent{Wait: func(_ context.Context, d time.Duration) error { waited = d; return nil }}
	if err := s.Play(context.Background(), EncodeWAV(make([]int16, Rate*3/2), Rate)); err != nil {
		t.Fatal(err)
	}
	if waited != 1500*time.Millisecond {
		t.Errorf("waited %v, want 1.5 s", waited)
	}
}
