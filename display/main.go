//go:build cgo

// Command display is the waiting-room board of a Lượt office: a full-screen
// Fyne window that follows the office's event stream, shows the calls and
// announces them with Vietnamese voice clips. With -counter it is the
// counter station instead (station_main.go). See display/README.md.
//
//	go run ./display -server http://127.0.0.1:8080 -office demo
//	go run ./display -counter q3 -device-key demo-station-q3 -printer virtual
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"
	_ "time/tzdata" // the office's timezone must load on every machine

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/theme"

	"luot/display/board"
	"luot/display/boardstate"
	"luot/display/device"
)

func main() {
	cfg, err := device.ParseConfig(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "display:", err)
		os.Exit(2)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if cfg.Counter != "" {
		os.Exit(runStation(cfg, log))
	}

	a := app.NewWithID("vn.luot.display")
	a.Settings().SetTheme(board.Theme(theme.DefaultTheme())) // the board's background is the theme's
	w := a.NewWindow("Lượt — " + cfg.Office)
	blink := cfg.Blink.Duration
	if blink == 0 {
		blink = -1 // board.Options: negative means no blinking
	}
	b := board.New(boardstate.View{}, board.Options{English: cfg.English, BlinkFor: blink, BlinkEvery: cfg.BlinkEvery.Duration})
	w.SetContent(b)
	w.SetPadded(false)
	if cfg.Fullscreen {
		w.SetFullScreen(true)
	} else {
		width, height := cfg.WindowSize()
		w.Resize(fyne.NewSize(float32(width), float32(height)))
	}

	// Views are handed to the UI thread coalesced, on the ticks of the
	// clock below: every frame is a full repaint (about 0.1 s of CPU at
	// 1080p in software rendering), so the events of one moment (a number
	// taken and a call, a call and its counter) are drawn in one frame, at
	// most a tick (250 ms) after they came, and a burst of events costs
	// one frame per tick.
	var dev *device.Device
	var pending atomic.Pointer[boardstate.View]
	show := func(v boardstate.View) { pending.Store(&v) }
	dev, err = device.New(cfg, device.Options{Log: log, Show: show})
	if err != nil {
		fmt.Fprintln(os.Stderr, "display:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if cfg.StateAddr != "" {
		addr, err := dev.ServeState(ctx, cfg.StateAddr)
		if err != nil {
			fmt.Fprintln(os.Stderr, "display:", err)
			os.Exit(2)
		}
		// Tests and technicians read this line to find the endpoint.
		fmt.Printf("display: state at http://%s/state\n", addr)
	}
	go func() {
		if err := dev.Run(ctx); err != nil {
			log.Error("display stopped", "err", err)
		}
		fyne.Do(a.Quit)
	}()
	// The views, the clock and the blink: at most four redraws a second,
	// and only when something changed.
	go drawLoop(ctx, &pending, func(v boardstate.View) {
		b.Update(v)
		dev.Drawn(v.Version)
	}, b.Tick)
	w.ShowAndRun()
}

// drawLoop hands the newest pending view to draw, then calls tick (the
// clock, a blink, a countdown), on Fyne's goroutine every 250 ms until ctx
// ends: the events of one moment are drawn in one frame, and a burst of
// events costs one frame per tick.
func drawLoop[V any](ctx context.Context, pending *atomic.Pointer[V], draw func(V), tick func()) {
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			fyne.Do(func() {
				if p := pending.Swap(nil); p != nil {
					draw(*p)
				}
				tick()
			})
		}
	}
}
