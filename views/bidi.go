package views

// Isolate wraps s, user or template text set into a translated sentence,
// between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: the text inside
// T's placeholders, where a <bdi> cannot go, keeps its own direction and
// leaves the sentence's alone (a Latin name ending in a full stop in an
// Arabic sentence).
func Isolate(s string) string {
	if s == "" {
		return s
	}
	return "\u2068" + s + "\u2069"
}
