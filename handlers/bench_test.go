package handlers

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/natreport/natreport/models"
)

// benchApp is a report with a filled largest section.
func benchApp(b *testing.B) (*app, *client, string) {
	a := newApp(b)
	a.cycle("2026-2027", time.Now().AddDate(0, -1, 0))
	a.user("fp@jp.example", models.RoleFocalPoint, "JPN")
	c := a.login("fp@jp.example")
	if w := c.post(base+"/start", nil); w.Code != http.StatusSeeOther {
		b.Fatalf("start: %d", w.Code)
	}
	// The largest section of the template, by number of questions.
	largest, n := "", 0
	for _, s := range builtinTemplates["v1"].Sections() {
		if len(s.Questions) > n {
			largest, n = s.Code, len(s.Questions)
		}
	}
	return a, c, largest
}

// BenchmarkAutosave measures one autosave round trip: parse, validate,
// a durable transaction with its audit entry, and the JSON reply.
func BenchmarkAutosave(b *testing.B) {
	_, c, _ := benchApp(b)
	c.accept = "application/json"
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := c.post(base+"/answers/II.a.1", url.Values{"v.II.a.1": {strconv.Itoa(i)}, "II.a.1.status": {[]string{"yes", "no"}[i%2]},
			"II.a.1.challenges": {"Challenge text " + strconv.Itoa(i)}})
		if w.Code != http.StatusOK {
			b.Fatalf("autosave %d: %s", w.Code, w.Body.String())
		}
	}
}

// BenchmarkSectionPage renders the largest section page of the template
// for its State's editor.
func BenchmarkSectionPage(b *testing.B) {
	_, c, largest := benchApp(b)
	path := base + "/sections/" + largest
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if w := c.get(path); w.Code != http.StatusOK {
			b.Fatalf("section page %d", w.Code)
		}
	}
}

// BenchmarkSectionPageKeptDrawn renders the largest section with every
// question answered, side by side: served from the kept page, and drawn
// anew (?v=1 is never kept) as after every change.
func BenchmarkSectionPageKeptDrawn(b *testing.B) {
	_, c, largest := benchApp(b)
	c.accept = "application/json"
	for _, q := range builtinTemplates["v1"].AllQuestions() {
		if !strings.HasPrefix(q.Code, largest+".") || q.Kind != "status" {
			continue
		}
		w := c.post(base+"/answers/"+q.Code, url.Values{"v." + q.Code: {"0"}, q.Code + ".status": {"yes"},
			q.Code + ".challenges": {"Challenges met in " + q.Code}})
		if w.Code != http.StatusOK {
			b.Fatalf("fill %s: %d", q.Code, w.Code)
		}
	}
	c.accept = ""
	for _, v := range []struct{ name, path string }{{"kept", ""}, {"drawn", "?v=1"}} {
		b.Run(v.name, func(b *testing.B) {
			path := base + "/sections/" + largest + v.path
			b.ReportAllocs()
			for b.Loop() {
				if w := c.get(path); w.Code != http.StatusOK {
					b.Fatalf("section page %d", w.Code)
				}
			}
		})
	}
}

// BenchmarkAutosaveParallel measures autosave throughput with 16
// concurrent writers per CPU, each on its own question of one report, as
// the group commit sees them: ns/op is the wall time per save of all of
// them together.
func BenchmarkAutosaveParallel(b *testing.B) {
	a, signedIn, _ := benchApp(b)
	var codes []string
	for _, q := range builtinTemplates["v1"].AllQuestions() {
		if q.Kind == "status" {
			codes = append(codes, q.Code)
		}
	}
	var next atomic.Int64
	b.SetParallelism(16)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		code := codes[int(next.Add(1)-1)%len(codes)]
		c := &client{a: a, cookies: maps.Clone(signedIn.cookies), accept: "application/json"}
		version := 0
		for i := 0; pb.Next(); i++ {
			w := c.post(base+"/answers/"+code, url.Values{"v." + code: {strconv.Itoa(version)}, code + ".status": {[]string{"yes", "no"}[i%2]}})
			var reply struct{ Version int }
			if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &reply) != nil {
				b.Errorf("autosave %s: %d %.200s", code, w.Code, w.Body.String())
				return
			}
			version = reply.Version
		}
	})
}
