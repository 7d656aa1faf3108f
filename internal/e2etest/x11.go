package e2etest

import (
	"bufio"
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// NeedTools fails the test when a program it drives is missing. It fails,
// never skips: the end-to-end tests skip only under -short, and a machine
// set up by scripts/setup.sh (as CI is) has them all.
func NeedTools(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing and the end-to-end tests need it: run scripts/setup.sh (Debian packages xvfb, xdotool, imagemagick); go test -short skips these tests", tool)
		}
	}
}

// Xvfb starts a private X server of 1920×1080 for the test and returns its
// display (":N"); it is stopped when the test ends. Xvfb picks the display
// number itself (-displayfd), so test binaries that run at the same time
// never race for one; it reports the number once it accepts connections,
// and the socket is checked too before a program is pointed at it.
func Xvfb(t testing.TB) string {
	t.Helper()
	return XvfbSize(t, 1920, 1080)
}

// XvfbSize is Xvfb with a screen of width×height (a counter station's
// 1280×800, a portrait 800×1280).
func XvfbSize(t testing.TB, width, height int) string {
	t.Helper()
	NeedTools(t, "Xvfb")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	screen := strconv.Itoa(width) + "x" + strconv.Itoa(height) + "x24"
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", screen, "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w} // fd 3 in Xvfb
	Start(t, "Xvfb", cmd)
	w.Close()
	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		got <- strings.TrimSpace(line)
	}()
	var n string
	select {
	case n = <-got:
		if _, err := strconv.Atoi(n); err != nil {
			t.Fatalf("Xvfb did not report its display number (got %q)", n)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Xvfb did not start within 20 s")
	}
	socket := "/tmp/.X11-unix/X" + n
	WaitFor(t, 15*time.Second, "Xvfb's socket "+socket, func() bool {
		_, err := os.Stat(socket)
		return err == nil
	})
	return ":" + n
}

// Screenshot captures the whole screen of display into the PNG file path
// (ImageMagick's import -window root) and returns the image.
func Screenshot(t testing.TB, display, path string) image.Image {
	t.Helper()
	cmd := exec.Command("import", "-window", "root", path)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	if out, err := cmd.CombinedOutput(); err != nil {
		NeedTools(t, "import") // the likeliest reason, said plainly
		t.Fatalf("screenshot of %s with import (ImageMagick): %v\n%s", display, err, out)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("screenshot %s: %v", path, err)
	}
	return img
}

// Click moves the pointer of display to (x, y) and clicks the left button
// there with xdotool: a tap on a touch screen.
func Click(t testing.TB, display string, x, y int) {
	t.Helper()
	cmd := exec.Command("xdotool", "mousemove", strconv.Itoa(x), strconv.Itoa(y), "click", "1")
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	if out, err := cmd.CombinedOutput(); err != nil {
		NeedTools(t, "xdotool")
		t.Fatalf("xdotool click at %d,%d on %s: %v\n%s", x, y, display, err, out)
	}
}

// Key presses and releases keys on display with xdotool (XTEST), as a USB
// keyboard or numeric keypad would: names are X keysyms ("KP_1", "Return",
// "F1"). They go to the window with the keyboard focus.
func Key(t testing.TB, display string, keys ...string) {
	t.Helper()
	args := append([]string{"key", "--delay", "50"}, keys...)
	cmd := exec.Command("xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	if out, err := cmd.CombinedOutput(); err != nil {
		NeedTools(t, "xdotool")
		t.Fatalf("xdotool key %v on %s: %v\n%s", keys, display, err, out)
	}
}
