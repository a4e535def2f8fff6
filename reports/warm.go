package reports

// Warm computes, once per process, the tables every report is drawn with
// (widths.go, fontsubset.go, labels.go, marks.go, actualtext.go): the
// advances of Noto Sans (every language draws digits and Latin with it), the
// fonts' tables, the labels of every language, bidi classes, mark extents
// and the letter weights of ActualText. A server calls it in the background
// when it starts, so that its first PDF (or the first documents of its
// first ZIP, whose workers would wait on the same tables) does not pay for
// them. The advances of the Arabic and Chinese fonts are left to the first
// document that needs them: measuring them has fpdf parse the whole font
// (Droid Sans Fallback is 4 MB), which would raise the peak memory of every
// server, Arabic or Chinese documents or not. One goroutine does it all,
// leaving the other cores to the server starting.
func Warm() {
	for id := range numFonts {
		fontTables(id)
	}
	advances(fontSans)
	labelsFor("en")
	bidiClass('a')
	markInk(0x064E)
	letterWeights()
}
