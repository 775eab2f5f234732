package importer

import (
	"cmp"
	"slices"
	"strings"
)

// group is one suggested capability and the operations it carries.
type group struct {
	capability string
	// known reports whether the capability is in the vocabulary; the
	// operations of an unknown one are written commented out.
	known bool
	ops   []*operation
	// resources are the resources the operations came from, sorted.
	resources   []string
	requirement [][]string
	// widened reports that no alternative of an operation satisfied all
	// the others, so the requirement's alternatives combine several.
	widened bool
}

// groupOperations suggests a capability for every operation and computes
// each capability's requirement. Groups come sorted: known capabilities
// first, then placeholders, each by name.
func groupOperations(ops []*operation, v vocabulary) []*group {
	byName := map[string]*group{}
	for _, op := range ops {
		name, known := v.capability(op)
		g := byName[name]
		if g == nil {
			g = &group{capability: name, known: known}
			byName[name] = g
		}
		op.capability, op.live = name, known
		g.ops = append(g.ops, op)
		if n := len(op.resources); n > 0 && !slices.Contains(g.resources, op.resources[n-1]) {
			g.resources = append(g.resources, op.resources[n-1])
		}
	}
	var groups []*group
	for _, name := range sortedKeys(byName) {
		g := byName[name]
		slices.Sort(g.resources)
		slices.SortFunc(g.ops, func(x, y *operation) int { return strings.Compare(x.name, y.name) })
		g.requirement, g.widened = requirementOf(g.ops)
		groups = append(groups, g)
	}
	slices.SortStableFunc(groups, func(x, y *group) int {
		return -compareBool(x.known, y.known)
	})
	return groups
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// requirementOf returns the alternatives that let a handle call every one
// of the operations: those of the operations' own alternatives that satisfy
// them all. When there are none, each alternative is widened with the
// fewest scopes that satisfy the operations it misses, and widened is true.
func requirementOf(ops []*operation) (req [][]string, widened bool) {
	var candidates [][]string
	for _, op := range ops {
		candidates = append(candidates, op.accepts...)
	}
	candidates = normalize(candidates)
	var common [][]string
	for _, c := range candidates {
		if satisfiesAll(c, ops) {
			common = append(common, c)
		}
	}
	if len(common) > 0 {
		return minimal(common), false
	}
	var merged [][]string
	for _, c := range candidates {
		merged = append(merged, widen(c, ops))
	}
	return smallest(minimal(normalize(merged))), true
}

func satisfiesAll(alt []string, ops []*operation) bool {
	for _, op := range ops {
		if !satisfies(alt, op.accepts) {
			return false
		}
	}
	return true
}

// satisfies reports whether holding the scopes of have meets one of the
// alternatives of anyOf.
func satisfies(have []string, anyOf [][]string) bool {
	for _, alt := range anyOf {
		if subset(alt, have) {
			return true
		}
	}
	return false
}

func subset(small, big []string) bool {
	for _, s := range small {
		if !slices.Contains(big, s) {
			return false
		}
	}
	return true
}

// widen adds to alt, operation by operation, the alternative of each
// operation it misses that needs the fewest new scopes. Among those, it
// takes the one whose scopes share the longest prefix with a scope already
// held, so that related scopes (channels:history, channels:read) go
// together; then the first.
func widen(alt []string, ops []*operation) []string {
	have := slices.Clone(alt)
	for _, op := range ops {
		if satisfies(have, op.accepts) {
			continue
		}
		best := op.accepts[0]
		for _, a := range op.accepts[1:] {
			if c := cmp.Compare(missing(a, have), missing(best, have)); c < 0 ||
				c == 0 && affinity(a, have) > affinity(best, have) {
				best = a
			}
		}
		have = append(have, best...)
	}
	return sortedSet(have)
}

// affinity is the longest prefix a scope of alt shares with one of have.
func affinity(alt, have []string) int {
	longest := 0
	for _, a := range alt {
		for _, h := range have {
			n := 0
			for n < len(a) && n < len(h) && a[n] == h[n] {
				n++
			}
			longest = max(longest, n)
		}
	}
	return longest
}

func missing(alt, have []string) int {
	n := 0
	for _, s := range alt {
		if !slices.Contains(have, s) {
			n++
		}
	}
	return n
}

// minimal drops every alternative that holds another one: it asks for
// scopes that are not needed.
func minimal(req [][]string) [][]string {
	var out [][]string
	for i, a := range req {
		redundant := false
		for j, b := range req {
			if i != j && len(b) < len(a) && subset(b, a) {
				redundant = true
				break
			}
		}
		if !redundant {
			out = append(out, a)
		}
	}
	return out
}

// smallest keeps the alternatives with the fewest scopes.
func smallest(req [][]string) [][]string {
	least := len(req[0])
	for _, a := range req {
		least = min(least, len(a))
	}
	return slices.DeleteFunc(slices.Clone(req), func(a []string) bool { return len(a) > least })
}

// normalize sorts each alternative and the list, and drops duplicates:
// fewer scopes first, then in lexical order.
func normalize(req [][]string) [][]string {
	out := make([][]string, 0, len(req))
	for _, alt := range req {
		out = append(out, sortedSet(alt))
	}
	slices.SortFunc(out, compareAlternatives)
	return slices.CompactFunc(out, func(a, b []string) bool { return slices.Equal(a, b) })
}

func compareAlternatives(a, b []string) int {
	return cmp.Or(cmp.Compare(len(a), len(b)), slices.Compare(a, b))
}

func sortedSet(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	out = slices.Compact(out)
	if out == nil {
		out = []string{}
	}
	return out
}

// sameRequirement reports whether two normalized requirements hold the same
// alternatives.
func sameRequirement(a, b [][]string) bool {
	return slices.EqualFunc(a, b, func(x, y []string) bool { return slices.Equal(x, y) })
}
