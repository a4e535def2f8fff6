package handlers

import (
	"context"
	"maps"
	"slices"
	"strconv"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/reports"
	"github.com/natreport/natreport/surveys"
	"github.com/natreport/natreport/views"
)

// The chapters of the compilation before the annexes, each made of the
// same tables as the gap page and its exports.

func asTable(caption string, tb table) reports.Table {
	return reports.Table{Caption: caption, Header: tb.header, Rows: tb.rows}
}

func participationChapter(ctx context.Context, d *cycleData) reports.Chapter {
	part := reports.Chart{Title: views.T(ctx, "gaps.participation"), Parts: views.ParticipationKeys}
	for _, k := range views.ParticipationKeys {
		part.Keys = append(part.Keys, views.T(ctx, "gaps.key."+k))
	}
	for _, p := range d.gaps.Participation {
		part.Bars = append(part.Bars, reports.ChartBar{Label: views.GroupLabel(ctx, p.Group), Counts: []int{p.Shared, p.Withheld, p.NoReport}})
	}
	return reports.Chapter{Title: views.T(ctx, "gaps.participation"), Charts: []reports.Chart{part},
		Tables: []reports.Table{asTable(views.T(ctx, "gaps.participation"), participationTable(ctx, d))}}
}

// distChart is a chart of one distribution per norm.
func distChart(ctx context.Context, g *surveys.Gaps, title string, dists []surveys.Distribution) reports.Chart {
	ch := reports.Chart{Title: title, Parts: views.DistKeys}
	for _, k := range views.DistKeys {
		ch.Keys = append(ch.Keys, views.T(ctx, "gaps.key."+k))
	}
	for i, n := range g.Norms {
		x := dists[i]
		ch.Bars = append(ch.Bars, reports.ChartBar{Label: views.NormLabel(ctx, n), Counts: []int{x.Yes, x.Partly, x.No, x.NA, x.Unanswered, x.NotShared}})
	}
	return ch
}

// gapsChapter: all groups, then each group with anything to count, then
// progress.
func gapsChapter(ctx context.Context, d *cycleData) reports.Chapter {
	g := d.gaps
	norms := views.T(ctx, "gaps.norms")
	ch := reports.Chapter{Title: views.T(ctx, "gaps.title"), Intro: views.T(ctx, "gaps.norms_hint"),
		Charts: []reports.Chart{distChart(ctx, g, norms, g.NormTotals)},
		Tables: []reports.Table{asTable(norms, normsTable(ctx, d))}}
	for gi, grp := range g.Groups {
		dists := make([]surveys.Distribution, len(g.Norms))
		total := 0
		for n := range g.Norms {
			dists[n] = g.Cells[n][gi].Distribution
			total += dists[n].Total()
		}
		if total == 0 {
			continue // nothing of this group to count: no empty chart
		}
		ch.Charts = append(ch.Charts, distChart(ctx, g, norms+" · "+views.GroupLabel(ctx, grp), dists))
	}
	if g.Progress != nil {
		ch.Tables = append(ch.Tables, asTable(views.T(ctx, "gaps.progress"), progressTable(ctx, d)))
	}
	return ch
}

// needsStatusTable counts the needs of the register the reader may read
// by status (open, in discussion, matched, ...) and regional group.
func needsStatusTable(ctx context.Context, d *cycleData, needs []models.Need) reports.Table {
	t := reports.Table{Caption: views.T(ctx, "compilation.pdf.needs_by_status"), Header: []string{views.T(ctx, "states.group")}}
	for _, st := range surveys.NeedStatuses {
		t.Header = append(t.Header, views.T(ctx, "needs.status."+st))
	}
	t.Header = append(t.Header, views.T(ctx, "gaps.total"))
	for _, g := range d.gaps.Groups {
		row, total := []string{views.GroupLabel(ctx, g)}, 0
		for _, st := range surveys.NeedStatuses {
			n := 0
			for _, nd := range needs {
				if nd.RegionalGroup == g && nd.Status == st {
					n++
				}
			}
			total += n
			row = append(row, strconv.Itoa(n))
		}
		t.Rows = append(t.Rows, append(row, strconv.Itoa(total)))
	}
	return t
}

// needsOffersChapter counts the needs of the register the reader may read
// (all but the withdrawn ones, and by status), as the gaps page does, and
// the offers of the reports read (IV.b.2 rows).
func needsOffersChapter(ctx context.Context, d *cycleData, register []models.Need) reports.Chapter {
	g := d.gaps
	needs, offers := 0, map[string]int{}
	for _, n := range register {
		if n.Status != surveys.NeedWithdrawn {
			needs++
		}
	}
	for _, st := range d.states {
		if st.Shared {
			for _, o := range surveys.Offers(d.tmpl, st.Answers) {
				offers[o.Type]++
			}
		}
	}
	// Kinds in the order of the needs (most requested first), then the rest.
	kinds := append([]string(nil), g.Kinds...)
	for _, k := range slices.Sorted(maps.Keys(offers)) {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	nOffers, rows := 0, [][]string{}
	for _, k := range kinds {
		if offers[k] > 0 {
			nOffers += offers[k]
			rows = append(rows, []string{views.KindLabel(ctx, d.tmpl, k, "type"), strconv.Itoa(offers[k])})
		}
	}
	ch := reports.Chapter{Title: views.T(ctx, "compilation.pdf.needs_offers"),
		Intro: views.T(ctx, "compilation.pdf.needs_count", map[string]any{"Count": needs}) + " · " + views.T(ctx, "compilation.pdf.offers_count", map[string]any{"Count": nOffers}),
		Tables: []reports.Table{asTable(views.T(ctx, "gaps.kinds_by_group"), kindsTable(ctx, d, g.ByGroup, true)),
			asTable(views.T(ctx, "gaps.kinds_by_cmm"), kindsTable(ctx, d, g.ByCMM, false)),
			{Caption: views.T(ctx, "compilation.pdf.offers_by_type"), Header: []string{views.T(ctx, "gaps.kinds"), views.T(ctx, "gaps.total")}, Rows: rows},
			needsStatusTable(ctx, d, register)}}
	if len(g.Kinds) > 0 {
		chart := reports.Chart{Title: views.T(ctx, "gaps.kinds"), Keys: []string{views.T(ctx, "gaps.key.needs")}, Parts: []string{"needs"}}
		for i, k := range g.Kinds {
			n := 0
			for _, r := range g.ByGroup {
				n += r.Counts[i]
			}
			chart.Bars = append(chart.Bars, reports.ChartBar{Label: views.KindLabel(ctx, d.tmpl, k, "type"), Counts: []int{n}})
		}
		ch.Charts = []reports.Chart{chart}
	}
	return ch
}

// thematicChapter gives the answers to the thematic part, State by State,
// where the reports read have them.
func thematicChapter(ctx context.Context, d *cycleData) reports.Chapter {
	lang := views.Lang(ctx)
	ch := reports.Chapter{Title: views.T(ctx, "compilation.pdf.thematic") + ": " + d.cycle.ThematicPriority}
	if !d.cycle.ThematicEnabled {
		ch.Intro = views.T(ctx, "compilation.pdf.thematic_none")
		return ch
	}
	for _, st := range d.states {
		if !st.Shared {
			continue
		}
		b := reports.Block{Heading: st.Name}
		for _, p := range d.tmpl.Parts {
			if !p.Thematic {
				continue
			}
			for _, sec := range p.Sections {
				for qi := range sec.Questions {
					q := &sec.Questions[qi]
					if v, ok := st.Answers[q.Code]; ok {
						b.Lines = append(b.Lines, [2]string{q.Code + " " + q.Text.In(lang), v.Summary(q, lang)})
					}
				}
			}
		}
		if len(b.Lines) > 0 {
			ch.Blocks = append(ch.Blocks, b)
		}
	}
	return ch
}
