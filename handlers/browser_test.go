package handlers

// Real-browser tests: the production router behind a loopback HTTP server,
// driven by headless Chromium through chromedp. They cover what only a
// browser shows: the autosave script, keyboard use, conditional display,
// conflicts between two sessions, and accessibility (axe-core).
//
// One Chromium process serves every test of the package (started on first
// use, stopped in TestMain); each test opens its tabs in browser contexts of
// their own, so cookies never leak from one session to another. Set CHROMIUM
// to the browser's path when it is not /usr/bin/chromium. Without Chromium
// the tests skip, except when CI=true, where they fail.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

// browserTimeout bounds each browser test (each page of TestAxe), so a hang
// fails instead of blocking the suite.
const browserTimeout = 60 * time.Second

// savedPattern is the autosave status once the last change reached the
// server: "Saved at {time}" with the browser's local time.
const savedPattern = `^Saved at \d{1,2}:\d{2}`

var chromium struct {
	once sync.Once
	ctx  context.Context // a chromedp context whose browser runs
	stop func()
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if chromium.stop != nil {
		chromium.stop()
	}
	os.Exit(code)
}

func chromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// sharedBrowser returns the package's Chromium, started on first use. It
// skips the test when there is no Chromium, or fails it on CI.
func sharedBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if _, err := exec.LookPath(path); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Chromium is required on CI: %v (set CHROMIUM to its path)", err)
		}
		t.Skipf("no Chromium (%v); set CHROMIUM to run the browser tests", err)
	}
	chromium.once.Do(func() { chromium.ctx, chromium.stop, chromium.err = startChromium(path) })
	if chromium.err != nil {
		t.Fatalf("start Chromium %s: %v", path, chromium.err)
	}
	return chromium.ctx
}

func startChromium(path string) (context.Context, func(), error) {
	dir, err := os.MkdirTemp("", "natreport-chromium-")
	if err != nil {
		return nil, nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // tests may run as root in a container
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(1280, 1000),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	stop := func() {
		cancel()
		cancelAlloc()
		_ = os.RemoveAll(dir)
	}
	// The first run starts the browser and binds it to ctx, so it gets no
	// deadline of its own: a watchdog stops a browser that does not start.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			stop()
			return nil, nil, err
		}
	case <-time.After(browserTimeout):
		stop()
		return nil, nil, errors.New("Chromium did not start within " + browserTimeout.String())
	}
	return ctx, stop, nil
}

// browserTest is the common set-up: an app, a loopback server in front of
// its router, and a context that ends after timeout.
type browserTest struct {
	*app
	t    *testing.T
	srv  *httptest.Server
	ctx  context.Context
	base string
}

func newBrowserTest(t *testing.T, timeout time.Duration) *browserTest {
	t.Helper()
	return newBrowserTestWith(t, timeout, nil)
}

// newBrowserTestWith is newBrowserTest with wrap (if not nil) around the
// router, to watch or hold requests.
func newBrowserTestWith(t *testing.T, timeout time.Duration, wrap func(http.Handler) http.Handler) *browserTest {
	t.Helper()
	root := sharedBrowser(t)
	a := newApp(t)
	h := a.h
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close) // runs after the tabs are closed (cleanups run last first)
	ctx, cancel := context.WithTimeout(root, timeout)
	t.Cleanup(cancel)
	return &browserTest{app: a, t: t, srv: srv, ctx: ctx, base: srv.URL}
}

// tab is one browser tab in a browser context of its own: its own cookies,
// so one tab is one person's session.
type tab struct {
	t    testing.TB
	ctx  context.Context
	base string
	mu   *sync.Mutex
	oops *[]string // dialogs and uncaught exceptions seen
}

func (bt *browserTest) tab() *tab {
	bt.t.Helper()
	ctx, cancel := chromedp.NewContext(bt.ctx, chromedp.WithNewBrowserContext())
	bt.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		bt.t.Fatalf("open a tab: %v", err)
	}
	b := &tab{t: bt.t, ctx: ctx, base: bt.base, mu: &sync.Mutex{}, oops: new([]string)}
	// A dialog (such as "leave with unsaved changes?") would block the tab:
	// accept it, and fail the test, which expected none.
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			b.note(fmt.Sprintf("unexpected %s dialog: %q", ev.Type, ev.Message))
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if m.IsException() {
				b.note(fmt.Sprintf("uncaught exception in %s:%d: %s", m.URL, m.Line+1, m))
			}
		}
	}()
	bt.t.Cleanup(func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, s := range *b.oops {
			bt.t.Error(s)
		}
	})
	return b
}

func (b *tab) note(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	*b.oops = append(*b.oops, s)
}

// in returns the tab seen from a subtest, with a context of its own.
func (b *tab) in(t testing.TB, ctx context.Context) *tab {
	c := *b
	c.t, c.ctx = t, ctx
	return &c
}

func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v (page %s)", what, err, b.where())
	}
}

// open loads path and returns the HTTP status of the document.
func (b *tab) open(path string) int64 {
	b.t.Helper()
	resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.base+path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	return resp.Status
}

// openOK loads path and fails unless it answers 200.
func (b *tab) openOK(path string) {
	b.t.Helper()
	if st := b.open(path); st != http.StatusOK {
		b.t.Fatalf("open %s: status %d; page: %.600s", path, st, b.text("main"))
	}
}

// follow runs steps that navigate (a click, a key on a button) and waits for
// the new page; it returns the HTTP status of the document.
func (b *tab) follow(what string, steps ...chromedp.Action[chromedp.Void]) int64 {
	b.t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, steps...)
	if err != nil {
		b.t.Fatalf("%s: %v (page %s)", what, err, b.where())
	}
	return resp.Status
}

// press activates a button with the keyboard (focus, then Enter) and waits
// for the page it leads to. The keyboard is used rather than the mouse so
// that the sticky action bar can never catch the click.
func (b *tab) press(sel string) int64 {
	b.t.Helper()
	return b.follow("press "+sel, chromedp.Focus(chromedp.CSS(sel)), chromedp.KeyEvent(kb.Enter))
}

// jsValue evaluates a JavaScript expression in the tab.
func jsValue[T any](b *tab, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func (b *tab) js(expr string) bool { b.t.Helper(); return jsValue[bool](b, expr) }

// text is the text of the first element matching the CSS selector ("" if none).
func (b *tab) text(sel string) string {
	b.t.Helper()
	return jsValue[string](b, fmt.Sprintf(`(function(){var e=document.querySelector(%q);return e?e.innerText:'';})()`, sel))
}

func (b *tab) path() string { b.t.Helper(); return jsValue[string](b, `location.pathname`) }

// where describes the page for failure messages, without failing itself.
func (b *tab) where() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname+location.search+' · '+document.title`))
	if err != nil {
		return "?"
	}
	return loc
}

// waitJS waits until the expression is truthy.
func (b *tab) waitJS(what, expr string) {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.Poll[chromedp.Void](expr,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		b.t.Fatalf("waiting for %s: %v (page %s; save state %q)", what, err, b.where(), b.text("#save-state"))
	}
}

// waitSaved waits until the autosave status says every change was saved.
func (b *tab) waitSaved() {
	b.t.Helper()
	b.waitJS("the autosave status to show the saved text",
		fmt.Sprintf(`(function(){var s=document.getElementById('save-state');return !!s && new RegExp(%q).test(s.textContent);})()`, savedPattern))
}

// visible reports whether the element with the id is rendered.
func (b *tab) visible(id string) bool {
	b.t.Helper()
	return b.js(fmt.Sprintf(`(function(){var e=document.getElementById(%q);return !!e && e.getClientRects().length>0 && getComputedStyle(e).visibility!=='hidden';})()`, id))
}

// signIn signs in through the sign-in form.
func (b *tab) signIn(email string) {
	b.t.Helper()
	b.openOK("/login")
	b.do("type the credentials",
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), testPassword))
	if st := b.follow("sign in", chromedp.Click(chromedp.CSS(`main form[action="/login"] button[type="submit"]`))); st != http.StatusOK {
		b.t.Fatalf("sign in %s: status %d", email, st)
	}
	if p := b.path(); p != "/" {
		b.t.Fatalf("after signing in %s: on %s, want /; page: %.400s", email, p, b.text("main"))
	}
}

// waitAnswer polls the database until the answer to code satisfies ok.
func (bt *browserTest) waitAnswer(reportID int64, code string, ok func(models.Answer) bool) models.Answer {
	bt.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		all, err := bt.db.ListAnswers(context.Background(), reportID)
		if err != nil {
			bt.t.Fatalf("list answers: %v", err)
		}
		a, found := all[code]
		if found && ok(a) {
			return a
		}
		if time.Now().After(deadline) {
			bt.t.Fatalf("answer %s in the database: %+v (found %v), not the one expected", code, a.Value, found)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (bt *browserTest) report(label string) *models.Report {
	bt.t.Helper()
	r, err := bt.db.GetReport(context.Background(), "JPN", label, 0)
	if err != nil {
		bt.t.Fatalf("JPN report of %s: %v", label, err)
	}
	return r
}

// cycleLabel is the current cycle of the browser tests, open since a month.
const cycleLabel = "2026-2027"

func currentCycle(a *app) *models.Cycle { return a.cycle(cycleLabel, time.Now().AddDate(0, -1, 0)) }

// startReport starts JPN's report through the start button.
func (b *tab) startReport(label string) {
	b.t.Helper()
	b.openOK("/reports/JPN/" + label)
	if st := b.press(`main form[action$="/start"] button[type="submit"]`); st != http.StatusOK {
		b.t.Fatalf("start the report: status %d", st)
	}
	if p := b.path(); p != "/reports/JPN/"+label {
		b.t.Fatalf("after starting the report: on %s", p)
	}
}

// cssName selects the element with the form field name.
func cssName(name string) chromedp.CSS { return chromedp.CSS(fmt.Sprintf(`[name=%q]`, name)) }

func TestBrowserSignInHomeSignOut(t *testing.T) {
	bt := newBrowserTest(t, browserTimeout)
	bt.user("fp@mofa.go.jp", models.RoleFocalPoint, "JPN")
	currentCycle(bt.app)
	b := bt.tab()

	b.signIn("fp@mofa.go.jp")
	if got := b.text("#my-state"); got != "Japan" {
		t.Errorf("home page: State heading %q, want Japan", got)
	}
	main := b.text("main")
	for _, want := range []string{"Current cycle: Global Mechanism " + cycleLabel, "You are signed in."} {
		if !strings.Contains(main, want) {
			t.Errorf("home page lacks %q; it shows: %.600s", want, main)
		}
	}
	if who := b.text("header .who"); !strings.Contains(who, "fp") || !strings.Contains(who, "Japan") {
		t.Errorf("header shows %q, want the user and Japan", who)
	}

	if st := b.follow("sign out", chromedp.Click(chromedp.CSS(`header form[action="/logout"] button`))); st != http.StatusOK {
		t.Fatalf("sign out: status %d", st)
	}
	if p := b.path(); p != "/login" {
		t.Fatalf("after signing out: on %s, want /login", p)
	}
	if got := b.text("main"); !strings.Contains(got, "You are signed out.") {
		t.Errorf("sign-in page after signing out lacks the flash; it shows: %.300s", got)
	}
	if b.js(`!!document.querySelector('header form[action="/logout"]')`) {
		t.Errorf("the sign-out button is still shown after signing out")
	}
	// The session is gone: a page for signed-in people asks to sign in.
	b.openOK("/account/password")
	if p := b.path(); p != "/login" {
		t.Errorf("/account/password after signing out: on %s, want /login", p)
	}
}

func TestBrowserSectionAutosaveKeyboard(t *testing.T) {
	bt := newBrowserTest(t, browserTimeout)
	bt.user("fp@mofa.go.jp", models.RoleFocalPoint, "JPN")
	currentCycle(bt.app)
	b := bt.tab()
	b.signIn("fp@mofa.go.jp")
	b.startReport(cycleLabel)
	rep := bt.report(cycleLabel)

	section := "/reports/JPN/" + cycleLabel + "/sections/II.a"
	b.openOK(section)
	const challenge = "Few trained staff outside the capital"

	// Keyboard only: focus the first status radio, choose with the arrow
	// key, Tab to the challenges disclosure, open it with Enter, Tab into
	// the text area and type.
	b.do("focus the first status radio of II.a.1", chromedp.Focus(cssName("II.a.1.status")))
	if v := jsValue[string](b, `document.activeElement.name+'='+document.activeElement.value`); v != "II.a.1.status=yes" {
		t.Fatalf("focused %q, want the first status radio", v)
	}
	b.do("arrow down", chromedp.KeyEvent(kb.ArrowDown))
	if v := jsValue[string](b, `(document.querySelector('[name="II.a.1.status"]:checked')||{}).value||''`); v != "partly" {
		t.Fatalf("after ArrowDown the checked status is %q, want partly", v)
	}
	// The first disclosure after the radios holds the status details
	// (measures taken, links); the next one the challenges.
	b.do("tab", chromedp.KeyEvent(kb.Tab))
	if !b.js(`document.activeElement.tagName==='SUMMARY' && document.activeElement.parentElement.contains(document.querySelector('[name="II.a.1.measures"]'))`) {
		t.Fatalf("Tab from the status radios went to %s, want the details summary",
			jsValue[string](b, `document.activeElement.outerHTML.slice(0,200)`))
	}
	b.do("tab", chromedp.KeyEvent(kb.Tab))
	if !b.js(`document.activeElement.tagName==='SUMMARY' && document.activeElement.parentElement.contains(document.querySelector('[name="II.a.1.challenges"]'))`) {
		t.Fatalf("Tab from the details summary went to %s, want the challenges summary",
			jsValue[string](b, `document.activeElement.outerHTML.slice(0,200)`))
	}
	b.do("open the challenges with Enter", chromedp.KeyEvent(kb.Enter))
	if !b.js(`document.activeElement.parentElement.open===true`) {
		t.Fatalf("Enter on the summary did not open the challenges")
	}
	b.do("tab", chromedp.KeyEvent(kb.Tab))
	if n := jsValue[string](b, `document.activeElement.name||document.activeElement.tagName`); n != "II.a.1.challenges" {
		t.Fatalf("Tab from the summary went to %q, want the challenges text area", n)
	}
	b.do("type the challenge", chromedp.KeyEvent(challenge))

	// Autosave, no submit: the server has it, then the page says so.
	a := bt.waitAnswer(rep.ID, "II.a.1", func(a models.Answer) bool {
		return a.Value.Status == "partly" && a.Value.Challenges == challenge
	})
	b.waitSaved()
	if p := b.path(); p != section {
		t.Fatalf("the page moved to %s: the form was submitted instead of autosaved", p)
	}
	if a.UpdatedBy == 0 {
		t.Errorf("answer saved without its author: %+v", a)
	}

	b.do("reload", chromedp.Reload())
	if v := jsValue[string](b, `(document.querySelector('[name="II.a.1.status"]:checked')||{}).value||''`); v != "partly" {
		t.Errorf("after reload the checked status is %q, want partly", v)
	}
	if v := jsValue[string](b, `document.querySelector('[name="II.a.1.challenges"]').value`); v != challenge {
		t.Errorf("after reload the challenges are %q, want %q", v, challenge)
	}
	if !b.js(`document.querySelector('[name="II.a.1.challenges"]').closest('details').open`) {
		t.Errorf("after reload the challenges with text are folded away")
	}
	if v := jsValue[string](b, `document.querySelector('[name="v.II.a.1"]').value`); v != fmt.Sprint(a.Version) {
		t.Errorf("after reload the form carries version %s, want %d", v, a.Version)
	}
}

func TestBrowserRepeatingRows(t *testing.T) {
	bt := newBrowserTest(t, browserTimeout)
	bt.user("fp@mofa.go.jp", models.RoleFocalPoint, "JPN")
	currentCycle(bt.app)
	b := bt.tab()
	b.signIn("fp@mofa.go.jp")
	b.startReport(cycleLabel)
	rep := bt.report(cycleLabel)

	// 0.a.3 "Agencies that contributed to this report": agency (short),
	// role (single: lead, contributor, reviewer), contribution (long).
	const code = "0.a.3"
	section := "/reports/JPN/" + cycleLabel + "/sections/0.a"
	b.openOK(section)
	rowsTr := fmt.Sprintf(`document.querySelectorAll('[id="q-%s"] tbody tr')`, code)
	agencies := func() []string {
		t.Helper()
		return jsValue[[]string](b, `Array.from(`+rowsTr+`).map(function(tr){return tr.querySelector('[name$=".agency"]').value;})`)
	}
	fill := func(i int, agency, roleKey, contribution string) {
		t.Helper()
		f := func(key string) chromedp.CSS { return cssName(surveys.RowField(code, i, key)) }
		b.do(fmt.Sprintf("fill row %d", i+1),
			chromedp.SendKeys(f("agency"), agency),
			chromedp.SendKeys(f("role"), roleKey), // type-ahead in the closed select
			chromedp.SendKeys(f("contribution"), contribution))
	}
	rowsAre := func(want ...string) func(models.Answer) bool {
		return func(a models.Answer) bool {
			var got []string
			for _, r := range a.Value.Rows {
				got = append(got, r["agency"])
			}
			return reflect.DeepEqual(got, want)
		}
	}
	addRow := func() {
		t.Helper()
		if st := b.press(fmt.Sprintf(`[id="q-%s"] button.add-row`, code)); st != http.StatusOK {
			t.Fatalf("save and add a row: status %d", st)
		}
		// Like the other row buttons, it must lead back to the table, not
		// to the top of a long form.
		if h := jsValue[string](b, `location.hash`); h != "#q-"+code {
			t.Errorf("after Save and add a row: location hash %q, want #q-%s", h, code)
		}
	}

	fill(0, "Ministry of Foreign Affairs", "l", "Parts I and II")
	bt.waitAnswer(rep.ID, code, rowsAre("Ministry of Foreign Affairs"))
	b.waitSaved()
	addRow()
	if got := agencies(); !reflect.DeepEqual(got, []string{"Ministry of Foreign Affairs", ""}) {
		t.Fatalf("after Save and add a row: rows %q, want the saved row and one blank", got)
	}
	fill(1, "National Cyber Agency", "c", "Norms (b) and (j)")
	bt.waitAnswer(rep.ID, code, rowsAre("Ministry of Foreign Affairs", "National Cyber Agency"))
	b.waitSaved()
	addRow()
	fill(2, "Cabinet Office", "r", "Final clearance")
	bt.waitAnswer(rep.ID, code, rowsAre("Ministry of Foreign Affairs", "National Cyber Agency", "Cabinet Office"))
	b.waitSaved()

	// Row 2 up: NCA, MFA, CO. Then remove row 2 (MFA): NCA, CO.
	if st := b.press(fmt.Sprintf(`button[name="rowop"][value="%s|1|up"]`, code)); st != http.StatusOK {
		t.Fatalf("move row 2 up: status %d", st)
	}
	if h := jsValue[string](b, `location.hash`); h != "#q-"+code {
		t.Errorf("after moving a row: location hash %q, want #q-%s", h, code)
	}
	if got := agencies(); !reflect.DeepEqual(got, []string{"National Cyber Agency", "Ministry of Foreign Affairs", "Cabinet Office", ""}) {
		t.Fatalf("after moving row 2 up: rows %q", got)
	}
	if st := b.press(fmt.Sprintf(`button[name="rowop"][value="%s|1|remove"]`, code)); st != http.StatusOK {
		t.Fatalf("remove row 2: status %d", st)
	}

	b.do("reload", chromedp.Reload())
	if got, want := agencies(), []string{"National Cyber Agency", "Cabinet Office", ""}; !reflect.DeepEqual(got, want) {
		t.Errorf("after reload: rows %q, want %q (two rows and the blank one)", got, want)
	}
	roles := jsValue[[]string](b, `Array.from(`+rowsTr+`).map(function(tr){return tr.querySelector('[name$=".role"]').value;})`)
	if want := []string{"contributor", "reviewer", ""}; !reflect.DeepEqual(roles, want) {
		t.Errorf("after reload: roles %q, want %q", roles, want)
	}
	a := bt.waitAnswer(rep.ID, code, rowsAre("National Cyber Agency", "Cabinet Office"))
	want := []map[string]string{
		{"agency": "National Cyber Agency", "role": "contributor", "contribution": "Norms (b) and (j)"},
		{"agency": "Cabinet Office", "role": "reviewer", "contribution": "Final clearance"},
	}
	if !reflect.DeepEqual(a.Value.Rows, want) {
		t.Errorf("rows in the database: %v, want %v", a.Value.Rows, want)
	}
}

func TestBrowserConditionalDisplay(t *testing.T) {
	bt := newBrowserTest(t, browserTimeout)
	bt.user("fp@mofa.go.jp", models.RoleFocalPoint, "JPN")
	currentCycle(bt.app)
	b := bt.tab()
	b.signIn("fp@mofa.go.jp")
	b.startReport(cycleLabel)
	rep := bt.report(cycleLabel)

	// I.a.3 (url, evidence) shows when I.a.1 is yes or partly; I.a.6 (long)
	// when it is no or partly.
	b.openOK("/reports/JPN/" + cycleLabel + "/sections/I.a")
	b.do("mark the page", chromedp.Evaluate[chromedp.Void](`window.__sameDocument = true`))
	if b.visible("q-I.a.3") || b.visible("q-I.a.6") {
		t.Fatalf("I.a.3 or I.a.6 is shown before I.a.1 is answered")
	}
	if !b.visible("q-I.a.1") {
		t.Fatalf("I.a.1, which has no condition, is hidden")
	}

	b.do("choose yes for I.a.1", chromedp.Click(chromedp.CSS(`[name="I.a.1.status"][value="yes"]`)))
	b.waitJS("I.a.3 to show", `document.getElementById('q-I.a.3').getClientRects().length>0`)
	if b.visible("q-I.a.6") {
		t.Errorf("I.a.6 (for no or partly) is shown after yes")
	}
	// One save at a time, so that "Saved at" means every change is saved.
	bt.waitAnswer(rep.ID, "I.a.1", func(a models.Answer) bool { return a.Value.Status == "yes" })
	b.waitSaved()
	b.do("type the evidence link", chromedp.SendKeys(cssName("I.a.3"), "https://www.example.go.jp/strategy"))
	bt.waitAnswer(rep.ID, "I.a.3", func(a models.Answer) bool { return a.Value.Text == "https://www.example.go.jp/strategy" })
	b.waitSaved()

	b.do("choose no for I.a.1", chromedp.Click(chromedp.CSS(`[name="I.a.1.status"][value="no"]`)))
	b.waitJS("I.a.3 to hide and I.a.6 to show",
		`document.getElementById('q-I.a.3').getClientRects().length===0 && document.getElementById('q-I.a.6').getClientRects().length>0`)
	if !b.js(`window.__sameDocument === true`) {
		t.Fatalf("the page reloaded: the display should change without one")
	}

	// The server agrees once the answer is saved.
	bt.waitAnswer(rep.ID, "I.a.1", func(a models.Answer) bool { return a.Value.Status == "no" })
	b.waitSaved()
	b.do("reload", chromedp.Reload())
	if b.visible("q-I.a.3") || !b.visible("q-I.a.6") {
		t.Errorf("after reload: I.a.3 shown %v (want false), I.a.6 shown %v (want true)", b.visible("q-I.a.3"), b.visible("q-I.a.6"))
	}
}

func TestBrowserConflict(t *testing.T) {
	bt := newBrowserTest(t, browserTimeout)
	bt.user("fp@mofa.go.jp", models.RoleFocalPoint, "JPN")
	contrib := bt.user("cert@nisc.go.jp", models.RoleContributor, "JPN")
	cy := currentCycle(bt.app)
	rep := &models.Report{StateISO3: "JPN", CycleID: cy.ID}
	if err := bt.db.CreateReport(context.Background(), rep, models.Actor{Email: "test"}); err != nil {
		t.Fatal(err)
	}

	first, second := bt.tab(), bt.tab()
	first.signIn("fp@mofa.go.jp")
	second.signIn("cert@nisc.go.jp")
	section := "/reports/JPN/" + cycleLabel + "/sections/II.a"
	first.openOK(section)
	second.openOK(section)

	first.do("first: choose yes", chromedp.Click(chromedp.CSS(`[name="II.a.1.status"][value="yes"]`)))
	bt.waitAnswer(rep.ID, "II.a.1", func(a models.Answer) bool { return a.Value.Status == "yes" && a.Version == 1 })
	first.waitSaved()

	second.do("second: choose no", chromedp.Click(chromedp.CSS(`[name="II.a.1.status"][value="no"]`)))
	box := `[id="q-II.a.1"] .conflict[role="alert"]`
	second.waitJS("the conflict box", fmt.Sprintf(`!!document.querySelector(%q)`, box))
	text := second.text(box)
	for _, want := range []string{"fp changed this answer", "Their answer (saved): Yes", "Your answer (not saved): No", "Keep mine", "Take theirs"} {
		if !strings.Contains(text, want) {
			t.Errorf("conflict box lacks %q; it says: %q", want, text)
		}
	}
	if st := second.text("#save-state"); !strings.Contains(st, "colleague changed this answer") {
		t.Errorf("save state %q, want the conflict message", st)
	}
	if a := bt.waitAnswer(rep.ID, "II.a.1", func(models.Answer) bool { return true }); a.Value.Status != "yes" {
		t.Fatalf("the refused save changed the answer to %+v", a.Value)
	}

	second.do("keep mine", chromedp.Click(chromedp.CSS(box+` button:not(.secondary)`)))
	a := bt.waitAnswer(rep.ID, "II.a.1", func(a models.Answer) bool { return a.Value.Status == "no" })
	second.waitSaved()
	if a.Version != 2 || a.UpdatedBy != contrib.ID {
		t.Errorf("kept answer: version %d by user %d, want version 2 by %d", a.Version, a.UpdatedBy, contrib.ID)
	}
	if second.js(`!!document.querySelector('[id="q-II.a.1"] .conflict')`) {
		t.Errorf("the conflict box is still shown after Keep mine")
	}

	// Now the first page is behind: its change conflicts in turn, and Take
	// theirs drops it and shows the saved answer.
	first.do("first: choose not applicable", chromedp.Click(chromedp.CSS(`[name="II.a.1.status"][value="na"]`)))
	first.waitJS("the conflict box on the first page", fmt.Sprintf(`!!document.querySelector(%q)`, box))
	if text := first.text(box); !strings.Contains(text, "Their answer (saved): No") || !strings.Contains(text, "Your answer (not saved): Not applicable") {
		t.Errorf("first page's conflict box says %q", text)
	}
	if st := first.follow("take theirs", chromedp.Click(chromedp.CSS(box+` button.secondary`))); st != http.StatusOK {
		t.Fatalf("take theirs: status %d", st)
	}
	if v := jsValue[string](first, `(document.querySelector('[name="II.a.1.status"]:checked')||{}).value||''`); v != "no" {
		t.Errorf("after Take theirs the page shows %q, want no", v)
	}
	if a := bt.waitAnswer(rep.ID, "II.a.1", func(models.Answer) bool { return true }); a.Value.Status != "no" || a.Version != 2 {
		t.Errorf("after Take theirs the database has %+v version %d, want no at version 2", a.Value, a.Version)
	}
}

// An autosave refused because the session expired keeps the change on the
// page and saves it once the person has signed in again in another tab.
func TestBrowserSessionExpiredAutosave(t *testing.T) {
	bt := newBrowserTest(t, browserTimeout)
	fp := bt.user("fp@mofa.go.jp", models.RoleFocalPoint, "JPN")
	currentCycle(bt.app)
	b := bt.tab()
	b.signIn("fp@mofa.go.jp")
	b.startReport(cycleLabel)
	rep := bt.report(cycleLabel)
	b.openOK("/reports/JPN/" + cycleLabel + "/sections/II.a")

	if err := bt.db.DeleteUserSessions(context.Background(), fp.ID); err != nil {
		t.Fatal(err)
	}
	b.do("choose partly for II.a.2", chromedp.Click(chromedp.CSS(`[name="II.a.2.status"][value="partly"]`)))
	b.waitJS("the expired-session message", `document.getElementById('save-state').textContent.indexOf('Your session has expired')===0`)
	if v := jsValue[string](b, `(document.querySelector('[name="II.a.2.status"]:checked')||{}).value||''`); v != "partly" {
		t.Errorf("the change was lost from the page: %q checked", v)
	}

	// Another tab of the same browser (same cookies) signs in again.
	other, cancel := chromedp.NewContext(b.ctx)
	defer cancel()
	b.in(t, other).signIn("fp@mofa.go.jp")
	bt.waitAnswer(rep.ID, "II.a.2", func(a models.Answer) bool { return a.Value.Status == "partly" })
	b.waitSaved()
}

// A field error shown by the no-script form goes away once the field is
// fixed and autosaved; an autosave error never doubles it.
func TestBrowserFieldErrorsClear(t *testing.T) {
	bt := newBrowserTest(t, browserTimeout)
	bt.user("fp@mofa.go.jp", models.RoleFocalPoint, "JPN")
	currentCycle(bt.app)
	b := bt.tab()
	b.signIn("fp@mofa.go.jp")
	b.startReport(cycleLabel)
	rep := bt.report(cycleLabel)
	b.openOK("/reports/JPN/" + cycleLabel + "/sections/II.a")

	// II.a.8 is a link. Set it without events (no autosave), then send the
	// form: the page comes back with the error beside the field.
	b.do("enter an invalid link", chromedp.SetValue(cssName("II.a.8"), "not a link"))
	if st := b.press(`#section-form .sticky-actions button[name="save"]`); st != http.StatusUnprocessableEntity {
		t.Fatalf("send an invalid link: status %d, want 422", st)
	}
	errorsShown := func() []string {
		t.Helper()
		return jsValue[[]string](b, `Array.from(document.querySelectorAll('[id="q-II.a.8"] .field-error')).map(function(e){return e.id+': '+e.textContent;})`)
	}
	const msg = "e-II.a.8: Enter a full link starting with http:// or https://."
	if got := errorsShown(); !reflect.DeepEqual(got, []string{msg}) {
		t.Fatalf("after the refused form: errors %q, want %q", got, msg)
	}

	// Still invalid, autosaved: one error, one element with its id.
	b.do("type more", chromedp.SendKeys(cssName("II.a.8"), "!"))
	b.waitJS("the autosave to refuse the link", `document.getElementById('save-state').textContent.indexOf('Not saved: see the message')===0`)
	if got := errorsShown(); !reflect.DeepEqual(got, []string{msg}) {
		t.Errorf("after a refused autosave: errors %q, want only %q (the id e-II.a.8 must be unique: aria-describedby points to it)", got, msg)
	}

	// Fixed, autosaved: no error left beside the field.
	b.do("fix the link",
		chromedp.Evaluate[chromedp.Void](`document.querySelector('[name="II.a.8"]').value = ''`),
		chromedp.SendKeys(cssName("II.a.8"), "https://www.example.go.jp/strategy"))
	bt.waitAnswer(rep.ID, "II.a.8", func(a models.Answer) bool { return a.Value.Text == "https://www.example.go.jp/strategy" })
	b.waitSaved()
	if got := errorsShown(); len(got) != 0 {
		t.Errorf("after the fixed link was saved, the page still shows %q beside it", got)
	}
	if b.js(`document.querySelector('[name="II.a.8"]').hasAttribute('aria-invalid')`) {
		t.Errorf("the saved link is still marked invalid")
	}
	// Nothing is left unsaved: the page must not still say so at the top.
	if b.visible("form-errors") {
		t.Errorf("after every error was fixed and saved, the page still says %q", b.text("#form-errors"))
	}
}

// axeViolation is one failed axe-core rule, with its first failing element.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Target string `json:"target"`
	HTML   string `json:"html"`
	Nodes  int    `json:"nodes"`
}

const axeRun = `axe.run(document, {resultTypes: ['violations']}).then(function (r) {
  return r.violations.filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; }).map(function (v) {
    var n = v.nodes[0] || {target: [], html: ''};
    return {id: v.id, impact: v.impact, help: v.help, target: String(n.target), html: n.html, nodes: v.nodes.length};
  });
})`

// axe runs axe-core on the tab's page and fails the test on each serious
// or critical violation.
func (b *tab) axe(axeSource []byte) {
	b.t.Helper()
	b.do("inject axe-core", chromedp.Evaluate[chromedp.Void](string(axeSource)))
	vs, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("axe.run: %v", err)
	}
	for _, v := range vs {
		b.t.Errorf("axe %s (%s): %s; %d element(s), first %s: %.200s", v.ID, v.Impact, v.Help, v.Nodes, v.Target, v.HTML)
	}
}

// TestAxe runs axe-core on every page, as the role that sees it, in English,
// Arabic (right to left) and Chinese, and fails on serious or critical
// violations.
func TestAxe(t *testing.T) {
	axeSource, err := os.ReadFile("../testdata/axe.min.js")
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	bt := newBrowserTest(t, 10*time.Minute)
	bt.user("fp@mofa.go.jp", models.RoleFocalPoint, "JPN")
	bt.user("sec@un.org", models.RoleSecretariat, "")
	bt.user("admin@un.org", models.RoleAdmin, "")
	currentCycle(bt.app)

	// A submitted report of the previous cycle, for the comparison page and
	// the carry-forward choices of the start page.
	ctx := context.Background()
	actor := models.Actor{Email: "test"}
	prevCycle := bt.cycle("2024-2025", time.Now().AddDate(-2, 0, 0))
	prev := &models.Report{StateISO3: "JPN", CycleID: prevCycle.ID}
	if err := bt.db.CreateReport(ctx, prev, actor); err != nil {
		t.Fatal(err)
	}
	for code, v := range map[string]surveys.Value{
		"II.a.1": {Status: "yes", Challenges: "Coordination across ministries"},
		"II.a.8": {Text: "https://www.example.go.jp/strategy"},
		"0.a.3":  {Rows: []map[string]string{{"agency": "Ministry of Foreign Affairs", "role": "lead"}}},
	} {
		if _, err := bt.db.SaveAnswer(ctx, prev.ID, code, v, 0, actor, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := bt.db.SetReportStatus(ctx, prev.ID, models.StatusDraft, models.StatusSubmitted, actor); err != nil {
		t.Fatal(err)
	}

	anon, focal, sec, admin := bt.tab(), bt.tab(), bt.tab(), bt.tab()
	focal.signIn("fp@mofa.go.jp")
	sec.signIn("sec@un.org")
	admin.signIn("admin@un.org")

	check := func(b *tab, who, path string, status int64, load func(b *tab, lang string) int64) {
		for _, lang := range []string{"en", "ar", "zh"} {
			t.Run(who+" "+path+" "+lang, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(b.ctx, browserTimeout)
				defer cancel()
				b := b.in(t, ctx)
				var got int64
				if load != nil {
					got = load(b, lang)
				} else {
					sep := "?"
					if strings.Contains(path, "?") {
						sep = "&"
					}
					got = b.open(path + sep + "lang=" + lang)
				}
				if got != status {
					t.Fatalf("status %d, want %d; page: %.300s", got, status, b.text("main"))
				}
				if dir := jsValue[string](b, `document.documentElement.dir+' '+document.documentElement.lang`); lang == "ar" && dir != "rtl ar" || lang != "ar" && dir != "ltr "+lang {
					t.Errorf("<html> dir and lang %q for language %s", dir, lang)
				}
				b.axe(axeSource)
			})
		}
	}

	base := "/reports/JPN/" + cycleLabel
	for _, p := range []string{"/", "/login", "/states", "/cycles", "/cycles/" + cycleLabel, "/templates/v1"} {
		check(anon, "anonymous", p, http.StatusOK, nil)
	}
	check(anon, "anonymous", "/no-such-page", http.StatusNotFound, nil)
	for _, p := range []string{"/cycles/" + cycleLabel, "/cycles-new", "/cycles/" + cycleLabel + "/edit"} {
		check(sec, "secretariat", p, http.StatusOK, nil)
	}
	check(admin, "admin", "/admin/users", http.StatusOK, nil)
	// The points-of-contact directory, a ping round, the outbox.
	token := pocFixture(t, bt.db)
	for _, p := range []string{"/directory", "/directory/JPN", "/account/notifications"} {
		check(focal, "focal point", p, http.StatusOK, nil)
	}
	for _, p := range []string{"/directory/rounds", "/directory/rounds/1", "/cycles/" + cycleLabel + "/reminders"} {
		check(sec, "secretariat", p, http.StatusOK, nil)
	}
	for _, p := range []string{"/admin/outbox", "/admin/outbox/1"} {
		check(admin, "admin", p, http.StatusOK, nil)
	}
	check(anon, "anonymous", "/confirm/"+token, http.StatusOK, nil)
	check(focal, "focal point", "/", http.StatusOK, nil)
	check(focal, "focal point", "/account/password", http.StatusOK, nil)
	check(focal, "focal point", base+" (not started)", http.StatusOK, func(b *tab, lang string) int64 {
		return b.open(base + "?lang=" + lang)
	})
	focal.startReport(cycleLabel)
	for _, p := range []string{base, base + "/sections/II.a", base + "/submit", base + "/history", base + "/print", base + "/compare"} {
		check(focal, "focal point", p, http.StatusOK, nil)
	}
	// The section form sent without the script, with an invalid link: the
	// page comes back with the error beside the field.
	check(focal, "focal point", base+"/sections/II.a (invalid link posted)", http.StatusUnprocessableEntity, func(b *tab, lang string) int64 {
		b.openOK(base + "/sections/II.a?lang=" + lang)
		b.do("enter an invalid link", chromedp.SetValue(cssName("II.a.8"), "not a link"))
		st := b.press(`#section-form .sticky-actions button[name="save"]`)
		if !b.js(`!!document.getElementById('e-II.a.8') && document.querySelector('[name="II.a.8"]').getAttribute('aria-invalid')==='true'`) {
			b.t.Errorf("the invalid link has no error beside it")
		}
		return st
	})
	// The section form sent without the script after a colleague changed
	// the same answer: the page comes back with both versions side by side.
	colleague := bt.user("cert@nisc.go.jp", models.RoleContributor, "JPN")
	cur := bt.report(cycleLabel)
	check(focal, "focal point", base+"/sections/II.a (conflict posted)", http.StatusConflict, func(b *tab, lang string) int64 {
		b.openOK(base + "/sections/II.a?lang=" + lang)
		old, err := bt.db.GetAnswer(ctx, cur.ID, "II.a.2")
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			b.t.Fatal(err)
		}
		theirs := surveys.Value{Status: "yes", Challenges: "Changed by " + lang}
		if _, err := bt.db.SaveAnswer(ctx, cur.ID, "II.a.2", theirs, old.Version, models.Actor{UserID: colleague.ID, Email: colleague.Email}, nil); err != nil {
			b.t.Fatal(err)
		}
		// Checked without events, so that the script does not autosave.
		b.do("choose no for II.a.2", chromedp.Evaluate[chromedp.Void](`document.querySelector('[name="II.a.2.status"][value="no"]').checked = true`))
		st := b.press(`#section-form .sticky-actions button[name="save"]`)
		if !b.js(`!!document.querySelector('[id="q-II.a.2"] .conflict[role="alert"]')`) {
			b.t.Errorf("no conflict box for II.a.2")
		}
		return st
	})
}

// The autosave status says "Saved at" only when no other answer's save is
// still on its way: the server holds the save of II.a.1 while II.a.2 saves.
func TestBrowserSaveStateWaitsForEverySave(t *testing.T) {
	held, release := make(chan struct{}, 1), make(chan struct{})
	var once sync.Once
	bt := newBrowserTestWith(t, browserTimeout, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/answers/II.a.1") {
				select {
				case held <- struct{}{}:
				default:
				}
				<-release
			}
			h.ServeHTTP(w, r)
		})
	})
	// Cleanups run last first: this one before the server closes, which
	// waits for the held request.
	t.Cleanup(func() { once.Do(func() { close(release) }) })
	bt.user("fp@mofa.go.jp", models.RoleFocalPoint, "JPN")
	currentCycle(bt.app)
	b := bt.tab()
	b.signIn("fp@mofa.go.jp")
	b.startReport(cycleLabel)
	rep := bt.report(cycleLabel)
	b.openOK("/reports/JPN/" + cycleLabel + "/sections/II.a")

	b.do("choose yes for II.a.1", chromedp.Click(chromedp.CSS(`[name="II.a.1.status"][value="yes"]`)))
	select {
	case <-held:
	case <-time.After(20 * time.Second):
		t.Fatal("the autosave of II.a.1 never reached the server")
	}
	b.do("choose no for II.a.2", chromedp.Click(chromedp.CSS(`[name="II.a.2.status"][value="no"]`)))
	bt.waitAnswer(rep.ID, "II.a.2", func(a models.Answer) bool { return a.Value.Status == "no" })
	// Let the page handle the reply to II.a.2.
	b.do("wait", chromedp.Sleep(time.Second))
	if st := b.text("#save-state"); regexp.MustCompile(savedPattern).MatchString(st) {
		t.Errorf("status %q while the save of II.a.1 is still on its way", st)
	}
	once.Do(func() { close(release) })
	bt.waitAnswer(rep.ID, "II.a.1", func(a models.Answer) bool { return a.Value.Status == "yes" })
	b.waitSaved()
}
