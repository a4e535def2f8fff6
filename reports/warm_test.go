package reports

import "testing"

// TestWarm checks that Warm leaves every table it promises computed.
func TestWarm(t *testing.T) {
	Warm()
	for id := range numFonts {
		if sfnts[id] == nil {
			t.Errorf("font %s: tables not read", fontSpecs[id].family)
		}
	}
	if advanceTables[fontSans].adv == nil || bidiClasses == nil || markExtent == nil || weights == nil || allLabels["zh"].Answer == nil {
		t.Errorf("advances %v, bidi %v, marks %v, weights %v, labels %v", advanceTables[fontSans].adv != nil,
			bidiClasses != nil, markExtent != nil, weights != nil, allLabels["zh"].Answer != nil)
	}
}
