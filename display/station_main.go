//go:build cgo

package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"sync/atomic"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/theme"

	"luot/display/device"
	"luot/display/station"
	"luot/display/stationdev"
	"luot/display/stationstate"
)

// runStation runs the display in counter mode (-counter): one window with
// the station's screen, the clerk's keys and the citizen's taps handed to
// the running station (display/stationdev), its views drawn on the same
// coalescing tick as the board's. It returns the exit code.
func runStation(cfg device.Config, log *slog.Logger) int {
	if os.Getenv("GOGC") == "" {
		// As the kiosk: a station makes garbage in bursts (a view per
		// event or key) and idles in between; collecting at half the live
		// heap kept some 11 MB less resident (scripts/soak-station.sh:
		// 179 → 168 MB after warm-up at 1280×800, with 18 MB of live heap
		// then; 5 MB since the texts name their font) for a few ms of CPU.
		debug.SetGCPercent(50)
	}
	opts := stationdev.Options{Log: log}
	p, err := stationdev.OpenPrinter(cfg.Station)
	if err != nil {
		fmt.Fprintln(os.Stderr, "display:", err)
		return 2
	}
	if p != nil {
		defer p.Close()
		opts.Printer = p
		if p.Virtual != nil {
			// Tests and people read this line to find the receipts.
			fmt.Printf("display: virtual printer on %s; receipts are written to %s\n", p.Virtual.Path(), p.Virtual.OutDir())
		}
	} else {
		log.Warn("no printer configured (-printer): print jobs for this counter wait on the server")
	}

	a := app.NewWithID("vn.luot.station")
	a.Settings().SetTheme(station.Theme(theme.DefaultTheme()))
	w := a.NewWindow("Lượt — " + cfg.Office + " — " + cfg.Counter)

	// The screen's callbacks run on Fyne's goroutine; the station takes
	// them under its lock without waiting for the server (its effects run
	// on their own goroutines).
	var dev *stationdev.Device
	scr := station.New(station.Options{
		OnTap: func(t stationstate.Tap) { dev.Tap(t) },
		OnKey: func(name string) { dev.Key(name) },
		Now:   time.Now, // the rating prompt's countdown
	})
	w.SetContent(scr)
	w.SetPadded(false)
	scr.InstallKeys(w.Canvas())
	if cfg.Fullscreen {
		w.SetFullScreen(true)
	} else {
		width, height := cfg.WindowSize()
		w.Resize(fyne.NewSize(float32(width), float32(height)))
	}

	// As on the board: views are handed to the UI thread coalesced, on a
	// 250 ms tick, so that the events of one moment make one frame.
	var pending atomic.Pointer[stationstate.View]
	opts.Show = func(v stationstate.View) { pending.Store(&v) }
	dev, err = stationdev.New(cfg, opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "display:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if cfg.StateAddr != "" {
		addr, err := dev.ServeState(ctx, cfg.StateAddr)
		if err != nil {
			fmt.Fprintln(os.Stderr, "display:", err)
			return 2
		}
		// Tests and technicians read this line to find the endpoint.
		fmt.Printf("display: state at http://%s/state\n", addr)
	}
	var code atomic.Int32
	go func() {
		if err := dev.Run(ctx); err != nil {
			log.Error("station stopped", "err", err)
			fmt.Fprintln(os.Stderr, "display:", err)
			code.Store(1)
		}
		fyne.Do(a.Quit)
	}()
	go drawLoop(ctx, &pending, func(v stationstate.View) {
		scr.Update(v)
		dev.Drawn(v.Version)
	}, scr.Tick) // Tick redraws only when the countdown's seconds change
	log.Info("counter station started", "server", cfg.Server, "office", cfg.Office, "counter", cfg.Counter,
		"printer", cfg.Printer, "keypad", cfg.KeypadSerial)
	w.ShowAndRun()
	stop()
	return int(code.Load())
}
