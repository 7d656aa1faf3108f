// Package ui is the lobby kiosk's user interface: the start screen with the
// office's services, the priority declaration, the result screen with the
// number and the QR code of its tracking link, the booking check-in, "Nhận
// kết quả / Tra cứu hồ sơ" (a dossier's pickup ticket or its status), the
// out-of-service screen and the staff menu. It imports Fyne but not
// fyne.io/fyne/v2/app, so that its tests run with fyne.io/fyne/v2/test and
// CGO_ENABLED=0; the kiosk command (luot/kiosk) makes the app and the
// window and gives the UI a Server, a Printer and a Clock.
//
// Every state change happens on Fyne's UI goroutine: tap handlers run
// there, and the results of network and printer calls, which run in
// goroutines of their own, come back through Deps.Do (fyne.Do).
package ui

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"luot/internal/clock"
)

// Config tunes the kiosk. Zero fields take the defaults noted.
type Config struct {
	// KioskName is printed on tickets ("Ki-ốt 1").
	KioskName string
	// Language is the language the kiosk returns to (Vietnamese).
	Language Lang
	// ServicesPerPage is how many service tiles the start screen shows at
	// once, two per row (6); more services are paged, never scrolled.
	ServicesPerPage int
	// ResultTimeout is how long the result screen stays (20 s).
	ResultTimeout time.Duration
	// IdleTimeout returns any other screen to the start after no touch
	// for this long (60 s).
	IdleTimeout time.Duration
	// RefreshEvery is how often the office's configuration and the
	// printer's status are read while all is well (30 s); RetryEvery how
	// often the server is tried while out of service (5 s).
	RefreshEvery, RetryEvery time.Duration
	// RequestTimeout bounds each server request, retries included (20 s);
	// PrintTimeout each printer call (30 s).
	RequestTimeout, PrintTimeout time.Duration
	// StaffPIN opens the staff menu (reprint last ticket, printer check)
	// after StaffTaps quick taps on the office name; empty disables it.
	StaffPIN  string
	StaffTaps int
	// NoDossiers hides "Nhận kết quả / Tra cứu hồ sơ" from the start
	// screen (an office that does not receive dossiers); a scanned
	// dossier QR is then read as a booking code, and refused.
	NoDossiers bool
	// ShowCursor keeps the mouse pointer visible (for a desktop trial);
	// the kiosk hides it by default.
	ShowCursor bool
}

func (c *Config) defaults() {
	if c.Language != English {
		c.Language = Vietnamese
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.ServicesPerPage <= 0 {
		c.ServicesPerPage = 6
	}
	def(&c.ResultTimeout, 20*time.Second)
	def(&c.IdleTimeout, 60*time.Second)
	def(&c.RefreshEvery, 30*time.Second)
	def(&c.RetryEvery, 5*time.Second)
	def(&c.RequestTimeout, 20*time.Second)
	def(&c.PrintTimeout, 30*time.Second)
	if c.StaffTaps <= 0 {
		c.StaffTaps = 5
	}
}

// Deps are what the kiosk talks to.
type Deps struct {
	Server Server
	// Printer may be nil: the kiosk then shows tickets without printing.
	Printer Printer
	// Clock is the kiosk's time: the system clock when nil, a fake one
	// (clock.Fake) in tests.
	Clock clock.Clock
	// QR returns the modules of a QR code of a text (true = dark); it draws
	// the tracking link on the result screen. Without it no QR is shown.
	QR func(text string) ([][]bool, error)
	// Do runs f on the UI goroutine (fyne.Do when nil).
	Do func(f func())
	// NewKey returns an idempotency key (random when nil).
	NewKey func() string
	// Log receives what staff or a technician may need (slog.Default when nil).
	Log *slog.Logger
}

// Screen names a kiosk screen.
type Screen string

// Screens.
const (
	ScreenStart        Screen = "start"
	ScreenPriority     Screen = "priority"
	ScreenResult       Screen = "result"
	ScreenCheckIn      Screen = "checkin"
	ScreenDossier      Screen = "dossier"        // the dossier code, typed or scanned
	ScreenDossierState Screen = "dossier-status" // a dossier not ready: its status, no ticket
	ScreenOutOfService Screen = "out-of-service"
	ScreenPIN          Screen = "pin"
	ScreenStaff        Screen = "staff"
)

// PrintState is what became of the shown ticket's printing.
type PrintState string

// Print states.
const (
	PrintNone     PrintState = "none"     // no printer configured
	PrintPrinting PrintState = "printing" // in progress
	PrintDone     PrintState = "done"     // printed
	PrintFault    PrintState = "fault"    // not printed: see the fault
)

// State is a snapshot of what the kiosk shows, for tests and logs.
type State struct {
	Screen   Screen
	Lang     Lang
	Page     int
	Pages    int
	Priority Priority
	Busy     bool
	// Ticket is the ticket on the result screen (nil elsewhere).
	Ticket *Ticket
	Print  PrintState
	// Fault is the printer fault shown with the ticket.
	Fault *PrinterFault
	// Dossier is the dossier shown on the dossier-status screen (nil
	// elsewhere).
	Dossier *DossierStatus
	// Code is the booking or dossier code typed so far; Message the line under it,
	// or the notice of the start screen, or the staff menu's answer.
	Code, Message string
	// OutOfService says why the kiosk is out of service ("server",
	// "closed", "device", "starting"), "" when in service.
	OutOfService string
}

// Kiosk is the kiosk's UI. Make it with New, put Content in a window,
// then call Start.
type Kiosk struct {
	cfg    Config
	deps   Deps
	log    *slog.Logger
	root   *root
	cursor desktop.Cursor
	ctx    context.Context
	cancel context.CancelFunc

	// All below is touched on the UI goroutine only.
	screen     Screen
	lang       Lang
	page       int
	priority   Priority
	busy       bool
	stopped    bool
	office     *Office
	oos        string
	capped     map[string]string // service id → local date its cap was reached
	message    string
	ticket     *Ticket
	print      PrintState
	fault      *PrinterFault
	lastJob    *PrintJob
	code       string
	token      string         // the k of a scanned receipt's QR, for code
	dossier    *DossierStatus // on the dossier-status screen
	pin        string
	reported   string
	refreshing bool
	taps       []time.Time

	idleGen, resultGen, pollGen int
	idleTimer, resultTimer      clock.Timer
	pollTimer                   clock.Timer
	printLabel                  func() // refreshes the print state on the result screen
}

// New makes a kiosk. It shows "connecting" until Start has read the office.
func New(cfg Config, deps Deps) *Kiosk {
	cfg.defaults()
	if deps.Clock == nil {
		deps.Clock = clock.Real{}
	}
	if deps.Do == nil {
		deps.Do = fyne.Do
	}
	if deps.NewKey == nil {
		deps.NewKey = randomKey
	}
	if deps.Log == nil {
		deps.Log = slog.Default()
	}
	k := &Kiosk{cfg: cfg, deps: deps, log: deps.Log, lang: cfg.Language, screen: ScreenOutOfService, oos: "starting",
		capped: map[string]string{}, print: PrintNone, cursor: desktop.HiddenCursor}
	if cfg.ShowCursor {
		k.cursor = desktop.DefaultCursor
	}
	k.ctx, k.cancel = context.WithCancel(context.Background())
	k.root = newRoot(k.cursor)
	k.show()
	return k
}

// Content is the kiosk's whole window content.
func (k *Kiosk) Content() fyne.CanvasObject { return k.root }

// Start reads the office and keeps reading it. Call it on the UI goroutine.
func (k *Kiosk) Start() { k.refresh() }

// Stop ends the kiosk's timers and pending requests. Call it on the UI
// goroutine.
func (k *Kiosk) Stop() {
	k.stopped = true
	k.cancel()
	for _, t := range []clock.Timer{k.idleTimer, k.resultTimer, k.pollTimer} {
		if t != nil {
			t.Stop()
		}
	}
}

// Scan takes a code read by the barcode/QR scanner. It may be called from
// any goroutine; on any screen but the out-of-service and staff ones it
// takes a dossier's QR or code (client.ScannedDossier) to "Nhận kết quả /
// Tra cứu hồ sơ" and anything else to the booking check-in.
func (k *Kiosk) Scan(code string) { k.deps.Do(func() { k.scanned(code) }) }

// State returns what the kiosk shows. Call it on the UI goroutine.
func (k *Kiosk) State() State {
	s := State{Screen: k.screen, Lang: k.lang, Page: k.page, Pages: k.pages(), Priority: k.priority, Busy: k.busy,
		Print: k.print, Fault: k.fault, Code: k.code, Message: k.message, OutOfService: k.oos}
	if k.screen == ScreenDossierState {
		s.Dossier = k.dossier
	}
	if k.screen == ScreenResult {
		s.Ticket = k.ticket
	} else {
		s.Print, s.Fault = "", nil
	}
	return s
}

func randomKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// go runs f in a goroutine with a context bounded by d.
func (k *Kiosk) async(d time.Duration, f func(ctx context.Context)) {
	go func() {
		ctx, cancel := context.WithTimeout(k.ctx, d)
		defer cancel()
		f(ctx)
	}()
}

// after calls f on the UI goroutine after d, unless gen moved on.
func (k *Kiosk) after(d time.Duration, gen *int, f func()) clock.Timer {
	*gen++
	want := *gen
	return clock.AfterFunc(k.deps.Clock, d, func() {
		k.deps.Do(func() {
			if !k.stopped && *gen == want {
				f()
			}
		})
	})
}

// --- the office and the out-of-service state ---

func (k *Kiosk) refresh() {
	if k.refreshing || k.stopped {
		return
	}
	k.refreshing = true
	k.async(k.cfg.RequestTimeout, func(ctx context.Context) {
		o, err := k.deps.Server.Office(ctx)
		var perr error
		if k.deps.Printer != nil && err == nil {
			perr = k.deps.Printer.Check(ctx)
		}
		k.deps.Do(func() {
			k.refreshing = false
			if k.stopped {
				return
			}
			k.applyOffice(o, err)
			if k.deps.Printer != nil && err == nil {
				k.report(asFault(perr))
			}
		})
	})
}

func (k *Kiosk) schedulePoll(d time.Duration) {
	if k.pollTimer != nil {
		k.pollTimer.Stop()
	}
	k.pollTimer = k.after(d, &k.pollGen, k.refresh)
}

func (k *Kiosk) applyOffice(o *Office, err error) {
	var r *Refusal
	switch {
	case errors.As(err, &r) && r.Denied:
		k.log.Error("kiosk: the server refuses this kiosk's device key: set the key staff registered for it", "err", err)
		k.outOfService("device")
	case err != nil:
		k.log.Warn("kiosk: server unreachable; out of service until it answers", "err", err)
		k.outOfService("server")
	case !o.Open:
		k.office = o
		k.outOfService("closed")
	default:
		k.office = o
		was := k.oos
		k.oos = ""
		switch {
		case k.screen == ScreenOutOfService:
			k.log.Info("kiosk: back in service", "was", was)
			k.goStart(true)
		case k.screen == ScreenStart && !k.busy:
			k.page = min(k.page, k.pages()-1)
			k.show()
		}
		k.schedulePoll(k.cfg.RefreshEvery)
		return
	}
	k.schedulePoll(k.cfg.RetryEvery)
}

// outOfService shows the out-of-service screen, except over a ticket or
// the staff menu, which finish first.
func (k *Kiosk) outOfService(why string) {
	k.oos = why
	switch k.screen {
	case ScreenResult, ScreenPIN, ScreenStaff:
		return
	}
	k.screen, k.code = ScreenOutOfService, ""
	k.show()
}

// goStart shows the start screen (or the out-of-service one); reset also
// forgets the language, page, priority and typed code of the last citizen.
func (k *Kiosk) goStart(reset bool) {
	if reset {
		k.lang, k.page, k.priority, k.code = k.cfg.Language, 0, PriorityNone, ""
	}
	k.message, k.ticket, k.fault, k.print, k.pin, k.printLabel = "", nil, nil, PrintNone, "", nil
	k.dossier, k.token = nil, ""
	k.screen = ScreenStart
	if k.oos != "" {
		k.screen = ScreenOutOfService
	}
	k.show()
}

// --- activity and idle ---

// touch notes activity: the idle timer starts again.
func (k *Kiosk) touch() {
	if k.idleTimer != nil {
		k.idleTimer.Stop()
	}
	k.idleTimer = k.after(k.cfg.IdleTimeout, &k.idleGen, k.idle)
}

func (k *Kiosk) idle() {
	switch {
	case k.busy:
		k.touch() // a request is in flight: its answer decides
	case k.screen == ScreenOutOfService:
	case k.screen == ScreenStart && k.lang == k.cfg.Language && k.page == 0 && k.priority == PriorityNone && k.message == "":
	default:
		k.goStart(true)
	}
}

func (k *Kiosk) setLang(l Lang) {
	k.touch()
	k.lang = l
	k.show()
}
