package handlers

import "github.com/gin-gonic/gin"

// testHooks is middleware that only test builds add (files with the build
// tag crashtest); a production build has none.
var testHooks []gin.HandlerFunc
