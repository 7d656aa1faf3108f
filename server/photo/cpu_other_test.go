//go:build !unix

package photo

// cpu is not measured here.
func cpu() int64 { return 0 }
