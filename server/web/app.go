package web

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"math"
	"net/http"
	"sync"

	"luot/assets"
	"luot/server/msgtext"
)

// The installable citizen app (docs/notify.md, "The installable citizen
// app"):
//
//	GET /manifest.webmanifest      the web app manifest, names in the browser's language (vi, en)
//	GET /sw.js                     the service worker (scope /): the shell and last states offline, push display
//	GET /icons/{name}              icon-192.png, icon-512.png, maskable-512.png (drawn from the favicon's shapes)
//	GET /apple-touch-icon.png      the home-screen icon iPhones ask for (180×180)
func (s *Server) appRoutes() error {
	files, err := fs.Sub(assets.Web, "web/citizen")
	if err != nil {
		return err
	}
	sw, err := fs.ReadFile(files, "sw.js")
	if err != nil {
		return err
	}
	m := s.mux
	m.HandleFunc("GET /manifest.webmanifest", s.manifest)
	m.HandleFunc("GET /sw.js", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/javascript; charset=utf-8")
		// A new release's worker is found at the next visit.
		h.Set("Cache-Control", "no-cache")
		w.Write(sw)
	})
	for name, ic := range appIcons {
		m.HandleFunc("GET "+name, func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Type", "image/png")
			h.Set("Cache-Control", "public, max-age=604800")
			w.Write(ic.png())
		})
	}
	return nil
}

// appIcon is one size of the app's icon, drawn once on first use.
type appIcon struct {
	size     int
	maskable bool
	once     sync.Once
	data     []byte
}

func (a *appIcon) png() []byte {
	a.once.Do(func() { a.data = drawIcon(a.size, a.maskable) })
	return a.data
}

// appIcons are the app's icons by path.
var appIcons = map[string]*appIcon{
	"/icons/icon-192.png":     {size: 192},
	"/icons/icon-512.png":     {size: 512},
	"/icons/maskable-512.png": {size: 512, maskable: true},
	"/apple-touch-icon.png":   {size: 180, maskable: true},
}

// drawIcon draws favicon.svg's shapes at size×size pixels, 4×4 samples a
// pixel: the blue rounded square, the white ticket with its two notches,
// the blue "L" and the red dot, on a 32-unit grid. A maskable icon (and
// iPhones', which round the corners themselves) fills the square: the
// drawing already lies within the safe circle of 40 % of the size.
func drawIcon(size int, maskable bool) []byte {
	var (
		blue  = color.NRGBA{0x0b, 0x4f, 0x8a, 0xff}
		white = color.NRGBA{0xff, 0xff, 0xff, 0xff}
		red   = color.NRGBA{0xc8, 0x10, 0x2e, 0xff}
	)
	inRounded := func(x, y float64) bool {
		if maskable {
			return true
		}
		const r = 6.0
		cx, cy := math.Max(r, math.Min(32-r, x)), math.Max(r, math.Min(32-r, y))
		return (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r
	}
	// The ticket: 7..25 × 9..23 less a half-disc of radius 2 at (7,16)
	// and at (25,16).
	inTicket := func(x, y float64) bool {
		if x < 7 || x > 25 || y < 9 || y > 23 {
			return false
		}
		return (x-7)*(x-7)+(y-16)*(y-16) > 4 && (x-25)*(x-25)+(y-16)*(y-16) > 4
	}
	inL := func(x, y float64) bool {
		return x >= 11 && x <= 13.5 && y >= 12 && y <= 20 || x >= 11 && x <= 18 && y >= 17.5 && y <= 20
	}
	inDot := func(x, y float64) bool { return (x-21)*(x-21)+(y-13)*(y-13) <= 4 }
	paint := func(x, y float64) (color.NRGBA, bool) {
		switch {
		case !inRounded(x, y):
			return color.NRGBA{}, false
		case inDot(x, y):
			return red, true
		case inL(x, y):
			return blue, true
		case inTicket(x, y):
			return white, true
		}
		return blue, true
	}
	const n = 4
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	unit := 32 / float64(size)
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var r, g, b, a float64
			for sy := 0; sy < n; sy++ {
				for sx := 0; sx < n; sx++ {
					x := (float64(px) + (float64(sx)+0.5)/n) * unit
					y := (float64(py) + (float64(sy)+0.5)/n) * unit
					if c, ok := paint(x, y); ok {
						r, g, b, a = r+float64(c.R), g+float64(c.G), b+float64(c.B), a+1
					}
				}
			}
			if a > 0 {
				img.SetNRGBA(px, py, color.NRGBA{uint8(r/a + 0.5), uint8(g/a + 0.5), uint8(b/a + 0.5), uint8(a/(n*n)*255 + 0.5)})
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic("web: encoding an icon in memory: " + err.Error()) // never: a bytes.Buffer does not fail
	}
	return buf.Bytes()
}

// manifestIcon is an icon of the manifest.
type manifestIcon struct {
	Src     string `json:"src"`
	Sizes   string `json:"sizes"`
	Type    string `json:"type"`
	Purpose string `json:"purpose,omitempty"`
}

// manifest answers the web app manifest in the browser's language: the
// name on the home screen is the citizen's.
func (s *Server) manifest(w http.ResponseWriter, r *http.Request) {
	en := msgtext.Lang(r.Header.Get("Accept-Language")) == "en"
	m := map[string]any{
		"id":               "/",
		"name":             "Lượt — Lấy số, theo dõi hồ sơ và phản ánh",
		"short_name":       "Lượt",
		"description":      "Lấy số thứ tự, đặt lịch hẹn, theo dõi lượt, hồ sơ và phản ánh, nhận thông báo khi đến lượt.",
		"lang":             "vi",
		"start_url":        "/",
		"scope":            "/",
		"display":          "standalone",
		"background_color": "#ffffff",
		"theme_color":      "#0b4f8a",
		"icons": []manifestIcon{
			{Src: "/icons/icon-192.png", Sizes: "192x192", Type: "image/png", Purpose: "any"},
			{Src: "/icons/icon-512.png", Sizes: "512x512", Type: "image/png", Purpose: "any"},
			{Src: "/icons/maskable-512.png", Sizes: "512x512", Type: "image/png", Purpose: "maskable"},
			{Src: "/favicon.svg", Sizes: "any", Type: "image/svg+xml", Purpose: "any"},
		},
	}
	if en {
		m["name"] = "Lượt — Queue numbers, dossiers and reports"
		m["description"] = "Take a number, book an appointment, follow your turn, your dossier and your reports, and be told when your turn is near."
		m["lang"] = "en"
	}
	h := w.Header()
	h.Set("Content-Type", "application/manifest+json")
	h.Set("Cache-Control", "no-cache")
	h.Set("Vary", "Accept-Language")
	json.NewEncoder(w).Encode(m)
}
