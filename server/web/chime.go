package web

import (
	"bytes"
	"encoding/binary"
	"math"
)

// synthChime makes a two-tone chime (mono 16 kHz 16-bit PCM WAV, about
// 0.9 s) for when assets/voice has no chime.wav.
func synthChime() []byte {
	const rate = 16000
	var pcm []int16
	for _, tone := range []struct {
		hz  float64
		dur float64
	}{{880, 0.35}, {660, 0.55}} {
		n := int(tone.dur * rate)
		for i := 0; i < n; i++ {
			t := float64(i) / rate
			env := math.Exp(-4 * t / tone.dur)
			pcm = append(pcm, int16(0.5*32767*env*math.Sin(2*math.Pi*tone.hz*t)))
		}
	}
	var b bytes.Buffer
	le := func(v any) { _ = binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("RIFF")
	le(uint32(36 + 2*len(pcm)))
	b.WriteString("WAVEfmt ")
	le(uint32(16))
	le(uint16(1))
	le(uint16(1))
	le(uint32(rate))
	le(uint32(rate * 2))
	le(uint16(2))
	le(uint16(16))
	b.WriteString("data")
	le(uint32(2 * len(pcm)))
	le(pcm)
	return b.Bytes()
}
