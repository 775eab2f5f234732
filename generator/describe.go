package generator

import (
	"strings"

	. "github.com/dave/jennifer/jen"

	"github.com/capgen/capgen/internal/gonames"

	"github.com/capgen/capgen/internal/model"
)

// providerSpec renders the capability.ProviderSpec literal that describes p
// to the runtime. Empty fields are left out so the table reads as the spec.
func providerSpec(p *model.Provider) Code {
	d := Dict{
		Id("Name"):    Lit(p.Name),
		Id("Title"):   Lit(p.Title),
		Id("BaseURL"): Lit(p.BaseURL),
	}
	if p.Auth != nil {
		d[Id("Auth")] = oauth2Spec(p.Auth)
	}
	if g := grantedSpec(p.GrantedScopes); g != nil {
		d[Id("GrantedScopes")] = g
	}
	d[Id("Scopes")] = list("ScopeSpec", p.Scopes, scopeSpec)
	d[Id("Capabilities")] = list("CapabilitySpec", p.Capabilities, capabilitySpec)
	d[Id("Operations")] = list("OperationSpec", p.Operations, operationSpec)
	if len(p.Errors) > 0 {
		d[Id("Errors")] = list("ErrorRule", p.Errors, errorRule)
	}
	return Qual(capabilityPkg, "ProviderSpec").Values(d)
}

// list renders a slice literal of capability.<elem> whose items each go on
// their own line.
func list[T any](elem string, items []T, item func(T) Code) Code {
	codes := make([]Code, 0, len(items))
	for _, it := range items {
		codes = append(codes, item(it))
	}
	return Index().Qual(capabilityPkg, elem).ValuesFunc(func(g *Group) {
		for _, c := range codes {
			g.Line().Add(c)
		}
		if len(codes) > 0 {
			g.Line()
		}
	})
}

// stringList renders a []string literal, or nil for an empty list; a list
// that would make a long line puts one string on each line.
func stringList(ss []string) Code {
	if ss == nil {
		return Nil()
	}
	return Index().String().Custom(braces(wide(ss, wideItems)), stringLits(ss)...)
}

// wideItems is how many characters of items make a literal spread over
// lines rather than stretch one past the line width.
const wideItems = 60

// wide reports whether the strings, quoted and separated, run past limit.
func wide(ss []string, limit int) bool {
	n := 0
	for _, s := range ss {
		n += len(s) + 4
	}
	return n > limit
}

// braces are the options of a composite literal's items, one a line when
// multi is set.
func braces(multi bool) Options {
	return Options{Open: "{", Close: "}", Separator: ",", Multi: multi}
}

// put adds key to d when the value is not its zero value.
func put[T comparable](d Dict, key string, v T) {
	var zero T
	if v != zero {
		d[Id(key)] = Lit(v)
	}
}

// putText adds a text field when it is not empty; a long text becomes a
// sum of string literals, one a line, split before spaces.
func putText(d Dict, key, text string) {
	if text == "" {
		return
	}
	parts := splitText(text, wideItems)
	code := Lit(parts[0])
	for _, p := range parts[1:] {
		code = code.Op("+").Line().Lit(p)
	}
	d[Id(key)] = code
}

// splitText cuts text before spaces into parts of about width bytes whose
// concatenation is text exactly.
func splitText(text string, width int) []string {
	var parts []string
	for len(text) > width {
		cut := strings.LastIndexByte(text[:width], ' ')
		if cut <= 0 {
			break
		}
		parts = append(parts, text[:cut])
		text = text[cut:]
	}
	return append(parts, text)
}

func oauth2Spec(a *model.OAuth2) Code {
	d := Dict{}
	put(d, "AuthorizeURL", a.AuthorizeURL)
	put(d, "TokenURL", a.TokenURL)
	put(d, "RevokeURL", a.RevokeURL)
	put(d, "IntrospectURL", a.IntrospectURL)
	put(d, "ScopeParam", a.ScopeParam)
	put(d, "ScopeSeparator", a.ScopeSeparator)
	if len(a.Params) > 0 {
		d[Id("Params")] = list("Param", a.Params, paramValue)
	}
	if len(a.ExtraScopeParams) > 0 {
		d[Id("ExtraScopeParams")] = list("ExtraScopeParam", a.ExtraScopeParams,
			func(x model.ExtraScopeParam) Code {
				return Values(Dict{Id("Param"): Lit(x.Param), Id("Role"): Lit(x.Role),
					Id("Separator"): Lit(x.Separator)})
			})
	}
	put(d, "Incremental", a.Incremental)
	if a.RefreshURL != a.TokenURL {
		put(d, "RefreshURL", a.RefreshURL)
	}
	put(d, "Nonce", a.Nonce)
	put(d, "TokenHeader", a.TokenHeader)
	put(d, "OmitEmpty", a.OmitEmpty)
	if len(a.DefaultScopes) > 0 {
		d[Id("DefaultScopes")] = stringList(a.DefaultScopes)
	}
	if len(a.PlaceholderDefaults) > 0 {
		d[Id("PlaceholderDefaults")] = list("Param", a.PlaceholderDefaults, paramValue)
	}
	if len(a.TokenParams) > 0 {
		d[Id("TokenParams")] = list("Param", a.TokenParams, paramValue)
	}
	d[Id("PKCE")] = constant("PKCE", a.PKCE)
	d[Id("ClientAuth")] = constant("ClientAuth", a.ClientAuth)
	return Qual(capabilityPkg, "OAuth2").Values(d)
}

func paramValue(p model.Param) Code {
	return Values(Dict{Id("Name"): Lit(p.Name), Id("Value"): Lit(p.Value)})
}

func grantedSpec(g model.GrantedScopes) Code {
	if !g.Compressed && len(g.Sources) == 0 {
		return nil
	}
	d := Dict{}
	put(d, "Compressed", g.Compressed)
	if len(g.Sources) > 0 {
		d[Id("Sources")] = list("ScopeSource", g.Sources, func(s model.ScopeSource) Code {
			sd := Dict{Id("From"): constant("From", s.From)}
			put(sd, "Field", s.Field)
			put(sd, "Header", s.Header)
			put(sd, "URL", s.URL)
			put(sd, "Claim", s.Claim)
			put(sd, "Array", s.Array)
			put(sd, "Separator", s.Separator)
			put(sd, "Method", s.Method)
			put(sd, "Param", s.Param)
			return Values(sd)
		})
	}
	return Qual(capabilityPkg, "GrantedScopes").Values(d)
}

func scopeSpec(s model.Scope) Code {
	d := Dict{Id("Name"): Lit(s.Name)}
	putText(d, "Description", s.Description)
	if len(s.Implies) > 0 {
		d[Id("Implies")] = stringList(s.Implies)
	}
	put(d, "User", s.User)
	if s.Deprecated != nil {
		d[Id("Deprecated")] = True()
		if len(s.Deprecated.ReplacedBy) > 0 {
			d[Id("ReplacedBy")] = stringList(s.Deprecated.ReplacedBy)
		}
	}
	return Values(d)
}

func requirement(r model.Requirement) Code {
	alts := make([]Code, len(r))
	var all []string
	for i, alt := range r {
		alts[i] = Custom(braces(wide(alt, wideItems)), stringLits(alt)...)
		// Each alternative's braces count like one more short string.
		all = append(append(all, alt...), "")
	}
	// The requirement's items follow a long prefix, so they spread sooner.
	return Qual(capabilityPkg, "Requirement").Values(Dict{
		Id("AnyOf"): Index().Index().String().Custom(braces(wide(all, wideItems/2)), alts...),
	})
}

func stringLits(ss []string) []Code {
	out := make([]Code, len(ss))
	for i, s := range ss {
		out[i] = Lit(s)
	}
	return out
}

func capabilitySpec(c model.Capability) Code {
	d := Dict{Id("Name"): Lit(c.Name), Id("Requirement"): requirement(c.Requirement)}
	putText(d, "Description", c.Description)
	return Values(d)
}

func operationSpec(op model.Operation) Code {
	d := Dict{
		Id("Name"):        Lit(op.Name),
		Id("Method"):      Lit(op.Method),
		Id("Path"):        Lit(op.Path),
		Id("Capability"):  Lit(op.Capability),
		Id("Requirement"): requirement(op.Requirement),
	}
	put(d, "Probe", op.Probe)
	return Values(d)
}

func errorRule(r model.ErrorRule) Code {
	d := Dict{Id("Kind"): constant("Kind", r.Kind)}
	if len(r.Status) > 0 {
		codes := make([]Code, len(r.Status))
		for i, s := range r.Status {
			codes[i] = Lit(s)
		}
		d[Id("Status")] = Index().Int().Values(codes...)
	}
	if len(r.Header) > 0 {
		d[Id("Header")] = list("Predicate", r.Header, predicate)
	}
	if len(r.Body) > 0 {
		d[Id("Body")] = list("Predicate", r.Body, predicate)
	}
	if m := r.Missing; m != nil {
		md := Dict{}
		put(md, "Body", m.Body)
		put(md, "Header", m.Header)
		put(md, "Pattern", m.Pattern)
		put(md, "Separator", m.Separator)
		put(md, "AnyOf", m.AnyOf)
		d[Id("Missing")] = Op("&").Qual(capabilityPkg, "MissingScopes").Values(md)
	}
	put(d, "RetryAfter", r.RetryAfter)
	return Values(d)
}

// constant names one of the runtime's enumeration constants, such as
// capability.KindMissingScope for kind missing_scope.
func constant(prefix, value string) Code {
	return Qual(capabilityPkg, prefix+gonames.Exported(value))
}

func predicate(p model.Predicate) Code {
	d := Dict{Id("Test"): constant("Test", p.Test)}
	put(d, "Header", p.Header)
	put(d, "Path", p.Path)
	if len(p.Values) > 0 {
		d[Id("Values")] = stringList(p.Values)
	}
	return Values(d)
}
