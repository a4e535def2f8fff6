//go:build crashtest

package handlers

import (
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// A deliberately broken natreport for the crash test (make crash-test):
// with NATREPORT_CRASHTEST_ACK_EARLY=1 an autosave is acknowledged before
// it is committed. The crash test must catch it losing acknowledged saves.
// Only a binary built with -tags crashtest has this.
func init() {
	if os.Getenv("NATREPORT_CRASHTEST_ACK_EARLY") != "1" {
		return
	}
	testHooks = append(testHooks, func(c *gin.Context) {
		if c.Request.Method != http.MethodPost || !strings.Contains(c.Request.URL.Path, "/answers/") {
			c.Next()
			return
		}
		code := c.Request.URL.Path[strings.LastIndex(c.Request.URL.Path, "/")+1:]
		base, _ := strconv.Atoi(c.PostForm("v." + code))
		body := `{"version":` + strconv.Itoa(base+1) + `}`
		w := c.Writer
		w.Header().Set("Content-Type", "application/json")
		// Past the compression of replies (compressHandler): a compressed
		// reply would end only with the handler, after the commit, and
		// the variant would not be broken any more.
		w.Header().Set("Content-Encoding", "identity")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(body))
		w.Flush()
		time.Sleep(300 * time.Millisecond)
		c.Writer = discardWriter{w}
		c.Next()
	})
}

// discardWriter drops what the real handler writes after the early reply.
type discardWriter struct{ gin.ResponseWriter }

func (discardWriter) Write(b []byte) (int, error)       { return len(b), nil }
func (discardWriter) WriteString(s string) (int, error) { return len(s), nil }
func (discardWriter) WriteHeader(int)                   {}
