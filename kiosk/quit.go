package main

import (
	"context"
	"time"
)

// quitGrace is how long the kiosk gives itself, after SIGTERM or Ctrl-C,
// to close its window and clean up before it exits anyway.
const quitGrace = 5 * time.Second

// quitOnSignal waits for ctx to end (a signal), calls quit (which asks the
// UI to end) and, if the process is still there after grace, calls exit.
//
// The bound is there because the end of Fyne's run loop can deadlock
// (Fyne 2.7.1, internal/driver/glfw/loop.go): the loop queues the app's
// stop hook on the lifecycle queue, whose goroutine puts it, and waits for
// it, on the UI queue, which the loop drains once and then closes; a hook
// that arrives after the drain but before the queue is marked drained is
// never run, and ShowAndRun, in Lifecycle.WaitForEvents, never returns. A
// busy machine makes that window wide enough. A kiosk must still end on
// SIGTERM (systemd, an update).
func quitOnSignal(ctx context.Context, quit func(), grace time.Duration, exit func()) {
	<-ctx.Done()
	quit()
	time.Sleep(grace)
	exit()
}
