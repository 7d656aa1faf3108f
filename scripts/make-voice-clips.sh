#!/usr/bin/env bash
# Generates the display's voice clip set into assets/voice/ from the list in
# assets/voice/clips.tsv (name, voice, text): each text is spoken by
# espeak-ng with the given voice (vi = Northern Vietnamese, en-us = English)
# and the "tone" clips are synthesized with sox. Every clip is written as
# NAME.wav, mono, 16 kHz, 16-bit PCM, with its leading and trailing silence
# trimmed and its level normalized, so that clips join without gaps of
# their own (the player adds the pauses).
#
# Re-run it after changing clips.tsv. To use a recorded human voice instead,
# replace any NAME.wav by a recording of the same name in the same format
# (sox in.wav -r 16000 -c 1 -b 16 NAME.wav converts one) and commit it.
#
# Usage: scripts/make-voice-clips.sh [NAME...]   (no names: every clip)
# LUOT_VOICE_SPEED sets espeak-ng's speed in words per minute (default 150).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in espeak-ng sox; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "make-voice-clips: $tool is missing: run scripts/setup.sh (or apt-get install espeak-ng sox) first" >&2
    exit 1
  fi
done

out=assets/voice
list="$out/clips.tsv"
speed="${LUOT_VOICE_SPEED:-150}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Trim silence at both ends, normalize to -3 dBFS, convert to the clip format.
finish() {
  sox "$1" -r 16000 -c 1 -b 16 -e signed-integer "$2" \
    silence 1 0.01 0.1% reverse silence 1 0.01 0.1% reverse norm -3
}

want=" $* "
n=0
while IFS=$'\t' read -r name voice text; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  [[ $# -gt 0 && "$want" != *" $name "* ]] && continue
  case "$voice" in
  tone)
    # A two-note chime (E6 then C6) with a soft attack and a long decay.
    sox -n -r 16000 -c 1 -b 16 "$tmp/a.wav" synth 0.55 sine 1319 fade q 0.01 0.55 0.5 vol 0.6
    sox -n -r 16000 -c 1 -b 16 "$tmp/b.wav" synth 0.9 sine 1047 fade q 0.01 0.9 0.85 vol 0.6
    sox "$tmp/a.wav" "$tmp/b.wav" -r 16000 -c 1 -b 16 -e signed-integer "$out/$name.wav" norm -6
    ;;
  *)
    espeak-ng -v "$voice" -s "$speed" -w "$tmp/raw.wav" "$text"
    finish "$tmp/raw.wav" "$out/$name.wav"
    ;;
  esac
  n=$((n + 1))
done <"$list"

echo "make-voice-clips: wrote $n clips into $out ($(du -sh "$out" | cut -f1) in all)"
