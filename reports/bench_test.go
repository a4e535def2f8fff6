package reports

import (
	"io"
	"testing"
)

// BenchmarkNationalReport renders a complete report of about 150 answered
// questions in a left-to-right, a right-to-left and a CJK language.
func BenchmarkNationalReport(b *testing.B) {
	for _, lang := range []string{"en", "ar", "zh"} {
		b.Run(lang, func(b *testing.B) {
			d := bigDocument(lang)
			b.ReportAllocs()
			for b.Loop() {
				if err := WriteNationalReport(io.Discard, d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
