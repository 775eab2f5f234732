package model

import "slices"

// Restrict returns a copy of p that declares only the given capabilities,
// their operations and the types those operations reach. Scopes, error
// rules and authorization are kept whole: granted scopes still need every
// implication to be expanded.
func (p *Provider) Restrict(capabilities []string) *Provider {
	out := *p
	out.Capabilities = slices.DeleteFunc(slices.Clone(p.Capabilities), func(c Capability) bool {
		return !slices.Contains(capabilities, c.Name)
	})
	out.Operations = slices.DeleteFunc(slices.Clone(p.Operations), func(op Operation) bool {
		return !slices.Contains(capabilities, op.Capability)
	})
	reached := map[string]bool{}
	for _, op := range out.Operations {
		for _, ref := range []*TypeRef{op.Request, op.Response} {
			if ref != nil {
				p.reach(*ref, reached)
			}
		}
	}
	out.Types = slices.DeleteFunc(slices.Clone(p.Types), func(t Type) bool { return !reached[t.Name] })
	return &out
}

// RequestTypes returns the names of the declared types that request bodies
// use, directly or through their fields.
func (p *Provider) RequestTypes() map[string]bool {
	reached := map[string]bool{}
	for _, op := range p.Operations {
		if op.Request != nil {
			p.reach(*op.Request, reached)
		}
	}
	return reached
}

// reach marks the declared types a type expression uses, transitively.
func (p *Provider) reach(ref TypeRef, reached map[string]bool) {
	for ref.Elem != nil {
		ref = *ref.Elem
	}
	if ref.Kind != Named || reached[ref.Name] {
		return
	}
	reached[ref.Name] = true
	for _, t := range p.Types {
		if t.Name == ref.Name {
			for _, f := range t.Fields {
				p.reach(f.Type, reached)
			}
		}
	}
}
