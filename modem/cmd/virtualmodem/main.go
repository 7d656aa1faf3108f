// Command virtualmodem runs a virtual GSM modem on a pseudo-terminal until
// Ctrl-C: point the server's -sms-modem at its port, and read the messages
// it received, one JSON line each, in its output file.
//
//	virtualmodem [-out FILE] [-link PATH] [-no-reports]
//
// Write "silent", "cms-error 38" or "report-status 0x46" (delivery reports
// say not delivered) to the control file beside the output
// file (see package virtual) to make it misbehave; empty it to heal it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"luot/modem/virtual"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run runs the virtual modem until ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("virtualmodem", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "file receiving one JSON line per message (default: messages.jsonl in a new temporary folder)")
	link := fs.String("link", "", "symbolic link to keep pointing at the modem's pseudo-terminal")
	noReports := fs.Bool("no-reports", false, "send no delivery reports (+CDS)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "virtualmodem: unexpected argument %q (flags: -out, -link, -no-reports)\n", fs.Arg(0))
		return 2
	}
	path := *out
	if path == "" {
		d, err := os.MkdirTemp("", "luot-virtual-modem-")
		if err != nil {
			fmt.Fprintln(stderr, "virtualmodem:", err)
			return 1
		}
		path = filepath.Join(d, "messages.jsonl")
	}
	v, err := virtual.Start(virtual.Options{Out: path, Link: *link, NoReports: *noReports})
	if err != nil {
		fmt.Fprintln(stderr, "virtualmodem:", err)
		return 1
	}
	defer v.Close()
	fmt.Fprintf(stdout, "virtual modem\n  port:    %s\n  output:  %s\n  control: write \"silent\", \"cms-error 38\" or \"report-status 0x46\" (reports: not delivered) to %s (empty = normal)\nCtrl-C stops it.\n",
		v.Path(), path, filepath.Join(filepath.Dir(path), virtual.ControlFile))
	for {
		m, err := v.Next(ctx)
		if err != nil {
			return 0
		}
		fmt.Fprintf(stdout, "message %d to %s (%s, %d part(s)): %s\n", m.Seq, m.Phone, m.Encoding, m.Parts, m.Text)
	}
}
