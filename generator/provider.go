package generator

import (
	"bytes"
	"fmt"
	"strings"

	. "github.com/dave/jennifer/jen"

	"github.com/capgen/capgen/internal/model"
	"github.com/capgen/capgen/templates"
)

// packageDoc renders the package comment from templates/package.tmpl.
func packageDoc(p *model.Provider) (string, error) {
	t, err := templates.Parse("package.tmpl")
	if err != nil {
		return "", err
	}
	type capRow struct{ Name, Handle, Scopes string }
	data := struct {
		Name, Title, Source, Docs, Example string
		Capabilities                       []capRow
	}{Name: p.Name, Title: p.Title, Source: p.Source, Docs: p.Docs}
	for _, c := range p.Capabilities {
		data.Capabilities = append(data.Capabilities,
			capRow{c.Name, handleName(c.Name), requirementText(c.Requirement)})
	}
	if len(p.Capabilities) > 0 {
		data.Example = handleName(p.Capabilities[0].Name)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return "", err
	}
	return strings.TrimSpace(buf.String()), nil
}

// providerFile renders provider.go: the package doc, the provider's
// description, the Client, and the Grant that mints handles.
func providerFile(p *model.Provider, doc string) *File {
	f := newFile(p)
	packageComment(f, doc)

	comment(f, "Provider returns the read-only description of "+p.Title+": its authorization, "+
		"scopes and their implications, capabilities, operations and error rules.")
	f.Func().Id("Provider").Params().Op("*").Qual(capabilityPkg, "Provider").Block(
		Return(Id("provider")),
	)
	f.Line()
	f.Var().Id("provider").Op("=").Qual(capabilityPkg, "NewProvider").Call(providerSpec(p))
	f.Line()
	clientDecls(f, p)
	grantDecls(f, p)
	return f
}

func clientDecls(f *File, p *model.Provider) {
	comment(f, "Client calls the "+p.Title+" API for one connection.")
	f.Type().Id("Client").Struct(Id("c").Op("*").Qual(capabilityPkg, "Client"))
	f.Line()
	comment(f, "NewClient returns a client whose requests carry tokens from ts. Options set the HTTP "+
		"client, the base URL (for tests and sandboxes) and a logger.")
	f.Func().Id("NewClient").Params(
		Id("ts").Qual(oauth2Pkg, "TokenSource"),
		Id("opts").Op("...").Qual(capabilityPkg, "Option"),
	).Op("*").Id("Client").Block(
		Return(Op("&").Id("Client").Values(Dict{
			Id("c"): Qual(capabilityPkg, "NewClient").Call(Id("provider"), Id("ts"), Id("opts").Op("...")),
		})),
	)
	f.Line()
}

func grantDecls(f *File, p *model.Provider) {
	comment(f, "Grant is what one "+p.Title+" connection was granted: its scopes after "+
		"implications. Its methods mint the handles of the capabilities those scopes satisfy.")
	f.Type().Id("Grant").Struct(
		Id("client").Op("*").Id("Client"),
		Id("g").Op("*").Qual(capabilityPkg, "Grant"),
	)
	f.Line()
	comment(f, "Grant returns the grant of a connection whose granted scopes the caller has read.")
	f.Func().Params(Id("c").Op("*").Id("Client")).Id("Grant").Params(Id("scopes").Index().String()).
		Op("*").Id("Grant").Block(
		Return(Op("&").Id("Grant").Values(Dict{
			Id("client"): Id("c"),
			Id("g"):      Qual(capabilityPkg, "NewGrant").Call(Id("provider"), Id("scopes")),
		})),
	)
	f.Line()
	comment(f, "GrantFromToken reads the granted scopes from the token response, where the provider "+
		"reports them; a token that reports none was granted what was requested.")
	f.Func().Params(Id("c").Op("*").Id("Client")).Id("GrantFromToken").Custom(parens(true),
		Id("tok").Op("*").Qual(oauth2Pkg, "Token"), Id("requested").Index().String(),
	).Params(Op("*").Id("Grant"), Error()).Block(
		List(Id("g"), Err()).Op(":=").Qual(capabilityPkg, "GrantFromToken").Call(
			Id("provider"), Id("tok"), Id("requested")),
		If(Err().Op("!=").Nil()).Block(Return(Nil(), Err())),
		Return(Op("&").Id("Grant").Values(Dict{Id("client"): Id("c"), Id("g"): Id("g")}), Nil()),
	)
	f.Line()
	grantReadDecls(f)
	comment(f, "Scopes returns the granted scopes after implications, sorted.")
	f.Func().Params(Id("g").Op("*").Id("Grant")).Id("Scopes").Params().Index().String().Block(
		If(Id("g").Op("==").Nil().Op("||").Id("g").Dot("g").Op("==").Nil()).Block(Return(Nil())),
		Return(Id("g").Dot("g").Dot("Scopes").Call().Dot("List").Call()),
	)
	f.Line()
	comment(f, "Capability returns the underlying grant, for tools that work on any provider.")
	f.Func().Params(Id("g").Op("*").Id("Grant")).Id("Capability").Params().
		Op("*").Qual(capabilityPkg, "Grant").Block(
		If(Id("g").Op("==").Nil()).Block(Return(Nil())),
		Return(Id("g").Dot("g")),
	)
	for _, c := range p.Capabilities {
		f.Line()
		mintDecl(f, c)
	}
}

// mintDecl renders the Grant method that mints one capability's handle.
func mintDecl(f *File, c model.Capability) {
	name := handleName(c.Name)
	comment(f, fmt.Sprintf("%s returns the handle for capability %s. It fails with a "+
		"*capability.Error (status 403) naming the missing scopes unless the grant holds %s.",
		name, c.Name, requirementText(c.Requirement)))
	f.Func().Params(Id("g").Op("*").Id("Grant")).Id(name).Params().Params(Id(name), Error()).Block(
		Var().Id("client").Op("*").Qual(capabilityPkg, "Client"),
		Var().Id("grant").Op("*").Qual(capabilityPkg, "Grant"),
		If(Id("g").Op("!=").Nil()).Block(
			Id("grant").Op("=").Id("g").Dot("g"),
			If(Id("g").Dot("client").Op("!=").Nil()).Block(
				Id("client").Op("=").Id("g").Dot("client").Dot("c")),
		),
		List(Id("h"), Err()).Op(":=").Id("grant").Dot("Handle").Call(Id("client"), Lit(c.Name)),
		Return(Id(name).Values(Dict{Id("h"): Id("h")}), Err()),
	)
}

// grantReadDecls renders ReadGrant, which reads a grant from every source
// the spec lists, and Probe.
func grantReadDecls(f *File) {
	comment(f, "ReadGrant reads what the connection was granted from every source the spec lists, "+
		"in order: the token response, an introspection endpoint, a JWT claim, or a header of this "+
		"client's responses. When none answers, the grant is what opts.Requested asked for, and "+
		"its Source says so.")
	f.Func().Params(Id("c").Op("*").Id("Client")).Id("ReadGrant").Custom(parens(true),
		Id("ctx").Qual("context", "Context"), Id("tok").Op("*").Qual(oauth2Pkg, "Token"),
		Id("opts").Qual(capabilityPkg, "GrantOptions"),
	).Params(Op("*").Id("Grant"), Error()).Block(
		If(Id("opts").Dot("Client").Op("==").Nil()).Block(Id("opts").Dot("Client").Op("=").Id("c").Dot("c")),
		List(Id("g"), Err()).Op(":=").Qual(capabilityPkg, "ReadGrant").Call(
			Id("ctx"), Id("provider"), Id("tok"), Id("opts")),
		If(Err().Op("!=").Nil()).Block(Return(Nil(), Err())),
		Return(Op("&").Id("Grant").Values(Dict{Id("client"): Id("c"), Id("g"): Id("g")}), Nil()),
	)
	f.Line()
	comment(f, "Probe calls the probe operation of each capability the spec marks one for, and "+
		"reports per capability whether it works, lacks scopes, or is refused by the provider "+
		"despite them (an admin policy). It sends requests: call it after authorization, never "+
		"on the path of a product's requests.")
	f.Func().Params(Id("g").Op("*").Id("Grant")).Id("Probe").Params(Id("ctx").Qual("context", "Context")).
		Index().Qual(capabilityPkg, "ProbeResult").Block(
		Var().Id("client").Op("*").Qual(capabilityPkg, "Client"),
		If(Id("g").Op("!=").Nil().Op("&&").Id("g").Dot("client").Op("!=").Nil()).Block(
			Id("client").Op("=").Id("g").Dot("client").Dot("c"),
		),
		Return(Id("g").Dot("Capability").Call().Dot("Probe").Call(Id("ctx"), Id("client"))),
	)
	f.Line()
}
