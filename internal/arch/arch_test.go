package arch

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/parley-project/parley"

// root is the module's directory, from this package's.
const root = "../.."

// file is one parsed non-test Go file of the module.
type file struct {
	pkg  string // import path, relative to the module ("" for its root)
	path string
	ast  *ast.File
}

// sources parses every non-test Go file of the module (not the separate
// deploy module, testdata or hidden directories).
func sources(t *testing.T) []file {
	t.Helper()
	fset := token.NewFileSet()
	var files []file
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "deploy") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		files = append(files, file{pkg: filepath.ToSlash(rel), path: path, ast: f})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 100 {
		t.Fatalf("found %d files under %s; is the module there?", len(files), root)
	}
	return files
}

// imports returns the module's packages a file imports, relative to the
// module.
func imports(f *ast.File) []string {
	var out []string
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		if rest, ok := strings.CutPrefix(p, module+"/"); ok {
			out = append(out, rest)
		}
	}
	return out
}

// TestLayering: the store imports no domain package (only the value types
// of package param, which the stored parameters are), and the models
// import only model, scenario, result and numeric (the recognition model
// also its own data: its episodes and the UN membership list). The
// registry, which lists the models, is not a model.
func TestLayering(t *testing.T) {
	rules := []struct {
		pkg     func(string) bool
		allowed func(string) bool
		why     string
	}{
		{
			pkg:     func(p string) bool { return p == "store" || strings.HasPrefix(p, "store/") },
			allowed: func(im string) bool { return im == "param" || im == "store" || strings.HasPrefix(im, "store/") },
			why:     "the store imports no domain package",
		},
		{
			pkg: func(p string) bool {
				return strings.HasPrefix(p, "model/") && p != "model/registry" && !strings.HasPrefix(p, "model/recognition")
			},
			allowed: func(im string) bool { return slices.Contains([]string{"model", "scenario", "result", "numeric"}, im) },
			why:     "models import only model, scenario, result and numeric",
		},
		{
			pkg: func(p string) bool { return strings.HasPrefix(p, "model/recognition") },
			allowed: func(im string) bool {
				return slices.Contains([]string{"model", "scenario", "result", "numeric", "model/recognition/episodes", "internal/unmembers"}, im)
			},
			why: "the recognition model imports only model, scenario, result, numeric and its own data",
		},
	}
	checked := 0
	for _, f := range sources(t) {
		for _, r := range rules {
			if !r.pkg(f.pkg) {
				continue
			}
			checked++
			for _, im := range imports(f.ast) {
				if !r.allowed(im) {
					t.Errorf("%s imports %s: %s", f.path, im, r.why)
				}
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d files checked", checked)
	}
}

// writes are the store's methods that create or write a run.
var writes = []string{"Create", "Finish", "AddDraws", "SetStatus", "Lease", "TakeLease", "Release"}

// TestOneRunLayer: only package run creates and writes stored runs (issue
// 13): no other package calls a store method that creates a run, stores
// its result or draws, changes its status or takes its writer lease. (A
// store method takes a context first; a call of such a name whose first
// argument is a context — ctx, r.Context() or context.Background() —
// outside run and store is one.) Deleting a run, and marking a run failed
// when its job panicked (the server's job runner), stay where they are.
func TestOneRunLayer(t *testing.T) {
	for _, f := range sources(t) {
		if f.pkg == "run" || f.pkg == "store" || strings.HasPrefix(f.pkg, "store/") {
			continue
		}
		for _, name := range runWrites(f.ast) {
			t.Errorf("%s: %s writes a stored run outside package run", f.path, name)
		}
	}
}

// runWrites returns the names of the calls in f of a store method that
// writes a run (writes) with a context as the first argument.
func runWrites(f *ast.File) []string {
	var found []string
	ast.Inspect(f, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok && len(c.Args) > 0 {
			if sel, ok := c.Fun.(*ast.SelectorExpr); ok && slices.Contains(writes, sel.Sel.Name) && isContext(c.Args[0]) {
				found = append(found, sel.Sel.Name)
			}
		}
		return true
	})
	return found
}

// isContext reports whether e reads as a context: ctx, r.Context(),
// context.Background() or context.TODO().
func isContext(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name == "ctx"
	case *ast.CallExpr:
		sel, ok := x.Fun.(*ast.SelectorExpr)
		if !ok {
			return false
		}
		if id, ok := sel.X.(*ast.Ident); ok && id.Name == "context" {
			return sel.Sel.Name == "Background" || sel.Sel.Name == "TODO"
		}
		return sel.Sel.Name == "Context"
	}
	return false
}

// TestOneRunLayerFinds: the check of TestOneRunLayer finds a write
// written as the command line or the server would write it.
func TestOneRunLayerFinds(t *testing.T) {
	src := `package p
func f(ctx context.Context, s store.Store, r *http.Request) {
	s.Create(ctx, run)
	s.Finish(r.Context(), 1, doc)
	s.AddDraws(context.Background(), 1, nil)
	bar.Finish()
	s.Delete(ctx, 1)
}`
	f, err := parser.ParseFile(token.NewFileSet(), "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	found := runWrites(f)
	if want := []string{"Create", "Finish", "AddDraws"}; !slices.Equal(found, want) {
		t.Errorf("found %v, want %v", found, want)
	}
}
