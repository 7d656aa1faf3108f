package api

import (
	"fmt"
	"net/http"
	"testing"
)

// BenchmarkIssueHTTP measures the whole issue path: HTTP request, device
// key check, decoding, the engine's durable commit (SQLite,
// synchronous=FULL), the view refresh and the answer. It reports
// tickets/s as well.
func BenchmarkIssueHTTP(b *testing.B) {
	e := newEnv(b)
	services := []string{"xay-dung", "ho-tich", "chung-thuc"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e.must(b, http.StatusCreated, req{method: "POST", path: "/api/v1/offices/" + office + "/tickets", device: "kiosk1",
			body: map[string]string{"service": services[i%3]}, header: map[string]string{"Idempotency-Key": fmt.Sprint("b", i)}})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tickets/s")
}

// BenchmarkIssueHTTPParallel is BenchmarkIssueHTTP from several kiosks at
// once (commits are serialized per office; this shows the throughput).
func BenchmarkIssueHTTPParallel(b *testing.B) {
	e := newEnv(b)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			e.must(b, http.StatusCreated, req{method: "POST", path: "/api/v1/offices/" + office + "/tickets", device: "kiosk2",
				body: map[string]string{"service": "ho-tich"}})
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tickets/s")
}
