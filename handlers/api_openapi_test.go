package handlers

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/natreport/natreport/models/modeltest"
)

// openAPIDoc is the embedded description, decoded.
func openAPIDoc(t testing.TB) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return doc
}

var ginParam = regexp.MustCompile(`:(\w+)`)

// TestOpenAPIDescribesEveryRoute: every /api/v1 route of the router is in
// the description with its method and path parameters, and the
// description has nothing the router lacks.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	s := &Server{db: modeltest.OpenTest(t), templates: builtinTemplates, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	var routes []string
	for _, r := range s.routes().Routes() {
		if !isAPI(r.Path) {
			continue
		}
		p := ginParam.ReplaceAllString(strings.TrimPrefix(r.Path, apiPrefix), "{$1}")
		routes = append(routes, strings.ToLower(r.Method)+" "+p)
	}
	doc := openAPIDoc(t)
	if doc["openapi"] != "3.1.0" {
		t.Errorf("openapi %v", doc["openapi"])
	}
	if servers := doc["servers"].([]any); servers[0].(map[string]any)["url"] != apiPrefix {
		t.Errorf("servers %v", servers)
	}
	var described []string
	for path, item := range doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			described = append(described, method+" "+path)
			// Every path parameter is declared, and nothing else is "in: path".
			want := regexp.MustCompile(`\{(\w+)\}`).FindAllStringSubmatch(path, -1)
			var inPath, wantNames []string
			for _, w := range want {
				wantNames = append(wantNames, w[1])
			}
			params, _ := op.(map[string]any)["parameters"].([]any)
			for _, p := range params {
				pm := resolve(doc, p.(map[string]any))
				if pm["in"] == "path" {
					inPath = append(inPath, pm["name"].(string))
				}
			}
			sort.Strings(inPath)
			sort.Strings(wantNames)
			if !slices.Equal(inPath, wantNames) {
				t.Errorf("%s %s: path parameters %v, want %v", method, path, inPath, wantNames)
			}
			if _, ok := op.(map[string]any)["responses"].(map[string]any)["200"]; !ok {
				t.Errorf("%s %s: no 200 response", method, path)
			}
		}
	}
	sort.Strings(routes)
	sort.Strings(described)
	if !slices.Equal(routes, described) {
		t.Errorf("router has %v\ndescription has %v", routes, described)
	}
	if len(routes) < 6 {
		t.Errorf("only %d API routes found: %v", len(routes), routes)
	}
	bearer := doc["components"].(map[string]any)["securitySchemes"].(map[string]any)["bearerAuth"].(map[string]any)
	if bearer["type"] != "http" || bearer["scheme"] != "bearer" {
		t.Errorf("security scheme %v", bearer)
	}
}

// resolve follows a local $ref.
func resolve(doc map[string]any, m map[string]any) map[string]any {
	for {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		cur := any(doc)
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			cur = cur.(map[string]any)[part]
		}
		m = cur.(map[string]any)
	}
}

// checkSchema validates a JSON body against the named schema of the
// description, so that what the API returns and what it says it returns
// cannot drift apart: every required field present, no undescribed one,
// each of its type and enum.
func checkSchema(t testing.TB, name string, body []byte) {
	t.Helper()
	doc := openAPIDoc(t)
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	schema := doc["components"].(map[string]any)["schemas"].(map[string]any)[name].(map[string]any)
	for _, e := range validate(doc, schema, v, name) {
		t.Error(e)
	}
}

func validate(doc, schema map[string]any, v any, at string) []string {
	schema = resolve(doc, schema)
	var errs []string
	if typ, ok := schema["type"]; ok {
		var types []string
		switch x := typ.(type) {
		case string:
			types = []string{x}
		case []any:
			for _, y := range x {
				types = append(types, y.(string))
			}
		}
		if !slices.Contains(types, jsonType(v)) && !(jsonType(v) == "integer" && slices.Contains(types, "number")) {
			return []string{fmt.Sprintf("%s: %s, want %v", at, jsonType(v), types)}
		}
	}
	if enum, ok := schema["enum"].([]any); ok && !slices.Contains(enum, v) {
		errs = append(errs, fmt.Sprintf("%s: %v is not one of %v", at, v, enum))
	}
	switch x := v.(type) {
	case map[string]any:
		props, _ := schema["properties"].(map[string]any)
		for _, r := range asStrings(schema["required"]) {
			if _, ok := x[r]; !ok {
				errs = append(errs, fmt.Sprintf("%s: lacks %q", at, r))
			}
		}
		for k, fv := range x {
			if ps, ok := props[k]; ok {
				errs = append(errs, validate(doc, ps.(map[string]any), fv, at+"."+k)...)
				continue
			}
			switch ap := schema["additionalProperties"].(type) {
			case bool:
				if !ap {
					errs = append(errs, fmt.Sprintf("%s: %q is not described", at, k))
				}
			case map[string]any:
				errs = append(errs, validate(doc, ap, fv, at+"."+k)...)
			}
		}
	case []any:
		if items, ok := schema["items"].(map[string]any); ok {
			for i, it := range x {
				errs = append(errs, validate(doc, items, it, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	}
	return errs
}

func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		if x == float64(int64(x)) {
			return "integer"
		}
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func asStrings(v any) []string {
	var out []string
	if l, ok := v.([]any); ok {
		for _, s := range l {
			out = append(out, s.(string))
		}
	}
	return out
}

func TestSchemaCheckerCatchesDrift(t *testing.T) {
	doc := openAPIDoc(t)
	state := doc["components"].(map[string]any)["schemas"].(map[string]any)["State"].(map[string]any)
	ok := map[string]any{"code": "JPN", "iso2": "JP", "m49": "392", "name": "Japan", "regional_group": "Asia-Pacific", "observer": false}
	if errs := validate(doc, state, ok, "State"); len(errs) != 0 {
		t.Errorf("valid State refused: %v", errs)
	}
	for name, bad := range map[string]map[string]any{
		"missing field":   {"code": "JPN", "iso2": "JP", "m49": "392", "name": "Japan", "observer": false},
		"extra field":     {"code": "JPN", "iso2": "JP", "m49": "392", "name": "Japan", "regional_group": "", "observer": false, "score": 3},
		"wrong type":      {"code": "JPN", "iso2": "JP", "m49": 392, "name": "Japan", "regional_group": "", "observer": false},
		"null not listed": {"code": nil, "iso2": "JP", "m49": "392", "name": "Japan", "regional_group": "", "observer": false},
	} {
		if errs := validate(doc, state, bad, "State"); len(errs) == 0 {
			t.Errorf("%s: accepted", name)
		}
	}
	rv := doc["components"].(map[string]any)["schemas"].(map[string]any)["ReportVersion"].(map[string]any)
	if errs := validate(doc, rv["properties"].(map[string]any)["status"].(map[string]any), "secret", "status"); len(errs) == 0 {
		t.Error("a status outside the enum was accepted")
	}
}
