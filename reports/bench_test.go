package reports

import (
	"io"
	"syscall"
	"testing"
	"time"
)

// BenchmarkNationalReport renders a complete report of about 150 answered
// questions in a left-to-right, a right-to-left and a CJK language. Besides
// the wall time it reports the CPU time per report (cpu-ms/op), which
// depends less on what else the machine runs.
func BenchmarkNationalReport(b *testing.B) {
	for _, lang := range []string{"en", "ar", "zh"} {
		b.Run(lang, func(b *testing.B) {
			d := bigDocument(lang)
			b.ReportAllocs()
			start := cpuClock()
			for b.Loop() {
				if err := WriteNationalReport(io.Discard, d); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuClock()-start)/float64(b.N)/1e6, "cpu-ms/op")
		})
	}
}

// cpuClock returns the CPU time the process has used, user and system.
func cpuClock() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
