package printer

import "go.bug.st/serial"

// WrapPort makes p open its port through the real serial code and hand it
// to wrap first, so that a test can inject what a real port does rarely.
func WrapPort(p *Printer, wrap func(Port) Port) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.drop()
	p.openFn = func(path string, mode *serial.Mode) (Port, error) {
		port, err := openSerial(path, mode)
		if err != nil {
			return nil, err
		}
		return wrap(port), nil
	}
}
