package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Colours of the kiosk theme. Primary is the office's colour (buttons,
// header); the rest keep contrast high: near-black on white, white on the
// primary colour (contrast ratio above 7:1 with the default red).
type Colours struct {
	Primary    color.NRGBA
	Background color.NRGBA
	Foreground color.NRGBA
	// Accent marks selected choices (the declared priority).
	Accent color.NRGBA
}

// DefaultColours are a deep red with white and near-black.
var DefaultColours = Colours{
	Primary:    color.NRGBA{R: 0x9b, G: 0x11, B: 0x1e, A: 0xff},
	Background: color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff},
	Foreground: color.NRGBA{R: 0x11, G: 0x11, B: 0x11, A: 0xff},
	Accent:     color.NRGBA{R: 0x0b, G: 0x5c, B: 0x2e, A: 0xff},
}

// Theme is the kiosk's look: large text for reading from a metre away,
// high contrast, Fyne's embedded font (which covers Vietnamese).
type Theme struct {
	C Colours
}

var _ fyne.Theme = (*Theme)(nil)

// Extra colour names of the kiosk theme.
const (
	colorTile         fyne.ThemeColorName = "kioskTile"
	colorTileDisabled fyne.ThemeColorName = "kioskTileDisabled"
	colorSecondary    fyne.ThemeColorName = "kioskSecondary"
	colorAccent       fyne.ThemeColorName = "kioskAccent"
	colorKey          fyne.ThemeColorName = "kioskKey"
	colorPanel        fyne.ThemeColorName = "kioskPanel"
)

// Color returns the theme's colours; the variant (light/dark) is ignored:
// a kiosk always looks the same.
func (t *Theme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	c := t.C
	switch n {
	case theme.ColorNameBackground, theme.ColorNameInputBackground, theme.ColorNameMenuBackground, theme.ColorNameOverlayBackground:
		return c.Background
	case theme.ColorNameForeground:
		return c.Foreground
	case theme.ColorNamePrimary, theme.ColorNameHeaderBackground, colorTile:
		return c.Primary
	case theme.ColorNameForegroundOnPrimary, theme.ColorNameForegroundOnError, theme.ColorNameForegroundOnSuccess:
		return color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	case theme.ColorNameError:
		return color.NRGBA{R: 0xb0, G: 0x00, B: 0x20, A: 0xff}
	case theme.ColorNameSuccess, colorAccent:
		return c.Accent
	case theme.ColorNameDisabled, theme.ColorNamePlaceHolder:
		return color.NRGBA{R: 0x55, G: 0x55, B: 0x55, A: 0xff}
	case colorTileDisabled:
		return color.NRGBA{R: 0xdd, G: 0xdd, B: 0xdd, A: 0xff}
	case colorSecondary, theme.ColorNameButton:
		return color.NRGBA{R: 0x1f, G: 0x3a, B: 0x68, A: 0xff}
	case colorKey:
		return color.NRGBA{R: 0xe8, G: 0xec, B: 0xf2, A: 0xff}
	case colorPanel:
		return color.NRGBA{R: 0xf4, G: 0xf1, B: 0xea, A: 0xff}
	case theme.ColorNameSeparator:
		return color.NRGBA{R: 0xbb, G: 0xbb, B: 0xbb, A: 0xff}
	}
	return theme.DefaultTheme().Color(n, theme.VariantLight)
}

// Font returns Fyne's embedded font, which has every Vietnamese letter.
func (t *Theme) Font(s fyne.TextStyle) fyne.Resource { return theme.DefaultTheme().Font(s) }

// Icon returns Fyne's icons.
func (t *Theme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

// Size returns large sizes for a touch screen read standing up.
func (t *Theme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 26
	case theme.SizeNameHeadingText:
		return 44
	case theme.SizeNameSubHeadingText:
		return 32
	case theme.SizeNameCaptionText:
		return 20
	case theme.SizeNamePadding:
		return 8
	case theme.SizeNameInnerPadding:
		return 12
	case theme.SizeNameLineSpacing:
		return 6
	}
	return theme.DefaultTheme().Size(n)
}
