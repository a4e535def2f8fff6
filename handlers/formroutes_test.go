package handlers

import (
	"go/ast"
	"strconv"
	"testing"
)

// TestFormRoutesTakeTextErrors: a POST route whose handler shows a page
// (a form again with its field errors) is registered with s.form, so that
// refused text comes back in the form instead of losing what was typed;
// and the handler of every s.form route starts its checks with
// textErrors, so that the refused text is never stored. The answer routes
// check their text themselves (answerRoutes).
func TestFormRoutesTakeTextErrors(t *testing.T) {
	_, files := parseHandlers(t)
	funcs := map[string]*ast.FuncDecl{}
	for _, f := range files {
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok {
				funcs[fn.Name.Name] = fn
			}
		}
	}
	routes := postRoutes(t, funcs["routes"])
	if len(routes) < 20 {
		t.Fatalf("found %d POST routes in routes(); the test no longer reads the route table", len(routes))
	}
	// A page but nothing typed: the door refuses text there.
	noText := map[string]bool{"confirmUse": true}
	forms := 0
	for _, rt := range routes {
		if answerRoutes[rt.path] || noText[rt.handler] {
			continue
		}
		renders := reaches(funcs, rt.handler, "render", map[string]bool{})
		takes := reaches(funcs, rt.handler, "textErrors", map[string]bool{})
		switch {
		case rt.adapter == "form":
			forms++
			if !takes {
				t.Errorf("POST %s: %s is registered with s.form but never calls textErrors: refused text would be stored", rt.path, rt.handler)
			}
		case renders:
			t.Errorf("POST %s: %s shows a page but is registered with s.%s: register it with s.form and start its checks with textErrors", rt.path, rt.handler, rt.adapter)
		}
	}
	if forms < 10 {
		t.Errorf("only %d form routes found", forms)
	}
}

type postRoute struct{ path, adapter, handler string }

// postRoutes reads the POST lines of the route table: the full path (the
// groups' prefixes resolved), the adapter (h or form) and the handler.
func postRoutes(t *testing.T, fn *ast.FuncDecl) []postRoute {
	t.Helper()
	if fn == nil {
		t.Fatal("no routes function")
	}
	prefix := map[string]string{"r": ""}
	var out []postRoute
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			call, ok := n.Rhs[0].(*ast.CallExpr)
			if !ok || len(n.Lhs) != 1 {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Group" {
				base, _ := sel.X.(*ast.Ident)
				if base != nil {
					prefix[n.Lhs[0].(*ast.Ident).Name] = joinPath(prefix[base.Name], stringLit(call.Args[0]))
				}
			}
		case *ast.CallExpr:
			sel, ok := n.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "POST" {
				return true
			}
			base, _ := sel.X.(*ast.Ident)
			last, _ := n.Args[len(n.Args)-1].(*ast.CallExpr)
			if base == nil || last == nil || len(last.Args) != 1 {
				t.Errorf("POST route not read: %#v", n)
				return true
			}
			adapter, _ := last.Fun.(*ast.SelectorExpr)
			handler, _ := last.Args[0].(*ast.SelectorExpr)
			if adapter == nil || handler == nil {
				t.Errorf("POST route not read: %#v", n)
				return true
			}
			out = append(out, postRoute{joinPath(prefix[base.Name], stringLit(n.Args[0])), adapter.Sel.Name, handler.Sel.Name})
		}
		return true
	})
	return out
}

func stringLit(e ast.Expr) string {
	lit, ok := e.(*ast.BasicLit)
	if !ok {
		return ""
	}
	s, _ := strconv.Unquote(lit.Value)
	return s
}

func joinPath(a, b string) string {
	if len(a) > 0 && a[len(a)-1] == '/' && len(b) > 0 && b[0] == '/' {
		return a + b[1:]
	}
	return a + b
}

// reaches reports whether the function name calls target (a method of s
// or a function of the package), directly or through the package's own
// functions.
func reaches(funcs map[string]*ast.FuncDecl, name, target string, seen map[string]bool) bool {
	fn := funcs[name]
	if fn == nil || seen[name] {
		return false
	}
	seen[name] = true
	found := false
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if found {
			return false
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		var callee string
		switch f := call.Fun.(type) {
		case *ast.Ident:
			callee = f.Name
		case *ast.SelectorExpr:
			if x, ok := f.X.(*ast.Ident); ok && x.Name == "s" {
				callee = f.Sel.Name
			}
		}
		if callee == target || (callee != "" && reaches(funcs, callee, target, seen)) {
			found = true
		}
		return !found
	})
	return found
}
