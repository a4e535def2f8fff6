package i18n

import (
	"testing"
	"time"
)

func TestFormatDate(t *testing.T) {
	d := time.Date(2027, 11, 2, 4, 15, 0, 0, time.UTC)
	first := time.Date(2027, 3, 1, 23, 5, 0, 0, time.UTC)
	tests := []struct {
		lang, date, dateTime, first string
	}{
		{"en", "2 November 2027", "2 November 2027, 04:15 UTC", "1 March 2027"},
		{"fr", "2 novembre 2027", "2 novembre 2027 à 04:15 UTC", "1er mars 2027"},
		{"es", "2 de noviembre de 2027", "2 de noviembre de 2027, 04:15 UTC", "1 de marzo de 2027"},
		{"ru", "2 ноября 2027 г.", "2 ноября 2027 г., 04:15 UTC", "1 марта 2027 г."},
		{"zh", "2027年11月2日", "2027年11月2日 04:15 UTC", "2027年3月1日"},
		{"ar", "2 تشرين الثاني/نوفمبر 2027", "2 تشرين الثاني/نوفمبر 2027، 04:15 UTC", "1 آذار/مارس 2027"},
		{"xx", "2 November 2027", "2 November 2027, 04:15 UTC", "1 March 2027"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			if got := FormatDate(tt.lang, d); got != tt.date {
				t.Errorf("FormatDate = %q, want %q", got, tt.date)
			}
			if got := FormatDateTime(tt.lang, d.In(time.FixedZone("X", 3600))); got != tt.dateTime {
				t.Errorf("FormatDateTime = %q, want %q", got, tt.dateTime)
			}
			if got := FormatDate(tt.lang, first); got != tt.first {
				t.Errorf("FormatDate(1st) = %q, want %q", got, tt.first)
			}
		})
	}
	if FormatDate("en", time.Time{}) != "" || FormatDateTime("ar", time.Time{}) != "" {
		t.Error("the zero time is not empty")
	}
}
