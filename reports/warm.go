package reports

// Warm computes, once per process, the tables every report is drawn with
// (widths.go, fontsubset.go, labels.go, marks.go, actualtext.go): the
// advances of every character in every font, the fonts' tables, the labels
// of every language, bidi classes, mark extents and the letter weights of
// ActualText. A server calls it in the background when it starts, so that
// its first PDF (or the first documents of its first ZIP, whose workers
// would wait on the same tables) does not pay for them. One goroutine does
// it all, leaving the other cores to the server starting.
func Warm() {
	for id := range numFonts {
		fontTables(id)
		advances(id)
	}
	labelsFor("en")
	bidiClass('a')
	markInk(0x064E)
	letterWeights()
}
