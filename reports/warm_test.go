package reports

import "testing"

// TestWarm checks that Warm leaves every table it promises computed.
func TestWarm(t *testing.T) {
	Warm()
	for id := range numFonts {
		if advanceTables[id].adv == nil || sfnts[id] == nil {
			t.Errorf("font %s: advances %v, tables %v", fontSpecs[id].family, advanceTables[id].adv != nil, sfnts[id] != nil)
		}
	}
	if bidiClasses == nil || markExtent == nil || weights == nil || allLabels["zh"].Answer == nil {
		t.Errorf("bidi %v, marks %v, weights %v, labels %v", bidiClasses != nil, markExtent != nil, weights != nil, allLabels["zh"].Answer != nil)
	}
}
