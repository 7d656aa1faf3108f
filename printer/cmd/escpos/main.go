// Command escpos is the technician's tool for Lượt's ticket printers.
//
//	escpos ports                              serial ports, with USB ids
//	escpos status  -port P [-baud N]          a printer's status, in words
//	escpos test    -port P -profile NAME      print a test ticket with every Vietnamese letter
//	escpos virtual [-profile NAME] [-out DIR] [-link PATH]
//	                                          run the virtual printer until Ctrl-C
//	escpos profiles                           one line per profile: name, width in dots, Vietnamese method
//	escpos encode  -profile NAME -text "…"    the bytes one line sends after initialisation, to stdout
//	escpos issue   -server URL -device-key K -port P [-service S] [-profile NAME]
//	                                          take a number from a Lượt server as a kiosk and print it
//
// -port takes a device path (best /dev/serial/by-id/…) or usb:VID:PID.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"go.bug.st/serial/enumerator"

	"luot/printer"
	"luot/printer/virtual"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: escpos <command> [flags]

commands:
  ports                              list serial ports with their USB ids
  status  -port P [-baud N]          read a printer's status
  test    -port P -profile NAME      print a test ticket with every Vietnamese letter
  virtual [-profile NAME] [-out DIR] [-link PATH]
                                     run the virtual printer (Ctrl-C stops it)
  profiles                           list printer profiles: name, width in dots, Vietnamese method
  encode  -profile NAME -text "…"    write the bytes of one printed line to stdout
  issue   -server URL -device-key K -port P [-service S] [-profile NAME]
                                     take a number from a Lượt server (as a kiosk) and print it

-port is a device path (e.g. /dev/serial/by-id/usb-…) or usb:VID:PID.
Run "escpos <command> -h" for a command's flags.
`

// run executes one command and returns the exit status: 0 ok, 1 failure,
// 2 usage error, 3 the printer reports a fault.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, args := args[0], args[1:]
	if cmd == "issue" {
		return issue(args, stdout, stderr)
	}
	fs := flag.NewFlagSet("escpos "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	port := fs.String("port", "", "device path or usb:VID:PID")
	baud := fs.Int("baud", 9600, "line speed")
	parity := fs.String("parity", "none", "none, odd or even")
	stop := fs.Int("stopbits", 1, "1 or 2")
	rtscts := fs.Bool("rtscts", false, "wait for CTS (hardware flow control)")
	profile := fs.String("profile", "epson-tm-t20iii", "printer profile (see: escpos profiles)")
	cp1258 := fs.Int("cp1258", 0, "ESC t number of Windows-1258 on this printer, if not the profile's")
	text := fs.String("text", "", "text to encode")
	out := fs.String("out", "", "output folder of the virtual printer (default: a new temporary folder)")
	link := fs.String("link", "", "symbolic link to keep pointing at the virtual printer's pty")
	switch cmd {
	case "ports", "status", "test", "virtual", "profiles", "encode":
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "escpos: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg := func() (printer.Config, error) {
		c := printer.Config{Baud: *baud, Parity: *parity, StopBits: *stop, RTSCTS: *rtscts, Profile: *profile, CP1258Page: *cp1258}
		switch {
		case *port == "":
			return c, errors.New("-port is required (a device path or usb:VID:PID; see escpos ports)")
		case strings.HasPrefix(*port, "usb:"):
			c.USB = strings.TrimPrefix(*port, "usb:")
		default:
			c.Port = *port
		}
		return c, nil
	}
	fail := func(err error) int {
		fmt.Fprintln(stderr, "escpos:", err)
		var fe *printer.FaultError
		if errors.As(err, &fe) {
			return 3
		}
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	switch cmd {
	case "profiles":
		for _, p := range printer.Profiles() {
			fmt.Fprintf(stdout, "%s %d %s\n", p.Name, p.WidthDots, p.Vietnamese)
		}
	case "encode":
		p, err := printer.LookupProfile(*profile)
		if err != nil {
			return fail(err)
		}
		if *cp1258 > 0 {
			p = p.WithCodePage(printer.CharsetCP1258, *cp1258)
		}
		b, err := printer.EncodeLine(p, *text)
		if err != nil {
			return fail(err)
		}
		if _, err := stdout.Write(b); err != nil {
			return fail(err)
		}
	case "ports":
		ports, err := enumerator.GetDetailedPortsList()
		if err != nil {
			return fail(fmt.Errorf("listing serial ports: %w", err))
		}
		if len(ports) == 0 {
			fmt.Fprintln(stdout, "no serial ports found (is the printer plugged in and switched on? see dmesg)")
		}
		for _, p := range ports {
			if p.IsUSB {
				fmt.Fprintf(stdout, "%s\tusb:%s:%s\tserial=%s\t%s\n", p.Name, strings.ToLower(p.VID), strings.ToLower(p.PID), p.SerialNumber, p.Product)
			} else {
				fmt.Fprintf(stdout, "%s\n", p.Name)
			}
		}
		if by, err := filepath.Glob("/dev/serial/by-id/*"); err == nil && len(by) > 0 {
			fmt.Fprintln(stdout, "\nstable names (use these in the configuration):")
			for _, l := range by {
				target, _ := filepath.EvalSymlinks(l)
				fmt.Fprintf(stdout, "%s -> %s\n", l, target)
			}
		}
	case "status":
		c, err := cfg()
		if err != nil {
			return fail(err)
		}
		p, err := printer.Open(c)
		if err != nil {
			return fail(err)
		}
		defer p.Close()
		st, err := p.Status(ctx)
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(stdout, "status: %s (DLE EOT 1-4: % X)\n", st, st.Raw[1:])
		for _, f := range st.Faults() {
			fmt.Fprintf(stdout, "  %s\n  %s\n", f.Vietnamese(), f.English())
		}
		if st.Err() != nil {
			return 3
		}
	case "test":
		c, err := cfg()
		if err != nil {
			return fail(err)
		}
		p, err := printer.Open(c)
		if err != nil {
			return fail(err)
		}
		defer p.Close()
		data, err := TestTicket(p.Profile())
		if err != nil {
			return fail(err)
		}
		st, err := p.PrintRaw(ctx, data)
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(stdout, "printed %d bytes (%.1f s at %d baud); status before printing: %s\n",
			len(data), printer.TransferTime(len(data), c.Baud).Seconds(), c.Baud, st)
	case "virtual":
		dir := *out
		if dir == "" {
			d, err := os.MkdirTemp("", "luot-virtual-printer-")
			if err != nil {
				return fail(err)
			}
			dir = d
		}
		v, err := virtual.Start(virtual.Options{OutDir: dir, Profile: *profile, Link: *link})
		if err != nil {
			return fail(err)
		}
		defer v.Close()
		fmt.Fprintf(stdout, "virtual printer %s\n  port:   %s\n  output: %s\n  faults: write e.g. \"paper-end\" to %s (empty = ready)\nCtrl-C stops it.\n",
			v.Profile().Name, v.Path(), dir, filepath.Join(dir, virtual.ControlFile))
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		sctx, stopSig := context.WithCancel(context.Background())
		go func() { <-sig; stopSig() }()
		for {
			t, err := v.Next(sctx)
			if err != nil {
				return 0
			}
			fmt.Fprintf(stdout, "ticket %d: %s\n", t.Seq, t.PNGPath)
		}
	}
	return 0
}

// TestTicket is the technician's test print: the profile, every Vietnamese
// letter (lower case, then capitals, then a mixed line), the sizes, a QR
// code and a cut.
func TestTicket(p printer.Profile) ([]byte, error) {
	e := printer.NewEncoder(p)
	e.Init()
	letters := printer.VietnameseLetters()
	cols := p.Columns()
	type line struct {
		text string
		st   printer.Style
	}
	lines := []line{
		{"LƯỢT - IN THỬ / TEST PRINT", printer.Style{Align: printer.AlignCenter, Bold: true}},
		{fmt.Sprintf("%s %d dots %s", p.Name, p.WidthDots, p.Vietnamese), printer.Style{Align: printer.AlignCenter}},
	}
	for _, half := range [][]rune{letters[:67], letters[67:]} {
		for i := 0; i < len(half); i += cols {
			lines = append(lines, line{string(half[i:min(i+cols, len(half))]), printer.Style{}})
		}
	}
	lines = append(lines,
		line{"Đến lượt bạn: Quầy số 3", printer.Style{Bold: true}},
		line{"Cỡ chữ 2x2", printer.Style{Width: 2, Height: 2}},
		line{"1023", printer.Style{Align: printer.AlignCenter, Width: 8, Height: 8}},
	)
	for _, l := range lines {
		if err := e.Line(l.text, l.st); err != nil {
			return nil, err
		}
	}
	if err := e.QR("https://luot.example.vn/t/test", 5, printer.QRLevelM); err != nil {
		return nil, err
	}
	e.Blank()
	e.Cut(true)
	return e.Bytes(), nil
}
