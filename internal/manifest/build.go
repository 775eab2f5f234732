package manifest

import (
	"fmt"
	"maps"
	"slices"

	"github.com/capgen/capgen/internal/model"
	"github.com/capgen/capgen/internal/scope"
)

// Build computes the manifest of a consumer's features: for every provider
// a feature applies to, the exact minimal scope cover of the required
// capabilities, then of the optional ones on top of it, and why each scope
// is asked for.
func Build(cfg *model.Config, cat *model.Catalog) (*Manifest, error) {
	m := &Manifest{
		Version:   Version,
		Generated: GeneratedNote,
		Package:   cfg.Package,
		Features:  map[string]Feature{},
		Providers: map[string]Provider{},
	}
	for _, f := range cfg.Features {
		m.Features[f.Name] = Feature{Requires: f.Requires, Optional: f.Optional, Providers: f.Providers}
	}
	for _, p := range cat.Providers {
		features := cfg.FeaturesOf(p.Name)
		if len(features) == 0 {
			continue
		}
		mp, err := buildProvider(p, features)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name, err)
		}
		m.Providers[p.Name] = mp
	}
	return m, nil
}

// use is what the features ask of one provider: each capability with the
// features that list it and whether any requires it.
type use struct {
	features map[string][]string
	required map[string]bool
}

func usesOf(p *model.Provider, features []model.Feature) use {
	u := use{features: map[string][]string{}, required: map[string]bool{}}
	add := func(f string, caps []string, required bool) {
		for _, c := range caps {
			if _, ok := p.Capability(c); !ok {
				continue
			}
			u.features[c] = append(u.features[c], f)
			u.required[c] = u.required[c] || required
		}
	}
	for _, f := range features {
		add(f.Name, f.Requires, true)
		add(f.Name, f.Optional, false)
	}
	return u
}

func buildProvider(p *model.Provider, features []model.Feature) (Provider, error) {
	imp := implications(p)
	u := usesOf(p, features)
	var reqCaps, optCaps []string
	for _, c := range slices.Sorted(maps.Keys(u.features)) {
		if u.required[c] {
			reqCaps = append(reqCaps, c)
		} else {
			optCaps = append(optCaps, c)
		}
	}
	required, err := imp.MinimalCover(requirements(p, reqCaps), defaultScopes(p))
	if err != nil {
		return Provider{}, err
	}
	required = sortedSet(slices.Concat(required, defaultScopes(p)))
	optional, err := imp.MinimalCover(requirements(p, optCaps), required)
	if err != nil {
		return Provider{}, err
	}

	mp := Provider{
		Title:         p.Title,
		Source:        p.Source,
		Authorization: authorization(p.Auth),
		Required:      nonNil(required),
		Optional:      nonNil(optional),
		Scopes:        map[string]Scope{},
		Capabilities:  map[string]Capability{},
	}
	asked := slices.Concat(required, optional)
	for c, fs := range u.features {
		capSpec, _ := p.Capability(c)
		chosen := asked
		if u.required[c] {
			chosen = required
		}
		mp.Capabilities[c] = Capability{
			Required: u.required[c],
			Scopes:   nonNil(imp.Satisfier(chosen, scope.Requirement(capSpec.Requirement))),
			Features: sortedSet(fs),
		}
	}
	for _, s := range asked {
		e := scopeEntry(p, s, slices.Contains(required, s), mp.Capabilities)
		e.Default = slices.Contains(defaultScopes(p), s)
		mp.Scopes[s] = e
	}
	return mp, nil
}

// defaultScopes are the scopes the provider's spec asks for in every
// request, such as offline_access: they are required whatever the
// features need.
func defaultScopes(p *model.Provider) []string {
	if p.Auth == nil {
		return nil
	}
	return p.Auth.DefaultScopes
}

// scopeEntry says why scope s is asked: the capabilities it serves and
// their features.
func scopeEntry(p *model.Provider, s string, required bool, caps map[string]Capability) Scope {
	e := Scope{Required: required, Capabilities: []string{}, Features: []string{}}
	for _, c := range slices.Sorted(maps.Keys(caps)) {
		if slices.Contains(caps[c].Scopes, s) {
			e.Capabilities = append(e.Capabilities, c)
			e.Features = append(e.Features, caps[c].Features...)
		}
	}
	e.Features = sortedSet(e.Features)
	if spec, ok := p.Scope(s); ok && spec.Deprecated != nil {
		e.Deprecated = true
		e.ReplacedBy = spec.Deprecated.ReplacedBy
	}
	return e
}

func implications(p *model.Provider) scope.Implications {
	imp := scope.Implications{}
	for _, s := range p.Scopes {
		imp[s.Name] = s.Implies
	}
	return imp
}

func requirements(p *model.Provider, caps []string) []scope.Requirement {
	var out []scope.Requirement
	for _, c := range caps {
		spec, _ := p.Capability(c)
		out = append(out, scope.Requirement(spec.Requirement))
	}
	return out
}

func authorization(a *model.OAuth2) Authorization {
	if a == nil {
		return Authorization{}
	}
	out := Authorization{
		AuthorizeURL:   a.AuthorizeURL,
		TokenURL:       a.TokenURL,
		ScopeParam:     a.ScopeParam,
		ScopeSeparator: a.ScopeSeparator,
		PKCE:           a.PKCE,
	}
	if len(a.Params) > 0 {
		out.Params = map[string]string{}
		for _, p := range a.Params {
			out.Params[p.Name] = p.Value
		}
	}
	for _, x := range a.ExtraScopeParams {
		switch x.Role {
		case "optional":
			out.OptionalScopeParam = x.Param
		case "user":
			out.UserScopeParam = x.Param
		}
	}
	return out
}

func sortedSet(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return nonNil(slices.Compact(s))
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
