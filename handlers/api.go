package handlers

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/models"
)

// apiPrefix starts every URL of the read-only JSON API. Requests under it
// are authenticated by a bearer token or not at all: the session cookie is
// not read there, so a page of another site cannot make the browser call
// the API as its user, and CSRF does not arise.
const apiPrefix = "/api/v1"

// isAPI reports whether a request path belongs to the JSON API.
func isAPI(path string) bool {
	return path == apiPrefix || strings.HasPrefix(path, apiPrefix+"/")
}

// Pagination limits of the API's lists.
const (
	apiDefaultLimit = 50
	apiMaxLimit     = 500
)

var (
	errUnauthorized = &httpError{http.StatusUnauthorized, "api.unauthorized", nil}
	errBadLimit     = &httpError{http.StatusBadRequest, "api.bad_limit", nil}
	errBadCursor    = &httpError{http.StatusBadRequest, "api.bad_cursor", nil}
	errBadVersion   = &httpError{http.StatusBadRequest, "api.bad_version", nil}
)

// apiAuth authenticates an API request by its bearer token, as the
// token's owner with exactly the owner's rights. Without an Authorization
// header the request is anonymous; a malformed, unknown, revoked or
// expired token, or one whose owner is disabled, is a 401 (the returned
// error stops the chain before any API handler runs).
func (s *Server) apiAuth(c *gin.Context) error {
	u, err := s.bearerUser(c)
	if errors.Is(err, errUnauthorized) {
		c.Header("WWW-Authenticate", `Bearer realm="natreport"`)
	}
	if u != nil {
		c.Set(ctxUser, u)
	}
	return err
}

// bearerUser is the owner of the request's bearer token; nil without one.
func (s *Server) bearerUser(c *gin.Context) (*models.User, error) {
	h := c.GetHeader("Authorization")
	if h == "" {
		return nil, nil
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return nil, errUnauthorized
	}
	_, u, err := s.db.LookupAPIToken(c.Request.Context(), strings.TrimSpace(token))
	if errors.Is(err, models.ErrNotFound) {
		return nil, errUnauthorized
	}
	return u, err
}

// apiJSON writes v as the 200 reply. Links keep their "&" (no HTML
// escaping: the reply is application/json with nosniff, never HTML).
func apiJSON(c *gin.Context, v any) {
	c.PureJSON(http.StatusOK, v)
}

// apiPage is the page of a list a request asks for: at most limit items
// whose keys sort after after ("" from the start).
type apiPage struct {
	limit int
	after string
}

// cursorPrefix versions the cursor format, inside the base64.
const cursorPrefix = "k1:"

// parsePage reads ?limit= (1 to apiMaxLimit, default apiDefaultLimit) and
// ?cursor= (from a previous page's next_cursor).
func parsePage(c *gin.Context) (apiPage, error) {
	p := apiPage{limit: apiDefaultLimit}
	if v, ok := c.GetQuery("limit"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > apiMaxLimit {
			return p, withCause(errBadLimit, errors.New("limit "+strconv.Quote(v)))
		}
		p.limit = n
	}
	if v, ok := c.GetQuery("cursor"); ok {
		b, err := base64.RawURLEncoding.DecodeString(v)
		key, found := strings.CutPrefix(string(b), cursorPrefix)
		if err != nil || !found || key == "" {
			return p, withCause(errBadCursor, errors.New("cursor "+strconv.Quote(v)))
		}
		p.after = key
	}
	return p, nil
}

func encodeCursor(key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + key))
}

// apiList is the envelope of every list: the items of this page and, when
// more follow, the cursor and the link of the next page.
type apiList[T any] struct {
	Items      []T     `json:"items"`
	Limit      int     `json:"limit"`
	NextCursor *string `json:"next_cursor"`
	Next       *string `json:"next"`
}

// paginate sorts items by key (each key unique) and cuts one page out of
// them: keyset pagination, so a page boundary stays put when items are
// added or removed before it.
func paginate[T any](c *gin.Context, items []T, key func(T) string, p apiPage) apiList[T] {
	slices.SortFunc(items, func(a, b T) int { return strings.Compare(key(a), key(b)) })
	start := 0
	if p.after != "" {
		start, _ = slices.BinarySearchFunc(items, p.after, func(it T, k string) int {
			if key(it) <= k {
				return -1
			}
			return 1
		})
	}
	end := min(start+p.limit, len(items))
	out := apiList[T]{Items: nonNil(items[start:end]), Limit: p.limit}
	if end < len(items) {
		cur := encodeCursor(key(items[end-1]))
		q := url.Values{}
		for k, v := range c.Request.URL.Query() {
			if k != "cursor" {
				q[k] = v
			}
		}
		q.Set("cursor", cur)
		next := c.Request.URL.Path + "?" + q.Encode()
		out.NextCursor, out.Next = &cur, &next
	}
	return out
}

// nonNil is l, or an empty list for nil: the API's lists are [], never null.
func nonNil[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}
