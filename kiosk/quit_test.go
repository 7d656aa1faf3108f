package main

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// A window whose end is stuck (Fyne's shutdown deadlock) must not keep the
// kiosk alive: the kiosk exits a grace after the signal.
func TestQuitOnSignalExitsWhenTheWindowDoesNotEnd(t *testing.T) {
	ctx, signal := context.WithCancel(context.Background())
	var quits atomic.Int32
	exited := make(chan time.Time, 1)
	go quitOnSignal(ctx, func() { quits.Add(1) }, 200*time.Millisecond, func() { exited <- time.Now() })

	time.Sleep(50 * time.Millisecond)
	if quits.Load() != 0 || len(exited) != 0 {
		t.Fatalf("before the signal: %d quits, exited %v", quits.Load(), len(exited) != 0)
	}
	begin := time.Now()
	signal()
	select {
	case at := <-exited:
		if d := at.Sub(begin); d < 200*time.Millisecond {
			t.Errorf("exited %v after the signal, before the grace", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no exit within 5 s of the signal, with a window that never ends")
	}
	if quits.Load() != 1 {
		t.Errorf("the window was asked to quit %d times, want 1", quits.Load())
	}
}
