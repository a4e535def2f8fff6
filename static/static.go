// Package static holds the stylesheet and the script of natreport,
// embedded in the binary. The pages work without the script; it adds
// autosave, conditional display and the unsaved-changes warning.
//
// Pages link each file by a fingerprinted path (Path), so that browsers
// may keep it for a year: a new release changes the fingerprint, and so
// the URL. Each file is compressed with gzip and brotli once, when first
// asked for (Compressed): at the best levels this costs tens of
// milliseconds, which would otherwise delay every start.
package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// FS holds the static files.
//
//go:embed *.css *.js favicon.ico
var FS embed.FS

// File is one static file with its fingerprint and compressed forms.
type File struct {
	Name        string
	ContentType string
	Hash        string // first 12 hex digits of the SHA-256 of Body
	Body        []byte

	once   sync.Once
	gz, br []byte // nil when compression does not pay
}

// Compressed returns the file compressed with encoding "gzip" or "br", or
// nil when that does not make it smaller (or for another encoding). Each
// form is made once, on first use, and kept.
func (f *File) Compressed(encoding string) []byte {
	f.once.Do(func() { f.gz, f.br = compress(f.Body) })
	switch encoding {
	case "gzip":
		return f.gz
	case "br":
		return f.br
	}
	return nil
}

// Prefix is where the static files are served.
const Prefix = "/static/"

var files = load()

func load() map[string]*File {
	out := map[string]*File{}
	entries, err := fs.ReadDir(FS, ".")
	if err != nil {
		panic(err) // embedded: cannot fail
	}
	for _, e := range entries {
		body, err := FS.ReadFile(e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(body)
		f := &File{Name: e.Name(), Body: body, Hash: hex.EncodeToString(sum[:])[:12],
			ContentType: mime.TypeByExtension(path.Ext(e.Name()))}
		if f.ContentType == "" {
			f.ContentType = "application/octet-stream"
		}
		out[e.Name()] = f
	}
	return out
}

// compress returns body compressed at the best levels (once per file).
func compress(body []byte) (gz, br []byte) {
	var g bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&g, gzip.BestCompression)
	_, _ = zw.Write(body)
	_ = zw.Close()
	var b bytes.Buffer
	bw := brotli.NewWriterLevel(&b, brotli.BestCompression)
	_, _ = bw.Write(body)
	_ = bw.Close()
	if g.Len() < len(body) {
		gz = g.Bytes()
	}
	if b.Len() < len(body) {
		br = b.Bytes()
	}
	return gz, br
}

// Path is the fingerprinted URL of the static file name, such as
// /static/3f2a9c01b2de/app.css; an unknown name gives the plain path.
func Path(name string) string {
	if f, ok := files[name]; ok {
		return Prefix + f.Hash + "/" + name
	}
	return Prefix + name
}

// Lookup finds the file of a path below Prefix: "HASH/NAME" or "NAME". It
// reports whether the fingerprint is the current one (only then may the
// reply be cached for good).
func Lookup(rel string) (f *File, current bool) {
	hash, name, fingerprinted := strings.Cut(rel, "/")
	if !fingerprinted {
		name = hash
	}
	f, ok := files[name]
	if !ok {
		return nil, false
	}
	return f, fingerprinted && hash == f.Hash
}
