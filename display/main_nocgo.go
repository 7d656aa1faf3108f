//go:build !cgo

package main

import (
	"fmt"
	"os"
)

// main explains that the display needs cgo: Fyne draws with OpenGL
// through cgo. Its packages (board, device, announce …) build and test
// without it.
func main() {
	fmt.Fprintln(os.Stderr, "display: this build has no cgo, and the Fyne window needs it: build with CGO_ENABLED=1 and a C compiler (scripts/setup.sh installs one)")
	os.Exit(2)
}
