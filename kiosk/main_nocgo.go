//go:build !cgo

package main

import (
	"fmt"
	"os"
)

// main explains that the kiosk needs cgo: Fyne draws with OpenGL through
// cgo. Its UI (kiosk/ui) and devices (kiosk/device) build and test without.
func main() {
	fmt.Fprintln(os.Stderr, "kiosk: this build has no cgo, and the Fyne window needs it: build with CGO_ENABLED=1 and a C compiler (scripts/setup.sh installs one)")
	os.Exit(2)
}
