//go:build unix

package fastjpeg

import "syscall"

// cpu is the processor time this process has used, in nanoseconds.
func cpu() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
