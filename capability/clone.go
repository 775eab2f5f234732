package capability

import "slices"

// Deep copies of the spec tables. NewProvider copies its spec and the
// accessors copy what they return, so no caller can change a provider that
// grants and handles already depend on.

func cloneSpec(s ProviderSpec) ProviderSpec {
	s.Auth = cloneAuth(s.Auth)
	s.GrantedScopes = cloneGranted(s.GrantedScopes)
	s.Scopes = cloneEach(s.Scopes, cloneScope)
	s.Capabilities = cloneEach(s.Capabilities, cloneCapability)
	s.Operations = cloneEach(s.Operations, cloneOperation)
	s.Errors = cloneEach(s.Errors, cloneRule)
	return s
}

func cloneEach[T any](items []T, clone func(T) T) []T {
	if items == nil {
		return nil
	}
	out := make([]T, len(items))
	for i, item := range items {
		out[i] = clone(item)
	}
	return out
}

func cloneAuth(a OAuth2) OAuth2 {
	a.Params = slices.Clone(a.Params)
	a.ExtraScopeParams = slices.Clone(a.ExtraScopeParams)
	a.PlaceholderDefaults = slices.Clone(a.PlaceholderDefaults)
	a.DefaultScopes = slices.Clone(a.DefaultScopes)
	a.TokenParams = slices.Clone(a.TokenParams)
	return a
}

func cloneGranted(g GrantedScopes) GrantedScopes {
	g.Sources = slices.Clone(g.Sources)
	return g
}

func cloneScope(s ScopeSpec) ScopeSpec {
	s.Implies = slices.Clone(s.Implies)
	s.ReplacedBy = slices.Clone(s.ReplacedBy)
	return s
}

func cloneCapability(c CapabilitySpec) CapabilitySpec {
	c.Requirement = cloneRequirement(c.Requirement)
	return c
}

func cloneOperation(o OperationSpec) OperationSpec {
	o.Requirement = cloneRequirement(o.Requirement)
	return o
}

func cloneRequirement(r Requirement) Requirement {
	return Requirement{AnyOf: cloneEach(r.AnyOf, slices.Clone[[]string])}
}

func cloneRule(r ErrorRule) ErrorRule {
	r.Status = slices.Clone(r.Status)
	r.Header = cloneEach(r.Header, clonePredicate)
	r.Body = cloneEach(r.Body, clonePredicate)
	if r.Missing != nil {
		missing := *r.Missing
		r.Missing = &missing
	}
	return r
}

func clonePredicate(p Predicate) Predicate {
	p.Values = slices.Clone(p.Values)
	return p
}
