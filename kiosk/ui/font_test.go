package ui_test

import (
	"testing"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"luot/internal/fynetext"
	"luot/kiosk/ui"
)

// TestCodesNameTheirFont: the codes typed on the check-in and dossier
// screens, the kiosk's only bold monospace texts, name the theme's font as
// their FontSource, so that Fyne does not load that style's whole font
// map (the emoji font and a system font) for them (see package fynetext).
func TestCodesNameTheirFont(t *testing.T) {
	h := newHarness(t)
	for _, c := range []struct {
		tile   string
		screen ui.Screen
	}{
		{"Tôi đã đặt lịch hẹn", ui.ScreenCheckIn},
		{"Nhận kết quả / Tra cứu hồ sơ", ui.ScreenDossier},
	} {
		h.tap(c.tile)
		h.screen(c.screen)
		h.tap("A")
		codes := 0
		for _, o := range test.LaidOutObjects(h.w.Content()) {
			x, ok := o.(*canvas.Text)
			if !ok || !x.Visible() || !x.TextStyle.Monospace {
				continue
			}
			codes++
			if !fynetext.Named(x) {
				t.Errorf("%s: the code %q has no font of its own", c.screen, x.Text)
			}
		}
		if codes == 0 {
			t.Errorf("%s: no code shown", c.screen)
		}
		h.tap("Quay lại")
	}
}
