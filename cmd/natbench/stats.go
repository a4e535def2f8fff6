package main

import (
	"fmt"
	"slices"
	"strings"
)

// spread is the median, minimum and maximum of repeated measurements.
type spread struct{ Median, Min, Max float64 }

func spreadOf(xs []float64) spread {
	if len(xs) == 0 {
		return spread{}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return spread{Median: m, Min: s[0], Max: s[len(s)-1]}
}

// format writes the median with the spread: "862 (801–903)".
func (s spread) format(unit string) string {
	return fmt.Sprintf("%s %s (%s–%s)", num(s.Median), unit, num(s.Min), num(s.Max))
}

// num writes x with a precision that suits its size and thousands separators.
func num(x float64) string {
	switch {
	case x >= 1000:
		return thousands(fmt.Sprintf("%.0f", x))
	case x >= 100:
		return fmt.Sprintf("%.0f", x)
	case x >= 10:
		return fmt.Sprintf("%.1f", x)
	default:
		return fmt.Sprintf("%.2f", x)
	}
}

func thousands(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }
