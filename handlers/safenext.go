package handlers

import (
	"net/url"
	"path"
	"strings"
)

// safeNext keeps a post-sign-in destination only if it is a path on this
// site once a browser has parsed it. Browsers drop tab, newline and
// carriage return anywhere in a URL, strip leading control characters and
// spaces, and read a backslash as a slash, so "/\t/evil.example" and
// "/\\evil.example" both mean //evil.example: another host. Rather than
// repeat that parser, anything a browser might rewrite is refused: control
// characters, spaces at the ends, backslashes, and what would then start
// with "//" or carry a scheme or host.
func safeNext(next string) string {
	if next == "" || len(next) > 2048 || next[0] != '/' || strings.HasPrefix(next, "//") {
		return ""
	}
	for i := 0; i < len(next); i++ {
		if b := next[i]; b < 0x20 || b == 0x7f || b == '\\' || b == ' ' {
			return ""
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return ""
	}
	// A percent-encoded slash or backslash at the start is decoded by
	// some servers and proxies in front of us; refuse it too.
	if p := strings.ToLower(u.EscapedPath()); strings.HasPrefix(p, "/%2f") || strings.HasPrefix(p, "/%5c") {
		return ""
	}
	return next
}

// langPath is the path the language links of a page point at: the request
// path cleaned ("//evil.example/x" would otherwise make the links
// "//evil.example/x?lang=ar", another site), or "/" when even the cleaned
// path is not plainly local.
func langPath(raw string) string {
	p := path.Clean("/" + raw)
	if safeNext(p) != p || strings.ContainsAny(p, "?#") {
		return "/"
	}
	return p
}
