package handlers

import (
	"regexp"
	"strings"
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

// directionJS lists the texts of an Arabic section page whose direction is
// not their own: question texts, options and titles in Latin script must be
// isolated left to right (so that "How was this report reviewed?" keeps its
// question mark at its end), and every field must follow what is typed in
// it.
const directionJS = `(function(){
  var bad = [];
  document.querySelectorAll('main legend bdi, main label bdi, main h2 bdi, main h3 bdi').forEach(function(e){
    if (/^[\x00-\x7F]+$/.test(e.textContent.trim()) && /[A-Za-z]/.test(e.textContent) && getComputedStyle(e).direction !== 'ltr') bad.push('text ' + e.textContent.slice(0, 40));
  });
  document.querySelectorAll('main legend, main label').forEach(function(e){
    var own = Array.from(e.childNodes).filter(function(n){ return n.nodeType === 3 && /[A-Za-z]{3}/.test(n.textContent); });
    if (own.length) bad.push('not isolated: ' + own[0].textContent.trim().slice(0, 40));
  });
  document.querySelectorAll('#section-form textarea, #section-form input[type=text], #section-form input[type=url]').forEach(function(e){
    if (e.getAttribute('dir') !== 'auto') bad.push('field ' + e.name);
  });
  return bad;
})()`

// TestBrowserArabicIsolatesText checks, on Arabic pages, that template and
// user texts in Latin script keep their own direction.
func TestBrowserArabicIsolatesText(t *testing.T) {
	_, b := layoutReport(t)
	for _, sec := range []string{"0.a", "II.a", "IV.a"} {
		t.Run(sec, func(t *testing.T) {
			b := b.in(t, b.ctx)
			b.openOK("/reports/JPN/" + cycleLabel + "/sections/" + sec + "?lang=ar")
			if bad := jsValue[[]string](b, directionJS); len(bad) > 0 {
				t.Errorf("%d texts without their own direction: %s", len(bad), strings.Join(bad, "; "))
			}
			// A question ending with "?" shows it at the end of its
			// (left-to-right) line: to the right of the last word.
			q := jsValue[bool](b, `(function(){
  var e = Array.from(document.querySelectorAll('main legend bdi, main label bdi')).find(function(x){ return /\?$/.test(x.textContent.trim()); });
  if (!e) return true;
  var r = document.createRange(), t = e.firstChild, n = t.textContent.length;
  r.setStart(t, n-1); r.setEnd(t, n); var mark = r.getBoundingClientRect();
  r.setStart(t, 0); r.setEnd(t, 1); var first = r.getBoundingClientRect();
  return mark.left > first.left || mark.top > first.top;
})()`)
			if !q {
				t.Errorf("a question mark shows before its question")
			}
		})
	}
}
