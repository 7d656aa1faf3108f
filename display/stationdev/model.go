package stationdev

import (
	"context"
	"time"

	"luot/display/device"
	"luot/display/stationstate"
	"luot/server/client"
)

// stationModel joins the station's model to the device. (Placeholder
// until display/stationstate's model is merged: it only keeps the view.)
type stationModel struct {
	view stationstate.View
}

func newModel(cfg device.Config, now time.Time) (*stationModel, error) {
	return &stationModel{view: stationstate.View{Mode: stationstate.ModeConnecting, Counter: cfg.Counter, English: cfg.Language == "en"}}, nil
}

func (d *Device) viewLocked() stationstate.View { return d.model.view }

func (d *Device) modelStation(st *client.Station, photo []byte, keepPhoto bool) {
	d.model.view.OfficeName = st.Office.Name
	d.model.view.Version++
}

func (d *Device) modelEvent(e client.Event) error { d.model.view.Version++; return nil }

func (d *Device) modelConnected(up bool) { d.model.view.Connected = up; d.model.view.Version++ }

func (d *Device) modelPrinter(f *Fault) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.model.view.Printer, d.model.view.PrinterEN = "", ""
	if f != nil {
		d.model.view.Printer, d.model.view.PrinterEN = f.Vietnamese, f.English
	}
	d.model.view.Version++
}

func (d *Device) runEffects() {}

// Tick gives the model the time (the rating prompt's timeout, thanks).
func (d *Device) Tick(ctx context.Context) {}
