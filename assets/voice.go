package assets

import "embed"

// Voice holds the display's voice clips: voice/NAME.wav (mono, 16 kHz,
// 16-bit PCM) for every clip listed in voice/clips.tsv, made by
// scripts/make-voice-clips.sh. A recorded human voice may replace any clip
// by a file of the same name and format.
//
//go:embed voice/*.wav voice/clips.tsv
var Voice embed.FS
