//go:build cgo

// Command kiosk is Lượt's lobby kiosk: a full-screen Fyne touch application
// that issues numbered tickets, prints them on a serial ESC/POS printer
// and checks bookings in, talking to the Lượt server.
//
//	go run ./kiosk -device-key demo-kiosk -virtual-printer
//
// runs it against a demo server (go run ./server -demo) with the virtual
// printer, so that it works on a machine without hardware; -windowed runs
// it in a window. See kiosk/README.md for the configuration file and for
// setting up a kiosk machine.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"luot/kiosk/device"
	"luot/kiosk/ui"
	"luot/printer"
	"luot/printer/virtual"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "kiosk:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	c, err := loadConfig(args)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	srv, err := device.NewServer(c.Server, c.DeviceKey, c.Office)
	if err != nil {
		return err
	}
	deps := ui.Deps{Server: srv, QR: device.QR, Log: log}

	pcfg := c.Printer
	if c.VirtualPrinter {
		out := c.VirtualOut
		if out == "" {
			if out, err = os.MkdirTemp("", "luot-virtual-printer-"); err != nil {
				return fmt.Errorf("make the virtual printer's folder: %w", err)
			}
		} else if err := os.MkdirAll(out, 0o755); err != nil {
			return fmt.Errorf("make the virtual printer's folder: %w", err)
		}
		v, err := virtual.Start(virtual.Options{OutDir: out, Profile: pcfg.Profile})
		if err != nil {
			return fmt.Errorf("start the virtual printer: %w", err)
		}
		defer v.Close()
		pcfg.Port, pcfg.USB = v.Path(), ""
		fmt.Printf("kiosk: virtual printer on %s; tickets are written to %s (ticket-NNNN.png and .txt)\n", v.Path(), out)
	}
	if pcfg.Port != "" || pcfg.USB != "" {
		p, err := printer.New(pcfg)
		if err != nil {
			return fmt.Errorf("printer: %w", err)
		}
		defer p.Close()
		deps.Printer = &device.Printer{P: p}
	} else {
		log.Warn("no printer configured (-printer, -printer-usb or -virtual-printer): tickets are only shown on screen")
	}

	colours := ui.DefaultColours
	if c.Colour != "" {
		colours.Primary, _ = parseColour(c.Colour)
	}
	lang := ui.Vietnamese
	if c.Language == "en" {
		lang = ui.English
	}
	if os.Getenv("GOGC") == "" {
		// The kiosk makes garbage in bursts (a screen per touch) and idles
		// in between: collecting at half the live heap instead of all of
		// it keeps some 15 MB less resident for a few ms of CPU per touch.
		debug.SetGCPercent(50)
	}
	if c.DebugAddr != "" {
		addr, err := serveDebug(c.DebugAddr, log)
		if err != nil {
			return err
		}
		fmt.Printf("kiosk: debug at http://%s/debug/memory\n", addr)
	}
	a := app.NewWithID("vn.gov.luot.kiosk")
	a.Settings().SetTheme(&ui.Theme{C: colours})
	k := ui.New(ui.Config{
		KioskName: c.KioskName, Language: lang, ServicesPerPage: c.ServicesPerPage,
		ResultTimeout: c.ResultTimeout.Duration, IdleTimeout: c.IdleTimeout.Duration,
		RefreshEvery: c.RefreshEvery.Duration, RetryEvery: c.RetryEvery.Duration,
		StaffPIN: c.StaffPIN, ShowCursor: c.ShowCursor, NoDossiers: c.NoDossiers,
	}, deps)

	w := a.NewWindow("Lượt — Kiosk")
	w.SetPadded(false)
	w.SetContent(k.Content())
	if c.Windowed {
		width, height, _ := parseSize(c.Size)
		w.Resize(fyne.NewSize(width, height))
	} else {
		w.SetFullScreen(true)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go quitOnSignal(ctx, func() { fyne.Do(a.Quit) }, quitGrace, func() {
		log.Error("kiosk: the window did not close in time after the signal (Fyne's shutdown is stuck); exiting without it", "grace", quitGrace)
		os.Exit(1)
	})
	if c.Scanner != "" {
		sc := &device.Scanner{Port: c.Scanner, Baud: c.ScannerBaud, Log: log}
		go sc.Run(ctx, k.Scan)
	}
	a.Lifecycle().SetOnStarted(func() {
		log.Info("kiosk started", "server", c.Server, "office", c.Office, "printer", pcfg.Port+pcfg.USB, "scanner", c.Scanner)
		k.Start()
	})
	w.ShowAndRun()
	k.Stop()
	return nil
}
