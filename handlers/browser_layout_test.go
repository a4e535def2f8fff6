package handlers

// Browser tests of the layout: what a focal point sees on a phone and on a
// desktop, in left-to-right, right-to-left and CJK pages. Set
// NATREPORT_SHOTS to a directory to keep a screenshot of every page checked
// (to look at; they are not committed).

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/natreport/natreport/models"
)

// viewport sets the size of the tab's window in CSS pixels.
func (b *tab) viewport(w, h int64) {
	b.t.Helper()
	b.do(fmt.Sprintf("viewport %dx%d", w, h), chromedp.EmulateViewport(w, h))
}

// shoot keeps a screenshot of the whole page when NATREPORT_SHOTS is set.
func (b *tab) shoot(name string) {
	b.t.Helper()
	dir := os.Getenv("NATREPORT_SHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	name = strings.NewReplacer("/", "_", "?", "_", "=", "_", "&", "_").Replace(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// overflowJS describes what sticks out of the viewport sideways, or "" when
// the page does not scroll sideways.
const overflowJS = `(function(){
  var de = document.documentElement;
  if (de.scrollWidth <= innerWidth) return '';
  var out = [];
  document.querySelectorAll('body *').forEach(function(e){
    var r = e.getBoundingClientRect();
    if (r.width > 1 && (r.right > innerWidth + 0.5 || r.left < -0.5)) {
      var inner = Array.from(e.children).some(function(c){ var q = c.getBoundingClientRect(); return q.width > 0 && (q.right > innerWidth + 0.5 || q.left < -0.5); });
      if (!inner) out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).split(' ').join('.') : '') + ' [' + Math.round(r.left) + ',' + Math.round(r.right) + ']');
    }
  });
  return 'scrollWidth ' + de.scrollWidth + ' > ' + innerWidth + ': ' + out.slice(0, 6).join('; ');
})()`

// layoutReport is a started JPN report with a few answers, the rows of
// IV.a.4 among them, and a focal point signed in on a tab.
func layoutReport(t *testing.T) (*browserTest, *tab) {
	t.Helper()
	bt := newBrowserTest(t, 5*time.Minute)
	bt.user("fp@mofa.go.jp", models.RoleFocalPoint, "JPN")
	bt.user("co@mofa.go.jp", models.RoleContributor, "JPN")
	currentCycle(bt.app)
	b := bt.tab()
	b.signIn("fp@mofa.go.jp")
	b.startReport(cycleLabel)
	return bt, b
}

// TestBrowserNarrowPages checks that no page scrolls sideways on a phone
// (390 px), in English, Arabic and Chinese.
func TestBrowserNarrowPages(t *testing.T) {
	bt, b := layoutReport(t)
	_ = bt
	anon := bt.tab()
	base := "/reports/JPN/" + cycleLabel
	pages := []struct {
		b    *tab
		path string
	}{
		{b, "/"},
		{b, base},
		{b, base + "/sections/0.a"},
		{b, base + "/sections/II.g"},
		{b, base + "/sections/IV.a"},
		{b, base + "/history"},
		{anon, "/states"},
		{anon, "/cycles/" + cycleLabel},
		{anon, "/templates/v1"},
	}
	for _, tb := range []*tab{b, anon} {
		tb.viewport(390, 844)
	}
	for _, lang := range []string{"en", "ar", "zh"} {
		for _, p := range pages {
			t.Run(lang+p.path, func(t *testing.T) {
				b := p.b.in(t, p.b.ctx)
				sep := "?"
				if strings.Contains(p.path, "?") {
					sep = "&"
				}
				if st := b.open(p.path + sep + "lang=" + lang); st != http.StatusOK {
					t.Fatalf("status %d", st)
				}
				b.shoot("narrow-" + lang + p.path)
				if msg := jsValue[string](b, overflowJS); msg != "" {
					t.Errorf("the page scrolls sideways at 390 px: %s", msg)
				}
			})
		}
	}
}

// focusCoveredJS walks every focus stop of the section form with the Tab
// key is not possible from script; it checks the focused element instead:
// the element must be in the viewport and above the sticky action bar.
const focusCoveredJS = `(function(){
  var e = document.activeElement, form = document.getElementById('section-form');
  if (!e || !form || !form.contains(e)) return 'outside';
  var bar = form.querySelector('.sticky-actions');
  if (bar.contains(e)) return 'bar';
  var r = e.getBoundingClientRect(), top = bar.getBoundingClientRect().top;
  if (r.bottom > top + 0.5 || r.top < -0.5) return (e.name || e.id || e.tagName) + ' [' + Math.round(r.top) + ',' + Math.round(r.bottom) + '] bar at ' + Math.round(top);
  return '';
})()`

// TestBrowserStickyBarLeavesFocusVisible tabs through every focus stop of
// section II.g and checks that the sticky Save bar never covers the element
// that has the focus, on a desktop and on a phone.
func TestBrowserStickyBarLeavesFocusVisible(t *testing.T) {
	_, b := layoutReport(t)
	section := "/reports/JPN/" + cycleLabel + "/sections/II.g"
	for _, size := range [][2]int64{{1280, 800}, {390, 844}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			b := b.in(t, b.ctx)
			b.viewport(size[0], size[1])
			b.openOK(section)
			// Every disclosure open: their fields are focus stops too.
			b.do("open every disclosure", chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('#section-form details').forEach(function(d){d.open=true;})`))
			b.do("focus the first field", chromedp.Evaluate[chromedp.Void](`document.querySelector('#section-form input:not([type=hidden]), #section-form summary').focus()`))
			stops, covered := 0, []string{}
			for range 600 {
				switch got := jsValue[string](b, focusCoveredJS); got {
				case "":
				case "bar", "outside":
					if stops == 0 {
						t.Fatalf("the focus is not in the form (%s)", got)
					}
					goto done
				default:
					covered = append(covered, got)
				}
				stops++
				b.do("tab", chromedp.KeyEvent(kb.Tab))
			}
		done:
			t.Logf("%d focus stops", stops)
			if stops < 20 {
				t.Errorf("only %d focus stops in II.g", stops)
			}
			if len(covered) > 0 {
				t.Errorf("%d of %d focus stops are covered by the sticky bar or off screen: %s", len(covered), stops, strings.Join(covered, "; "))
			}
			// Every focusable element, each radio button included, focused
			// the way a script or a click on its label focuses it.
			all := jsValue[[]string](b, `(function(){
  var out = [], n = 0;
  document.querySelectorAll('#section-form input:not([type=hidden]), #section-form textarea, #section-form select, #section-form summary, #section-form button').forEach(function(e){
    if (e.closest('.sticky-actions') || e.getClientRects().length === 0) return;
    n++;
    e.focus();
    var msg = `+focusCoveredJS+`;
    if (msg !== '' && msg !== 'bar') out.push(msg);
  });
  out.unshift(String(n));
  return out;
})()`)
			t.Logf("%s focusable elements", all[0])
			if len(all) > 1 {
				t.Errorf("%d of %s focusable elements are covered when focused: %s", len(all)-1, all[0], strings.Join(all[1:], "; "))
			}
		})
	}
}

// rowsReadableJS lists the fields of rows tables that cannot show their
// content: a select narrower than its longest choice, a text area narrower
// than about twenty characters (or than the page allows), an input narrower
// than about eight.
const rowsReadableJS = `(function(){
  var ctx = document.createElement('canvas').getContext('2d'), bad = [];
  document.querySelectorAll('table.rows select, table.rows textarea, table.rows input').forEach(function(e){
    var cs = getComputedStyle(e), em = parseFloat(cs.fontSize), w = e.getBoundingClientRect().width;
    var row = e.closest('tr'), rs = getComputedStyle(row);
    var avail = row.clientWidth - parseFloat(rs.paddingLeft) - parseFloat(rs.paddingRight);
    var need;
    if (e.tagName === 'SELECT') {
      // The longest choice, the padding and borders, and about 20 px of arrow.
      ctx.font = cs.font;
      need = 0;
      Array.from(e.options).forEach(function(o){ need = Math.max(need, ctx.measureText(o.text).width); });
      need += parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight) + parseFloat(cs.borderLeftWidth) + parseFloat(cs.borderRightWidth) + 20;
      need = Math.min(need, avail);
    } else if (e.tagName === 'TEXTAREA') {
      need = Math.min(20 * em, avail);
    } else {
      need = Math.min(8 * em, avail);
    }
    if (w + 0.5 < need) bad.push(e.name + ' ' + Math.round(w) + 'px < ' + Math.round(need) + 'px');
  });
  return bad;
})()`

// TestBrowserRowsReadable checks that every field of a rows table shows its
// content at every width, and that "Save and add a row" is not hidden
// behind the sticky bar when it has the focus.
func TestBrowserRowsReadable(t *testing.T) {
	_, b := layoutReport(t)
	section := "/reports/JPN/" + cycleLabel + "/sections/IV.a"
	for _, lang := range []string{"en", "ar", "zh"} {
		for _, size := range [][2]int64{{1280, 900}, {1024, 768}, {768, 1024}, {390, 844}} {
			t.Run(fmt.Sprintf("%s/%dx%d", lang, size[0], size[1]), func(t *testing.T) {
				b := b.in(t, b.ctx)
				b.viewport(size[0], size[1])
				b.openOK(section + "?lang=" + lang)
				b.shoot(fmt.Sprintf("rows-%s-%d", lang, size[0]))
				if bad := jsValue[[]string](b, rowsReadableJS); len(bad) > 0 {
					t.Errorf("%d fields of rows tables cannot show their content: %s", len(bad), strings.Join(bad, "; "))
				}
				if msg := jsValue[string](b, overflowJS); msg != "" {
					t.Errorf("the page scrolls sideways: %s", msg)
				}
				b.do("focus Save and add a row", chromedp.Focus(chromedp.CSS(`[id="q-IV.a.4"] button.add-row`)))
				if got := jsValue[string](b, focusCoveredJS); got != "" {
					t.Errorf("Save and add a row with the focus: %s", got)
				}
			})
		}
	}
}

// TestCJKFontInstalled checks that Chromium has a font for Chinese pages,
// without which the browser tests of Chinese pages see empty boxes.
func TestCJKFontInstalled(t *testing.T) {
	out, err := exec.Command("fc-list", ":lang=zh", "family").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no font for Chinese (fc-list :lang=zh: %v); install fonts-noto-cjk", err)
		}
		t.Skip("no font for Chinese; install fonts-noto-cjk")
	}
}
