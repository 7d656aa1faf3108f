package assets

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
)

// TestVoiceClips checks that every clip listed in voice/clips.tsv is
// embedded, in the format the display plays (mono 16 kHz 16-bit PCM WAV),
// and that no clip is embedded that the list does not name.
func TestVoiceClips(t *testing.T) {
	list, err := Voice.ReadFile("voice/clips.tsv")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(list))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			t.Errorf("clips.tsv line %q: want name, voice and text separated by tabs", line)
			continue
		}
		listed[f[0]] = true
		data, err := Voice.ReadFile("voice/" + f[0] + ".wav")
		if err != nil {
			t.Errorf("clip %s is listed but not embedded: run scripts/make-voice-clips.sh", f[0])
			continue
		}
		if len(data) < 44 || string(data[0:4]) != "RIFF" || string(data[8:12]) != "WAVE" {
			t.Errorf("clip %s is not a WAV file", f[0])
			continue
		}
		ch := binary.LittleEndian.Uint16(data[22:24])
		rate := binary.LittleEndian.Uint32(data[24:28])
		bits := binary.LittleEndian.Uint16(data[34:36])
		if ch != 1 || rate != 16000 || bits != 16 {
			t.Errorf("clip %s is %d channel(s), %d Hz, %d bits: want mono 16000 Hz 16 bits", f[0], ch, rate, bits)
		}
	}
	entries, err := Voice.ReadDir("voice")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".wav"); ok && !listed[name] {
			t.Errorf("clip %s is embedded but not listed in clips.tsv", name)
		}
	}
}
