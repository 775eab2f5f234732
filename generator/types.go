package generator

import (
	"fmt"

	. "github.com/dave/jennifer/jen"

	"github.com/capgen/capgen/internal/gonames"
	"github.com/capgen/capgen/internal/model"
)

// typesFile renders types.go: the spec's types and the parameter structs of
// the operations.
func typesFile(p *model.Provider) *File {
	f := newFile(p)
	requests := p.RequestTypes()
	for _, t := range p.Types {
		typeDecl(f, t, requests[t.Name])
	}
	for _, op := range p.Operations {
		if len(op.Params) > 0 {
			paramsDecl(f, op)
		}
	}
	return f
}

// typeDecl renders one declared type. In a type that request bodies use, an
// optional boolean is a pointer, so that a request can send false: the
// zero value of a plain bool would be left out.
func typeDecl(f *File, t model.Type, inRequest bool) {
	desc := t.Description
	if desc == "" {
		desc = "A " + t.Name + " object of the API."
	}
	comment(f, describe(t.Name, desc))
	f.Type().Id(t.Name).StructFunc(func(g *Group) {
		for _, fl := range t.Fields {
			if fl.Description != "" {
				comment(g, fl.Description)
			}
			tag := fl.JSONName
			if !fl.Required {
				tag += ",omitzero"
			}
			typ := fieldType(fl.Type)
			if inRequest && !fl.Required && fl.Type.Kind == model.Builtin && fl.Type.Name == "boolean" {
				typ = Op("*").Bool()
			}
			g.Id(fl.GoName).Add(typ).Tag(map[string]string{"json": tag})
		}
	})
	f.Line()
}

// fieldType is the Go type of a struct field: declared types are pointers,
// so that optional objects can be absent and types can refer to themselves.
func fieldType(t model.TypeRef) Code {
	if t.Kind == model.Named {
		return Op("*").Id(t.Name)
	}
	return goType(t)
}

// goType is the Go type of a type expression used as a value.
func goType(t model.TypeRef) Code {
	switch t.Kind {
	case model.List:
		return Index().Add(goType(*t.Elem))
	case model.MapOf:
		return Map(String()).Add(goType(*t.Elem))
	case model.Named:
		return Id(t.Name)
	}
	switch t.Name {
	case "integer":
		return Int64()
	case "number":
		return Float64()
	case "boolean":
		return Bool()
	case "time":
		return Qual("time", "Time")
	case "any":
		return Qual("encoding/json", "RawMessage")
	}
	return String()
}

// paramsType is the Go type of an operation parameter: an optional boolean
// is a pointer, so that false can be sent.
func paramsType(p model.OperationParam) Code {
	if p.Type.Name == "boolean" && !p.Required {
		return Op("*").Bool()
	}
	return goType(p.Type)
}

func paramsDecl(f *File, op model.Operation) {
	name := op.Name + "Params"
	comment(f, name+" holds the parameters of "+op.Name+". Optional parameters left at their "+
		"zero value are not sent.")
	f.Type().Id(name).StructFunc(func(g *Group) {
		for _, p := range op.Params {
			comment(g, paramDoc(p))
			g.Id(gonames.Exported(p.Name)).Add(paramsType(p))
		}
	})
	f.Line()
}

func paramDoc(p model.OperationParam) string {
	kind := "optional query parameter"
	switch {
	case p.In == "path":
		kind = "path parameter"
	case p.Required:
		kind = "required query parameter"
	}
	doc := fmt.Sprintf("%s is the %s %s.", gonames.Exported(p.Name), kind, p.Name)
	if p.Description != "" {
		doc += " " + p.Description
	}
	return doc
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}
