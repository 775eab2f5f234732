package capability

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// ScopeSet is an immutable set of scope names. Its zero value is the empty
// set.
type ScopeSet struct {
	sorted []string // sorted, without duplicates or empty names
}

// NewScopeSet returns the set of the given scopes; empty names are dropped.
func NewScopeSet(scopes ...string) ScopeSet {
	list := make([]string, 0, len(scopes))
	for _, s := range scopes {
		if s != "" {
			list = append(list, s)
		}
	}
	slices.Sort(list)
	return ScopeSet{sorted: slices.Compact(list)}
}

// Has reports whether scope is in the set. It does not allocate, so it is
// cheap enough for every call.
func (s ScopeSet) Has(scope string) bool {
	_, found := slices.BinarySearch(s.sorted, scope)
	return found
}

// List returns the scopes, sorted.
func (s ScopeSet) List() []string { return slices.Clone(s.sorted) }

// Len returns the number of scopes in the set.
func (s ScopeSet) Len() int { return len(s.sorted) }

// Requirement is a set of scope alternatives: it is satisfied by a scope set
// that holds every scope of at least one alternative. An empty alternative
// needs no scope; a requirement with no alternatives is never satisfied.
type Requirement struct {
	AnyOf [][]string
}

// SatisfiedBy reports whether the scope set, already expanded, meets r. It
// does not allocate.
func (r Requirement) SatisfiedBy(s ScopeSet) bool {
	for _, alt := range r.AnyOf {
		if countMissing(alt, s) == 0 {
			return true
		}
	}
	return false
}

// Missing returns the scopes the set lacks for the alternative closest to
// being met (fewest missing scopes, then the first declared), sorted. It
// returns nil when r is satisfied, and also when r has no alternatives,
// since then no scope would help.
func (r Requirement) Missing(s ScopeSet) []string {
	best, fewest := -1, 0
	for i, alt := range r.AnyOf {
		n := countMissing(alt, s)
		if best < 0 || n < fewest {
			best, fewest = i, n
		}
	}
	if best < 0 || fewest == 0 {
		return nil
	}
	var missing []string
	for _, scope := range r.AnyOf[best] {
		if !s.Has(scope) {
			missing = append(missing, scope)
		}
	}
	slices.Sort(missing)
	return slices.Compact(missing)
}

// countMissing counts the scopes of alt that s lacks; a scope listed twice
// counts twice, which only matters for ranking malformed alternatives.
func countMissing(alt []string, s ScopeSet) int {
	n := 0
	for _, scope := range alt {
		if !s.Has(scope) {
			n++
		}
	}
	return n
}

// ParseScopes splits a delimited granted-scope list. sep "" or " " splits on
// any whitespace; other separators are trimmed around each item. Empty items
// are dropped; order and duplicates are kept, as the provider sent them.
func ParseScopes(list, sep string) []string {
	if sep == "" || sep == " " {
		return strings.Fields(list)
	}
	var scopes []string
	for item := range strings.SplitSeq(list, sep) {
		if item = strings.TrimSpace(item); item != "" {
			scopes = append(scopes, item)
		}
	}
	return scopes
}

// ParseScopeArray parses a JSON array of strings, or a JSON string holding a
// delimited list (split with sep), as providers put either in a token field.
// JSON null is an empty list; any other value is an error.
func ParseScopeArray(raw []byte, sep string) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0:
		return nil, fmt.Errorf("scope list is empty, want a JSON array or string")
	case raw[0] == '"':
		var list string
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, fmt.Errorf("scope list: %w", err)
		}
		return ParseScopes(list, sep), nil
	case raw[0] == '[':
		var items []string
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, fmt.Errorf("scope list must be an array of strings: %w", err)
		}
		return nonEmpty(items), nil
	case bytes.Equal(raw, []byte("null")):
		return nil, nil
	}
	return nil, fmt.Errorf("scope list is neither a JSON array of strings nor a string")
}

// nonEmpty returns the trimmed, non-empty items, in order.
func nonEmpty(items []string) []string {
	var out []string
	for _, item := range items {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
