package printer

import (
	"testing"
)

// BenchmarkEncodeTicket measures the layout and encoding of one ticket per
// profile kind and reports its size and its time on a serial line at 9600
// and 115200 baud (8N1, computed from the size).
func BenchmarkEncodeTicket(b *testing.B) {
	for _, c := range []struct {
		name, profile string
		method        Method
	}{
		{"80mm-tcvn3", "epson-tm-t20iii", ""},
		{"80mm-cp1258", "generic-80", ""},
		{"80mm-raster", "generic-80", MethodRaster},
		{"58mm-cp1258", "generic-58-qr", ""},
		{"58mm-raster-noQR", "generic-58", ""},
	} {
		p, err := LookupProfile(c.profile)
		if err != nil {
			b.Fatal(err)
		}
		if c.method != "" {
			p.Vietnamese = c.method
		}
		t := sampleTicket()
		t.Priority, t.PriorityEN = "Người cao tuổi", "Elderly"
		b.Run(c.name, func(b *testing.B) {
			var n int
			for b.Loop() {
				data, err := EncodeTicket(t, p)
				if err != nil {
					b.Fatal(err)
				}
				n = len(data)
			}
			b.ReportMetric(float64(n), "bytes/ticket")
			b.ReportMetric(float64(TransferTime(n, 9600).Microseconds())/1000, "ms@9600")
			b.ReportMetric(float64(TransferTime(n, 115200).Microseconds())/1000, "ms@115200")
		})
	}
}

// BenchmarkEncodeText measures the text encoders on a typical line.
func BenchmarkEncodeText(b *testing.B) {
	for _, m := range []Method{MethodTCVN3, MethodCP1258} {
		b.Run(string(m), func(b *testing.B) {
			for b.Loop() {
				if _, err := EncodeText("Mời công dân có số thứ tự 1023 đến Quầy số 3", m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
