package printer_test

import (
	"sync"
	"syscall"
	"testing"

	"luot/printer"
	"luot/printer/virtual"
)

// interruptingPort is a real serial port whose writes and drains a signal
// interrupts now and then, as Go's preemption signals do to a blocking
// write(2) or tcdrain on a tty: every other Write sends only part of its
// bytes (or none) and fails with EINTR, every other Drain fails with EINTR.
type interruptingPort struct {
	printer.Port
	mu             sync.Mutex
	writes, drains int
	interrupted    int
}

func (p *interruptingPort) Write(b []byte) (int, error) {
	p.mu.Lock()
	p.writes++
	cut := p.writes%2 == 1
	if cut {
		p.interrupted++
	}
	p.mu.Unlock()
	if !cut {
		return p.Port.Write(b)
	}
	half := len(b) / 2
	if p.writes%4 == 1 {
		half = 0 // interrupted before anything went out
	}
	n, err := p.Port.Write(b[:half])
	if err != nil {
		return n, err
	}
	return n, syscall.EINTR
}

func (p *interruptingPort) Drain() error {
	p.mu.Lock()
	p.drains++
	cut := p.drains%2 == 1
	p.mu.Unlock()
	if cut {
		return syscall.EINTR
	}
	return p.Port.Drain()
}

// A write or drain interrupted by a signal is no lost printer: the ticket
// prints whole, once, and no connection error is reported.
func TestInterruptedWritesAndDrainsPrintWhole(t *testing.T) {
	v, p := start(t, "epson-tm-t20iii", virtual.Options{}, printer.Config{ChunkSize: 64})
	var ip *interruptingPort
	printer.WrapPort(p, func(port printer.Port) printer.Port {
		ip = &interruptingPort{Port: port}
		return ip
	})
	var perTicket int
	for i := range 3 {
		ticketPrintsWhole(t, v, p, "interrupted writes")
		if n := len(v.Tickets()); n != i+1 {
			t.Fatalf("%d tickets cut after %d printed", n, i+1)
		}
		// Every ticket sends the same bytes: none lost, none sent twice.
		if i == 0 {
			perTicket = v.Received()
		} else if got := v.Received(); got != (i+1)*perTicket {
			t.Fatalf("%d bytes received after %d tickets of %d bytes", got, i+1, perTicket)
		}
	}
	ip.mu.Lock()
	defer ip.mu.Unlock()
	if ip.interrupted < 10 || ip.drains < 10 {
		t.Fatalf("only %d writes and %d drains interrupted: the test did not exercise EINTR", ip.interrupted, ip.drains)
	}
}
