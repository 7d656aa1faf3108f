// Package audio renders announcements from voice clips into one PCM buffer
// and plays it through ALSA. Clips are mono 16-bit PCM WAV files at one
// sample rate (16 kHz for the clip set in assets/voice).
package audio

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os/exec"
	"path"
	"strings"
	"time"

	"luot/display/announce"
)

// Rate is the sample rate of the clip set, in samples per second.
const Rate = 16000

// Library holds decoded voice clips by name.
type Library struct {
	rate  int
	clips map[string][]int16
}

// LoadLibrary decodes every NAME.wav in dir of fsys. Every clip must be
// mono, 16-bit PCM at the same rate.
func LoadLibrary(fsys fs.FS, dir string) (*Library, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read voice clips: %w", err)
	}
	lib := &Library{clips: map[string][]int16{}}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".wav")
		if !ok || e.IsDir() {
			continue
		}
		data, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read voice clip %s: %w", name, err)
		}
		pcm, rate, err := DecodeWAV(data)
		if err != nil {
			return nil, fmt.Errorf("voice clip %s: %w", name, err)
		}
		if lib.rate == 0 {
			lib.rate = rate
		} else if rate != lib.rate {
			return nil, fmt.Errorf("voice clip %s is at %d Hz, the others at %d Hz: convert it (sox in.wav -r %d -c 1 -b 16 %s.wav)", name, rate, lib.rate, lib.rate, name)
		}
		lib.clips[name] = pcm
	}
	if len(lib.clips) == 0 {
		return nil, fmt.Errorf("no voice clips (*.wav) in %s", dir)
	}
	return lib, nil
}

// Rate is the sample rate of the library's clips.
func (l *Library) Rate() int { return l.rate }

// Clip returns a clip's samples.
func (l *Library) Clip(name string) ([]int16, bool) {
	c, ok := l.clips[name]
	return c, ok
}

// Missing returns the names among want that the library lacks.
func (l *Library) Missing(want []string) []string {
	var out []string
	for _, n := range want {
		if _, ok := l.clips[n]; !ok {
			out = append(out, n)
		}
	}
	return out
}

// Samples returns how many samples a pause of d takes.
func (l *Library) Samples(d time.Duration) int {
	return int(d * time.Duration(l.rate) / time.Second)
}

// Render assembles an announcement into one buffer: its clips one after the
// other with silence for its pauses, scaled by volume (0 to 1).
func (l *Library) Render(a announce.Announcement, volume float64) ([]int16, error) {
	n := 0
	for _, p := range a.Parts {
		if p.Clip == "" {
			n += l.Samples(p.Pause)
			continue
		}
		c, ok := l.clips[p.Clip]
		if !ok {
			return nil, fmt.Errorf("voice clip %q is missing: run scripts/make-voice-clips.sh", p.Clip)
		}
		n += len(c)
	}
	out := make([]int16, 0, n)
	for _, p := range a.Parts {
		if p.Clip == "" {
			out = append(out, make([]int16, l.Samples(p.Pause))...)
		} else {
			out = append(out, l.clips[p.Clip]...)
		}
	}
	if volume = min(max(volume, 0), 1); volume < 1 {
		for i, s := range out {
			out[i] = int16(math.Round(float64(s) * volume))
		}
	}
	return out, nil
}

// DecodeWAV returns the samples and rate of a mono 16-bit PCM WAV file.
func DecodeWAV(data []byte) ([]int16, int, error) {
	if len(data) < 12 || string(data[0:4]) != "RIFF" || string(data[8:12]) != "WAVE" {
		return nil, 0, errors.New("not a WAV file (no RIFF/WAVE header)")
	}
	var rate int
	var haveFmt bool
	for p := 12; p+8 <= len(data); {
		id, size := string(data[p:p+4]), int(binary.LittleEndian.Uint32(data[p+4:p+8]))
		body := data[p+8:]
		if size < 0 || size > len(body) {
			if id == "data" { // streamed WAVs may leave the size unset
				size = len(body)
			} else {
				return nil, 0, fmt.Errorf("WAV chunk %q is cut short", id)
			}
		}
		body = body[:size]
		switch id {
		case "fmt ":
			if size < 16 {
				return nil, 0, errors.New("WAV format chunk is too short")
			}
			format := binary.LittleEndian.Uint16(body[0:2])
			channels := binary.LittleEndian.Uint16(body[2:4])
			rate = int(binary.LittleEndian.Uint32(body[4:8]))
			bits := binary.LittleEndian.Uint16(body[14:16])
			if (format != 1 && format != 0xFFFE) || channels != 1 || bits != 16 {
				return nil, 0, fmt.Errorf("WAV is format %d, %d channel(s), %d bits: want mono 16-bit PCM", format, channels, bits)
			}
			haveFmt = true
		case "data":
			if !haveFmt {
				return nil, 0, errors.New("WAV data comes before its format")
			}
			pcm := make([]int16, size/2)
			for i := range pcm {
				pcm[i] = int16(binary.LittleEndian.Uint16(body[2*i:]))
			}
			return pcm, rate, nil
		}
		p += 8 + size + size%2
	}
	return nil, 0, errors.New("WAV has no data")
}

// EncodeWAV returns samples as a mono 16-bit PCM WAV file.
func EncodeWAV(pcm []int16, rate int) []byte {
	var b bytes.Buffer
	b.Grow(44 + 2*len(pcm))
	le := binary.LittleEndian
	b.WriteString("RIFF")
	binary.Write(&b, le, uint32(36+2*len(pcm)))
	b.WriteString("WAVEfmt ")
	binary.Write(&b, le, uint32(16))
	binary.Write(&b, le, uint16(1))      // PCM
	binary.Write(&b, le, uint16(1))      // mono
	binary.Write(&b, le, uint32(rate))   // sample rate
	binary.Write(&b, le, uint32(rate*2)) // byte rate
	binary.Write(&b, le, uint16(2))      // block align
	binary.Write(&b, le, uint16(16))     // bits per sample
	b.WriteString("data")
	binary.Write(&b, le, uint32(2*len(pcm)))
	binary.Write(&b, le, pcm)
	return b.Bytes()
}

// Player plays a WAV file to its end.
type Player interface {
	Play(ctx context.Context, wav []byte) error
}

// Aplay plays through ALSA with the aplay command (alsa-utils), reading the
// WAV from its standard input.
type Aplay struct {
	// Device is the ALSA device (aplay -D); "" is ALSA's default.
	Device string
	// Command replaces "aplay" (tests).
	Command string
}

// Play runs aplay and waits for it to finish.
func (p Aplay) Play(ctx context.Context, wav []byte) error {
	name := p.Command
	if name == "" {
		name = "aplay"
	}
	args := []string{"-q", "-t", "wav"}
	if p.Device != "" {
		args = append(args, "-D", p.Device)
	}
	args = append(args, "-")
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = bytes.NewReader(wav)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.LastIndexByte(msg, '\n'); i >= 0 {
			msg = msg[i+1:]
		}
		return fmt.Errorf("%s: %w: %s", name, err, msg)
	}
	return nil
}

// Silent plays nothing but takes as long as the sound would, so that the
// announcement queue keeps its pace without a sound card.
type Silent struct {
	// Wait waits d or until ctx ends (default: a real timer).
	Wait func(ctx context.Context, d time.Duration) error
}

// Play waits for the length of the WAV's sound.
func (s Silent) Play(ctx context.Context, wav []byte) error {
	pcm, rate, err := DecodeWAV(wav)
	if err != nil {
		return err
	}
	d := time.Duration(len(pcm)) * time.Second / time.Duration(rate)
	if s.Wait != nil {
		return s.Wait(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Speaker says announcements: it renders each into one WAV and hands it to
// its player. It implements announce.Sink.
type Speaker struct {
	Library *Library
	Player  Player
	// Volume scales the sound, from 0 (mute) to 1 (the clips' level).
	Volume float64
}

// Say renders a and plays it to the end.
func (s *Speaker) Say(ctx context.Context, a announce.Announcement) error {
	pcm, err := s.Library.Render(a, s.Volume)
	if err != nil {
		return err
	}
	return s.Player.Play(ctx, EncodeWAV(pcm, s.Library.Rate()))
}
