package spec

import (
	"cmp"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/capgen/capgen/internal/model"
	"github.com/capgen/capgen/internal/scope"
)

// checker validates one provider file and resolves it into the model.
type checker struct {
	src    Source
	vocab  vocabulary
	f      providerFile
	scopes map[string]scopeSyntax
	imp    scope.Implications
	types  map[string]bool
	diags  Diagnostics
}

func (c *checker) errorf(p Pos, format string, args ...any) {
	c.diags = append(c.diags, Diagnostic{Pos: p, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) warnf(p Pos, format string, args ...any) {
	c.diags = append(c.diags, Diagnostic{Pos: p, Message: fmt.Sprintf(format, args...), Warning: true})
}

var providerName = regexp.MustCompile(`^[a-z][a-z0-9]*$`)

// parseProvider returns the resolved provider and the position of its name,
// or nil when the file has errors that leave nothing sensible to resolve.
func parseProvider(src Source, vocab vocabulary) (*model.Provider, Pos, Diagnostics) {
	c := &checker{src: src, vocab: vocab}
	c.diags = parseNode(src, &c.f)
	if c.diags.HasErrors() && !c.f.Provider.Set() {
		return nil, Pos{}, c.diags
	}
	p := c.resolve()
	return p, c.f.Provider.Pos, c.diags
}

func (c *checker) resolve() *model.Provider {
	f := &c.f
	if f.Provider.Set() && !providerName.MatchString(f.Provider.Value) {
		c.errorf(f.Provider.Pos, "provider name %q must be lower-case letters and digits "+
			"(it becomes the Go package name)", f.Provider.Value)
	}
	c.checkURL(f.BaseURL, "base_url")
	c.checkURL(f.Docs, "docs")

	p := &model.Provider{
		Name:    f.Provider.Value,
		Title:   cmp.Or(f.Title.Value, f.Provider.Value),
		Docs:    f.Docs.Value,
		BaseURL: strings.TrimSuffix(f.BaseURL.Value, "/"),
		Source:  c.src.Path,
	}
	p.Scopes = c.resolveScopes()
	p.Auth = c.resolveAuth()
	p.GrantedScopes = c.resolveGranted()
	p.Capabilities = c.resolveCapabilities()
	p.Errors = c.resolveErrors()
	p.Types = c.resolveTypes()
	p.Operations = c.resolveOperations(p)
	c.checkGoNames(p)
	return p
}

// checkURL reports a value that is not an absolute https URL. Placeholders
// such as {shop} may stand anywhere in it, to be filled in per connection, but
// the scheme and host must be there whatever they hold: the URL is checked
// with every placeholder replaced by a stand-in.
func (c *checker) checkURL(s String, key string) {
	if !s.Set() || !c.checkPlaceholderSyntax(s, key) {
		return
	}
	switch urlProblem(s.Value) {
	case "malformed":
		c.errorf(s.Pos, "%s: malformed URL %q", key, s.Value)
	case "not https":
		c.errorf(s.Pos, "%s: %q must be an absolute https URL", key, s.Value)
	}
}

// urlProblem returns "malformed" or "not https" for a URL that is not an
// absolute https URL once its placeholders are filled in, and "" otherwise.
// The stand-in is a digit, which fits a host label and a port alike.
func urlProblem(raw string) string {
	u, err := url.Parse(placeholder.ReplaceAllString(raw, "1"))
	switch {
	case err != nil:
		return "malformed"
	case u.Scheme != "https" || u.Host == "":
		return "not https"
	}
	return ""
}

// checkPlaceholderSyntax reports placeholders written as ${name}, as other
// tools write them, which would otherwise be sent as they are.
func (c *checker) checkPlaceholderSyntax(s String, key string) bool {
	if strings.Contains(s.Value, "${") {
		c.errorf(s.Pos, "%s: write placeholders as {name}, not ${name}", key)
		return false
	}
	return true
}

var placeholder = regexp.MustCompile(`\{[A-Za-z_][A-Za-z0-9_]*\}`)

func (c *checker) resolveScopes() []model.Scope {
	c.scopes = map[string]scopeSyntax{}
	c.imp = scope.Implications{}
	for _, e := range c.f.Scopes.Entries {
		c.scopes[e.Key.Value] = e.Value
	}
	var out []model.Scope
	for _, e := range c.f.Scopes.Entries {
		out = append(out, c.resolveScope(e.Key, e.Value))
	}
	if cycle := c.imp.Cycle(); cycle != nil {
		at := c.scopeKeyPos(cycle[0])
		c.errorf(at, "implication cycle: %s", strings.Join(cycle, " -> "))
	}
	slices.SortFunc(out, func(a, b model.Scope) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

func (c *checker) resolveScope(name String, s scopeSyntax) model.Scope {
	sc := model.Scope{Name: name.Value, Description: s.Description.Value, User: s.User.Value}
	for _, imp := range s.Implies {
		if imp.Value == name.Value {
			c.errorf(imp.Pos, "scope %s implies itself", name.Value)
			continue
		}
		c.checkScope(imp)
		sc.Implies = append(sc.Implies, imp.Value)
	}
	slices.Sort(sc.Implies)
	sc.Implies = slices.Compact(sc.Implies)
	c.imp[sc.Name] = sc.Implies
	if d := s.Deprecated; d != nil {
		sc.Deprecated = &model.Deprecation{Since: d.Since.Value, Note: d.Note.Value}
		for _, r := range d.ReplacedBy {
			c.checkScope(r)
			sc.Deprecated.ReplacedBy = append(sc.Deprecated.ReplacedBy, r.Value)
		}
	}
	return sc
}

func (c *checker) scopeKeyPos(name string) Pos {
	for _, e := range c.f.Scopes.Entries {
		if e.Key.Value == name {
			return e.Key.Pos
		}
	}
	return c.f.Scopes.Pos
}

// checkScope reports a scope that is not declared under scopes.
func (c *checker) checkScope(s String) bool {
	if _, ok := c.scopes[s.Value]; ok {
		return true
	}
	names := make([]string, 0, len(c.scopes))
	for n := range c.scopes {
		names = append(names, n)
	}
	slices.Sort(names)
	c.errorf(s.Pos, "scope %q is not declared%s (declare it under scopes)", s.Value,
		didYouMean(s.Value, names))
	return false
}

// resolveRequirement checks a list of alternatives and returns it with each
// alternative sorted.
func (c *checker) resolveRequirement(anyOf [][]String, at Pos, what string) model.Requirement {
	if anyOf != nil && len(anyOf) == 0 {
		c.errorf(at, "%s has no alternatives: list at least one, or [] for no scope", what)
	}
	var req model.Requirement
	for _, alt := range anyOf {
		var names []string
		for _, s := range alt {
			if slices.Contains(names, s.Value) {
				c.errorf(s.Pos, "scope %s is listed twice in one alternative", s.Value)
				continue
			}
			c.checkScope(s)
			names = append(names, s.Value)
		}
		slices.Sort(names)
		if names == nil {
			names = []string{}
		}
		req = append(req, names)
	}
	return req
}

func (c *checker) resolveCapabilities() []model.Capability {
	var out []model.Capability
	for _, e := range c.f.Capabilities.Entries {
		desc, ok := c.vocab.byName[e.Key.Value]
		if !ok {
			c.errorf(e.Key.Pos, "capability %q is not in the vocabulary%s (declare it in capabilities.yaml)",
				e.Key.Value, didYouMean(e.Key.Value, c.vocab.names))
		}
		req := c.resolveRequirement(e.Value.AnyOf, e.Value.At, "capability "+e.Key.Value)
		c.warnDeprecated(e.Key, e.Value.AnyOf)
		out = append(out, model.Capability{Name: e.Key.Value, Description: desc, Requirement: req})
	}
	slices.SortFunc(out, func(a, b model.Capability) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// warnDeprecated warns when every alternative of a requirement needs a
// deprecated scope, so the capability cannot be met once those are gone.
func (c *checker) warnDeprecated(name String, anyOf [][]String) {
	var deprecated []string
	var replacements []string
	for _, alt := range anyOf {
		found := false
		for _, s := range alt {
			if d := c.scopes[s.Value].Deprecated; d != nil {
				found = true
				deprecated = append(deprecated, s.Value)
				for _, r := range d.ReplacedBy {
					replacements = append(replacements, r.Value)
				}
			}
		}
		if !found {
			return
		}
	}
	if len(anyOf) == 0 {
		return
	}
	slices.Sort(deprecated)
	slices.Sort(replacements)
	msg := fmt.Sprintf("capability %s can only be met by deprecated scopes %s", name.Value,
		strings.Join(slices.Compact(deprecated), ", "))
	if len(replacements) > 0 {
		msg += " (replaced by " + strings.Join(slices.Compact(replacements), ", ") + ")"
	}
	c.warnf(name.Pos, "%s", msg)
}

func quote(s string) string { return strconv.Quote(s) }
