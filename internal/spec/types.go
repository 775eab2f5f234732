package spec

import (
	"cmp"
	"slices"
	"strings"

	"github.com/capgen/capgen/internal/gonames"
	"github.com/capgen/capgen/internal/model"
)

var builtins = []string{"string", "integer", "number", "boolean", "time", "any"}

// parseTypeExpr reads a type expression without checking that named types
// exist: "[]T", "map[string]T", a builtin or a name. It returns nil for a
// malformed expression.
func parseTypeExpr(s string) *model.TypeRef {
	switch {
	case strings.HasPrefix(s, "[]"):
		if elem := parseTypeExpr(s[2:]); elem != nil {
			return &model.TypeRef{Kind: model.List, Elem: elem}
		}
	case strings.HasPrefix(s, "map[string]"):
		if elem := parseTypeExpr(s[len("map[string]"):]); elem != nil {
			return &model.TypeRef{Kind: model.MapOf, Elem: elem}
		}
	case slices.Contains(builtins, s):
		return &model.TypeRef{Kind: model.Builtin, Name: s}
	case gonames.IsExported(s):
		return &model.TypeRef{Kind: model.Named, Name: s}
	}
	return nil
}

// typeRef parses and checks a type expression; it returns nil when the key
// is absent or the expression is wrong.
func (c *checker) typeRef(s String) *model.TypeRef {
	if !s.Set() {
		return nil
	}
	ref := parseTypeExpr(s.Value)
	if ref == nil {
		c.errorf(s.Pos, "%q is not a type: use %s, a declared type, []T or map[string]T",
			s.Value, strings.Join(builtins, ", "))
		return nil
	}
	leaf := ref
	for leaf.Elem != nil {
		leaf = leaf.Elem
	}
	if leaf.Kind == model.Named && !c.types[leaf.Name] {
		c.errorf(s.Pos, "unknown type %s%s (declare it under types)", leaf.Name,
			didYouMean(leaf.Name, c.typeNames()))
		return nil
	}
	return ref
}

func (c *checker) typeNames() []string {
	var names []string
	for _, e := range c.f.Types.Entries {
		names = append(names, e.Key.Value)
	}
	return names
}

func (c *checker) resolveTypes() []model.Type {
	c.types = map[string]bool{}
	for _, e := range c.f.Types.Entries {
		c.types[e.Key.Value] = true
	}
	var out []model.Type
	for _, e := range c.f.Types.Entries {
		if !gonames.IsExported(e.Key.Value) {
			c.errorf(e.Key.Pos, "type name %q must be an exported Go identifier such as Contact",
				e.Key.Value)
		}
		out = append(out, model.Type{
			Name:        e.Key.Value,
			Description: strings.TrimSpace(e.Value.Description.Value),
			Fields:      c.resolveFields(e.Key.Value, e.Value.Fields),
		})
	}
	slices.SortFunc(out, func(a, b model.Type) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

func (c *checker) resolveFields(typeName string, fields Map[fieldSyntax]) []model.Field {
	var out []model.Field
	goNames := map[string]String{}
	for _, e := range fields.Entries {
		goName := gonames.Exported(e.Key.Value)
		if e.Value.GoName.Set() {
			goName = e.Value.GoName.Value
			if !gonames.IsExported(goName) {
				c.errorf(e.Value.GoName.Pos, "go_name %q is not an exported Go identifier", goName)
			}
		}
		if first, dup := goNames[goName]; dup {
			c.errorf(e.Key.Pos, "type %s: fields %s and %s both become Go field %s (set go_name on one)",
				typeName, first.Value, e.Key.Value, goName)
		}
		goNames[goName] = e.Key
		ref := c.typeRef(e.Value.Type)
		if ref == nil {
			continue
		}
		out = append(out, model.Field{
			JSONName:    e.Key.Value,
			GoName:      goName,
			Type:        *ref,
			Description: strings.TrimSpace(e.Value.Description.Value),
			Required:    e.Value.Required.Value,
		})
	}
	return out
}

// checkGoNames reports spec names whose Go identifiers clash in the
// generated package: declared types, operation parameter structs, capability
// handles and the package's own names.
func (c *checker) checkGoNames(p *model.Provider) {
	owner := map[string]string{}
	for _, n := range reservedNames {
		owner[n] = "a name of the generated package"
	}
	claim := func(name, by string, at Pos) {
		if prev, ok := owner[name]; ok {
			c.errorf(at, "%s becomes Go name %s, which is already %s", by, name, prev)
			return
		}
		owner[name] = by
	}
	for _, e := range c.f.Capabilities.Entries {
		claim(gonames.Exported(e.Key.Value), "the handle of capability "+e.Key.Value, e.Key.Pos)
	}
	for _, e := range c.f.Types.Entries {
		claim(e.Key.Value, "type "+e.Key.Value, e.Key.Pos)
	}
	for _, e := range c.f.Operations.Entries {
		claim(e.Key.Value+"Params", "the parameters of operation "+e.Key.Value, e.Key.Pos)
	}
}

// ReservedGoNames returns the exported names every generated package
// declares, which no spec type, handle or parameter struct may take.
func ReservedGoNames() []string { return slices.Clone(reservedNames) }

// reservedNames are the exported names every generated package declares.
var reservedNames = []string{"Provider", "Client", "NewClient", "Grant", "NewGrant", "Option",
	"Feature", "AuthRequest", "ReadGrant", "Probe"}
