package sandbox

import (
	"time"

	"github.com/capgen/capgen/internal/model"
)

// sampler builds deterministic values of the spec's types for success
// responses: strings "sample-<field>", numbers 1, booleans true (so Slack's
// "ok" is true), one fixed time, lists of one element and maps of one key.
type sampler struct {
	types map[string]model.Type
	at    string
}

func newSampler(p *model.Provider, at time.Time) *sampler {
	s := &sampler{types: map[string]model.Type{}, at: at.UTC().Format(time.RFC3339)}
	for _, t := range p.Types {
		s.types[t.Name] = t
	}
	return s
}

// sample returns a value of the type; open holds the named types being
// built, so that a recursive type ends in null instead of looping.
func (s *sampler) sample(ref model.TypeRef, field string, open map[string]bool) any {
	switch ref.Kind {
	case model.Named:
		return s.object(ref.Name, open)
	case model.List:
		return []any{s.sample(*ref.Elem, field, open)}
	case model.MapOf:
		return map[string]any{"sample": s.sample(*ref.Elem, field, open)}
	}
	return s.builtin(ref.Name, field)
}

func (s *sampler) builtin(name, field string) any {
	switch name {
	case "integer", "number":
		return 1
	case "boolean":
		return true
	case "time":
		return s.at
	}
	if field == "" {
		return "sample"
	}
	return "sample-" + field
}

func (s *sampler) object(name string, open map[string]bool) any {
	t, ok := s.types[name]
	if !ok || open[name] {
		return nil
	}
	open[name] = true
	defer delete(open, name)
	obj := make(map[string]any, len(t.Fields))
	for _, f := range t.Fields {
		obj[f.JSONName] = s.sample(f.Type, f.JSONName, open)
	}
	return obj
}
