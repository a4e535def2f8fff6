package handlers

import "github.com/gin-gonic/gin"

// testHooks is middleware that only test builds add (files with the build
// tag crashtest); a production build has none.
var testHooks []gin.HandlerFunc

// saveHooks, when a test sets them, run in the save handlers just before
// the store writes (before) and just after it answered (after): a test
// submits the report in between to race a save, or makes every later
// read fail to show that the reply is built from the write. Production
// never sets them; a test that does must not run in parallel.
var saveHooks struct{ before, after func() }

func runHook(f func()) {
	if f != nil {
		f()
	}
}
