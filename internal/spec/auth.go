package spec

import (
	"cmp"
	"regexp"
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
	for _, u := range []struct {
		s   String
		key string
	}{{o.AuthorizeURL, "authorize_url"}, {o.TokenURL, "token_url"},
		{o.RevokeURL, "revoke_url"}, {o.IntrospectURL, "introspect_url"}} {
		c.checkURL(u.s, u.key)
	}
	if o.ScopeSeparator.Set() && o.ScopeSeparator.Value == "" {
		c.errorf(o.ScopeSeparator.Pos, "scope_separator must not be empty")
	}
	sep := cmp.Or(o.ScopeSeparator.Value, " ")
	out := &model.OAuth2{
		AuthorizeURL:   o.AuthorizeURL.Value,
		TokenURL:       o.TokenURL.Value,
		RevokeURL:      o.RevokeURL.Value,
		IntrospectURL:  o.IntrospectURL.Value,
		ScopeParam:     cmp.Or(o.ScopeParam.Value, "scope"),
		ScopeSeparator: sep,
		PKCE:           c.oneOf(o.PKCE, "pkce", "unsupported", "required", "supported", "unsupported"),
		ClientAuth:     c.oneOf(o.ClientAuth, "client_auth", "body", "basic", "body"),
		Incremental:    o.Incremental.Value,
	}
	for _, e := range o.Params.Entries {
		out.Params = append(out.Params, model.Param{Name: e.Key.Value, Value: e.Value.Value})
	}
	for _, x := range o.ExtraScopeParams {
		out.ExtraScopeParams = append(out.ExtraScopeParams, model.ExtraScopeParam{
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
	format := c.oneOf(s.Format, "format", "delimited", "delimited", "array")
	return model.ScopeSource{
		From:      from,
		Field:     s.Field.Value,
		Header:    s.Header.Value,
		URL:       s.URL.Value,
		Claim:     s.Claim.Value,
		Array:     format == "array",
		Separator: cmp.Or(s.Separator.Value, " "),
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
		c.errorf(s.Pos, "invalid regular expression: %s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
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
