package handlers

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"
)

// parseHandlers parses the package's own (non-test) files.
func parseHandlers(t *testing.T) (*token.FileSet, []*ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return fset, files
}

// TestHandlersStayShort: a handler reads like three lines of prose; when
// one grows past 60 lines, its logic belongs in surveys/ or models/. Only
// the route table may be longer.
func TestHandlersStayShort(t *testing.T) {
	fset, files := parseHandlers(t)
	for _, f := range files {
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Name.Name == "routes" {
				continue
			}
			start, end := fset.Position(fn.Pos()), fset.Position(fn.End())
			if n := end.Line - start.Line + 1; n > 60 {
				t.Errorf("%s:%d: %s is %d lines long (at most 60)", start.Filename, start.Line, fn.Name.Name, n)
			}
		}
	}
}

// TestOneErrorDoor: handlers return their errors; only the door itself
// (the adapter h) and the middleware that runs before any handler call
// fail.
func TestOneErrorDoor(t *testing.T) {
	door := map[string]bool{"h": true, "recoverer": true, "session": true, "requireRole": true}
	fset, files := parseHandlers(t)
	for _, f := range files {
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || door[fn.Name.Name] {
				continue
			}
			ast.Inspect(fn, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if ok && sel.Sel.Name == "fail" {
					if x, ok := sel.X.(*ast.Ident); ok && x.Name == "s" {
						t.Errorf("%s: %s calls s.fail; return the error instead", fset.Position(sel.Pos()), fn.Name.Name)
					}
				}
				return true
			})
		}
	}
}
