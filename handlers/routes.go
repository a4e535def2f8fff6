package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/surveys"
)

// handler is the router wrapped in cross-origin protection (CSRF),
// compression and the security headers.
func (s *Server) handler() http.Handler {
	r := s.routes()
	// CSRF: a state-changing request from another origin never reaches the router.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(crossOriginDenied))
	return securityHeadersHandler(compressHandler(cop.Handler(r)), s.cfg.SecureCookies)
}

// routes lists every URL of natreport. A POST route whose handler shows
// its form again with field errors is registered with s.form instead of
// s.h, so that refused text comes back in the form (textdoor.go).
func (s *Server) routes() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	// gin trusts every proxy unless told otherwise: trust only those named.
	proxies := make([]string, len(s.cfg.TrustedProxies))
	for i, p := range s.cfg.TrustedProxies {
		proxies[i] = p.String()
	}
	if err := r.SetTrustedProxies(proxies); err != nil {
		panic(err) // netip.Prefix always formats as a valid CIDR
	}
	r.NoRoute(s.h(func(*gin.Context) error { return errNotFound }))
	r.NoMethod(s.h(func(*gin.Context) error { return errMethod }))
	r.Use(s.recoverer, s.requestLog, s.language, s.session, s.rememberLang, s.h(s.textDoor))
	r.Use(testHooks...)

	// Public: no sign-in needed.
	r.GET("/static/*file", s.h(s.staticFile))
	r.HEAD("/static/*file", s.h(s.staticFile))
	r.GET("/favicon.ico", s.h(s.favicon))
	r.GET("/healthz", s.h(s.healthz))
	r.GET("/login", s.h(s.loginForm))
	r.POST("/login", s.form(s.login))
	r.POST("/logout", s.h(s.logout))
	r.GET("/", s.h(s.home))
	r.GET("/states", s.h(s.statesList))
	r.GET("/cycles", s.h(s.cyclesList))
	r.GET("/cycles/:cycle", s.h(s.cycleShow))
	r.GET("/templates/:version", s.h(s.templateShow))
	// A ping round's single-use confirmation link: no sign-in needed.
	r.GET("/confirm/:token", s.h(s.confirmShow))
	r.POST("/confirm/:token", s.h(s.confirmUse))

	// Capacity gaps, exports and the side-by-side view: made only of the
	// report versions the reader may read (surveys.ReadableVersion).
	r.GET("/cycles/:cycle/gaps", s.h(s.gapsPage))
	r.GET("/cycles/:cycle/gaps/:file", s.h(s.gapsExport))
	r.GET("/cycles/:cycle/answers.csv", s.h(s.answersExport))
	r.GET("/cycles/:cycle/answers.xlsx", s.h(s.answersExport))
	r.GET("/compare", s.h(s.comparePage))

	// National reports: every read goes through loadReport's visibility
	// check; every change checks the State and the report's status.
	r.GET("/reports/:iso3/:cycle", s.h(s.keep(s.reportShow)))
	r.GET("/reports/:iso3/:cycle/sections/:section", s.h(s.keep(s.sectionShow)))
	r.GET("/reports/:iso3/:cycle/print", s.h(s.reportPrint))
	r.GET("/reports/:iso3/:cycle/compare", s.h(s.reportCompare))
	r.GET("/reports/:iso3/:cycle/report.pdf", s.h(s.reportPDF))
	reports := r.Group("/reports/:iso3/:cycle", s.requireRole())
	reports.POST("/start", s.h(s.reportStart))
	reports.POST("/sections/:section", s.h(s.sectionSave))
	reports.POST("/sections/:section/confirm", s.h(s.sectionConfirm))
	reports.POST("/sections/:section/assign", s.h(s.sectionAssign))
	reports.POST("/sections/:section/comments", s.form(s.sectionComment))
	reports.POST("/answers/:code", s.h(s.answerSave))
	reports.POST("/status", s.h(s.reportStatus))
	reports.GET("/submit", s.h(s.submitForm))
	reports.POST("/submit", s.form(s.reportSubmit))
	reports.POST("/visibility", s.h(s.reportVisibility))
	reports.GET("/history", s.h(s.reportHistory))

	// The needs register: every read goes through surveys.Audience on the
	// report version each need came from (models.ListNeeds, GetNeed).
	r.GET("/needs", s.h(s.needsList))
	r.GET("/needs.csv", s.h(s.needsCSV))
	r.GET("/needs.xlsx", s.h(s.needsXLSX))
	r.GET("/needs/:id", s.h(s.needShow))
	r.POST("/needs/carry", s.requireRole(surveys.RoleFocalPoint), s.h(s.needsCarry))
	needs := r.Group("/needs/:id", s.requireRole(surveys.RoleFocalPoint, surveys.RoleSecretariat, surveys.RoleAdmin))
	needs.POST("/status", s.form(s.needStatus))
	needs.POST("/edit", s.form(s.needEdit))

	// Offers and matches: donors and the secretariat propose, the State's
	// focal point decides.
	offers := r.Group("/", s.requireRole())
	offers.GET("/offers", s.h(s.offersList))
	offers.GET("/offers.csv", s.h(s.offersCSV))
	offers.GET("/offers.xlsx", s.h(s.offersXLSX))
	offers.GET("/offers/:id", s.h(s.offerShow))
	offers.GET("/matches.csv", s.h(s.matchesCSV))
	offers.GET("/matches.xlsx", s.h(s.matchesXLSX))
	r.GET("/offers-new", s.requireRole(surveys.RoleDonor), s.h(s.offerNewForm))
	r.POST("/offers-new", s.requireRole(surveys.RoleDonor), s.form(s.offerCreate))
	r.GET("/donor", s.requireRole(surveys.RoleDonor), s.h(s.donorPage))
	r.POST("/matches", s.requireRole(surveys.RoleDonor, surveys.RoleSecretariat, surveys.RoleAdmin), s.h(s.matchPropose))
	r.POST("/matches/:id/decide", s.requireRole(surveys.RoleFocalPoint), s.h(s.matchDecide))
	// Changing recorded offers and withdrawing proposals: the offer's
	// organisation or the proposer, and the secretariat (checked inside).
	changers := []string{surveys.RoleDonor, surveys.RoleSecretariat, surveys.RoleAdmin}
	r.GET("/offers/:id/edit", s.requireRole(changers...), s.h(s.offerEditForm))
	r.POST("/offers/:id/edit", s.requireRole(changers...), s.form(s.offerEdit))
	r.POST("/offers/:id/withdraw", s.requireRole(changers...), s.h(s.offerWithdraw))
	r.POST("/matches/:id/withdraw", s.requireRole(changers...), s.h(s.matchWithdraw))

	// Any signed-in person.
	signedIn := r.Group("/", s.requireRole())
	signedIn.GET("/account/password", s.h(s.passwordForm))
	signedIn.POST("/account/password", s.form(s.passwordChange))
	signedIn.GET("/account/notifications", s.h(s.notificationsForm))
	signedIn.POST("/account/notifications", s.h(s.notificationsSave))

	// The points-of-contact directory: people of member States and the
	// secretariat read it (surveys.DirectoryAccess decides, in each
	// handler); a State's focal point keeps its entries; only the
	// secretariat exports it and runs ping rounds.
	dir := r.Group("/", s.requireRole(surveys.RoleSecretariat, surveys.RoleAdmin, surveys.RoleFocalPoint, surveys.RoleContributor))
	dir.GET("/directory", s.h(s.directoryIndex))
	dir.GET("/directory/:iso3", s.h(s.directoryState))
	dir.POST("/directory/:iso3/contacts", s.form(s.contactSave))
	dir.POST("/directory/:iso3/contacts/:id", s.form(s.contactSave))
	dir.POST("/directory/:iso3/contacts/:id/delete", s.h(s.contactDelete))
	dir.POST("/directory/:iso3/contacts/:id/confirm", s.h(s.contactConfirm))
	dir.POST("/directory/:iso3/from-report", s.h(s.directoryFromReport))
	dir.POST("/directory/:iso3/to-report", s.h(s.directoryToReport))
	rounds := r.Group("/", s.requireRole(surveys.RoleSecretariat, surveys.RoleAdmin), s.h(s.directoryStaff))
	rounds.GET("/directory.csv", s.h(s.directoryExport("csv")))
	rounds.GET("/directory.xlsx", s.h(s.directoryExport("xlsx")))
	rounds.GET("/directory/rounds", s.h(s.roundsList))
	rounds.POST("/directory/rounds", s.form(s.roundStart))
	rounds.GET("/directory/rounds/:id", s.h(s.roundShow))
	rounds.POST("/directory/rounds/:id/chase", s.h(s.roundChase))
	signedIn.GET("/account/tokens", s.h(s.tokensPage))
	signedIn.POST("/account/tokens", s.form(s.tokenCreate))
	signedIn.POST("/account/tokens/:id/revoke", s.h(s.tokenRevoke))

	// Secretariat and admin: reporting cycles.
	staff := r.Group("/", s.requireRole(surveys.RoleSecretariat, surveys.RoleAdmin))
	staff.GET("/cycles-new", s.h(s.cycleNewForm))
	staff.POST("/cycles-new", s.form(s.cycleCreate))
	staff.GET("/cycles/:cycle/board.csv", s.h(s.cycleBoardCSV))
	staff.GET("/cycles/:cycle/reports.zip", s.h(s.cycleZIP))
	staff.GET("/cycles/:cycle/edit", s.h(s.cycleEditForm))
	staff.POST("/cycles/:cycle/edit", s.form(s.cycleUpdate))
	staff.GET("/cycles/:cycle/compilation", s.h(s.compilationPage))
	staff.POST("/cycles/:cycle/compilation", s.h(s.compilationRequest))
	staff.GET("/cycles/:cycle/compilation.pdf", s.h(s.compilationFile))
	staff.GET("/cycles/:cycle/reminders", s.h(s.remindersForm))
	staff.POST("/cycles/:cycle/reminders", s.form(s.remindersSave))

	// Admin: users.
	admin := r.Group("/admin", s.requireRole(surveys.RoleAdmin))
	admin.GET("/users", s.h(s.usersList))
	admin.POST("/users", s.form(s.userCreate))
	admin.POST("/users/:id/role", s.form(s.userSetRole))
	admin.POST("/users/:id/disable", s.h(s.userDisable))
	admin.POST("/users/:id/enable", s.h(s.userEnable))
	admin.GET("/organisations", s.h(s.organisationsList))
	admin.POST("/users/:id/organisation", s.form(s.userOrganisation))
	admin.GET("/outbox", s.h(s.outboxList))
	admin.GET("/outbox/:id", s.h(s.outboxShow))
	admin.POST("/outbox/:id/retry", s.h(s.outboxRetry))

	// Read-only JSON API (GET only; anything else is a 405). A bearer token
	// or nothing: the session cookie is not read here. Every report goes
	// through surveys.Audience, as on the pages.
	api := r.Group(apiPrefix, s.h(s.apiAuth))
	api.GET("/openapi.json", s.h(s.apiOpenAPI))
	api.GET("/cycles", s.h(s.apiCycles))
	api.GET("/cycles/:cycle", s.h(s.apiCycle))
	api.GET("/cycles/:cycle/reports", s.h(s.apiCycleReports))
	api.GET("/states", s.h(s.apiStates))
	api.GET("/reports/:iso3/:cycle", s.h(s.apiReport))
	api.GET("/cycles/:cycle/gaps", s.h(s.apiCycleGaps))
	api.GET("/needs", s.h(s.apiNeeds))
	api.GET("/offers", s.h(s.apiOffers))

	s.routeInfo = r.Routes()
	return r
}
