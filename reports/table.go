package reports

// cell is one table cell: text, and a target when it is a link.
type cell struct {
	text, link string
}

const (
	cellPadX = 1.3
	cellPadY = 0.7
)

// table draws rows in columns of relative widths weights across the box x, w
// (layout coordinates, mirrored in right-to-left documents). Rows break
// across pages, between lines when a row is taller than what is left of the
// page, and the header row is repeated at the top of every new page. Without
// headers the first column is a column of bold labels.
func (r *national) table(x, w float64, headers []string, weights []float64, rows [][]cell, st tstyle) {
	if len(rows) == 0 || len(weights) == 0 {
		return
	}
	lh := r.lineHeight(st)
	head := st
	head.bold = true
	linkSt := st
	linkSt.color = linkBlue

	// Every column is at least as wide as its widest word, so that lines
	// break between words; a word is cut only when it is wider than the
	// column could be.
	need := make([]float64, len(weights))
	for i := range weights {
		if i < len(headers) {
			need[i] = r.widestWord(headers[i], head)
		}
		for _, row := range rows {
			if i < len(row) {
				cst := st
				if headers == nil && i == 0 {
					cst = head
				}
				need[i] = max(need[i], r.widestWord(row[i].text, cst))
			}
		}
		need[i] += 2*cellPadX + 0.01
	}
	widths := columnWidths(w, weights, need)
	offs := make([]float64, len(weights))
	off := 0.0
	for i := range widths {
		offs[i] = off
		off += widths[i]
	}

	var headLines [][]line
	headH := 0.0
	if headers != nil {
		n := 1
		for i, h := range headers {
			ls := r.layout(h, head, widths[i]-2*cellPadX)
			headLines = append(headLines, ls)
			n = max(n, len(ls))
		}
		headH = float64(n)*lh + 2*cellPadY
	}
	drawHeader := func() {
		if headers == nil {
			return
		}
		for i := range headers {
			bx := r.col(x+offs[i], widths[i])
			r.pdf.SetFillColor(headFill[0], headFill[1], headFill[2])
			r.pdf.SetDrawColor(ruleGrey[0], ruleGrey[1], ruleGrey[2])
			r.pdf.SetLineWidth(0.2)
			r.pdf.Rect(bx, r.y, widths[i], headH, "FD")
			for j, l := range headLines[i] {
				r.drawLine(l, r.lineX(bx+cellPadX, widths[i]-2*cellPadX, l.w, alignStart), r.y+cellPadY+float64(j)*lh, head)
			}
		}
		r.y += headH
	}

	r.need(headH + lh + 2*cellPadY)
	drawHeader()
	fresh := r.bottom - r.top - headH - 2*cellPadY // room for a row on a new page
	for _, row := range rows {
		lines := make([][]line, len(widths))
		styles := make([]tstyle, len(widths))
		n := 1
		for i := range widths {
			styles[i] = st
			var c cell
			if i < len(row) {
				c = row[i]
			}
			switch {
			case c.link != "":
				styles[i] = linkSt
			case headers == nil && i == 0:
				styles[i] = head
			}
			lines[i] = r.layout(c.text, styles[i], widths[i]-2*cellPadX)
			n = max(n, len(lines[i]))
		}
		for done, moved := 0, false; done < n; {
			rest := n - done
			fit := int((r.bottom - r.y - 2*cellPadY) / lh)
			// Move a row that would fit on a fresh page rather than split
			// it; a row is moved once at most.
			if !moved && (fit < 1 || (done == 0 && fit < rest && float64(rest)*lh <= fresh)) {
				r.newPage()
				drawHeader()
				moved = true
				continue
			}
			moved = false
			k := max(1, min(fit, rest))
			h := float64(k)*lh + 2*cellPadY
			for i := range widths {
				bx := r.col(x+offs[i], widths[i])
				r.pdf.SetDrawColor(ruleGrey[0], ruleGrey[1], ruleGrey[2])
				r.pdf.SetLineWidth(0.2)
				r.pdf.Rect(bx, r.y, widths[i], h, "D")
				var link string
				if i < len(row) {
					link = row[i].link
				}
				for j := done; j < done+k && j < len(lines[i]); j++ {
					l := lines[i][j]
					lx := r.lineX(bx+cellPadX, widths[i]-2*cellPadX, l.w, alignStart)
					ly := r.y + cellPadY + float64(j-done)*lh
					r.drawLine(l, lx, ly, styles[i])
					if link != "" && l.w > 0 {
						r.pdf.LinkString(lx, ly, l.w, lh, link)
					}
				}
			}
			r.y += h
			done += k
		}
	}
}

// columnWidths shares w among columns by weight, then widens the columns
// narrower than they need, taking the room from the columns wider than
// they need, as far as those have room to spare.
func columnWidths(w float64, weights, need []float64) []float64 {
	total := 0.0
	for _, wt := range weights {
		total += wt
	}
	widths := make([]float64, len(weights))
	deficit, slack := 0.0, 0.0
	for i, wt := range weights {
		widths[i] = w * wt / total
		if d := need[i] - widths[i]; d > 0 {
			deficit += d
		} else {
			slack -= d
		}
	}
	if deficit == 0 {
		return widths
	}
	give := min(deficit, slack) // taken from the wide columns, given to the narrow
	for i := range widths {
		if d := need[i] - widths[i]; d > 0 {
			widths[i] += d * give / deficit
		} else {
			widths[i] += d * give / slack
		}
	}
	return widths
}

// widestWord returns the width in mm of the widest piece of text between
// two places where a line may break.
func (r *national) widestWord(text string, st tstyle) float64 {
	if text == "" {
		return 0
	}
	rs := []rune(shapeArabic(text))
	widest, cur := 0.0, 0.0
	for i, c := range rs {
		if c == '\n' || c == ' ' || c == '\t' {
			cur = 0
			continue
		}
		if i > 0 && canBreak(rs, i) {
			cur = 0
		}
		cur += r.width(c, faceOf(c), st)
		widest = max(widest, cur)
	}
	return widest
}
