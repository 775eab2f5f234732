package importer

import (
	"regexp"
	"slices"
	"strings"
)

// reconcilePathParams makes the path and its parameters agree, as the spec
// requires: placeholders get names the spec accepts, a placeholder without a
// parameter gets a string one, a path parameter the path does not name is
// left out, and so is a query parameter named like a path parameter.
func reconcilePathParams(op *operation) {
	placeholders := cleanPlaceholders(op)
	declared := map[string]bool{}
	var kept, query []param
	for _, p := range op.params {
		if p.in != "path" {
			query = append(query, p)
			continue
		}
		clean, ok := placeholders[p.name]
		if !ok || declared[clean] {
			op.notes = append(op.notes, "path parameter "+p.name+" is not in the path, "+
				"or named twice; it is left out")
			continue
		}
		p.name, declared[clean] = clean, true
		kept = append(kept, p)
	}
	for _, name := range sortedKeys(placeholders) {
		if clean := placeholders[name]; !declared[clean] {
			op.notes = append(op.notes, "the description does not declare path parameter "+
				name+"; it is taken as a string")
			kept = append(kept, param{name: clean, in: "path", typ: "string"})
			declared[clean] = true
		}
	}
	for _, p := range query {
		if declared[p.name] {
			op.notes = append(op.notes, "query parameter "+p.name+" is named like another "+
				"parameter; it is left out")
			continue
		}
		declared[p.name] = true
		kept = append(kept, p)
	}
	op.params = sortParams(kept, op.path)
}

// cleanPlaceholders rewrites the path's placeholders as identifiers and
// returns the new name of each.
func cleanPlaceholders(op *operation) map[string]string {
	placeholders := map[string]string{}
	op.path = placeholderPattern.ReplaceAllStringFunc(op.path, func(m string) string {
		name := strings.TrimPrefix(strings.Trim(m, "{}"), "+")
		clean := identifier(name)
		if _, seen := placeholders[name]; !seen && clean != name {
			op.notes = append(op.notes, "path parameter "+name+" is written "+clean+
				", a name the spec accepts; the URL does not change")
		}
		placeholders[name] = clean
		return "{" + clean + "}"
	})
	return placeholders
}

var placeholderPattern = regexp.MustCompile(`\{[^{}/]+\}`)

// identifier turns a placeholder name into one the spec accepts.
func identifier(name string) string {
	var b strings.Builder
	for i, c := range name {
		letter := c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && !(i > 0 && c >= '0' && c <= '9') {
			c = '_'
		}
		b.WriteRune(c)
	}
	return b.String()
}

// sortParams puts path parameters first, in path order, then the others by
// name.
func sortParams(params []param, path string) []param {
	slices.SortStableFunc(params, func(x, y param) int {
		switch {
		case x.in == "path" && y.in == "path":
			return strings.Index(path, "{"+x.name+"}") - strings.Index(path, "{"+y.name+"}")
		case x.in == "path":
			return -1
		case y.in == "path":
			return 1
		}
		return strings.Compare(x.name, y.name)
	})
	return params
}
