package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
	_ "time/tzdata" // the office's timezone, printed on the ticket

	"luot/printer"
	"luot/server/client"
)

// issue takes a number from a Lượt server as a kiosk would (POST
// /offices/{office}/tickets with the kiosk's device key and an idempotency
// key) and prints it with the kiosk's one ticket layout
// (printer.PrintTicket). It is the demo's first ticket (scripts/run.sh
// prints it to the virtual printer) and a technician's end-to-end check of
// server, network and printer from the appliance's shell:
//
//	escpos issue -server http://127.0.0.1:8080 -device-key demo-kiosk -service chung-thuc -port /dev/serial/by-id/… -profile generic-80
//
// It prints "issued NUMBER (SERVICE) TRACK_URL" then "printed" and returns
// 0; 1 on any error; 3 when the printer reports a fault (the ticket was
// issued all the same and stays valid).
func issue(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("escpos issue", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", "http://127.0.0.1:8080", "Lượt server URL")
	key := fs.String("device-key", "", "the kiosk's device key (demo server: demo-kiosk)")
	office := fs.String("office", "demo", "office id")
	service := fs.String("service", "", "service id (default: the office's first active service)")
	port := fs.String("port", "", "printer: device path or usb:VID:PID")
	baud := fs.Int("baud", 9600, "line speed")
	profile := fs.String("profile", "epson-tm-t20iii", "printer profile (see: escpos profiles)")
	kiosk := fs.String("name", "escpos", "kiosk name printed on the ticket")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintln(stderr, "escpos issue:", err)
		var fe *printer.FaultError
		if errors.As(err, &fe) {
			return 3
		}
		return 1
	}
	if *key == "" || *port == "" {
		fmt.Fprintln(stderr, "escpos issue: -device-key and -port are required")
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := client.New(*server, client.WithDeviceKey(*key))
	if err != nil {
		return fail(err)
	}
	o, err := c.Office(ctx, *office)
	if err != nil {
		return fail(fmt.Errorf("read office %s: %w", *office, err))
	}
	if *service == "" {
		for _, s := range o.Services {
			if s.Active && s.Served {
				*service = s.ID
				break
			}
		}
	}
	tk, err := c.Issue(ctx, *office, client.IssueRequest{Service: *service}, client.NewIdempotencyKey())
	if err != nil {
		return fail(fmt.Errorf("issue a ticket of %s: %w", *service, err))
	}
	fmt.Fprintf(stdout, "issued %s (%s) %s\n", tk.Number, tk.Service, tk.TrackURL)
	pt := ticketToPrint(o, tk, *kiosk)
	cfg := printer.Config{Baud: *baud, Profile: *profile}
	if u, ok := strings.CutPrefix(*port, "usb:"); ok {
		cfg.USB = u
	} else {
		cfg.Port = *port
	}
	p, err := printer.Open(cfg)
	if err != nil {
		return fail(err)
	}
	defer p.Close()
	st, err := p.PrintTicket(ctx, pt)
	if err != nil {
		return fail(fmt.Errorf("print %s (the ticket stays valid): %w", tk.Number, err))
	}
	fmt.Fprintf(stdout, "printed %s; printer status before printing: %s\n", tk.Number, st)
	return 0
}

// ticketToPrint fills the printed ticket from the office and the server's
// answer, as the kiosk does.
func ticketToPrint(o *client.Office, tk *client.Ticket, kiosk string) printer.Ticket {
	pt := printer.Ticket{
		Office: o.Name, OfficeEN: o.NameEN, Service: tk.ServiceName, Number: tk.Number,
		Ahead: tk.Ahead, ETA: time.Duration(tk.ETASeconds) * time.Second, TrackURL: tk.TrackURL,
		Provisional: tk.Provisional, Expected: tk.ExpectedAt,
		Issued: tk.IssuedAt, Kiosk: kiosk,
	}
	if tk.ETASeconds < 0 {
		pt.ETA = -1
	}
	for _, s := range o.Services {
		if s.ID == tk.Service {
			if pt.Service == "" {
				pt.Service = s.Name
			}
			pt.ServiceEN = s.NameEN
		}
	}
	if loc, err := time.LoadLocation(o.Timezone); err == nil && !pt.Issued.IsZero() {
		pt.Issued = pt.Issued.In(loc)
		if !pt.Expected.IsZero() {
			pt.Expected = pt.Expected.In(loc)
		}
	}
	if pt.Issued.IsZero() {
		pt.Issued = time.Now()
	}
	return pt
}
