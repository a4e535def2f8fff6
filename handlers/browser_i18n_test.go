package handlers

import (
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserSavedTimeInPageLanguage checks that the autosave status gives
// the time in the language of the page, not the browser's: "تم الحفظ في"
// with an Arabic time, not "04:15 AM".
func TestBrowserSavedTimeInPageLanguage(t *testing.T) {
	_, b := layoutReport(t)
	section := "/reports/JPN/" + cycleLabel + "/sections/II.a"
	for _, tt := range []struct {
		lang, code string
		want       *regexp.Regexp
	}{
		// Arabic says AM and PM as ص and م, with Arabic or Western digits
		// as the browser's Arabic locale has them.
		{"ar", "II.a.1", regexp.MustCompile(`^تم الحفظ في [0-9٠-٩]{2}:[0-9٠-٩]{2}(\s?[صم])?$`)},
		{"zh", "II.a.2", regexp.MustCompile(`^已于([上下]午)?\d{2}:\d{2}保存$`)},
		{"en", "II.a.3", regexp.MustCompile(`^Saved at \d{2}:\d{2}( [AP]M)?$`)},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			b := b.in(t, b.ctx)
			b.openOK(section + "?lang=" + tt.lang)
			b.do("choose a status", chromedp.Focus(cssName(tt.code+".status")), chromedp.KeyEvent(kb.ArrowDown))
			b.waitJS("the saved status", `(function(){var s=document.getElementById('save-state');return !!s && s.textContent!=='' && !s.textContent.includes('…') && s.textContent!==s.dataset.saving;})()`)
			if got := b.text("#save-state"); !tt.want.MatchString(got) {
				t.Errorf("save status %q, want it to match %s", got, tt.want)
			}
		})
	}
}
