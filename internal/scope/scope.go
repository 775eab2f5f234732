// Package scope is capgen's build-time scope algebra: implication closure,
// cycle detection, the entailment of one requirement by another, and the
// exact minimal scope cover of a set of requirements.
package scope

import (
	"slices"
)

// Implications maps a scope to the scopes it directly implies.
type Implications map[string][]string

// Closure returns scopes with everything they imply, transitively, sorted and
// without duplicates. It terminates on cyclic implications.
func (imp Implications) Closure(scopes []string) []string {
	seen := map[string]bool{}
	stack := slices.Clone(scopes)
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[s] {
			continue
		}
		seen[s] = true
		stack = append(stack, imp[s]...)
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// Satisfies reports whether the scopes, after implications, hold every scope
// of at least one alternative.
func (imp Implications) Satisfies(scopes []string, anyOf [][]string) bool {
	have := imp.Closure(scopes)
	for _, alt := range anyOf {
		if containsAll(have, alt) {
			return true
		}
	}
	return false
}

// Entails reports the alternatives of a that do not satisfy b: when it
// returns none, every connection that meets a also meets b.
func (imp Implications) Entails(a, b [][]string) (failing [][]string) {
	for _, alt := range a {
		if !imp.Satisfies(alt, b) {
			failing = append(failing, alt)
		}
	}
	return failing
}

// Cycle returns one implication cycle as a path that starts and ends with the
// same scope, or nil when there is none. Scopes are visited in sorted order,
// so the cycle reported is always the same one.
func (imp Implications) Cycle() []string {
	const (
		unvisited = iota
		active
		done
	)
	state := map[string]int{}
	var path []string
	var visit func(s string) []string
	visit = func(s string) []string {
		switch state[s] {
		case active:
			start := slices.Index(path, s)
			return append(slices.Clone(path[start:]), s)
		case done:
			return nil
		}
		state[s] = active
		path = append(path, s)
		for _, next := range imp[s] {
			if c := visit(next); c != nil {
				return c
			}
		}
		path = path[:len(path)-1]
		state[s] = done
		return nil
	}
	for _, s := range sortedKeys(imp) {
		if c := visit(s); c != nil {
			return c
		}
	}
	return nil
}

func containsAll(sorted, want []string) bool {
	for _, w := range want {
		if _, ok := slices.BinarySearch(sorted, w); !ok {
			return false
		}
	}
	return true
}

func sortedKeys(imp Implications) []string {
	keys := make([]string, 0, len(imp))
	for k := range imp {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
