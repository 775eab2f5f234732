package spec

import (
	"cmp"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/capgen/capgen/internal/model"
)

// oneOf reports a value that is not one of the allowed words and returns the
// value, or def when the key was absent.
func (c *checker) oneOf(s String, key, def string, allowed ...string) string {
	if !s.Set() {
		return def
	}
	for _, a := range allowed {
		if s.Value == a {
			return a
		}
	}
	c.errorf(s.Pos, "%s: %q is not one of %s%s", key, s.Value, strings.Join(allowed, ", "),
		didYouMean(s.Value, allowed))
	return def
}

func (c *checker) resolveAuth() *model.OAuth2 {
	if c.f.Auth == nil || c.f.Auth.OAuth2 == nil {
		return nil
	}
	o := c.f.Auth.OAuth2
	defaults := c.placeholderDefaults(o)
	c.checkAuthURLs(o, defaults)
	if o.ScopeSeparator.Set() && o.ScopeSeparator.Value == "" {
		c.errorf(o.ScopeSeparator.Pos, "scope_separator must not be empty")
	}
	if o.CodeParam.Set() && o.CodeParam.Value == "" {
		c.errorf(o.CodeParam.Pos, "code_param must not be empty (leave it out for code)")
	}
	sep := cmp.Or(o.ScopeSeparator.Value, " ")
	pkce := c.oneOf(o.PKCE, "pkce", "unsupported", oauth2Words("PKCE")...)
	clientAuth := c.oneOf(o.ClientAuth, "client_auth", "body", oauth2Words("ClientAuth")...)
	format := c.oneOf(o.TokenFormat, "token_request_format", "form", oauth2Words("TokenFormat")...)
	return &model.OAuth2{
		AuthorizeURL:        o.AuthorizeURL.Value,
		TokenURL:            o.TokenURL.Value,
		RefreshURL:          cmp.Or(o.RefreshURL.Value, o.TokenURL.Value),
		RevokeURL:           o.RevokeURL.Value,
		IntrospectURL:       o.IntrospectURL.Value,
		PlaceholderDefaults: defaults,
		ScopeParam:          cmp.Or(o.ScopeParam.Value, "scope"),
		ScopeSeparator:      sep,
		DefaultScopes:       c.defaultScopes(o.DefaultScopes),
		Params:              c.authorizeParams(o),
		ParamNames:          c.paramNames(o.ParamNames),
		OmitEmpty:           o.OmitEmpty.Value,
		Nonce:               o.Nonce.Value,
		ExtraScopeParams:    c.extraScopeParams(o.ExtraScopeParams, sep),
		CodeParam:           cmp.Or(o.CodeParam.Value, "code"),
		PKCE:                pkce,
		ClientAuth:          clientAuth,
		TokenRequestFormat:  format,
		TokenParams:         c.fixedParams(o.TokenParams, "token_params", tokenReserved),
		RefreshParams:       c.fixedParams(o.RefreshParams, "refresh_params", tokenReserved),
		Incremental:         o.Incremental.Value,
		TokenHeader:         o.TokenHeader.Value,
	}
}

// oauth2Words returns the words a field of oauth2Syntax allows, from its
// enum tag, which the JSON Schema shows too.
func oauth2Words(field string) []string {
	f, ok := reflect.TypeFor[oauth2Syntax]().FieldByName(field)
	if !ok {
		panic("spec: oauth2Syntax has no field " + field)
	}
	return strings.Fields(f.Tag.Get("enum"))
}

// The parameters the runtime sets itself, which a spec may not fix: fixing
// them would break the flow rather than adapt it to a provider.
var (
	authorizeReserved = []string{"client_id", "redirect_uri", "state", "code_challenge",
		"code_challenge_method"}
	tokenReserved = []string{"grant_type", "code", "redirect_uri", "client_id", "client_secret",
		"code_verifier", "refresh_token"}
	// renamable are the standard authorization parameters that some
	// providers expect under another name.
	renamable = []string{"client_id", "redirect_uri", "response_type", "state"}
)

func (c *checker) checkAuthURLs(o *oauth2Syntax, defaults []model.Param) {
	for _, u := range []struct {
		s   String
		key string
	}{{o.AuthorizeURL, "authorize_url"}, {o.TokenURL, "token_url"}, {o.RefreshURL, "refresh_url"},
		{o.RevokeURL, "revoke_url"}, {o.IntrospectURL, "introspect_url"}} {
		c.checkURL(u.s, u.key)
		c.checkDefaultedURL(u.s, u.key, defaults)
	}
}

// checkDefaultedURL reports a URL that placeholder_defaults turn into
// something other than an absolute https URL.
func (c *checker) checkDefaultedURL(s String, key string, defaults []model.Param) {
	filled := s.Value
	for _, d := range defaults {
		filled = strings.ReplaceAll(filled, "{"+d.Name+"}", d.Value)
	}
	if filled != s.Value && urlProblem(s.Value) == "" && urlProblem(filled) != "" {
		c.errorf(s.Pos, "%s: %q must be an absolute https URL once placeholder_defaults fill it in "+
			"(got %q)", key, s.Value, filled)
	}
}

// placeholderDefaults resolves placeholder_defaults: each must name a
// placeholder that the auth section uses.
func (c *checker) placeholderDefaults(o *oauth2Syntax) []model.Param {
	used := map[string]bool{}
	texts := []String{o.AuthorizeURL, o.TokenURL, o.RefreshURL, o.RevokeURL, o.IntrospectURL}
	for _, m := range []Map[String]{o.Params, o.TokenParams, o.RefreshParams} {
		for _, e := range m.Entries {
			texts = append(texts, e.Value)
		}
	}
	for _, t := range texts {
		for _, m := range placeholder.FindAllString(t.Value, -1) {
			used[strings.Trim(m, "{}")] = true
		}
	}
	var out []model.Param
	for _, e := range o.Defaults.Entries {
		switch {
		case !used[e.Key.Value]:
			c.errorf(e.Key.Pos, "placeholder_defaults: no URL or parameter of auth holds {%s}",
				e.Key.Value)
		case e.Value.Value == "" || strings.ContainsAny(e.Value.Value, "{}/?#@ "):
			c.errorf(e.Value.Pos, "placeholder_defaults: the default of {%s} must be a host name or "+
				"a path segment (not empty; no braces, /, ?, #, @ or spaces)", e.Key.Value)
		}
		out = append(out, model.Param{Name: e.Key.Value, Value: e.Value.Value})
	}
	return out
}

func (c *checker) defaultScopes(scopes []String) []string {
	var out []string
	for _, s := range scopes {
		if slices.Contains(out, s.Value) {
			c.errorf(s.Pos, "default_scopes: %s is listed twice", s.Value)
			continue
		}
		c.checkScope(s)
		out = append(out, s.Value)
	}
	return out
}

// authorizeParams resolves params, refusing names that the scope parameters,
// the nonce or the runtime already fill.
func (c *checker) authorizeParams(o *oauth2Syntax) []model.Param {
	scopeParams := []string{cmp.Or(o.ScopeParam.Value, "scope")}
	for _, x := range o.ExtraScopeParams {
		scopeParams = append(scopeParams, x.Param.Value)
	}
	for _, e := range o.Params.Entries {
		switch name := e.Key.Value; {
		case slices.Contains(scopeParams, name):
			c.errorf(e.Key.Pos, "params: %s carries scopes; list fixed scopes under default_scopes",
				name)
		case name == "nonce" && o.Nonce.Value:
			c.errorf(e.Key.Pos, "params: nonce: true already sends nonce; remove it from params")
		}
	}
	return c.fixedParams(o.Params, "params", authorizeReserved)
}

// fixedParams resolves a map of fixed parameters, in the order written.
func (c *checker) fixedParams(m Map[String], key string, reserved []string) []model.Param {
	var out []model.Param
	for _, e := range m.Entries {
		if slices.Contains(reserved, e.Key.Value) {
			c.errorf(e.Key.Pos, "%s: %s is set by the runtime; remove it", key, e.Key.Value)
		}
		c.checkPlaceholderSyntax(e.Value, key)
		out = append(out, model.Param{Name: e.Key.Value, Value: e.Value.Value})
	}
	return out
}

func (c *checker) paramNames(m Map[String]) []model.Param {
	var out []model.Param
	for _, e := range m.Entries {
		name := c.oneOf(e.Key, "param_names", "", renamable...)
		if e.Value.Value == "" && name != "" && name != "response_type" {
			c.errorf(e.Value.Pos, "param_names: only response_type may be left out; "+
				"give the name the provider expects for %s", name)
		}
		out = append(out, model.Param{Name: e.Key.Value, Value: e.Value.Value})
	}
	return out
}

func (c *checker) extraScopeParams(xs []extraScopeSyntax, sep string) []model.ExtraScopeParam {
	var out []model.ExtraScopeParam
	for _, x := range xs {
		out = append(out, model.ExtraScopeParam{
			Param:     x.Param.Value,
			Role:      c.oneOf(x.Role, "role", "", "optional", "user"),
			Separator: cmp.Or(x.Separator.Value, sep),
		})
	}
	return out
}

func (c *checker) resolveGranted() model.GrantedScopes {
	g := c.f.GrantedScopes
	if g == nil {
		return model.GrantedScopes{}
	}
	out := model.GrantedScopes{Compressed: g.Compressed.Value}
	for _, s := range g.Sources {
		out.Sources = append(out.Sources, c.resolveSource(s))
	}
	return out
}

// sourceKeys says which key each kind of granted-scope source needs.
var sourceKeys = map[string]string{
	"token": "field", "header": "header", "introspection": "url", "jwt": "claim",
}

func (c *checker) resolveSource(s scopeSourceSyntax) model.ScopeSource {
	from := c.oneOf(s.From, "from", "", "token", "header", "introspection", "jwt")
	given := map[string]String{"field": s.Field, "header": s.Header, "url": s.URL, "claim": s.Claim}
	if need := sourceKeys[from]; need != "" && !given[need].Set() {
		c.errorf(s.At, "a %s source needs %s", from, need)
	}
	for key, v := range given {
		if v.Set() && key != sourceKeys[from] && !(from == "introspection" && key == "field") {
			c.errorf(v.Pos, "%s does not apply to a %s source", key, from)
		}
	}
	c.checkURL(s.URL, "url")
	for _, v := range []String{s.Method, s.Param} {
		if v.Set() && from != "introspection" {
			c.errorf(v.Pos, "method and param apply only to an introspection source")
		}
	}
	format := c.oneOf(s.Format, "format", "delimited", "delimited", "array")
	method := c.oneOf(s.Method, "method", "", "post", "get")
	return model.ScopeSource{
		From:      from,
		Field:     s.Field.Value,
		Header:    s.Header.Value,
		URL:       s.URL.Value,
		Claim:     s.Claim.Value,
		Array:     format == "array",
		Separator: cmp.Or(s.Separator.Value, " "),
		Method:    strings.ToUpper(method),
		Param:     s.Param.Value,
	}
}

var errorKinds = []string{"expired", "invalid_credentials", "missing_scope", "forbidden", "rate_limited"}

func (c *checker) resolveErrors() []model.ErrorRule {
	var out []model.ErrorRule
	for _, r := range c.f.Errors {
		rule := model.ErrorRule{
			Kind:       c.oneOf(r.Kind, "kind", "", errorKinds...),
			RetryAfter: r.RetryAfter.Value,
			Header:     c.resolvePredicates(r.Header, "name"),
			Body:       c.resolvePredicates(r.Body, "path"),
			Missing:    c.resolveMissing(r.Missing),
		}
		for _, s := range r.Status {
			if s.Value < 100 || s.Value > 599 {
				c.errorf(s.Pos, "status %d is not an HTTP status", s.Value)
			}
			rule.Status = append(rule.Status, s.Value)
		}
		if rule.Missing != nil && rule.Kind != "missing_scope" {
			c.errorf(r.Missing.At, "missing applies only to a missing_scope rule")
		}
		out = append(out, rule)
	}
	return out
}

func (c *checker) resolvePredicates(ps []predicateSyntax, subject string) []model.Predicate {
	var out []model.Predicate
	for _, p := range ps {
		out = append(out, c.resolvePredicate(p, subject))
	}
	return out
}

func (c *checker) resolvePredicate(p predicateSyntax, subject string) model.Predicate {
	out := model.Predicate{Header: p.Name.Value, Path: p.Path.Value}
	if subject == "name" && (!p.Name.Set() || p.Path.Set()) {
		c.errorf(p.At, "a header predicate needs name (and no path)")
	}
	if subject == "path" && (!p.Path.Set() || p.Name.Set()) {
		c.errorf(p.At, "a body predicate needs path (and no name)")
	}
	tests := 0
	if p.Equals.Set() {
		tests++
		out.Test, out.Values = "equals", []string{p.Equals.Value}
	}
	if p.In != nil {
		tests++
		out.Test = "in"
		for _, v := range p.In {
			out.Values = append(out.Values, v.Value)
		}
	}
	if p.Contains.Set() {
		tests++
		out.Test, out.Values = "contains", []string{p.Contains.Value}
	}
	if p.Matches.Set() {
		tests++
		out.Test, out.Values = "matches", []string{p.Matches.Value}
		c.checkRegexp(p.Matches, 0)
	}
	if p.Present.Pos.Line > 0 {
		tests++
		out.Test = "absent"
		if p.Present.Value {
			out.Test = "present"
		}
	}
	if tests != 1 {
		c.errorf(p.At, "a predicate needs exactly one of equals, in, contains, matches, present")
	}
	return out
}

func (c *checker) checkRegexp(s String, groups int) {
	re, err := regexp.Compile(s.Value)
	if err != nil {
		c.errorf(s.Pos, "invalid regular expression: %s",
			strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		return
	}
	if re.NumSubexp() < groups {
		c.errorf(s.Pos, "the regular expression needs a group around the scope names")
	}
}

func (c *checker) resolveMissing(m *missingSyntax) *model.MissingScopes {
	if m == nil {
		return nil
	}
	if m.Body.Set() == m.Header.Set() {
		c.errorf(m.At, "missing needs exactly one of body and header")
	}
	if m.Pattern.Set() {
		c.checkRegexp(m.Pattern, 1)
	}
	sep := m.Separator.Value
	if !m.Separator.Set() && m.Header.Set() {
		sep = ","
	}
	return &model.MissingScopes{
		Body:      m.Body.Value,
		Header:    m.Header.Value,
		Pattern:   m.Pattern.Value,
		Separator: sep,
		AnyOf:     m.AnyOf.Value,
	}
}
