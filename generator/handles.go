package generator

import (
	"fmt"
	"strings"

	. "github.com/dave/jennifer/jen"

	"github.com/capgen/capgen/internal/gonames"
	"github.com/capgen/capgen/internal/model"
)

// handleFile renders one capability's handle type and its operations.
func handleFile(p *model.Provider, c model.Capability) *File {
	f := newFile(p)
	name := handleName(c.Name)
	doc := fmt.Sprintf("%s is the handle for capability %s", name, c.Name)
	if c.Description != "" {
		doc += ": " + lowerFirst(c.Description)
	} else {
		doc += "."
	}
	doc += fmt.Sprintf("\n\nOnly Grant.%s mints one, when the grant holds %s. The zero value "+
		"fails every call with capability.ErrNoHandle.", name, requirementText(c.Requirement))
	comment(f, doc)
	f.Type().Id(name).Struct(Id("h").Qual(capabilityPkg, "Handle"))
	for _, op := range p.OperationsOf(c.Name) {
		f.Line()
		operationDecl(f, name, c, op)
	}
	return f
}

// operationDecl renders one operation as a method of its handle.
func operationDecl(f *File, handle string, c model.Capability, op model.Operation) {
	comment(f, operationDoc(c, op))
	f.Func().Params(Id("h").Id(handle)).Id(op.Name).
		Custom(parens(signatureWidth(handle, op) > maxSignature), operationParams(op)...).
		Params(operationResults(op)...).
		BlockFunc(func(g *Group) { operationBody(g, op) })
}

// maxSignature is the widest method signature kept on one line.
const maxSignature = 96

// signatureWidth estimates the width of an operation's one-line signature.
func signatureWidth(handle string, op model.Operation) int {
	n := len("func (h ) (ctx context.Context) (, error) {") + len(handle) + len(op.Name)
	if len(op.Params) > 0 {
		n += len(", p Params") + len(op.Name)
	}
	if op.Request != nil {
		n += len(", body *") + len(op.Request.String())
	}
	if op.Response != nil {
		n += len("*") + len(op.Response.String())
	}
	return n
}

// parens are the options of a parameter list, one parameter a line when
// multi is set.
func parens(multi bool) Options {
	return Options{Open: "(", Close: ")", Separator: ",", Multi: multi}
}

func operationDoc(c model.Capability, op model.Operation) string {
	summary := op.Summary
	if summary == "" {
		summary = "Call " + op.Method + " " + op.Path + "."
	}
	var b strings.Builder
	b.WriteString(summarize(op.Name, summary))
	fmt.Fprintf(&b, "\n\n\t%s %s\n\nIt needs capability %s, satisfied by %s.",
		op.Method, op.Path, c.Name, requirementText(c.Requirement))
	if !sameRequirement(c.Requirement, op.Requirement) {
		fmt.Fprintf(&b, " The provider accepts %s for this call.", requirementText(op.Requirement))
	}
	return b.String()
}

func sameRequirement(a, b model.Requirement) bool {
	return fmt.Sprint(a) == fmt.Sprint(b)
}

func operationParams(op model.Operation) []Code {
	params := []Code{Id("ctx").Qual("context", "Context")}
	if len(op.Params) > 0 {
		params = append(params, Id("p").Id(op.Name+"Params"))
	}
	if op.Request != nil {
		params = append(params, Id("body").Add(valueType(*op.Request)))
	}
	return params
}

func operationResults(op model.Operation) []Code {
	if op.Response == nil {
		return []Code{Error()}
	}
	return []Code{resultType(*op.Response), Error()}
}

// valueType is how a request body is passed: declared types by pointer.
func valueType(t model.TypeRef) Code {
	return fieldType(t)
}

// resultType is how a response is returned: declared types by pointer.
func resultType(t model.TypeRef) Code {
	return fieldType(t)
}

func operationBody(g *Group, op model.Operation) {
	req := Dict{}
	if pp := pathParams(op); pp != nil {
		req[Id("PathParams")] = pp
	}
	if hasQuery(op) {
		g.Id("q").Op(":=").Qual("net/url", "Values").Values()
		for _, p := range op.Params {
			if p.In == "query" {
				g.Add(querySet(p))
			}
		}
		req[Id("Query")] = Id("q")
	}
	if op.Request != nil {
		req[Id("Body")] = Id("body")
	}
	request := Qual(capabilityPkg, "Request").Values(req)
	if len(req) > 0 {
		g.Id("req").Op(":=").Add(request)
		request = Id("req")
	}
	call := Id("h").Dot("h").Dot("Call").Call(Id("ctx"), Lit(op.Name), request, outArg(op))
	if op.Response == nil {
		g.Return(call)
		return
	}
	g.Var().Id("out").Add(goType(*op.Response))
	g.If(Err().Op(":=").Add(call), Err().Op("!=").Nil()).Block(Return(Nil(), Err()))
	if op.Response.Kind == model.Named {
		g.Return(Op("&").Id("out"), Nil())
		return
	}
	g.Return(Id("out"), Nil())
}

func outArg(op model.Operation) Code {
	if op.Response == nil {
		return Nil()
	}
	return Op("&").Id("out")
}

func hasQuery(op model.Operation) bool {
	for _, p := range op.Params {
		if p.In == "query" {
			return true
		}
	}
	return false
}

// pathParams renders the name, value pairs of the path parameters.
func pathParams(op model.Operation) Code {
	var pairs [][2]Code
	for _, p := range op.Params {
		if p.In == "path" {
			pairs = append(pairs, [2]Code{Lit(p.Name), formatParam(p, Id("p").Dot(gonames.Exported(p.Name)))})
		}
	}
	if pairs == nil {
		return nil
	}
	// One name, value pair a line once there are several.
	return Index().String().ValuesFunc(func(g *Group) {
		for _, pair := range pairs {
			if len(pairs) > 1 {
				g.Line().Add(pair[0])
			} else {
				g.Add(pair[0])
			}
			g.Add(pair[1])
		}
		if len(pairs) > 1 {
			g.Line()
		}
	})
}

// formatParam renders the text of a scalar parameter value.
func formatParam(p model.OperationParam, v *Statement) Code {
	switch p.Type.Name {
	case "integer":
		return Qual("strconv", "FormatInt").Call(v, Lit(10))
	case "number":
		return Qual("strconv", "FormatFloat").Call(v, LitRune('g'), Lit(-1), Lit(64))
	case "boolean":
		if !p.Required {
			v = Op("*").Add(v)
		}
		return Qual("strconv", "FormatBool").Call(v)
	}
	return v
}

// querySet renders the statement that adds one query parameter; optional
// parameters are added only when set.
func querySet(p model.OperationParam) Code {
	field := Id("p").Dot(gonames.Exported(p.Name))
	if p.Type.Kind == model.List {
		return For(List(Id("_"), Id("v")).Op(":=").Range().Add(field)).Block(
			Id("q").Dot("Add").Call(Lit(p.Name), Id("v")),
		)
	}
	set := Id("q").Dot("Set").Call(Lit(p.Name), formatParam(p, Id("p").Dot(gonames.Exported(p.Name))))
	if p.Required {
		return set
	}
	return If(zeroTest(p, field)).Block(set)
}

func zeroTest(p model.OperationParam, field *Statement) Code {
	switch p.Type.Name {
	case "integer", "number":
		return field.Op("!=").Lit(0)
	case "boolean":
		return field.Op("!=").Nil()
	}
	return field.Op("!=").Lit("")
}
