package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/static"
)

// routes lists every URL of natreport.
func (s *Server) routes() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.NoRoute(func(c *gin.Context) { s.fail(c, errNotFound) })
	r.NoMethod(func(c *gin.Context) { s.fail(c, errMethod) })
	r.Use(s.recoverer, s.requestLog, s.language, s.session)

	// Public: no sign-in needed.
	r.StaticFS("/static", http.FS(static.FS))
	r.GET("/healthz", s.healthz)
	r.GET("/login", s.loginForm)
	r.POST("/login", s.login)
	r.POST("/logout", s.logout)
	r.GET("/", s.home)
	r.GET("/states", s.statesList)
	r.GET("/cycles", s.cyclesList)
	r.GET("/cycles/:cycle", s.cycleShow)
	r.GET("/templates/:version", s.templateShow)

	// National reports: every read goes through loadReport's visibility
	// check; every change checks the State and the report's status.
	r.GET("/reports/:iso3/:cycle", s.reportShow)
	r.GET("/reports/:iso3/:cycle/sections/:section", s.sectionShow)
	r.GET("/reports/:iso3/:cycle/print", s.reportPrint)
	r.GET("/reports/:iso3/:cycle/compare", s.reportCompare)
	r.GET("/reports/:iso3/:cycle/report.pdf", s.reportPDF)
	reports := r.Group("/reports/:iso3/:cycle", s.requireRole())
	reports.POST("/start", s.reportStart)
	reports.POST("/sections/:section", s.sectionSave)
	reports.POST("/sections/:section/confirm", s.sectionConfirm)
	reports.POST("/sections/:section/assign", s.sectionAssign)
	reports.POST("/sections/:section/comments", s.sectionComment)
	reports.POST("/answers/:code", s.answerSave)
	reports.POST("/status", s.reportStatus)
	reports.GET("/submit", s.submitForm)
	reports.POST("/submit", s.reportSubmit)
	reports.POST("/visibility", s.reportVisibility)
	reports.GET("/history", s.reportHistory)

	// Any signed-in person.
	signedIn := r.Group("/", s.requireRole())
	signedIn.GET("/account/password", s.passwordForm)
	signedIn.POST("/account/password", s.passwordChange)

	// Secretariat and admin: reporting cycles.
	staff := r.Group("/", s.requireRole(models.RoleSecretariat, models.RoleAdmin))
	staff.GET("/cycles-new", s.cycleNewForm)
	staff.POST("/cycles-new", s.cycleCreate)
	staff.GET("/cycles/:cycle/board.csv", s.cycleBoardCSV)
	staff.GET("/cycles/:cycle/reports.zip", s.cycleZIP)
	staff.GET("/cycles/:cycle/edit", s.cycleEditForm)
	staff.POST("/cycles/:cycle/edit", s.cycleUpdate)

	// Admin: users.
	admin := r.Group("/admin", s.requireRole(models.RoleAdmin))
	admin.GET("/users", s.usersList)
	admin.POST("/users", s.userCreate)
	admin.POST("/users/:id/role", s.userSetRole)
	admin.POST("/users/:id/disable", s.userDisable)
	admin.POST("/users/:id/enable", s.userEnable)

	// CSRF: a state-changing request from another origin never reaches the router.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(crossOriginDenied))
	return securityHeadersHandler(cop.Handler(r))
}
