package capability

import "slices"

// Provider is the read-only, indexed description of one provider, built once
// by generated code. Accessors return copies, so callers cannot change what
// handles and grants rely on. A nil *Provider behaves as a provider with
// nothing in it.
type Provider struct {
	spec    ProviderSpec
	scopes  map[string]int // name -> index in spec.Scopes
	caps    map[string]int // name -> index in spec.Capabilities
	ops     map[string]int // name -> index in spec.Operations
	closure map[string][]string
	rules   []rule

	scopeHeaders []scopeHeader // the header sources of GrantedScopes
}

// NewProvider indexes spec. Generated code calls it once per package. The
// spec was validated when the package was generated; NewProvider does not
// panic on a malformed spec, it only indexes what is there: the first of two
// entries with the same name wins, and an error rule whose regular
// expression does not compile never matches.
func NewProvider(spec ProviderSpec) *Provider {
	p := &Provider{spec: cloneSpec(spec)}
	p.scopes = indexBy(p.spec.Scopes, func(s ScopeSpec) string { return s.Name })
	p.caps = indexBy(p.spec.Capabilities, func(c CapabilitySpec) string { return c.Name })
	p.ops = indexBy(p.spec.Operations, func(o OperationSpec) string { return o.Name })
	p.closure = implicationClosure(p.spec.Scopes)
	p.rules = compileRules(p.spec.Errors)
	p.scopeHeaders = compileScopeHeaders(p.spec.GrantedScopes.Sources)
	return p
}

func indexBy[T any](items []T, name func(T) string) map[string]int {
	index := make(map[string]int, len(items))
	for i, item := range items {
		if _, dup := index[name(item)]; !dup {
			index[name(item)] = i
		}
	}
	return index
}

// implicationClosure maps every declared scope to the sorted set of scopes
// it grants: itself and everything it implies, transitively. A cycle, which
// validation forbids, only makes its members imply each other.
func implicationClosure(scopes []ScopeSpec) map[string][]string {
	implies := make(map[string][]string, len(scopes))
	for _, s := range scopes {
		if _, dup := implies[s.Name]; !dup {
			implies[s.Name] = s.Implies
		}
	}
	closure := make(map[string][]string, len(implies))
	for name := range implies {
		closure[name] = reachable(name, implies)
	}
	return closure
}

// reachable walks the implication graph from start without recursion, so a
// long chain cannot exhaust the stack and a cycle ends when it revisits.
func reachable(start string, implies map[string][]string) []string {
	seen := map[string]bool{start: true}
	queue := []string{start}
	for len(queue) > 0 {
		next := queue[0]
		queue = queue[1:]
		for _, implied := range implies[next] {
			if implied != "" && !seen[implied] {
				seen[implied] = true
				queue = append(queue, implied)
			}
		}
	}
	out := make([]string, 0, len(seen))
	for name := range seen {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// Expand returns scopes with everything they imply, sorted, without
// duplicates. Scopes the provider does not declare are kept as they are.
func (p *Provider) Expand(scopes []string) []string {
	var out []string
	for _, s := range scopes {
		if s == "" {
			continue
		}
		if implied, ok := p.closureOf(s); ok {
			out = append(out, implied...)
		} else {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func (p *Provider) closureOf(scope string) ([]string, bool) {
	if p == nil {
		return nil, false
	}
	implied, ok := p.closure[scope]
	return implied, ok
}

// Name returns the provider's name, which is also its Go package name.
func (p *Provider) Name() string {
	if p == nil {
		return ""
	}
	return p.spec.Name
}

// Title returns the provider's display name.
func (p *Provider) Title() string {
	if p == nil {
		return ""
	}
	return p.spec.Title
}

// BaseURL returns the URL that operation paths are appended to.
func (p *Provider) BaseURL() string {
	if p == nil {
		return ""
	}
	return p.spec.BaseURL
}

// Auth returns how the provider is asked for authorization.
func (p *Provider) Auth() OAuth2 {
	if p == nil {
		return OAuth2{}
	}
	return cloneAuth(p.spec.Auth)
}

// GrantedScopes returns where the scopes a connection got can be read.
func (p *Provider) GrantedScopes() GrantedScopes {
	if p == nil {
		return GrantedScopes{}
	}
	return cloneGranted(p.spec.GrantedScopes)
}

// Scopes returns every scope the provider declares, in declaration order.
func (p *Provider) Scopes() []ScopeSpec {
	if p == nil {
		return nil
	}
	return cloneEach(p.spec.Scopes, cloneScope)
}

// Scope returns the declared scope called name.
func (p *Provider) Scope(name string) (ScopeSpec, bool) {
	if p == nil {
		return ScopeSpec{}, false
	}
	return lookup(p.spec.Scopes, p.scopes, name, cloneScope)
}

// Capabilities returns the capabilities the provider offers, in declaration
// order.
func (p *Provider) Capabilities() []CapabilitySpec {
	if p == nil {
		return nil
	}
	return cloneEach(p.spec.Capabilities, cloneCapability)
}

// Capability returns the capability called name.
func (p *Provider) Capability(name string) (CapabilitySpec, bool) {
	if p == nil {
		return CapabilitySpec{}, false
	}
	return lookup(p.spec.Capabilities, p.caps, name, cloneCapability)
}

// Operations returns the provider's operations, in declaration order.
func (p *Provider) Operations() []OperationSpec {
	if p == nil {
		return nil
	}
	return cloneEach(p.spec.Operations, cloneOperation)
}

// Operation returns the operation called name.
func (p *Provider) Operation(name string) (OperationSpec, bool) {
	if p == nil {
		return OperationSpec{}, false
	}
	return lookup(p.spec.Operations, p.ops, name, cloneOperation)
}

// ErrorRules returns the rules that classify responses, in the order they
// are tried.
func (p *Provider) ErrorRules() []ErrorRule {
	if p == nil {
		return nil
	}
	return cloneEach(p.spec.Errors, cloneRule)
}

func lookup[T any](items []T, index map[string]int, name string, clone func(T) T) (T, bool) {
	i, ok := index[name]
	if !ok {
		var zero T
		return zero, false
	}
	return clone(items[i]), true
}

// capability returns the indexed capability without copying it, for the
// checks made on every call.
func (p *Provider) capability(name string) (*CapabilitySpec, bool) {
	if p == nil {
		return nil, false
	}
	i, ok := p.caps[name]
	if !ok {
		return nil, false
	}
	return &p.spec.Capabilities[i], true
}

// operation returns the indexed operation without copying it.
func (p *Provider) operation(name string) (*OperationSpec, bool) {
	if p == nil {
		return nil, false
	}
	i, ok := p.ops[name]
	if !ok {
		return nil, false
	}
	return &p.spec.Operations[i], true
}
