package msgtext

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// sources are the packages whose errors reach the API's answers.
var sources = []string{"../queue", "../api", "../auth", "../engine", "../feedback", "../feedbackfile", "../web", "../geo", "../planning", "../photo", "../open311", "../workday", "../dossier", "../dossierfile", "../cluster"}

// Each new source package is added to sources by the change that creates it.

// templateArg is, for each function that makes an error from a template,
// the index of its template argument.
var templateArg = map[string]int{"errorf": 2, "NewError": 2, "newError": 2, "badRequest": 1, "calledAt": 1}

// phraseArg is, for each function whose argument becomes a parameter that
// is a phrase of words (not a name or number), the index of that argument.
var phraseArg = map[string]int{
	"tooMany": 3, "lockedOut": 4, "guardCall": 2, "over": 4,
	"checkName": 0, "CheckName": 0, "CheckComment": 0, "cleanText": 0, "checkID": 0, "checkText": 0,
}

// scanned is what the source says: the templates of errors and the phrases
// that fill their parameters, each with where it was found.
type scanned struct {
	templates map[string]string
	codes     map[string][]string // template → the literal codes it is sent with
	phrases   map[string]string
}

// scan reads the sources' non-test files.
func scan(t *testing.T) scanned {
	t.Helper()
	out := scanned{templates: map[string]string{}, codes: map[string][]string{}, phrases: map[string]string{}}
	fset := token.NewFileSet()
	for _, dir := range sources {
		names, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(names) == 0 {
			t.Fatalf("no Go files in %s: %v", dir, err)
		}
		consts := map[string]string{}
		var files []*ast.File
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			f, err := parser.ParseFile(fset, name, src, 0)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
			ast.Inspect(f, func(n ast.Node) bool {
				if vs, ok := n.(*ast.ValueSpec); ok {
					for i, id := range vs.Names {
						if i < len(vs.Values) {
							if s, ok := stringOf(vs.Values[i], nil); ok {
								consts[id.Name] = s
							}
						}
					}
				}
				return true
			})
		}
		for _, f := range files {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					name := funcName(n.Fun)
					if i, ok := templateArg[name]; ok && i < len(n.Args) {
						if s, ok := stringOf(n.Args[i], consts); ok {
							out.templates[s] = fset.Position(n.Pos()).String()
							if c, ok := stringOf(n.Args[i-1], nil); ok && name != "calledAt" {
								out.codes[s] = append(out.codes[s], c)
							}
						} else if !isIdent(n.Args[i], "template") && !isIdent(n.Args[i], "whyNot") {
							// Only the constructors themselves pass a template on.
							t.Errorf("%s: the template of %s is not a constant string: the catalogue cannot be checked", fset.Position(n.Pos()), name)
						}
					}
					if i, ok := phraseArg[name]; ok && i < len(n.Args) {
						if s, ok := stringOf(n.Args[i], consts); ok {
							out.phrases[s] = fset.Position(n.Pos()).String()
						}
					}
				case *ast.FuncDecl:
					if n.Name.Name == "textProblem" {
						ast.Inspect(n.Body, func(m ast.Node) bool {
							if r, ok := m.(*ast.ReturnStmt); ok && len(r.Results) == 1 {
								if s, ok := stringOf(r.Results[0], nil); ok && s != "" {
									out.phrases[s] = fset.Position(r.Pos()).String()
								}
							}
							return true
						})
					}
				}
				return true
			})
		}
	}
	return out
}

func funcName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return e.Sel.Name
	}
	return ""
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// stringOf is the value of a string literal, a concatenation of them, or a
// constant named in consts.
func stringOf(e ast.Expr, consts map[string]string) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, ok1 := stringOf(e.X, consts)
		b, ok2 := stringOf(e.Y, consts)
		return a + b, ok1 && ok2
	case *ast.Ident:
		s, ok := consts[e.Name]
		return s, ok
	case *ast.SelectorExpr:
		s, ok := consts[e.Sel.Name]
		return s, ok
	}
	return "", false
}
